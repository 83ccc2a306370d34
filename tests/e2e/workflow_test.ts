// The reusable workflow's steps, run under bash by a simulated runner against
// the W&B emulator and the GitHub GraphQL server, with real webhook payloads.
import { parse as parseCsv } from "csv-parse/sync";
import { startEmulator } from "../../lib/emulator/server.ts";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { commentEvent, EXAMPLE_REPO, exampleEvent, workflowRunEvent } from "../_events.ts";
import {
  type FakeComment,
  type FakeCommit,
  type FakeStatus,
  type GithubServer,
  startGithubServer,
} from "../_github_server.ts";
import { API_KEY, OTHER_SHA, run as fixtureRun, SHA, testFixture } from "../_helpers.ts";
import { runWorkflow, type WorkflowRun } from "../_runner.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const TOKEN = "ghs_workflowtoken5Jd8Qe2Rt7Yu1Io4Pa9Sd";
const DEFAULT_BRANCH = "0123456789abcdef0123456789abcdef01234567";
const FORK_HEAD = "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0";

/** What a caller of the examples' shape grants (see examples/chatops.yml). */
const PR_CALLER = { contents: "read", "pull-requests": "write", statuses: "write" };

/**
 * The token GitHub gives a job for its effective permissions: one per
 * combination of the two scopes that matter here, so the fake can tell what
 * each job may do (and tests can see which job wrote).
 */
function tokenFor(permissions: Record<string, string>): string {
  return `ghs_pr-${permissions["pull-requests"] ?? "none"}_st-${permissions.statuses ?? "none"}`;
}

const TOKENS = Object.fromEntries(
  ["none", "read", "write"].flatMap((pr) =>
    ["none", "read", "write"].map((st) => [
      tokenFor({ "pull-requests": pr, statuses: st }),
      { login: "github-actions[bot]", write: pr === "write", statuses: st === "write" },
    ])
  ),
);

async function run(
  event: { name: string; payload: unknown },
  opts: {
    inputs?: Record<string, unknown>;
    secrets?: Record<string, string>;
    job?: Record<string, string>;
    privateRepos?: string[];
    readToken?: string;
    baseRefOid?: string;
    commits?: FakeCommit[];
    permissions?: Record<string, string>;
    fixture?: ReturnType<typeof testFixture>;
    github?: GithubServer;
  } = {},
): Promise<WorkflowRun & { comments: FakeComment[]; statuses: FakeStatus[] }> {
  const emulator = await startEmulator({ fixture: opts.fixture ?? testFixture() });
  const github = opts.github ?? await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [
      { number: 7, headRefOid: SHA, headRefName: "feature/aug", baseRefOid: opts.baseRefOid },
      { number: 8, headRefOid: FORK_HEAD, headRefName: "patch-1", fork: "outsider/Hello-World" },
    ],
    tokens: { ...TOKENS, [TOKEN]: { login: "github-actions[bot]", write: true } },
    commits: opts.commits,
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
        "app-url": "https://wandb.ai",
        ...opts.inputs,
      },
      secrets: opts.secrets ?? { WANDB_API_KEY: API_KEY },
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_WORKFLOW: "W&B",
      },
      job: opts.job,
      privateRepos: opts.privateRepos,
      readToken: opts.readToken,
      permissions: opts.permissions ?? PR_CALLER,
      tokenFor,
    });
    return { ...result, comments: [...github.comments], statuses: [...github.statuses] };
  } finally {
    if (!opts.github) await github.close();
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

Deno.test("workflow: baseline: base compares with the PR's base commit; /get-runs wait=… reaches the report", async () => {
  const result = await run({
    name: "issue_comment",
    payload: commentEvent({ body: "/get-runs wait=1s", association: "MEMBER" }),
  }, { inputs: { baseline: "base", "baseline-tags": "" }, baseRefOid: OTHER_SHA });
  const job = result.jobs.report!;
  assertEquals(job.result, "success", job.steps.map((s) => `${s.id}: ${s.log}`).join("\n"));
  const chatops = result.jobs.start!.steps.find((s) => s.id === "chatops")!;
  assertEquals([chatops.outputs.BASE_SHA, chatops.outputs.WAIT], [OTHER_SHA, "1s"]);
  assertEquals(result.statuses[0]!.description, "waiting for training");
  const report = job.steps.find((s) => s.id === "report")!;
  assertEquals(report.env.INPUT_BASELINE_SHA, OTHER_SHA);
  // The wait job waited (showing it in the PR); the report job did not wait again.
  const wait = result.jobs.wait!;
  assertEquals(wait.result, "success", wait.steps.map((s) => `${s.id}: ${s.log}`).join("\n"));
  const waited = wait.steps.find((s) => s.env.INPUT_PROGRESS_ONLY === "true")!;
  assertEquals(waited.env.INPUT_WAIT, "1s");
  assertMatch(
    waited.log,
    /note: waited 1s \(--wait 1s\): 2 candidate\(s\) still running or pending|::notice::waited 1s/,
  );
  assertMatch(waited.log, /^wait over: /m);
  assertEquals(report.env.INPUT_WAIT, "");
  assertEquals(result.outputs["num-baselines"], "2");
  assertMatch(
    report.log,
    new RegExp(`baselines: {2}2 \\(runs that are logged for commit ${OTHER_SHA}\\)`),
  );
});

Deno.test("workflow: a repository_dispatch when training ends reports on the commit's PR (examples/on-training-end.yml)", async () => {
  // The payload GitHub delivers for POST /repos/{owner}/{repo}/dispatches with
  // {"event_type": "wandb-run-finished", "client_payload": {"sha": …}}, as the
  // README's training-end snippet sends it.
  const dispatch = (client_payload: Record<string, unknown>) => ({
    name: "repository_dispatch",
    payload: {
      ...(exampleEvent("repository_dispatch") as Record<string, unknown>),
      action: "wandb-run-finished",
      client_payload,
    },
  });
  const result = await run(dispatch({ sha: SHA }));
  const chatops = result.jobs.start!.steps.find((s) => s.id === "chatops")!;
  assertEquals([chatops.outputs.SHA, chatops.outputs.PULL_REQUEST_NUMBER], [SHA, "7"]);
  assertEquals(result.jobs.report!.result, "success");
  assertEquals(result.jobs.wait?.result ?? "skipped", "skipped");
  assertEquals(result.comments.map((c) => c.pr), [7]);
  assertMatch(result.comments[0]!.body, /^<!-- wandb-report key=acme\/vision workflow=W&B -->/);
  assertEquals(result.statuses.map((s) => [s.sha, s.state]), [[SHA, "pending"], [SHA, "success"]]);

  // What a W&B Automation can send (its documented variables name the
  // project, not the run): no commit, so the default branch's head is reported.
  const automation = await run(dispatch({
    project: "acme/vision",
    event: "RUN_FINISHED",
    author: "ana",
  }));
  const noSha = automation.jobs.start!.steps.find((s) => s.id === "chatops")!;
  assertEquals([noSha.outputs.SHA, noSha.outputs.PULL_REQUEST_NUMBER], [DEFAULT_BRANCH, ""]);
  assertEquals(automation.jobs.report!.result, "success");
  assertEquals(automation.comments, []);
});

Deno.test("workflow: the status goes on the PR head for pull_request and for workflow_run, forks included", async () => {
  const pr = exampleEvent("pull_request", "opened") as {
    number: number;
    pull_request: { head: { sha: string } };
  };
  pr.number = 7;
  pr.pull_request.head.sha = SHA;
  const onPr = await run({ name: "pull_request", payload: pr });
  assertEquals(onPr.statuses.map((s) => [s.sha, s.state]), [[SHA, "pending"], [SHA, "success"]]);
  assertEquals(onPr.comments.length, 1);

  // A fork's PR: GitHub names no PR in the event; the start job finds #8 by its head.
  const fork = await run({
    name: "workflow_run",
    payload: workflowRunEvent({ headSha: FORK_HEAD, fork: "outsider/Hello-World" }),
  });
  assertEquals(fork.jobs.report!.result, "success");
  assertEquals([fork.outputs.sha, fork.outputs["pr-number"]], [FORK_HEAD, "8"]);
  // No run of the fork's head yet: the check waits for training (pending), never fails.
  assertEquals(fork.statuses.map((s) => [s.sha, s.state, s.description]), [
    [FORK_HEAD, "pending", "fetching the runs from W&B"],
    [FORK_HEAD, "pending", "waiting for training: no run of f0f0f0f yet"],
  ]);
  assertEquals(fork.outputs["gate-verdict"], "pending");
  assertEquals(fork.comments.map((c) => c.pr), [8]);
  // No job checked out anything but the tool (the PR's code is never fetched).
  for (const job of Object.values(fork.jobs)) {
    for (const step of job.steps.filter((s) => s.log.startsWith("checkout "))) {
      assertEquals(step.log, `checkout org/wandb-report@${"f".repeat(40)}`);
    }
  }

  // A branch of this repository: the event names the PR.
  const same = await run({
    name: "workflow_run",
    payload: workflowRunEvent({
      headSha: SHA,
      pullRequests: [{ number: 7, head: SHA, base: OTHER_SHA }],
    }),
  });
  assertEquals([same.outputs["pr-number"], same.comments.map((c) => c.pr)], ["7", [7]]);
  assertEquals(same.statuses.map((s) => [s.sha, s.state]), [[SHA, "pending"], [SHA, "success"]]);

  // No open PR has the commit: a note, no comment, the status still on the SHA.
  const push = await run({
    name: "workflow_run",
    payload: workflowRunEvent({ headSha: OTHER_SHA }),
  });
  assertEquals([push.outputs["pr-number"], push.comments], ["", []]);
  assertEquals(push.statuses.map((s) => [s.sha, s.state]), [
    [OTHER_SHA, "pending"],
    [OTHER_SHA, "success"],
  ]);
  assertMatch(
    push.jobs.start!.steps.find((s) => s.id === "chatops")!.log,
    /::notice::no open pull request has head 2{7}/,
  );
});

Deno.test("workflow: only the jobs that set a status hold statuses: write; the report job may only read", async () => {
  const result = await run({
    name: "issue_comment",
    payload: commentEvent({ body: "/get-runs", association: "MEMBER" }),
  });
  // Each status was set with the token of a job that declares no permissions
  // (start, publish: the caller's grant); the report job's token can write nothing.
  const callerToken = tokenFor(PR_CALLER);
  assertEquals(result.statuses.map((s) => s.token), [callerToken, callerToken]);
  const reportStep = result.jobs.report!.steps.find((s) => s.id === "report")!;
  // The report step's token (for commit history) is the job's own: contents: read, no write.
  assertEquals(reportStep.env.GITHUB_TOKEN, tokenFor({ contents: "read" }));
  // A nightly caller that grants only contents: read (and status: false) starts and reports.
  const nightly = await run({ name: "schedule", payload: {} }, {
    inputs: { sha: SHA, status: false },
    permissions: { contents: "read" },
  });
  assertEquals([nightly.jobs.report!.result, nightly.statuses], ["success", []]);
  // One that grants less than a called job asks is refused at startup, as on GitHub.
  let refused = "";
  await run({ name: "schedule", payload: {} }, { permissions: {} }).catch((e) =>
    refused = String(e)
  );
  assertMatch(refused, /GitHub would not start the workflow: job caller grants contents: none/);
});

Deno.test("workflow: comment-mode across three successive runs on one PR", async () => {
  const comment = { name: "issue_comment", payload: commentEvent({ body: "/get-runs" }) };
  // Every candidate has ended: the verdict is the gate's alone.
  const ended = () => {
    const fixture = testFixture();
    for (const r of fixture.projects![0]!.runs!) {
      if (r.state === "running" || r.state === "pending") r.state = "finished";
    }
    return fixture;
  };
  const passing = ended();
  const failing = ended();
  failing.projects![0]!.runs!.push(
    ...testFixture().projects![0]!.runs!.filter((r) => r.name === "cand0001").map((r) => ({
      ...r,
      name: "cand0099",
      summaryMetrics: { ...r.summaryMetrics, accuracy: 0.1 },
    })),
  );
  const steps = (mode: string, fixtures: ReturnType<typeof testFixture>[]) =>
    withGithubServer(async (github) => {
      const said: string[] = [];
      for (const fixture of fixtures) {
        const result = await run(comment, {
          github,
          fixture,
          inputs: { "comment-mode": mode, gate: "accuracy:max:abs=0.2:missing=pass" },
        });
        const post = result.jobs.publish!.steps.find((s) =>
          s.name === "Create or update the report comment"
        )!;
        said.push(
          post.outcome === "skipped"
            ? "skipped"
            : post.log.match(/comment (created|updated)|comment left as it is|no comment/)?.[0] ??
              post.log,
        );
      }
      return { said, comments: github.comments.length };
    });
  // The four modes are four PRs of their own (a GitHub server each): run side by side.
  const [always, changes, failures, off] = await Promise.all([
    steps("always", [passing, passing, failing]),
    steps("changes", [passing, passing, failing]),
    steps("failures", [passing, failing, passing]),
    steps("off", [passing, failing, passing]),
  ]);
  assertEquals(always, {
    said: ["comment created", "comment updated", "comment updated"],
    comments: 1,
  });
  assertEquals(changes, {
    said: ["comment created", "comment left as it is", "comment updated"],
    comments: 1,
  });
  assertEquals(failures, {
    said: ["no comment", "comment created", "comment updated"],
    comments: 1,
  });
  assertEquals(off, { said: ["skipped", "skipped", "skipped"], comments: 0 });
  // An unknown mode: one ::error:: naming the input, before any request.
  await withGithubServer(async (github) => {
    const bad = await run(comment, { github, inputs: { "comment-mode": "loud" } });
    const chatops = bad.jobs.start!.steps.find((s) => s.id === "chatops")!;
    assertEquals(chatops.outcome, "failure");
    assertMatch(
      chatops.log,
      /^::error::INPUT_COMMENT_MODE: expected always, changes, failures, off/m,
    );
    assertEquals([bad.jobs.report!.result, github.requests], ["skipped", []]);
  });
});

async function withGithubServer<T>(fn: (github: GithubServer) => Promise<T>): Promise<T> {
  const github = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature/aug" }],
    tokens: { ...TOKENS, [TOKEN]: { login: "github-actions[bot]", write: true } },
  });
  try {
    return await fn(github);
  } finally {
    await github.close();
  }
}

Deno.test("workflow: baseline: merge-base with a search reports against where the PR branched", async () => {
  // main: ROOT ← OTHER_SHA (runs) ← STALE (no runs) = the base tip; the PR branched from OTHER_SHA.
  const stale = "5".repeat(40);
  const root = "6".repeat(40);
  const commits: FakeCommit[] = [
    { sha: SHA, parents: [OTHER_SHA], date: "2026-11-30T03:00:00Z" },
    { sha: stale, parents: [OTHER_SHA], date: "2026-11-30T02:00:00Z" },
    { sha: OTHER_SHA, parents: [root], date: "2026-11-29T00:00:00Z" },
    { sha: root, parents: [], date: "2026-11-28T00:00:00Z" },
  ];
  const result = await run(
    { name: "issue_comment", payload: commentEvent({ body: "/get-runs", association: "MEMBER" }) },
    {
      inputs: { baseline: "merge-base", "baseline-search": 5, trend: 5, "baseline-tags": "" },
      baseRefOid: stale,
      commits,
    },
  );
  const start = result.jobs.start!.steps.find((s) => s.id === "chatops")!;
  assertEquals(start.outputs.MERGE_BASE_SHA, OTHER_SHA, start.log);
  const report = result.jobs.report!.steps.find((s) => s.id === "report")!;
  assertEquals(report.outcome, "success", report.log);
  assertEquals(report.env.INPUT_BASELINE_SHA, OTHER_SHA);
  assertEquals(result.outputs["baseline-sha"], OTHER_SHA);
  assertEquals(result.outputs["num-baselines"], "2");
  assertMatch(report.log, new RegExp(`runs logged for commit ${OTHER_SHA.slice(0, 12)}`));
  // The trend reached the report too (the markdown's trend section).
  assertMatch(
    result.jobs.report!.summary,
    /Trend: the mean per commit of the base branch \(1 commit with runs\)/,
  );
  // Without a PR (a schedule) there is no merge base: no search, no error.
  const nightly = await run({ name: "schedule", payload: {} }, {
    inputs: { baseline: "merge-base", "baseline-search": 5, sha: SHA },
    commits,
  });
  assertEquals(nightly.jobs.report!.result, "success");
  assertEquals(nightly.outputs["baseline-sha"], "");
});

Deno.test("workflow: a matrix of three legs (examples/matrix.yml) gives one comment and one check; a missing leg is named", async () => {
  const pr = exampleEvent("pull_request", "opened") as {
    number: number;
    pull_request: { head: { sha: string } };
  };
  pr.number = 7;
  pr.pull_request.head.sha = SHA;
  (pr.pull_request as { number?: number }).number = 7;
  // Three projects: vision and qa improve, ner regresses.
  const project = (name: string, candidate: number) => ({
    entity: "acme",
    name,
    runs: [
      fixtureRun("base0001", "finished", {
        sha: OTHER_SHA,
        tags: ["baseline"],
        metrics: { accuracy: 0.9 },
      }),
      fixtureRun("cand0001", "finished", { sha: SHA, metrics: { accuracy: candidate } }),
      fixtureRun("cand0002", "finished", { sha: SHA, metrics: { accuracy: candidate + 0.001 } }),
    ],
  });
  const fixture = {
    apiKeys: [API_KEY],
    projects: [project("vision", 0.92), project("ner", 0.7), project("qa", 0.93)],
  };
  const emulator = await startEmulator({ fixture });
  const github = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature/aug" }],
    tokens: { ...TOKENS, [TOKEN]: { login: "github-actions[bot]", write: true } },
  });
  const env = {
    GITHUB_API_URL: github.url,
    GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_WORKFLOW: "W&B matrix",
  };
  const githubContext = {
    event_name: "pull_request",
    event: pr,
    sha: DEFAULT_BRANCH,
    repository: EXAMPLE_REPO,
    token: TOKEN,
  };
  const legs = async (projects: string[]) => {
    const artifacts: WorkflowRun["artifacts"] = [];
    for (const name of projects) {
      const leg = await runWorkflow({
        workflow: await Deno.readTextFile(`${ROOT}/.github/workflows/wandb-report.yml`),
        toolDir: ROOT,
        github: githubContext,
        inputs: {
          project: `acme/${name}`,
          "report-key": `acme/${name}`,
          "baseline-tags": "baseline",
          gate: "accuracy:max:abs=0.01",
          publish: false,
          "base-url": emulator.url,
        },
        secrets: { WANDB_API_KEY: API_KEY },
        env,
        permissions: { contents: "read" },
        tokenFor,
        artifacts,
      });
      assertEquals(leg.jobs.report!.result, "success", name);
      // A leg publishes nothing and fails nothing: the merge decides.
      assertEquals([leg.jobs.publish!.result, leg.jobs.gate!.result], ["skipped", "skipped"], name);
    }
    return artifacts;
  };
  const merge = async (artifacts: WorkflowRun["artifacts"], inputs: Record<string, unknown>) =>
    await runWorkflow({
      workflow: await Deno.readTextFile(`${ROOT}/.github/workflows/wandb-report-merge.yml`),
      toolDir: ROOT,
      github: githubContext,
      inputs,
      secrets: {},
      env,
      permissions: { contents: "read", "pull-requests": "write", statuses: "write" },
      tokenFor,
      artifacts,
    });
  try {
    const artifacts = await legs(["vision", "ner", "qa"]);
    assertEquals(artifacts.map((a) => a.name).filter((n) => n.startsWith("wandb-report-leg-")), [
      "wandb-report-leg-acme-vision",
      "wandb-report-leg-acme-ner",
      "wandb-report-leg-acme-qa",
    ]);
    assertEquals([github.comments.length, github.statuses.length], [0, 0]);
    const merged = await merge(artifacts, {
      expect: "acme/vision, acme/ner, acme/qa",
      "legs-result": "success",
    });
    // The merge fails the run on the verdict, after the comment and the status.
    assertEquals(merged.jobs.merge!.result, "failure");
    assertEquals([merged.outputs["gate-verdict"], merged.outputs["num-legs"]], ["failed", "3"]);
    assertEquals(github.comments.length, 1);
    const body = github.comments[0]!.body;
    assertMatch(body, /^<!-- wandb-report key=matrix workflow=W&B matrix -->/);
    assertMatch(body, /❌ \*\*Gate failed\*\*: 1 of 3 legs failed \(acme\/ner\)/);
    assertEquals(github.statuses.map((s) => [s.sha, s.context, s.state]), [
      [SHA, "wandb-report/matrix", "failure"],
    ]);
    assertMatch(github.statuses[0]!.description!, /^gate failed: acme\/ner \(3 legs\)$/);
    // A leg that failed before reporting: two artifacts, three expected.
    const two = await legs(["vision", "qa"]);
    const partial = await merge(two, {
      expect: "acme/vision, acme/ner, acme/qa",
      "legs-result": "failure",
    });
    assertEquals(partial.jobs.merge!.result, "failure");
    const updated = github.comments[0]!.body;
    assertEquals(github.comments.length, 1, "the one sticky comment, updated");
    assertMatch(updated, /2 of 3 legs reported; acme\/ner failed before reporting/);
    // Two matrices in one caller run download together: a merge given `legs` reads only its own.
    const own = await merge(artifacts, {
      legs: "acme/{vision,qa}",
      "report-key": "vision-qa",
      "legs-result": "success",
    });
    assertEquals(own.jobs.merge!.result, "success");
    assertEquals([own.outputs["gate-verdict"], own.outputs["num-legs"]], ["passed", "2"]);
    assertEquals(github.statuses.map((s) => [s.sha, s.context, s.state]).at(-1), [
      SHA,
      "wandb-report/vision-qa",
      "success",
    ]);
    assertEquals(github.comments.length, 2, "its own sticky comment, beside the matrix's");
    assert(!github.comments[1]!.body.includes("acme/ner"), "the other matrix's leg is not in it");
  } finally {
    await github.close();
    await emulator.close();
  }
});

Deno.test("workflow: /accept-regression turns a failed head's check to success; the next /get-runs keeps it, without failing the run", async () => {
  const github = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature/aug" }],
    tokens: { ...TOKENS, [TOKEN]: { login: "github-actions[bot]", write: true } },
  });
  try {
    const getRuns = { name: "issue_comment", payload: commentEvent({ body: "/get-runs" }) };
    const gate = { inputs: { gate: "accuracy:min:abs=0.001" }, github };
    const failed = await run(getRuns, gate);
    assertEquals(failed.jobs.gate!.result, "failure");
    assertEquals(failed.statuses.at(-1)!.state, "failure");
    assertEquals(failed.jobs.accept!.result, "skipped");

    const accept = await run({
      name: "issue_comment",
      payload: commentEvent({
        body: "/accept-regression 3x smaller model",
        association: "MEMBER",
        login: "bob",
      }),
    }, gate);
    // Only the accept job ran: no report, no W&B key anywhere.
    assertEquals(
      Object.entries(accept.jobs).filter(([, j]) => j.result !== "skipped").map(([id]) => id),
      ["accept"],
    );
    assertEquals(accept.outputs["gate-verdict"], "accepted");
    assertEquals(
      accept.jobs.accept!.steps.some((s) => Object.values(s.env).includes(API_KEY)),
      false,
    );
    assertEquals(
      [accept.statuses.at(-1)!.state, accept.statuses.at(-1)!.description],
      ["success", "regression accepted by @bob for 1111111"],
    );

    const again = await run(getRuns, gate);
    assertEquals(again.statuses.at(-1)!.state, "success");
    assertEquals(again.jobs.gate!.result, "skipped");
    assertEquals(again.outputs["gate-verdict"], "accepted");
    assertMatch(again.comments.at(-1)!.body, /Regression accepted\*\* by @bob/);
  } finally {
    await github.close();
  }
});

Deno.test("workflow: a merge_group (GitHub's own payload) gets our check from its PRs' verdicts, with no W&B", async () => {
  const event = exampleEvent("merge_group", "checks_requested") as {
    merge_group: { head_sha: string };
  };
  const group = event.merge_group.head_sha;
  const context = "wandb-report/acme/vision";
  for (
    const [state, expected] of [["success", "success"], ["failure", "failure"]] as const
  ) {
    const github = await startGithubServer({
      repo: EXAMPLE_REPO,
      pulls: [{ number: 104, headRefOid: SHA, headRefName: "feature/aug" }],
      tokens: { ...TOKENS, [TOKEN]: { login: "github-actions[bot]", write: true } },
      statuses: [{ sha: SHA, context, state }],
    });
    try {
      const result = await run({ name: "merge_group", payload: event }, { github });
      assertEquals(
        Object.entries(result.jobs).filter(([, j]) => j.result !== "skipped").map(([id]) => id),
        ["queue"],
      );
      assertEquals(result.jobs.queue!.result, expected === "success" ? "success" : "failure");
      const set = result.statuses.filter((s) => s.sha === group);
      assertEquals(set.map((s) => [s.context, s.state]), [[context, expected]]);
      assertMatch(set[0]!.description!, expected === "success" ? /#104 passed/ : /#104 is failure/);
    } finally {
      await github.close();
    }
  }
});

Deno.test("workflow: a scheduled sweep lists the waiting PRs without the key, reports read-only, delivers without the key", async () => {
  const context = "wandb-report/acme/vision";
  const github = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [
      { number: 7, headRefOid: SHA, headRefName: "feature/aug" },
      { number: 8, headRefOid: OTHER_SHA, headRefName: "b" },
      { number: 9, headRefOid: FORK_HEAD, headRefName: "patch-1", fork: "outsider/Hello-World" },
    ],
    tokens: { ...TOKENS, [TOKEN]: { login: "github-actions[bot]", write: true } },
    statuses: [{ sha: OTHER_SHA, context, state: "success", description: "gate passed" }],
  });
  try {
    const result = await run({ name: "schedule", payload: {} }, {
      inputs: { sweep: 5, gate: "accuracy:max:abs=0.05" },
      github,
    });
    assertEquals(
      Object.entries(result.jobs).filter(([, j]) => j.result !== "skipped").map(([id, j]) =>
        `${id}:${j.result}`
      ),
      ["waiting:success", "sweep:success", "sweep-publish:success"],
    );
    assertEquals([result.outputs.swept, result.outputs.remaining], ["2", "0"]);
    // #7 gets its verdict, #9 (no run yet) stays pending; #8 had one and was left alone.
    assertEquals(result.statuses.filter((s) => s.token !== "").map((s) => [s.sha, s.state]), [
      [SHA, "success"],
      [FORK_HEAD, "pending"],
    ]);
    assertEquals(result.comments.map((c) => c.pr), [7, 9]);
    // The key is only in the read-only sweep job; the others write without it.
    for (const [id, job] of Object.entries(result.jobs)) {
      const holds = job.steps.some((s) => Object.values(s.env).includes(API_KEY));
      assertEquals(holds, id === "sweep", id);
    }
    const sweepStep = result.jobs.sweep!.steps.find((s) => s.env.INPUT_PULLS !== undefined)!;
    assertEquals(sweepStep.env.INPUT_PULLS, `7=${SHA},9=${FORK_HEAD}`);
    assertEquals(sweepStep.env.GITHUB_TOKEN, undefined);
  } finally {
    await github.close();
  }
});
