// The reusable workflows under a simulated runner through a PR's life: a matrix
// merged, a regression accepted, a merge queue, the scheduled sweep.
import { startEmulator } from "../../lib/emulator/server.ts";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { commentEvent, EXAMPLE_REPO, exampleEvent } from "../_events.ts";
import { startGithubServer } from "../_github_server.ts";
import { API_KEY, OTHER_SHA, run as fixtureRun, SHA } from "../_helpers.ts";
import { runWorkflow, type WorkflowRun } from "../_runner.ts";
import { DEFAULT_BRANCH, FORK_HEAD, ROOT, run, TOKEN, tokenFor, TOKENS } from "./_workflow.ts";

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
