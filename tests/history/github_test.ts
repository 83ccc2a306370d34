// lib/history/github.ts against git itself: one branchy repository, built
// with git fast-import, read by git (lib/history/git.ts) and, through a
// loopback GitHub serving the same commits 100 a page (tests/_github_server.ts),
// by GitHub's API; both give the same first-parent chains and merge bases. The
// emulator's sliver of GitHub (lib/emulator/github.ts) serves the same chains.
import { InvalidInputError } from "../../lib/ground/errors.ts";
import { githubHistory } from "../../lib/history/github.ts";
import { gitHistory } from "../../lib/history/git.ts";
import type { HistorySource } from "../../lib/history/source.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import type { FakeCommit } from "../_github_server.ts";
import { git } from "../_git.ts";
import { REPO, withRepo } from "../_pr.ts";
import { API_KEY, withEmulator } from "../_helpers.ts";
import { githubClientFor } from "../../lib/github/client.ts";

/**
 * main: `length` commits an hour apart; every 8th merges a side branch of 3
 * commits made off the commit before it (so GitHub's `Commit.history`, which
 * lists every ancestor, needs more pages than the first-parent chain); pr:
 * 2 commits off main's 40th. Returns the tips.
 */
async function branchy(dir: string, length: number) {
  const lines: string[] = [];
  let mark = 0;
  let clock = 1_790_000_000;
  const commit = (ref: string, from: number | undefined, merge?: number) => {
    mark++;
    clock += 3600;
    lines.push(
      `commit ${ref}`,
      `mark :${mark}`,
      `committer t <t@example.com> ${clock} +0000`,
      `data ${String(mark).length}`,
      String(mark),
      ...(from ? [`from :${from}`] : []),
      ...(merge ? [`merge :${merge}`] : []),
      "",
    );
    return mark;
  };
  let main = commit("refs/heads/main", undefined);
  let forkPoint = 0;
  for (let i = 1; i < length; i++) {
    if (i % 8 === 0) {
      let side = main;
      for (let s = 0; s < 3; s++) side = commit("refs/heads/side", side);
      main = commit("refs/heads/main", main, side);
    } else {
      main = commit("refs/heads/main", main);
    }
    if (i === 40) forkPoint = main;
  }
  let pr = commit("refs/heads/pr", forkPoint);
  pr = commit("refs/heads/pr", pr);
  const out = new Deno.Command("git", {
    args: ["fast-import", "--quiet"],
    cwd: dir,
    stdin: "piped",
  }).spawn();
  const writer = out.stdin.getWriter();
  await writer.write(new TextEncoder().encode(`${lines.join("\n")}\n`));
  await writer.close();
  assertEquals((await out.status).code, 0);
  return {
    main: await git(dir, ["rev-parse", "main"]),
    pr: await git(dir, ["rev-parse", "pr"]),
    fork: await git(dir, ["rev-parse", "pr~2"]),
  };
}

async function repositoryCommits(dir: string): Promise<FakeCommit[]> {
  const log = await git(dir, ["log", "--all", "--format=%H %cI %P"]);
  return log.split("\n").map((line) => {
    const [sha, date, ...parents] = line.split(" ");
    return { sha: sha!, date: new Date(date!).toISOString(), parents };
  });
}

/** The branchy repository: its tips, its commits, and git reading it. */
interface Branchy {
  tips: Awaited<ReturnType<typeof branchy>>;
  commits: FakeCommit[];
  local: HistorySource;
}

/** The branchy repository in a temp folder, removed after `fn`. */
async function withBranchy(fn: (repo: Branchy) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "wandb-branchy-" });
  try {
    await git(dir, ["init", "-q", "-b", "main"]);
    const tips = await branchy(dir, 120);
    await git(dir, ["checkout", "-q", "main"]);
    const commits = await repositoryCommits(dir);
    assert(commits.length > 150, `${commits.length} commits`);
    const found = await gitHistory(dir, tips.main);
    if (!("source" in found)) throw new Error(found.reason);
    await fn({ tips, commits, local: found.source });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The chains of four tips and lengths from `api` as git gives them; a commit it lacks refused. */
async function sameAsGit(api: HistorySource, repo: Branchy) {
  const { tips, local } = repo;
  for (
    const [tip, count] of [[tips.main, 5], [tips.main, 120], [tips.main, 200], [
      tips.pr,
      50,
    ]] as const
  ) {
    const [mine, theirs] = [
      await api.firstParents(tip, count),
      await local.firstParents(tip, count),
    ];
    assertEquals(
      mine.commits.map((c) => [c.sha, Date.parse(c.date!)]),
      theirs.commits.map((c) => [c.sha, Date.parse(c.date!)]),
      `${tip.slice(0, 7)} ${count}`,
    );
  }
  // A commit the other side does not have.
  await assertRejects(() => api.firstParents("e".repeat(40), 5), InvalidInputError);
}

Deno.test("history from GitHub's API: the same first-parent chains and merge bases as git's, across pages", async () => {
  await withBranchy(async (repo) => {
    await withRepo({ commits: repo.commits }, async (client, server) => {
      const api = githubHistory(client, REPO);
      assertEquals(api.name, "GitHub's API (acme/vision)");
      await sameAsGit(api, repo);
      // The whole chain of main needed more than one page of ancestors.
      assert(server.requests.filter((r) => r === "WandbReportHistory").length > 4);
      const { tips, local } = repo;
      assertEquals(await api.mergeBase(tips.main, tips.pr), tips.fork);
      assertEquals(await local.mergeBase(tips.main, tips.pr), tips.fork);
    });
  });
});

Deno.test("history from the emulator's GitHub (lib/emulator/github.ts): the chains git gives, for the demo's baseline search", async () => {
  await withBranchy(async (repo) => {
    const fixture = { apiKeys: [API_KEY], projects: [], commits: repo.commits };
    await withEmulator({ fixture }, async (emulator) => {
      const env = { GITHUB_GRAPHQL_URL: `${emulator.url}/github/graphql` };
      const retry = { maxAttempts: 1, maxElapsedMs: 5_000, timeoutMs: 5_000 };
      const client = githubClientFor({ env, token: "any", retry });
      await sameAsGit(githubHistory(client, REPO), repo);
    });
  });
});
