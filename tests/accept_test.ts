// lib/accept.ts as a unit, against a loopback GitHub (tests/_github_server.ts):
// an allowed /accept-regression turns the check on the PR's current head to
// success and records the acceptance under the report; a refusal is one
// reply, kept in place; an acceptance holds for its commit only.
import {
  acceptanceFor,
  acceptedOutputs,
  acceptRegression,
  carryAcceptance,
} from "../lib/accept.ts";
import { commentMarker, readAcceptance, withState } from "../lib/ground/marker.ts";
import { assertEquals, assertMatch } from "./_assert.ts";
import { commentEvent } from "./_events.ts";
import { REPO, withRepo } from "./_pr.ts";

const HEAD = "c".repeat(40);
const OLD = "d".repeat(40);
const RULES = {
  phrase: "/accept-regression",
  allowed: ["OWNER", "MEMBER"] as const,
  allowAuthor: false,
};
const TARGET = { reportKey: "acme/vision", workflow: "CI", targetUrl: "https://ci.example/42" };
const MARKER = commentMarker(TARGET.reportKey, TARGET.workflow);
const NOW = new Date("2026-12-07T10:11:12.345Z");
const pulls = [{ number: 7, headRefOid: HEAD, headRefName: "feature" }];

/** A comment on PR #7, which Codertocat (GitHub's example user) opened. */
const accept = (body: string, login = "ana", association = "MEMBER") =>
  commentEvent({ body, login, association, number: 7 });

Deno.test("accept: an allowed accept succeeds the check on the PR's current head and records who, when and why under the report", async () => {
  const report = withState(MARKER, "fail", "## W&B report\ngate failed: val_acc:max");
  const comments = [{ id: "IC_1", author: "github-actions[bot]", body: report, pr: 7 }];
  let outcome;
  const github = await withRepo({ pulls, comments }, async (client) => {
    outcome = await acceptRegression(
      client,
      REPO,
      accept("/accept-regression new tokenizer, 2x faster"),
      RULES,
      TARGET,
      NOW,
    );
  });
  const acceptance = {
    sha: HEAD,
    by: "ana",
    at: "2026-12-07T10:11:12Z",
    reason: "new tokenizer, 2x faster",
  };
  assertEquals(outcome, {
    kind: "accepted",
    prNumber: 7,
    acceptance,
    commentUrl: "https://github.com/acme/vision/pull/7#issuecomment-IC_1",
  });
  assertEquals(
    github.statuses.map((s) => [s.sha, s.context, s.state, s.description, s.target_url]),
    [[
      HEAD,
      "wandb-report/acme/vision",
      "success",
      "regression accepted by @ana for ccccccc",
      "https://ci.example/42",
    ]],
  );
  // The report stays, the acceptance is under it and in its hidden state.
  assertEquals(github.comments.length, 1);
  const body = github.comments[0]!.body;
  assertMatch(body, /## W&B report\ngate failed: val_acc:max/);
  assertMatch(body, /new tokenizer, 2x faster/);
  assertEquals(readAcceptance(body), acceptance);
});

Deno.test("accept: a refusal is one reply kept in place, and nothing else changes", async () => {
  const cases: [ReturnType<typeof accept>, RegExp][] = [
    [
      accept("/accept-regression it's fine", "Codertocat", "OWNER"),
      /^@Codertocat: a regression on your own pull request is accepted by someone else \(OWNER, MEMBER\); nothing changed\.$/,
    ],
    [
      accept("/accept-regression trust me", "mallory", "CONTRIBUTOR"),
      /^@mallory: only OWNER, MEMBER may accept a regression here \(you are CONTRIBUTOR\); nothing changed\.$/,
    ],
    [
      accept("/accept-regression"),
      /^@ana: say why, on the same line: `\/accept-regression smaller model, 2x faster`; nothing changed\.$/,
    ],
  ];
  const github = await withRepo({ pulls }, async (client) => {
    for (const [event, reply] of cases) {
      const outcome = await acceptRegression(client, REPO, event, RULES, TARGET, NOW);
      assertEquals(outcome.kind, "refused");
      assertMatch(outcome.kind === "refused" ? outcome.reply : "", reply);
    }
    const ignored = await acceptRegression(
      client,
      REPO,
      accept("looks fine to me"),
      RULES,
      TARGET,
      NOW,
    );
    assertMatch(
      ignored.kind === "ignored" ? ignored.reason : "",
      /no line of the comment starts with "\/accept-regression"/,
    );
  });
  assertEquals(github.statuses, []);
  assertEquals(github.comments.length, 1, "one reply, rewritten");
  assertMatch(
    github.comments[0]!.body,
    /^<!-- wandb-report reply key=acme\/vision workflow=CI -->\n@ana: say why/,
  );
});

Deno.test("accept: an acceptance holds for its commit only; a report on it becomes accepted only where it failed", () => {
  const acceptance = { sha: HEAD, by: "ana", at: "2026-12-07T10:11:12Z", reason: "faster" };
  const earlier = carryAcceptance(withState(MARKER, "fail", "report"), acceptance);
  assertEquals(acceptanceFor(earlier, HEAD), acceptance);
  assertEquals(acceptanceFor(earlier, OLD), undefined, "a new push gets a fresh verdict");
  assertEquals(acceptanceFor(withState(MARKER, "fail", "report"), HEAD), undefined);
  const failed = { GATE_PASSED: "False", GATE_VERDICT: "failed", STATUS_STATE: "failure" };
  assertEquals(acceptedOutputs(failed, acceptance), {
    GATE_PASSED: "True",
    GATE_VERDICT: "accepted",
    STATUS_STATE: "success",
    STATUS_DESCRIPTION: "regression accepted by @ana for ccccccc",
    ACCEPTED_BY: "ana",
  });
  const pending = { GATE_PASSED: "False", GATE_VERDICT: "pending", STATUS_STATE: "pending" };
  assertEquals(acceptedOutputs(pending, acceptance), pending);
});
