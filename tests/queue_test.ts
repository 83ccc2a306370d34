// lib/queue.ts as a unit: a merge group's payload as GitHub sends it (its own
// examples), and the group's verdict from the verdicts its pull requests
// already have on their heads — against a loopback GitHub that keeps the
// queue and the statuses (tests/_github_server.ts).
import { InvalidInputError } from "../lib/ground/errors.ts";
import { judgeMergeGroup, type MergeGroup, parseMergeGroup } from "../lib/queue.ts";
import { assertEquals, assertMatch, assertThrows } from "./_assert.ts";
import { examplesOf } from "./_events.ts";
import { REPO, withRepo } from "./_pr.ts";

const CONTEXT = "wandb-report/acme/vision";
const head = (n: number) => String(n).repeat(40).slice(0, 40);
const GROUP = (n: number) => `9${String(n).repeat(39)}`.slice(0, 40);

Deno.test("queue: GitHub's merge_group examples parse to the group's commit, base and pull request", () => {
  const examples = examplesOf("merge_group");
  assertEquals(examples.length > 0, true);
  for (const example of examples) {
    const group = parseMergeGroup(example, "GITHUB_EVENT_PATH");
    const sent = (example as { merge_group: { head_sha: string } }).merge_group;
    assertEquals(group, { headSha: sent.head_sha, baseBranch: "main", prNumber: 104 });
  }
});

Deno.test("queue: a payload or a queue ref of another shape is one input error naming it", () => {
  const example = structuredClone(examplesOf("merge_group")[0]!) as {
    merge_group: Record<string, unknown>;
  };
  example.merge_group.head_ref = "refs/heads/feature";
  const ref = assertThrows(() => parseMergeGroup(example, "GITHUB_EVENT_PATH"), InvalidInputError);
  assertMatch(
    ref.message,
    /^GITHUB_EVENT_PATH: merge_group\.head_ref: expected a merge queue ref gh-readonly-queue\/<base>\/pr-<N>-<sha>, got "refs\/heads\/feature"/,
  );
  example.merge_group.head_sha = "abc";
  const sha = assertThrows(() => parseMergeGroup(example, "GITHUB_EVENT_PATH"), InvalidInputError);
  assertMatch(sha.message, /^GITHUB_EVENT_PATH: expected a merge_group event payload.*head_sha/);
});

/** A queue on main of pull requests 1..n, group n holding 1..n. */
function queue(n: number) {
  return {
    pulls: Array.from({ length: n }, (_, i) => ({
      number: i + 1,
      headRefOid: head(i + 1),
      headRefName: `pr-${i + 1}`,
    })),
    mergeQueue: {
      branch: "main",
      entries: Array.from({ length: n }, (_, i) => ({
        position: i + 1,
        groupSha: GROUP(i + 1),
        pr: i + 1,
      })),
    },
  };
}

const status = (pr: number, state: string, description = "", context = CONTEXT) => ({
  sha: head(pr),
  context,
  state,
  description,
});

const groupOf = (n: number): MergeGroup => ({ headSha: GROUP(n), baseBranch: "main", prNumber: n });

Deno.test("queue: a group passes when every pull request up to its own passed or was accepted; those behind it do not count", async () => {
  const statuses = [
    status(1, "success", "3 finished; gate passed"),
    status(2, "success", "regression accepted by @ana: new tokenizer"),
    status(3, "failure", "gate failed"), // behind group 2
  ];
  await withRepo({ ...queue(3), statuses }, async (client) => {
    const verdict = await judgeMergeGroup(client, REPO, groupOf(2), CONTEXT);
    assertEquals(
      [verdict.sha, verdict.state, verdict.description, verdict.notes],
      [GROUP(2), "success", "merge group: #1 passed, #2 accepted", []],
    );
  });
});

Deno.test("queue: any other verdict blocks the group, each named: failed, pending, none, another context's", async () => {
  const statuses = [
    status(1, "failure", "gate failed: val_acc:max -0.02"),
    status(2, "pending", "waiting for training"),
    status(4, "success", "passed", "wandb-report/other"),
  ];
  await withRepo({ ...queue(4), statuses }, async (client) => {
    const verdict = await judgeMergeGroup(client, REPO, groupOf(4), CONTEXT);
    assertEquals(verdict.state, "failure");
    assertEquals(
      verdict.description,
      "merge group blocked: #1 is failure on 1111111 (gate failed: val_acc:max -0.02); " +
        "#2 is pending on 2222222 (waiting for training); " +
        `#3 has no ${CONTEXT} verdict on its head 3333333; ` +
        `#4 has no ${CONTEXT} verdict on its head 4444444`,
    );
    assertEquals(verdict.members.map((m) => m.ok), [false, false, false, false]);
  });
});

Deno.test("queue: a group the queue does not list is judged by its ref's pull request, and says so", async () => {
  const { pulls } = queue(2);
  await withRepo({ pulls, statuses: [status(2, "success", "passed")] }, async (client) => {
    const verdict = await judgeMergeGroup(client, REPO, groupOf(2), CONTEXT);
    assertEquals([verdict.state, verdict.description], ["success", "merge group: #2 passed"]);
    assertMatch(
      verdict.notes[0]!,
      /^the merge queue of main does not list this group: judged by pull request #2/,
    );
    // A pull request GitHub does not show blocks the group.
    const gone = await judgeMergeGroup(client, REPO, groupOf(7), CONTEXT);
    assertEquals([gone.state, gone.description], ["failure", "merge group blocked: #7 not found"]);
  });
});
