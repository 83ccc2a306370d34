// The reusable workflow under a simulated runner: the PR's check and comment —
// which commit they go on, with which baseline, who may write them, comment-mode.
import { assertEquals, assertMatch } from "../_assert.ts";
import { commentEvent, exampleEvent, workflowRunEvent } from "../_events.ts";
import type { FakeCommit } from "../_github_server.ts";
import { OTHER_SHA, SHA, testFixture } from "../_helpers.ts";
import {
  DEFAULT_BRANCH,
  FORK_HEAD,
  PR_CALLER,
  run,
  tokenFor,
  withGithubServer,
} from "./_workflow.ts";

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
