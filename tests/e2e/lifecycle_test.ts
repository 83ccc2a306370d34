// A PR's check after the report: accepting a regression on purpose
// (/accept-regression, kept by later reports on the same head, never carried
// to a new push) and the merge queue's verdict on a merge group (GitHub's own
// merge_group example payload), on the fake GitHub and the emulator.
import { runAcceptCli, runCommentCli, runQueueCli, runStatusCli } from "../../lib/cli/mod.ts";
import { readAcceptance } from "../../lib/ground/marker.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { commentEvent, EXAMPLE_REPO, exampleEvent } from "../_events.ts";
import { type GithubServer, startGithubServer } from "../_github_server.ts";
import { OTHER_SHA, PROJECT, runCli, SHA, withEmulator } from "../_helpers.ts";
import { env, WRITER } from "../_pr.ts";

const CONTEXT = "wandb-report/acme/vision";
/** A report that fails on SHA: the NaN loss of a finished candidate is a missing value. */
const FAILING = ["--metrics", "accuracy,loss", "--baseline-tags", "baseline", "--gate", "loss:min"];

async function withPr<T>(
  fn: (server: GithubServer) => Promise<T>,
  extra: Partial<Parameters<typeof startGithubServer>[0]> = {},
): Promise<T> {
  const server = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature" }],
    tokens: { [WRITER]: { login: "github-actions[bot]", write: true } },
    ...extra,
  });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** Runs a command door in a temp dir with the event written where the runner puts it. */
async function runStep(
  door: typeof runAcceptCli,
  server: GithubServer,
  args: string[],
  event: { name: string; payload: unknown },
  extraEnv: Record<string, string> = {},
) {
  const dir = await Deno.makeTempDir({ prefix: "wandb-report-lifecycle-" });
  try {
    await Deno.writeTextFile(`${dir}/event.json`, JSON.stringify(event.payload));
    await Deno.writeTextFile(`${dir}/output`, "");
    let stderr = "";
    const code = await door(args, {
      env: {
        ...env(server),
        GITHUB_EVENT_NAME: event.name,
        GITHUB_EVENT_PATH: `${dir}/event.json`,
        GITHUB_OUTPUT: `${dir}/output`,
        ...extraEnv,
      },
      stdout: () => {},
      stderr: (t) => (stderr += t),
      deps: { baseDelayMs: 1, now: () => Date.parse("2026-12-07T10:00:00Z") },
    });
    const outputs = Object.fromEntries(
      (await Deno.readTextFile(`${dir}/output`)).split("\n").filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    return { code, stderr, outputs };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A `/accept-regression` comment on PR #7 (opened by ana) by `login`. */
function acceptEvent(body: string, login: string, association: string) {
  const payload = commentEvent({ body, login, association }) as {
    issue: { user: { login: string } };
  };
  payload.issue.user.login = "ana";
  return { name: "issue_comment", payload };
}

const ACCEPT = ["--report-key", "acme/vision", "--workflow", "CI"];
const KEY = ["--report-key", "acme/vision"];

Deno.test("accept: a collaborator turns a failed check to success, recorded; the next report on that head keeps it", async () => {
  await withEmulator({}, async (emulator) => {
    await withPr(async (server) => {
      const report = () =>
        runCli(emulator, [
          ...PROJECT,
          "--sha",
          SHA,
          ...FAILING,
          "--status",
          "--comment",
          "--pr-number",
          "7",
        ], { env: env(server) });
      const failed = await report();
      assertEquals(failed.code, 1, failed.stderr);
      assertEquals(server.statuses.at(-1)!.state, "failure");

      const accepted = await runStep(
        runAcceptCli,
        server,
        ACCEPT,
        acceptEvent("/accept-regression smaller model, 2x faster", "bob", "COLLABORATOR"),
      );
      assertEquals(accepted.code, 0, accepted.stderr);
      assertEquals(accepted.outputs.GATE_VERDICT, "accepted");
      assertEquals([accepted.outputs.ACCEPTED_BY, accepted.outputs.ACCEPTED_SHA], ["bob", SHA]);
      const status = server.statuses.at(-1)!;
      assertEquals([status.sha, status.context, status.state, status.description], [
        SHA,
        CONTEXT,
        "success",
        "regression accepted by @bob for 1111111",
      ]);
      // The sticky comment, still one, records it visibly and in its hidden state.
      const ours = server.comments.filter((c) => c.author === "github-actions[bot]");
      assertEquals(ours.length, 1);
      assertStringIncludes(
        ours[0]!.body,
        "> ✅ **Regression accepted** by @bob for `1111111` on 2026-12-07 10:00 UTC: " +
          "smaller model, 2x faster",
      );
      assertEquals(readAcceptance(ours[0]!.body), {
        sha: SHA,
        by: "bob",
        at: "2026-12-07T10:00:00Z",
        reason: "smaller model, 2x faster",
      });
      assertStringIncludes(ours[0]!.body, "Gate failed"); // the report stays under it

      // The same head reported again (a sweep, /get-runs): the acceptance holds.
      const again = await report();
      assertEquals(again.code, 0, again.stderr);
      assertEquals(again.outputs.GATE_VERDICT, "accepted");
      assertEquals(server.statuses.at(-1)!.state, "success");
      assertEquals(server.statuses.at(-1)!.description, "regression accepted by @bob for 1111111");
      assertEquals(readAcceptance(server.comments.at(-1)!.body)?.by, "bob");
    });
  });
});

Deno.test("accept: the workflow's publish steps keep it on that head; a new push gets a fresh verdict", async () => {
  await withEmulator({}, async (emulator) => {
    await withPr(async (server) => {
      const rendered = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        SHA,
        ...FAILING,
        "--format",
        "markdown",
      ], { env: { GITHUB_WORKFLOW: "CI" } });
      const dir = await Deno.makeTempDir();
      try {
        await Deno.writeTextFile(`${dir}/report.md`, rendered.stdout);
        const publish = async (sha: string) => {
          const comment = await runStep(runCommentCli, server, [
            "--body-file",
            `${dir}/report.md`,
            "--pr-number",
            "7",
            "--sha",
            sha,
          ], { name: "pull_request", payload: {} });
          assertEquals(comment.code, 0, comment.stderr);
          return await runStep(runStatusCli, server, [
            "--sha",
            sha,
            "--state",
            "failure",
            "--description",
            "gate failed: loss:min",
            "--report-key",
            "acme/vision",
            "--pr-number",
            "7",
            "--workflow",
            "CI",
          ], { name: "pull_request", payload: {} });
        };
        await publish(SHA);
        await runStep(
          runAcceptCli,
          server,
          ACCEPT,
          acceptEvent("/accept-regression deliberate trade", "bob", "MEMBER"),
        );
        const kept = await publish(SHA);
        assertEquals(kept.outputs.BOOL_ACCEPTED, "True");
        assertEquals(server.statuses.at(-1)!.state, "success");
        assertEquals(readAcceptance(server.comments.at(-1)!.body)?.sha, SHA);
        // A new push: the same failing report on another head is a failure again.
        const fresh = await publish(OTHER_SHA);
        assertEquals(fresh.outputs.BOOL_ACCEPTED, "False");
        assertEquals(
          server.statuses.at(-1)!.sha + server.statuses.at(-1)!.state,
          `${OTHER_SHA}failure`,
        );
        assertEquals(readAcceptance(server.comments.at(-1)!.body), undefined);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  });
});

Deno.test("accept: a stranger, the PR's own author, or no reason: one short reply, nothing changes", async () => {
  await withPr(async (server) => {
    const stranger = await runStep(
      runAcceptCli,
      server,
      ACCEPT,
      acceptEvent("/accept-regression trust me", "mallory", "NONE"),
    );
    assertEquals([stranger.code, stranger.outputs.BOOL_ACCEPTED], [0, "False"]);
    assertEquals(server.statuses, []);
    assertEquals(server.comments.length, 1);
    assertMatch(server.comments[0]!.body, /@mallory: only OWNER, MEMBER, COLLABORATOR may accept/);

    const author = await runStep(
      runAcceptCli,
      server,
      ACCEPT,
      acceptEvent("/accept-regression mine is fine", "ana", "MEMBER"),
    );
    assertEquals(author.outputs.BOOL_ACCEPTED, "False");
    assertEquals(server.statuses, []);
    // The one reply is updated in place, never a pile of replies.
    assertEquals(server.comments.length, 1);
    assertMatch(server.comments[0]!.body, /@ana: a regression on your own pull request/);

    const noReason = await runStep(
      runAcceptCli,
      server,
      ACCEPT,
      acceptEvent("/accept-regression", "bob", "COLLABORATOR"),
    );
    assertEquals(noReason.outputs.BOOL_ACCEPTED, "False");
    assertMatch(server.comments[0]!.body, /@bob: say why, on the same line/);
    assertEquals(server.statuses, []);

    // The author may when the input allows it.
    const allowed = await runStep(
      runAcceptCli,
      server,
      ACCEPT,
      acceptEvent("/accept-regression known trade-off", "ana", "CONTRIBUTOR"),
      { INPUT_ACCEPT_OWN: "true" },
    );
    assertEquals(allowed.outputs.BOOL_ACCEPTED, "True", allowed.stderr);
    assertEquals(server.statuses.map((s) => [s.sha, s.state]), [[SHA, "success"]]);

    // A comment that does not start a line with the phrase is no accept at all.
    const other = await runStep(
      runAcceptCli,
      server,
      ACCEPT,
      acceptEvent("please /accept-regression this", "bob", "COLLABORATOR"),
    );
    assertEquals([other.code, other.outputs.BOOL_ACCEPTED], [0, "False"]);
    assertEquals(server.statuses.length, 1);
  });
});

Deno.test("accept: the reason is escaped in the comment and never printed; the status names only who", async () => {
  await withPr(async (server) => {
    const result = await runStep(
      runAcceptCli,
      server,
      ACCEPT,
      acceptEvent("/accept-regression <img src=x> ::error::boom @team -->", "bob", "OWNER"),
    );
    assertEquals(result.code, 0, result.stderr);
    const body = server.comments.at(-1)!.body;
    assert(!body.includes("<img"));
    assertStringIncludes(body, "&lt;img src=x&gt;");
    assert(!/@team/.test(body.split("\n").slice(3).join("\n")));
    assert(!result.stderr.includes("::error::boom"));
    assertEquals(server.statuses.at(-1)!.description, "regression accepted by @bob for 1111111");
    assertEquals(readAcceptance(body)?.reason, "<img src=x> ::error::boom @team -->");
  });
});

/** GitHub's own merge_group example, for a group whose queue ref names PR #104. */
function mergeGroupEvent() {
  return { name: "merge_group", payload: exampleEvent("merge_group", "checks_requested") };
}
const GROUP_HEAD = (exampleEvent("merge_group", "checks_requested") as {
  merge_group: { head_sha: string };
}).merge_group.head_sha;
const HEAD_104 = "4".repeat(40);
const HEAD_103 = "3".repeat(40);
const QUEUE = {
  pulls: [
    { number: 103, headRefOid: HEAD_103, headRefName: "a" },
    { number: 104, headRefOid: HEAD_104, headRefName: "b" },
  ],
  mergeQueue: {
    branch: "main",
    entries: [
      { position: 1, groupSha: "9".repeat(40), pr: 103 },
      { position: 2, groupSha: GROUP_HEAD, pr: 104 },
    ],
  },
};

Deno.test("queue: every PR of the group passed or was accepted: success on the group's commit, no W&B", async () => {
  await withPr(async (server) => {
    const result = await runStep(runQueueCli, server, KEY, mergeGroupEvent());
    assertEquals(result.code, 0, result.stderr);
    assertEquals(server.statuses.at(-1)!.sha, GROUP_HEAD);
    assertEquals(server.statuses.at(-1)!.state, "success");
    assertEquals(
      server.statuses.at(-1)!.description,
      "merge group: #103 passed, #104 accepted",
    );
    assertEquals(result.outputs.PULL_REQUESTS, "103,104");
  }, {
    ...QUEUE,
    statuses: [
      { sha: HEAD_103, context: CONTEXT, state: "success", description: "gate passed" },
      { sha: HEAD_104, context: CONTEXT, state: "failure", description: "gate failed" },
      {
        sha: HEAD_104,
        context: CONTEXT,
        state: "success",
        description: "regression accepted by @bob for 4444444",
      },
    ],
  });
});

Deno.test("queue: a failing, waiting or verdict-less PR blocks the group, named; an unknown PR too", async () => {
  const cases: [
    string,
    { sha: string; context: string; state: string; description?: string }[],
    RegExp,
  ][] = [
    ["failing", [
      { sha: HEAD_103, context: CONTEXT, state: "failure", description: "gate failed: loss:min" },
      { sha: HEAD_104, context: CONTEXT, state: "success" },
    ], /^merge group blocked: #103 is failure on 3333333 \(gate failed: loss:min\)$/],
    ["pending", [
      { sha: HEAD_103, context: CONTEXT, state: "success" },
      { sha: HEAD_104, context: CONTEXT, state: "pending", description: "waiting for training" },
    ], /#104 is pending on 4444444/],
    ["none", [
      { sha: HEAD_103, context: CONTEXT, state: "success" },
      { sha: HEAD_104, context: "other/check", state: "success" },
    ], /#104 has no wandb-report\/acme\/vision verdict on its head 4444444/],
  ];
  for (const [name, statuses, words] of cases) {
    await withPr(async (server) => {
      const result = await runStep(runQueueCli, server, KEY, mergeGroupEvent());
      assertEquals(result.code, 1, name);
      const status = server.statuses.at(-1)!;
      assertEquals([status.sha, status.state], [GROUP_HEAD, "failure"], name);
      assertMatch(status.description!, words);
    }, { ...QUEUE, statuses });
  }
  // No queue listing and no PR #104 (closed and gone): a failure naming it, never a success.
  await withPr(async (server) => {
    const result = await runStep(runQueueCli, server, KEY, mergeGroupEvent());
    assertEquals(result.code, 1);
    assertEquals(server.statuses.at(-1)!.description, "merge group blocked: #104 not found");
    assertMatch(result.stderr, /does not list this group/);
  });
});

Deno.test("queue: not a merge_group event, or a ref that is no queue ref: one line, exit 2", async () => {
  await withPr(async (server) => {
    const wrong = await runStep(runQueueCli, server, KEY, { name: "push", payload: {} });
    assertEquals(wrong.code, 2);
    assertMatch(wrong.stderr, /GITHUB_EVENT_NAME: expected merge_group/);
    const payload = exampleEvent("merge_group", "checks_requested") as {
      merge_group: { head_ref: string };
    };
    payload.merge_group.head_ref = "refs/heads/main";
    const bad = await runStep(runQueueCli, server, KEY, { name: "merge_group", payload });
    assertEquals(bad.code, 2);
    assertMatch(bad.stderr, /merge_group\.head_ref: expected a merge queue ref/);
    assertEquals(server.statuses, []);
  });
});
