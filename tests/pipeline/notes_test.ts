// What a report says before its numbers when it is not the PR head's own
// check, and never when it is (a short SHA of the head is the head).
import { headNotice } from "../../lib/pipeline/notes.ts";
import { assertEquals, assertMatch } from "../_assert.ts";

const HEAD = "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345";

Deno.test("headNotice: none for the head, by its full or short SHA; said for another commit or a run id", () => {
  const bySha = (sha: string) => ({ by: "sha" as const, sha, matchCommit: false });
  assertEquals(headNotice({ match: bySha(HEAD), prHeadSha: HEAD }, HEAD), []);
  assertEquals(headNotice({ match: bySha(HEAD.slice(0, 7)), prHeadSha: HEAD }, HEAD), []);
  // No head known: nothing to compare with, nothing said.
  assertEquals(headNotice({ match: bySha("abc1234"), prHeadSha: undefined }, "abc1234"), []);
  const other = headNotice({ match: bySha("abc1234"), prHeadSha: HEAD }, "abc1234");
  assertEquals(other.length, 1);
  assertMatch(
    other[0]!,
    /^This report is on commit abc1234, not on the pull request's head 3f2c9a1b7d4e: it sets no commit status/,
  );
  const run = headNotice({ match: { by: "run-id", runId: "x1" }, prHeadSha: HEAD }, HEAD);
  assertMatch(run[0]!, /^This report is on run x1, not on the pull request's head/);
});
