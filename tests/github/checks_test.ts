// lib/github/checks.ts as a unit, against a loopback GitHub executing
// GitHub's schema (tests/_github_server.ts): our check on a commit (the
// newest status of our context, no other context's), every open pull
// request with the check on its head across pages, and a merge queue's
// entries in queue order.
import { commitCheck, mergeQueueEntries, openPullChecks } from "../../lib/github/checks.ts";
import { assertEquals } from "../_assert.ts";
import { REPO, withRepo } from "../_pr.ts";

const CONTEXT = "wandb-report/acme/vision";
const sha = (n: number) => n.toString(16).padStart(40, "0");

Deno.test("checks: our check on a commit is the newest status of our context; another context's is none", async () => {
  const statuses = [
    { sha: sha(1), context: CONTEXT, state: "pending", description: "waiting for training" },
    { sha: sha(1), context: CONTEXT, state: "failure", description: "gate failed" },
    { sha: sha(2), context: "ci/build", state: "success" },
  ];
  await withRepo({ statuses }, async (client) => {
    assertEquals(await commitCheck(client, REPO, sha(1), CONTEXT), {
      state: "failure",
      description: "gate failed",
    });
    assertEquals(await commitCheck(client, REPO, sha(2), CONTEXT), undefined);
    // A commit GitHub does not know.
    assertEquals(await commitCheck(client, REPO, sha(3), CONTEXT), undefined);
  });
});

Deno.test("checks: every open pull request, oldest first across pages, with the check on its head", async () => {
  const pulls = Array.from({ length: 230 }, (_, i) => ({
    number: i + 1,
    headRefOid: sha(1000 + i),
    headRefName: `pr-${i + 1}`,
    ...(i % 50 === 7 ? { fork: "someone/vision" } : {}),
    ...(i === 229 ? { state: "CLOSED" as const } : {}),
  }));
  const statuses = [
    { sha: sha(1000), context: CONTEXT, state: "success", description: "passed" },
    { sha: sha(1150), context: CONTEXT, state: "pending", description: "" },
    { sha: sha(1151), context: "ci/build", state: "failure" },
  ];
  await withRepo({ pulls, statuses }, async (client, server) => {
    const found = await openPullChecks(client, REPO, CONTEXT);
    assertEquals(found.map((p) => p.number), Array.from({ length: 229 }, (_, i) => i + 1));
    assertEquals(found[0], {
      number: 1,
      headSha: sha(1000),
      fork: false,
      check: { state: "success", description: "passed" },
    });
    assertEquals(found[150]!.check, { state: "pending", description: "" });
    assertEquals(found[151]!.check, undefined);
    assertEquals(found.filter((p) => p.fork).map((p) => p.number), [8, 58, 108, 158, 208]);
    assertEquals(server.requests.filter((r) => r === "WandbReportSweepPulls").length, 3);
  });
});

Deno.test("checks: a merge queue's entries in queue order; a branch without a queue has none", async () => {
  const pulls = [5, 6, 7].map((n) => ({ number: n, headRefOid: sha(n), headRefName: `pr-${n}` }));
  const mergeQueue = {
    branch: "main",
    entries: [
      { position: 2, groupSha: sha(0xb2), pr: 7 },
      { position: 1, groupSha: sha(0xb1), pr: 5 },
      { position: 3, groupSha: sha(0xb3), pr: 6 },
    ],
  };
  await withRepo({ pulls, mergeQueue }, async (client) => {
    assertEquals(await mergeQueueEntries(client, REPO, "main"), [
      { position: 1, groupSha: sha(0xb1), pr: { number: 5, headSha: sha(5) } },
      { position: 2, groupSha: sha(0xb2), pr: { number: 7, headSha: sha(7) } },
      { position: 3, groupSha: sha(0xb3), pr: { number: 6, headSha: sha(6) } },
    ]);
    assertEquals(await mergeQueueEntries(client, REPO, "release"), []);
  });
});
