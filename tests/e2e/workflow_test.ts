// The reusable workflow's steps, run under bash by a simulated runner against
// the W&B emulator and the GitHub GraphQL server, with real webhook payloads.
import { parse as parseCsv } from "csv-parse/sync";
import { startEmulator } from "../../lib/emulator/server.ts";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { commentEvent, EXAMPLE_REPO } from "../_events.ts";
import { type FakeComment, startGithubServer } from "../_github_server.ts";
import { API_KEY, OTHER_SHA, SHA, testFixture } from "../_helpers.ts";
import { runWorkflow, type WorkflowRun } from "../_runner.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const TOKEN = "ghs_workflowtoken5Jd8Qe2Rt7Yu1Io4Pa9Sd";
const DEFAULT_BRANCH = "0123456789abcdef0123456789abcdef01234567";

async function run(
  event: { name: string; payload: unknown },
  opts: {
    inputs?: Record<string, unknown>;
    secrets?: Record<string, string>;
    job?: Record<string, string>;
    privateRepos?: string[];
    readToken?: string;
    baseRefOid?: string;
  } = {},
): Promise<WorkflowRun & { comments: FakeComment[] }> {
  const emulator = await startEmulator({ fixture: testFixture() });
  const github = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [{
      number: 7,
      headRefOid: SHA,
      headRefName: "feature/aug",
      baseRefOid: opts.baseRefOid,
    }],
    tokens: { [TOKEN]: { login: "github-actions[bot]", write: true } },
  });
  try {
    const result = await runWorkflow({
      workflow: await Deno.readTextFile(`${ROOT}/.github/workflows/wandb-report.yml`),
      toolDir: ROOT,
      github: {
        event_name: event.name,
        event: event.payload,
        sha: DEFAULT_BRANCH,
        repository: EXAMPLE_REPO,
        token: TOKEN,
      },
      inputs: {
        project: "acme/vision",
        "baseline-tags": "['baseline', 'reference']",
        metrics: "accuracy, loss",
        "base-url": emulator.url,
        ...opts.inputs,
      },
      secrets: opts.secrets ?? { WANDB_API_KEY: API_KEY },
      env: { GITHUB_GRAPHQL_URL: `${github.url}/graphql`, GITHUB_WORKFLOW: "W&B" },
      job: opts.job,
      privateRepos: opts.privateRepos,
      readToken: opts.readToken,
    });
    return { ...result, comments: github.comments };
  } finally {
    await github.close();
    await emulator.close();
  }
}

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
  // The comment job posted the report, the gate job did not run (no rules).
  assertEquals(result.jobs.comment!.result, "success");
  assertEquals(result.comments.length, 1);
  assertMatch(result.comments[0]!.body, /^<!-- wandb-report key=acme\/vision workflow=W&B -->/);
  assertEquals(result.jobs.gate!.result, "skipped");
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
    assertEquals(result.jobs.report!.result, "skipped");
    assertEquals(result.outputs.triggered, "");
    assertEquals(result.artifacts, []);
  }
});

Deno.test("workflow: the phrase mid-sentence passes the job gate but the chatops step stops it", async () => {
  const result = await run({
    name: "issue_comment",
    payload: commentEvent({ body: "please /get-runs", association: "OWNER" }),
  });
  const job = result.jobs.report!;
  assertEquals(job.result, "success");
  assertEquals(result.outputs.triggered, "False");
  assertEquals(job.steps.find((s) => s.id === "report")!.outcome, "skipped");
  assertEquals(result.artifacts, []);
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
  assertEquals(result.jobs.comment!.result, "success");
  assertEquals(result.comments.length, 1);
  assertEquals(result.jobs.gate!.result, "failure");
  // Without a PR (a schedule), no comment job runs.
  const scheduled = await run({ name: "schedule", payload: {} }, { inputs: { sha: SHA } });
  assertEquals(scheduled.jobs.comment!.result, "skipped");
});

Deno.test("workflow: no workflow_sha (GitHub Enterprise Server) or an unreadable tool repository fails early, saying what to do", async () => {
  const schedule = { name: "schedule", payload: { schedule: "17 3 * * *" } };
  const noSha = await run(schedule, {
    job: { workflow_repository: "org/wandb-report", workflow_sha: "" },
  });
  const first = noSha.jobs.report!.steps.find((s) => s.outcome !== "skipped")!;
  assertEquals([noSha.jobs.report!.result, first.outcome], ["failure", "failure"]);
  assertMatch(
    first.log,
    /^::error::This runner does not say which commit of wandb-report is running/m,
  );
  assertEquals(noSha.artifacts, []);

  const hidden = await run(schedule, { privateRepos: ["org/wandb-report"] });
  const report = hidden.jobs.report!;
  assertEquals(report.result, "failure");
  const explain = report.steps.find((s) => s.name === "Explain a failed checkout of the tool")!;
  assertMatch(
    explain.log,
    /^::error::The wandb-report repository org\/wandb-report could not be checked out with this workflow's token\. Make that repository public, or pass a token that can read it as this workflow's tool-token secret\.$/m,
  );
  assertEquals(report.steps.some((s) => s.id === "report" && s.outcome !== "skipped"), false);

  const token = "ghp_toolreadertokenvM3kQ9z";
  const allowed = await run(schedule, {
    privateRepos: ["org/wandb-report"],
    readToken: token,
    secrets: { WANDB_API_KEY: API_KEY, "tool-token": token },
  });
  assertEquals(allowed.jobs.report!.result, "success");
});

Deno.test("workflow: baseline: base compares with the PR's base commit; /get-runs wait=… reaches the report", async () => {
  const result = await run({
    name: "issue_comment",
    payload: commentEvent({ body: "/get-runs wait=1s", association: "MEMBER" }),
  }, { inputs: { baseline: "base", "baseline-tags": "" }, baseRefOid: OTHER_SHA });
  const job = result.jobs.report!;
  assertEquals(job.result, "success", job.steps.map((s) => `${s.id}: ${s.log}`).join("\n"));
  const chatops = job.steps.find((s) => s.id === "chatops")!;
  assertEquals([chatops.outputs.BASE_SHA, chatops.outputs.WAIT], [OTHER_SHA, "1s"]);
  const report = job.steps.find((s) => s.id === "report")!;
  assertEquals(report.env.INPUT_BASELINE_SHA, OTHER_SHA);
  assertEquals(report.env.INPUT_WAIT, "1s");
  assertEquals(result.outputs["num-baselines"], "2");
  assertMatch(
    report.log,
    new RegExp(`baselines: {2}2 \\(runs that are logged for commit ${OTHER_SHA}\\)`),
  );
  assertMatch(
    report.log,
    /note: waited 1s \(--wait 1s\): 2 candidate\(s\) still running or pending|::notice::waited 1s/,
  );
});
