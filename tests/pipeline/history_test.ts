// lib/pipeline/history.ts as a unit: one chain (so one W&B query) serves the
// baseline search, the trend and the noise; a search without --baseline-sha
// starts at the candidates' first parent; --merge-base starts at the merge
// base. Then the baselines, the trend and the noise from the chain's runs.
import { assertEquals } from "../_assert.ts";
import { fromHistory, historyPlan } from "../../lib/pipeline/history.ts";
import { settleOptions } from "../../lib/pipeline/options.ts";
import type { CollectOptions } from "../../lib/pipeline/types.ts";
import type { HistorySource } from "../../lib/history/source.ts";
import type { Run } from "../../lib/ground/model.ts";

const sha = (n: number) => n.toString(16).padStart(2, "0").repeat(20);
const HEAD = sha(0);
const MERGE_BASE = sha(100);

/** GitHub's history as a fake: commit n's parent is n + 1; what it is asked is recorded. */
function github(asked: string[]): () => HistorySource {
  return () => ({
    name: "GitHub's API (acme/vision)",
    firstParents: (from, count) => {
      asked.push(`firstParents ${from.slice(0, 2)} ${count}`);
      const first = Number.parseInt(from.slice(0, 2), 16);
      return Promise.resolve({
        commits: Array.from({ length: count }, (_, i) => ({ sha: sha(first + i) })),
      });
    },
    mergeBase: (base, head) => {
      asked.push(`mergeBase ${base.slice(0, 2)} ${head.slice(0, 2)}`);
      return Promise.resolve(MERGE_BASE);
    },
  });
}

async function plan(extra: Partial<CollectOptions>, asked: string[]) {
  const cwd = await Deno.makeTempDir({ prefix: "wandb-no-checkout-" });
  try {
    const options = settleOptions({
      apiKey: "k",
      entity: "acme",
      project: "vision",
      match: { by: "sha" as const, sha: HEAD, matchCommit: false },
      ...extra,
    });
    return {
      options,
      plan: await historyPlan(options, { history: { cwd, github: github(asked) } }),
    };
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
}

Deno.test("historyPlan: nothing asked, nothing read", async () => {
  const asked: string[] = [];
  assertEquals((await plan({}, asked)).plan, undefined);
  assertEquals(asked, []);
});

Deno.test("historyPlan: a search without --baseline-sha walks from the candidates' first parent", async () => {
  const asked: string[] = [];
  const { plan: found } = await plan({ baselineSearch: 3 }, asked);
  // The candidates' commit, then 3 + 1 to search: one chain of 5, the first dropped.
  assertEquals(asked, ["firstParents 00 5"]);
  assertEquals(found!.chain.map((c) => c.sha), [sha(1), sha(2), sha(3), sha(4)]);
  assertEquals(found!.baselineSha, sha(1));
  assertEquals(
    found!.notes[0]!.startsWith(
      `--baseline-search without --baseline-sha: searching from ${sha(1).slice(0, 12)}`,
    ),
    true,
  );
});

Deno.test("historyPlan: one chain long enough for the search, the trend and the noise; --merge-base starts it", async () => {
  const asked: string[] = [];
  const { plan: found } = await plan({
    baselineSha: sha(50),
    baselineSearch: 3,
    trend: 10,
    noiseHistory: 6,
    mergeBase: true,
  }, asked);
  assertEquals(asked, ["mergeBase 32 00", "firstParents 64 10"]);
  assertEquals([found!.chain.length, found!.chain[0]!.sha, found!.baselineSha], [
    10,
    MERGE_BASE,
    undefined,
  ]);
  assertEquals(
    found!.notes[0],
    `the merge base of ${sha(50).slice(0, 12)} and ${HEAD.slice(0, 12)} is ${
      MERGE_BASE.slice(0, 12)
    } (from GitHub's API (acme/vision))`,
  );
});

function run(name: string, commit: string, acc: number, tags: string[] = []): Run {
  return { name, state: "finished", tags, config: { github_sha: commit }, summary: { acc } };
}

Deno.test("fromHistory: tagged baselines stay, the nearest commit's runs join; runs off the chain are not read", async () => {
  const { options } = await plan({
    baselineSha: sha(1),
    baselineSearch: 2,
    trend: 3,
    metrics: ["acc"],
    baselineTags: ["baseline"],
  }, []);
  const chain = {
    chain: [{ sha: sha(1) }, { sha: sha(2) }, { sha: sha(3) }],
    source: "git",
    notes: [],
  };
  const fetched = [
    run("tagged", sha(9), 0.5, ["baseline"]),
    run("far-1", sha(2), 0.5),
    run("far-2", sha(2), 1),
    run("older", sha(3), 0.7),
    run("off-chain", sha(7), 0.1),
  ];
  const found = fromHistory(chain, fetched, options);
  assertEquals(found.baselines.map((r) => r.name), ["tagged", "far-1", "far-2"]);
  assertEquals([found.commit?.sha, found.commit?.distance, found.commit?.source], [
    sha(2),
    1,
    "git",
  ]);
  assertEquals(found.notes, [
    `baselines: the runs of ${sha(2).slice(0, 12)}, 1 first-parent commit back from ${
      sha(1).slice(0, 12)
    } (1 without finished runs passed over)`,
  ]);
  // The trend: commits with finished runs, oldest first; σ from the commits with two values.
  assertEquals(found.trend!.map((p) => [p.sha, p.means.acc]), [[sha(3), 0.7], [sha(2), 0.75]]);
  assertEquals([found.noise!.acc!.commits, found.noise!.acc!.df], [1, 1]);
});

Deno.test("fromHistory: the candidates' own commit (a short --sha too) is never main's noise", async () => {
  const short = sha(1).slice(0, 7);
  const { options } = await plan({
    match: { by: "sha", sha: short, matchCommit: false },
    noiseHistory: 3,
    metrics: ["acc"],
  }, []);
  const chain = { chain: [{ sha: sha(1) }, { sha: sha(2) }], source: "git", notes: [] };
  const fetched = [
    run("c1", sha(1), 0.1),
    run("c2", sha(1), 0.9),
    run("m1", sha(2), 0.5),
    run("m2", sha(2), 0.6),
  ];
  const noise = fromHistory(chain, fetched, options).noise!.acc!;
  assertEquals([noise.commits, noise.keys], [1, [`${sha(2)}#0`]]);
});
