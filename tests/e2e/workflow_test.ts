// The reusable workflow under a simulated runner: who and what starts a report,
// and how a report step fails (the key, the gate, the tool's own checkout).
import { parse as parseCsv } from "csv-parse/sync";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { commentEvent } from "../_events.ts";
import { API_KEY, SHA } from "../_helpers.ts";
import { DEFAULT_BRANCH, run, TOKEN } from "./_workflow.ts";

Deno.test("workflow: a collaborator's /get-runs reports on the PR head, with artifact and summary", async () => {
  const result = await run({
    name: "issue_comment",
    payload: commentEvent({ body: "/get-runs", association: "MEMBER" }),
  });
  const job = result.jobs.report!;
  assertEquals(job.result, "success", job.steps.map((s) => `${s.id}: ${s.log}`).join("\n"));
  assertEquals(result.outputs.triggered, "True");
  assertEquals(result.outputs.sha, SHA);
  assertEquals(result.outputs["pr-number"], "7");
  assertEquals(result.outputs["num-candidates"], "7");
  assertEquals(result.outputs["num-finished"], "2");
  assertEquals(result.outputs["num-running"], "1");
  assertEquals(result.outputs["num-baselines"], "2");
  assertEquals(result.outputs.complete, "False");
  assertEquals(result.outputs["artifact-id"], "9001");
  assertEquals(result.outputs["artifact-name"], "wandb-report-acme-vision-4242-1");
  assertEquals(result.artifacts.length, 1);
  const rows = parseCsv(result.artifacts[0]!.content, { columns: true }) as Record<
    string,
    string
  >[];
  assertEquals(rows.map((r) => r["__eval.category"]), [
    "candidate",
    "candidate",
    "baseline",
    "baseline",
  ]);
  assertMatch(job.summary, /### W&B report: \[acme\/vision\]/);
  // The publish job set the status and posted the report; the gate job did not run (no rules).
  assertEquals(result.jobs.publish!.result, "success");
  assertEquals(result.comments.length, 1);
  assertMatch(result.comments[0]!.body, /^<!-- wandb-report key=acme\/vision workflow=W&B -->/);
  assertEquals(result.jobs.gate!.result, "skipped");
  // The status on the PR head: pending from the start job, then the verdict.
  assertEquals(result.statuses.map((s) => [s.sha, s.context, s.state]), [
    [SHA, "wandb-report/acme/vision", "pending"],
    [SHA, "wandb-report/acme/vision", "success"],
  ]);
  assertEquals(result.statuses[0]!.description, "fetching the runs from W&B");
  assertEquals(
    result.statuses[1]!.target_url,
    "https://github.com/Codertocat/Hello-World/actions/runs/4242",
  );
  // The key and the token never reach a log line unmasked.
  for (const step of job.steps) {
    for (const secret of [API_KEY, TOKEN]) {
      const unmasked = step.log.split("\n").filter((l) => !l.startsWith("::add-mask::"));
      assert(!unmasked.some((l) => l.includes(secret)), `${step.id} leaked a secret`);
    }
  }
});

Deno.test("workflow: an outsider's comment starts no job; an issue comment neither", async () => {
  for (
    const payload of [
      commentEvent({ body: "/get-runs", association: "NONE" }),
      commentEvent({ body: "/get-runs", association: "CONTRIBUTOR" }),
      commentEvent({ body: "/get-runs", onPullRequest: false }),
      commentEvent({ body: "/get-runs", action: "edited", association: "OWNER" }),
    ]
  ) {
    const result = await run({ name: "issue_comment", payload });
    assertEquals(result.jobs.start!.result, "skipped");
    assertEquals(result.jobs.report!.result, "skipped");
    assertEquals(result.outputs.triggered, "");
    assertEquals([result.artifacts, result.statuses], [[], []]);
  }
});

Deno.test("workflow: the phrase mid-sentence passes the job gate but the chatops step stops it", async () => {
  const result = await run({
    name: "issue_comment",
    payload: commentEvent({ body: "please /get-runs", association: "OWNER" }),
  });
  assertEquals(result.jobs.start!.result, "success");
  assertEquals(result.outputs.triggered, "False");
  assertEquals(result.jobs.report!.result, "skipped");
  assertEquals(result.jobs.publish!.result, "skipped");
  assertEquals([result.artifacts, result.statuses], [[], []]);
});

Deno.test("workflow: a schedule reports on GITHUB_SHA; a run id input reports on that run", async () => {
  const scheduled = await run({ name: "schedule", payload: { schedule: "17 3 * * *" } }, {
    inputs: { sha: SHA },
  });
  assertEquals(scheduled.outputs.sha, SHA);
  assertEquals(scheduled.outputs["num-candidates"], "7");
  assertEquals(scheduled.outputs["pr-number"], "");
  const plain = await run({ name: "schedule", payload: {} });
  assertEquals(plain.outputs.sha, DEFAULT_BRANCH);
  assertEquals(plain.outputs["num-candidates"], "0");
  assertEquals(plain.artifacts.length, 1);
  const byId = await run({ name: "workflow_dispatch", payload: { inputs: {} } }, {
    inputs: { "run-id": "cand0001" },
  });
  assertEquals(byId.outputs["num-candidates"], "1");
  assertEquals(byId.outputs["single-run"], "True");
});

Deno.test("workflow: a wrong key fails the report step with one line, and no artifact", async () => {
  const result = await run({ name: "schedule", payload: {} }, {
    secrets: { WANDB_API_KEY: "wrong-key" },
  });
  const job = result.jobs.report!;
  assertEquals(job.result, "failure");
  const report = job.steps.find((s) => s.id === "report")!;
  assertMatch(report.log, /::error::W&B at 127\.0\.0\.1:\d+ rejected the API key/);
  assertEquals(job.steps.find((s) => s.id === "upload")!.outcome, "skipped");
  assertEquals(result.artifacts, []);
  // The check says the report failed rather than hang pending.
  assertEquals(result.statuses.map((s) => s.state), ["pending", "error"]);
  assertEquals(
    result.statuses[1]!.description,
    "wandb-report could not make the report: see the workflow run",
  );
});

Deno.test("workflow: a failed gate still uploads, summarises and comments, then fails the run", async () => {
  const result = await run({
    name: "issue_comment",
    payload: commentEvent({ body: "/get-runs", association: "OWNER" }),
  }, { inputs: { gate: "accuracy:min:abs=0.001", comment: true } });
  assertEquals(result.jobs.report!.result, "success");
  assertEquals(result.outputs["gate-passed"], "False");
  assertEquals(result.artifacts.length, 1);
  assertMatch(result.jobs.report!.summary, /❌ \*\*Gate failed\*\*/);
  assertMatch(
    result.jobs.report!.steps.find((s) => s.id === "report")!.log,
    /^::error::accuracy regressed/m,
  );
  assertEquals(result.jobs.publish!.result, "success");
  assertEquals(result.comments.length, 1);
  assertEquals(result.statuses.at(-1)!.state, "failure");
  assertMatch(
    result.statuses.at(-1)!.description!,
    /^gate failed: accuracy:min:abs=0\.001 \(\+1 more\); 2\/7 candidates finished/,
  );
  assertEquals(result.jobs.gate!.result, "failure");
  // Without a PR (a schedule), no comment; the status goes on the commit.
  const scheduled = await run({ name: "schedule", payload: {} }, { inputs: { sha: SHA } });
  assertEquals(scheduled.comments, []);
  assertEquals(scheduled.statuses.map((s) => [s.sha, s.state]), [[SHA, "pending"], [
    SHA,
    "success",
  ]]);
});

Deno.test("workflow: no workflow_sha (GitHub Enterprise Server) or an unreadable tool repository fails early, saying what to do", async () => {
  const schedule = { name: "schedule", payload: { schedule: "17 3 * * *" } };
  const noSha = await run(schedule, {
    job: { workflow_repository: "org/wandb-report", workflow_sha: "" },
  });
  const first = noSha.jobs.start!.steps.find((s) => s.outcome !== "skipped")!;
  assertEquals([noSha.jobs.start!.result, first.outcome], ["failure", "failure"]);
  assertMatch(
    first.log,
    /^::error::This runner does not say which commit of wandb-report is running/m,
  );
  assertEquals(noSha.artifacts, []);

  const hidden = await run(schedule, { privateRepos: ["org/wandb-report"] });
  const report = hidden.jobs.start!;
  assertEquals(report.result, "failure");
  assertEquals(hidden.jobs.report!.result, "skipped");
  const explain = report.steps.find((s) => s.name === "Explain a failed checkout of the tool")!;
  assertMatch(
    explain.log,
    /^::error::The wandb-report repository org\/wandb-report could not be checked out with this workflow's token\. Make that repository public, or pass a token that can read it as this workflow's tool-token secret\.$/m,
  );
  assertEquals(report.steps.some((s) => s.id === "chatops" && s.outcome !== "skipped"), false);

  const token = "ghp_toolreadertokenvM3kQ9z";
  const allowed = await run(schedule, {
    privateRepos: ["org/wandb-report"],
    readToken: token,
    secrets: { WANDB_API_KEY: API_KEY, "tool-token": token },
  });
  assertEquals([allowed.jobs.start!.result, allowed.jobs.report!.result], ["success", "success"]);
});
