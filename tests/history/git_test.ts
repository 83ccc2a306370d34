// lib/history/git.ts as a unit, on a real git repository made for the test
// (tests/_git.ts): first-parent chains newest first (a merged branch's
// commits never in them), merge bases, the reasons a checkout cannot be a
// source, the note a shallow clone gets, and only hex on git's command line.
import { InvalidInputError } from "../../lib/ground/errors.ts";
import { gitHistory } from "../../lib/history/git.ts";
import type { HistorySource } from "../../lib/history/source.ts";
import { assertEquals, assertMatch, assertRejects } from "../_assert.ts";
import { repository, shallowClone } from "../_git.ts";

async function sourceOf(dir: string, sha: string): Promise<HistorySource> {
  const found = await gitHistory(dir, sha);
  if (!("source" in found)) throw new Error(found.reason);
  return found.source;
}

Deno.test("git: the first-parent chain newest first with commit dates; a merged branch's commits are not in it", async () => {
  const repo = await repository(5);
  try {
    const source = await sourceOf(repo.dir, repo.head);
    assertEquals(source.name, `the git checkout in ${repo.dir}`);
    const chain = await source.firstParents(repo.head, 10);
    assertEquals(chain.commits.map((c) => c.sha), [repo.head, ...[...repo.main].reverse()]);
    assertEquals(chain.commits.some((c) => c.sha === repo.side), false);
    assertEquals(chain.note, undefined);
    // The helper's clock moves an hour a commit; the side commit took the
    // hour before the merge, which is two hours after its first parent.
    const dates = chain.commits.map((c) => Date.parse(c.date!));
    assertEquals(
      dates.slice(1).map((d, i) => (dates[i]! - d) / 3_600_000),
      [1, 2, 1, 1, 1],
    );
    // A short SHA and a limit.
    const two = await source.firstParents(repo.main.at(-1)!.slice(0, 8), 2);
    assertEquals(two.commits.map((c) => c.sha), [repo.main.at(-1), repo.main.at(-2)]);
    assertEquals(await source.mergeBase(repo.main.at(-1)!, repo.head), repo.main.at(-1));
    assertEquals(await source.mergeBase(repo.side, repo.head), repo.side);
  } finally {
    await Deno.remove(repo.dir, { recursive: true });
  }
});

Deno.test("git: why a directory is no history source — not a checkout, not holding the commit, not a SHA", async () => {
  const repo = await repository(3);
  const empty = await Deno.makeTempDir({ prefix: "wandb-nogit-" });
  try {
    assertEquals(await gitHistory(empty, repo.head), { reason: `${empty} is not a git checkout` });
    assertEquals(await gitHistory(repo.dir, "e".repeat(40)), {
      reason: `the git checkout in ${repo.dir} does not hold commit ${"e".repeat(40)}`,
    });
    // Nothing but hex reaches git's command line, where it could be read as an option.
    assertEquals(await gitHistory(repo.dir, "--output=/tmp/x"), {
      reason: '"--output=/tmp/x" is not a hexadecimal commit SHA',
    });
    const source = await sourceOf(repo.dir, repo.head);
    const option = await assertRejects(
      () => source.firstParents("--all", 3),
      InvalidInputError,
    );
    assertMatch(option.message, /^--baseline-sha: expected a hexadecimal commit SHA, got "--all"/);
    await assertRejects(() => source.mergeBase("--all", repo.head), InvalidInputError);
    const unknown = await assertRejects(
      () => source.firstParents("abcd1234", 3),
      InvalidInputError,
    );
    assertMatch(unknown.message, /^--baseline-sha: expected a commit in the git checkout in /);
  } finally {
    await Deno.remove(repo.dir, { recursive: true });
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test("git: a shallow clone's chain stops where the clone does, and says which fetch-depth would hold it", async () => {
  const repo = await repository(6);
  const shallow = `${repo.dir}-shallow`;
  try {
    await shallowClone(repo.dir, shallow, 2, "pr");
    const found = await gitHistory(shallow, repo.head);
    assertEquals("source" in found && found.shallow, true);
    const chain = await (found as { source: HistorySource }).source.firstParents(repo.head, 5);
    assertEquals(chain.commits.map((c) => c.sha), [repo.head, repo.main.at(-1)]);
    assertEquals(
      chain.note,
      `the clone is shallow: its history stops 2 commits back from ${
        repo.head.slice(0, 12)
      }; fetch-depth: 5 (or 0 for all) in actions/checkout would hold what was asked`,
    );
    // Within what the clone holds, no note.
    assertEquals(
      (await (found as { source: HistorySource }).source.firstParents(repo.head, 2)).note,
      undefined,
    );
    // A commit beyond the clone: the reason names the fix.
    const deep = await gitHistory(shallow, repo.main[0]!);
    assertMatch(
      "reason" in deep ? deep.reason : "",
      /\(the clone is shallow: fetch-depth: 0 in actions\/checkout fetches it all\)$/,
    );
  } finally {
    await Deno.remove(repo.dir, { recursive: true });
    await Deno.remove(shallow, { recursive: true });
  }
});
