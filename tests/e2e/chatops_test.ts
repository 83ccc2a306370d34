// Chatops end to end: real webhook payloads (GitHub's examples), the CLI
// in-process, and a loopback server that executes GitHub's GraphQL schema.
import { runChatopsCli } from "../../lib/cli/mod.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotMatch,
  assertStringIncludes,
} from "../_assert.ts";
import { commentEvent, EXAMPLE_REPO, exampleEvent, workflowRunEvent } from "../_events.ts";
import { type GithubServer, startGithubServer } from "../_github_server.ts";

const TOKEN = "ghs_testtoken7Hq2Lx9Vb4Nm1Kp8Zr3Wc6Yt0";
const HEAD = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
const DEFAULT_BRANCH_SHA = "0123456789abcdef0123456789abcdef01234567";

interface ChatopsRun {
  code: number;
  stderr: string;
  stdout: string;
  outputs: Record<string, string>;
}

async function withGithub<T>(fn: (server: GithubServer) => Promise<T>): Promise<T> {
  const server = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [
      { number: 7, headRefOid: HEAD, headRefName: "feature/better-aug" },
      {
        number: 8,
        headRefOid: "1".repeat(40),
        headRefName: "patch-1",
        fork: "outsider/Hello-World",
      },
    ],
    tokens: { [TOKEN]: { login: "github-actions[bot]", write: true } },
  });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

async function chatops(
  server: GithubServer | undefined,
  eventName: string,
  payload: unknown,
  opts: { env?: Record<string, string>; args?: string[] } = {},
): Promise<ChatopsRun> {
  const dir = await Deno.makeTempDir({ prefix: "wandb-chatops-test-" });
  try {
    await Deno.writeTextFile(`${dir}/event.json`, JSON.stringify(payload));
    await Deno.writeTextFile(`${dir}/output`, "");
    let stderr = "";
    let stdout = "";
    const code = await runChatopsCli(opts.args ?? [], {
      env: {
        GITHUB_ACTIONS: "true",
        GITHUB_EVENT_NAME: eventName,
        GITHUB_EVENT_PATH: `${dir}/event.json`,
        GITHUB_REPOSITORY: EXAMPLE_REPO,
        GITHUB_SHA: DEFAULT_BRANCH_SHA,
        GITHUB_REF_NAME: "main",
        GITHUB_OUTPUT: `${dir}/output`,
        GITHUB_TOKEN: TOKEN,
        ...(server ? { GITHUB_GRAPHQL_URL: `${server.url}/graphql` } : {}),
        ...opts.env,
      },
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      deps: { baseDelayMs: 5 },
    });
    const text = await Deno.readTextFile(`${dir}/output`);
    const outputs = Object.fromEntries(
      text.split("\n").filter((l) => l.includes("=")).map((l) => [
        l.slice(0, l.indexOf("=")),
        l.slice(l.indexOf("=") + 1),
      ]),
    );
    return { code, stderr, stdout, outputs };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** No line but our own token mask may look like a workflow command. */
function assertNoInjectedCommands(run: ChatopsRun) {
  for (const line of `${run.stdout}\n${run.stderr}`.split("\n")) {
    if (line.startsWith("::")) {
      assertMatch(line, /^::(add-mask::ghs_|notice::)/, `unexpected workflow command: ${line}`);
    }
  }
}

Deno.test("chatops: a collaborator's /get-runs on a PR reports on the PR head", async () => {
  await withGithub(async (server) => {
    const run = await chatops(
      server,
      "issue_comment",
      commentEvent({ body: "Looks good.\n/get-runs", association: "COLLABORATOR" }),
    );
    assertEquals(run.code, 0, run.stderr);
    assertEquals(run.outputs.BOOL_TRIGGERED, "True");
    assertEquals(run.outputs.SHA, HEAD);
    assertEquals(run.outputs.PULL_REQUEST_NUMBER, "7");
    assertEquals(run.outputs.BRANCH_NAME, "feature/better-aug");
    assertEquals(run.outputs.COMMENTER_USERNAME, "Codertocat");
    assertEquals(run.outputs.TRAILING_TOKEN, "");
    assertEquals(run.outputs.PR_STATE, "OPEN");
    assertEquals(server.requests, ["WandbReportPrHead"]);
    assert(!`${run.stdout}${run.stderr}`.replace(`::add-mask::${TOKEN}`, "").includes(TOKEN));
  });
});

Deno.test("chatops: OWNER and MEMBER trigger; a run id after the phrase is passed on", async () => {
  await withGithub(async (server) => {
    for (const association of ["OWNER", "MEMBER"]) {
      const run = await chatops(
        server,
        "issue_comment",
        commentEvent({ body: "  /get-runs 1mbwz7xq", association }),
      );
      assertEquals(run.outputs.BOOL_TRIGGERED, "True", association);
      assertEquals(run.outputs.RUN_ID, "1mbwz7xq");
      assertEquals(run.outputs.TRAILING_TOKEN, "1mbwz7xq");
      assertEquals(run.outputs.TRAILING_LINE, "1mbwz7xq");
    }
  });
});

Deno.test("chatops: outsiders (NONE, CONTRIBUTOR, FIRST_TIMER) trigger nothing and reach no API", async () => {
  await withGithub(async (server) => {
    for (const association of ["NONE", "CONTRIBUTOR", "FIRST_TIMER"]) {
      const run = await chatops(
        server,
        "issue_comment",
        commentEvent({ body: "/get-runs", association }),
      );
      assertEquals(run.code, 0);
      assertEquals(run.outputs.BOOL_TRIGGERED, "False");
      assertMatch(run.outputs.REASON, new RegExp(`is ${association}, not one of OWNER`));
      assertEquals(run.outputs.SHA, "");
      assertMatch(run.stderr, /chatops: not triggered: @Codertocat is/);
    }
    assertEquals(server.requests, []);
  });
});

Deno.test("chatops: the allow-list is an input", async () => {
  await withGithub(async (server) => {
    const run = await chatops(
      server,
      "issue_comment",
      commentEvent({ body: "/get-runs", association: "CONTRIBUTOR" }),
      { env: { INPUT_ALLOWED_ASSOCIATIONS: '["contributor", "OWNER"]' } },
    );
    assertEquals(run.outputs.BOOL_TRIGGERED, "True");
    const bad = await chatops(
      server,
      "issue_comment",
      commentEvent({ body: "/get-runs" }),
      { env: { INPUT_ALLOWED_ASSOCIATIONS: "OWNER, ADMIN" } },
    );
    assertEquals(bad.code, 2);
    assertMatch(
      bad.stderr,
      /^::error::INPUT_ALLOWED_ASSOCIATIONS: expected author associations from COLLABORATOR, /m,
    );
  });
});

Deno.test("chatops: the phrase mid-sentence, glued to a word, or on an issue does not trigger", async () => {
  await withGithub(async (server) => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [commentEvent({ body: "could someone /get-runs please" }), /no line of the comment starts/],
      [commentEvent({ body: "/get-runsnow" }), /no line of the comment starts/],
      [commentEvent({ body: "> /get-runs" }), /no line of the comment starts/],
      [
        commentEvent({ body: "/get-runs", onPullRequest: false }),
        /#7 is an issue, not a pull request/,
      ],
    ];
    for (const [event, reason] of cases) {
      const run = await chatops(server, "issue_comment", event);
      assertEquals(run.outputs.BOOL_TRIGGERED, "False");
      assertMatch(run.outputs.REASON, reason);
    }
    assertEquals(server.requests, []);
  });
});

Deno.test("chatops: the phrase in code, a quote or an HTML comment does not trigger", async () => {
  for (
    const body of [
      "how to ask:\n```\n/get-runs\n```",
      "~~~sh\n/get-runs abc\n~~~",
      "example:\n\n    /get-runs",
      "> /get-runs\n\nquoting the docs",
      "<!-- /get-runs -->",
      "<!--\n/get-runs\n-->",
      "text <!--\n/get-runs\n-->",
      // CommonMark's other hidden kinds: processing instructions, declarations, CDATA.
      "<?x\n/get-runs\n?>",
      "text <?x\n/get-runs\n?>",
      "<!DOCTYPE x\n/get-runs\n>",
      "<![CDATA[\n/get-runs\n]]>",
      "text <![CDATA[\n/get-runs\n]]>",
    ]
  ) {
    const run = await chatops(undefined, "issue_comment", commentEvent({ body }));
    assertEquals(run.code, 0, `${body}: ${run.stderr}`);
    assertEquals(run.outputs.BOOL_TRIGGERED, "False", body);
    assertMatch(run.outputs.REASON, /^no line of the comment starts with "\/get-runs"/, body);
  }
  await withGithub(async (server) => {
    const prose = await chatops(
      server,
      "issue_comment",
      commentEvent({ body: "```\n/get-runs old\n```\n\n  /get-runs a1b2c3d4" }),
    );
    assertEquals([prose.outputs.BOOL_TRIGGERED, prose.outputs.RUN_ID], ["True", "a1b2c3d4"]);
  });
});

Deno.test("chatops: deep nesting and huge bodies: the author first, bounded work, never exit 70", async () => {
  const deep = [
    ">".repeat(2_000) + " x",
    "- ".repeat(4_000) + "x",
    Array.from({ length: 200 }, (_, i) => `${"  ".repeat(i)}- x`).join("\n"),
  ];
  // Anyone may post them: an outsider's body is never read.
  for (const body of deep) {
    const run = await chatops(
      undefined,
      "issue_comment",
      commentEvent({ body: `${body}\n\n/get-runs`, association: "NONE" }),
    );
    assertEquals(run.code, 0, run.stderr);
    assertMatch(run.outputs.REASON, /^@Codertocat is NONE, not one of/);
  }
  await withGithub(async (server) => {
    for (const [i, body] of deep.entries()) {
      // The phrase after the nesting, as a paragraph of its own, still counts.
      const yes = await chatops(
        server,
        "issue_comment",
        commentEvent({ body: `${body}\n\n/get-runs` }),
      );
      assertEquals([yes.code, yes.outputs.BOOL_TRIGGERED], [0, "True"], yes.stderr);
      // Inside the nesting (a lazy continuation line of the innermost quote or
      // item) it does not. (marked ends a list indented 8 or more columns
      // before such a line, so the third shape has no lazy line to test.)
      if (i === 2) continue;
      const no = await chatops(
        server,
        "issue_comment",
        commentEvent({ body: `${body} /get-runs\n/get-runs` }),
      );
      assertEquals([no.code, no.outputs.BOOL_TRIGGERED], [0, "False"], no.stderr);
    }
  });
  // GitHub stores and sends bodies up to 262,144 bytes: one of 70,000 characters is read…
  await withGithub(async (server) => {
    const long = await chatops(
      server,
      "issue_comment",
      commentEvent({ body: `/get-runs\n${"x".repeat(70_000)}` }),
    );
    assertEquals([long.code, long.outputs.BOOL_TRIGGERED], [0, "True"], long.stderr);
  });
  // …a longer one cannot come from GitHub, counted in bytes (é is two).
  for (
    const [tail, bytes] of [["x".repeat(262_200), 262_210], ["é".repeat(131_100), 262_210]] as const
  ) {
    const huge = await chatops(
      undefined,
      "issue_comment",
      commentEvent({ body: `/get-runs\n${tail}` }),
    );
    assertEquals([huge.code, huge.outputs.BOOL_TRIGGERED], [0, "False"]);
    assertMatch(
      huge.outputs.REASON,
      new RegExp(`^the comment is ${bytes} bytes long, more than GitHub stores \\(262144\\)`),
    );
  }
});

Deno.test("chatops: edited and deleted comments do not trigger", async () => {
  await withGithub(async (server) => {
    for (const action of ["edited", "deleted"] as const) {
      const run = await chatops(
        server,
        "issue_comment",
        commentEvent({ body: "/get-runs", action, association: "OWNER" }),
      );
      assertEquals(run.outputs.BOOL_TRIGGERED, "False");
      assertMatch(run.outputs.REASON, new RegExp(`was ${action}; only newly created`));
    }
  });
});

Deno.test("chatops: shell and markdown injection in the comment is data, never run", async () => {
  await withGithub(async (server) => {
    const marker = await Deno.makeTempFile();
    await Deno.remove(marker);
    const shell = await chatops(
      server,
      "issue_comment",
      commentEvent({ body: `/get-runs $(touch ${marker}) \`touch ${marker}\`` }),
    );
    // Words that are no run id are ignored with a notice, as data.
    assertEquals(shell.code, 0, shell.stderr);
    assertEquals(shell.outputs.BOOL_TRIGGERED, "True");
    assertEquals(shell.outputs.RUN_ID, "");
    assertEquals(shell.outputs.TRAILING_TOKEN, "$(touch");
    assertMatch(shell.stderr, /^::notice::ignored what \/get-runs does not take: "\$\(touch"/m);
    assertEquals(await Deno.stat(marker).then(() => true, () => false), false);
    assertNoInjectedCommands(shell);

    // Later lines that look like workflow commands, and HTML as a run id:
    // data in a single output line, and nothing printed at a line's start.
    const markdown = await chatops(
      server,
      "issue_comment",
      commentEvent({
        body: "/get-runs run-id=<img>\n::add-mask::secret\n::set-output name=SHA::0000",
      }),
    );
    assertEquals(markdown.code, 0, markdown.stderr);
    assertEquals(markdown.outputs.RUN_ID, "<img>");
    assertEquals(markdown.outputs.TRAILING_LINE, "run-id=<img>");
    assertEquals(markdown.outputs.SHA, HEAD);
    assertNoInjectedCommands(markdown);
    assertNotMatch(markdown.stderr, /secret|0000/);
  });
});

Deno.test("chatops: arguments as actions-chatops gave them: extra words are ignored with a notice", async () => {
  await withGithub(async (server) => {
    const cases: [string, { RUN_ID: string; SHA: string; ignored: string[] }][] = [
      ["/get-runs RUNID please", { RUN_ID: "RUNID", SHA: HEAD, ignored: ["please"] }],
      ["/get-runs branch=main", { RUN_ID: "", SHA: HEAD, ignored: ["branch=main"] }],
      ["/get-runs sha=xyz", { RUN_ID: "", SHA: "xyz", ignored: [] }],
      ["/get-runs abc def", { RUN_ID: "abc", SHA: HEAD, ignored: ["def"] }],
      ["/get-runs sha=abc1234 extra", { RUN_ID: "", SHA: "abc1234", ignored: ["extra"] }],
      ["/get-runs a/b", { RUN_ID: "", SHA: HEAD, ignored: ["a/b"] }],
    ];
    for (const [body, want] of cases) {
      const run = await chatops(server, "issue_comment", commentEvent({ body: `${body}\nthanks` }));
      assertEquals(run.code, 0, `${body}: ${run.stderr}`);
      assertEquals(run.outputs.BOOL_TRIGGERED, "True", body);
      assertEquals([run.outputs.RUN_ID, run.outputs.SHA], [want.RUN_ID, want.SHA], body);
      const rest = body.slice("/get-runs ".length);
      assertEquals(run.outputs.TRAILING_TOKEN, rest.split(" ")[0], body);
      assertEquals(run.outputs.TRAILING_LINE, rest, body);
      const notice = run.stderr.split("\n").find((l) => l.startsWith("::notice::ignored"));
      if (want.ignored.length === 0) assertEquals(notice, undefined, body);
      else {for (const word of want.ignored) {
          assertStringIncludes(notice ?? "", JSON.stringify(word));
        }}
    }
    // A key we know with a malformed value is still an error: reporting on
    // something else than asked would be worse.
    const bad: [string, RegExp][] = [
      [
        "/get-runs run-id=a/b",
        /comment argument "run-id=a\/b": expected run-id=ID with a W&B run id/,
      ],
      [
        `/get-runs sha=${"a".repeat(101)}`,
        /comment argument "sha=a+\.\.\.": expected sha=SHA with one token/,
      ],
    ];
    for (const [body, message] of bad) {
      const run = await chatops(server, "issue_comment", commentEvent({ body }));
      assertEquals(run.code, 2, body);
      assertMatch(run.stderr, message);
      assertEquals(
        run.stderr.trim().split("\n").filter((l) => l.startsWith("::error::")).length,
        1,
      );
    }
    const ok = await chatops(
      server,
      "issue_comment",
      commentEvent({ body: "/get-runs sha=ABCDEF1 run-id=x1" }),
    );
    assertEquals([ok.outputs.SHA, ok.outputs.RUN_ID], ["abcdef1", "x1"]);
  });
});

Deno.test("chatops: a fork PR is noted; the explicit SHA input wins over the PR head", async () => {
  await withGithub(async (server) => {
    const fork = await chatops(
      server,
      "issue_comment",
      commentEvent({ body: "/get-runs", number: 8 }),
    );
    assertEquals(fork.outputs.BOOL_FORK, "True");
    assertMatch(fork.stderr, /::notice::pull request #8 comes from outsider\/Hello-World/);
    const pinned = await chatops(
      server,
      "issue_comment",
      commentEvent({ body: "/get-runs sha=abcdef1" }),
      { env: { INPUT_SHA: "FEDCBA9" } },
    );
    assertEquals(pinned.outputs.SHA, "fedcba9");
  });
});

Deno.test("chatops: pull_request uses the payload's head SHA, never GITHUB_SHA", async () => {
  const event = exampleEvent("pull_request", "opened");
  const run = await chatops(undefined, "pull_request", event, {
    env: { GITHUB_SHA: "f".repeat(40) },
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.outputs.BOOL_TRIGGERED, "True");
  assertEquals(run.outputs.SHA, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");
  assertEquals(run.outputs.PULL_REQUEST_NUMBER, "2");
  assertEquals(run.outputs.BRANCH_NAME, "changes");
});

Deno.test("chatops: push, schedule and workflow_dispatch report on GITHUB_SHA", async () => {
  for (
    const [name, payload] of [
      ["push", exampleEvent("push")],
      ["schedule", { schedule: "17 6 * * 1" }],
      ["workflow_dispatch", exampleEvent("workflow_dispatch")],
    ] as const
  ) {
    const run = await chatops(undefined, name, payload);
    assertEquals(run.code, 0, run.stderr);
    assertEquals(run.outputs.BOOL_TRIGGERED, "True", name);
    assertEquals(run.outputs.SHA, DEFAULT_BRANCH_SHA, name);
    assertEquals(run.outputs.BRANCH_NAME, "main");
    assertEquals(run.outputs.PULL_REQUEST_NUMBER, "");
  }
  const missing = await chatops(undefined, "schedule", {}, { env: { GITHUB_SHA: "" } });
  assertEquals(missing.code, 2);
  assertMatch(missing.stderr, /^::error::GITHUB_SHA: expected the workflow's commit/m);
});

Deno.test("chatops: repository_dispatch may name a commit and a run in client_payload", async () => {
  const event = exampleEvent("repository_dispatch") as { client_payload: unknown };
  event.client_payload = { sha: "ABC1234", run_id: "1mbwz7xq" };
  const run = await chatops(undefined, "repository_dispatch", event);
  assertEquals([run.outputs.SHA, run.outputs.RUN_ID], ["abc1234", "1mbwz7xq"]);
  event.client_payload = { sha: "build-1234" };
  const token = await chatops(undefined, "repository_dispatch", event);
  assertEquals(token.outputs.SHA, "build-1234");
  event.client_payload = { sha: "two words" };
  const bad = await chatops(undefined, "repository_dispatch", event);
  assertEquals(bad.code, 2);
  assertMatch(bad.stderr, /^::error::client_payload\.sha: expected one token of printable/m);
  event.client_payload = {};
  const plain = await chatops(undefined, "repository_dispatch", event);
  assertEquals(plain.outputs.SHA, DEFAULT_BRANCH_SHA);
});

Deno.test("chatops: unsupported events and unreadable payloads are input errors", async () => {
  const other = await chatops(undefined, "release", {});
  assertEquals(other.code, 2);
  assertMatch(other.stderr, /^::error::GITHUB_EVENT_NAME: expected one of issue_comment, /m);
  const shape = await chatops(undefined, "issue_comment", { action: "created" });
  assertEquals(shape.code, 2);
  assertMatch(
    shape.stderr,
    /^::error::--event-path \(GITHUB_EVENT_PATH\): expected an issue_comment event payload \(issue:/m,
  );
  const missing = await chatops(undefined, "push", {}, {
    env: { GITHUB_EVENT_PATH: "/nonexistent/e.json" },
  });
  assertEquals(missing.code, 2);
  assertMatch(
    missing.stderr,
    /--event-path \(GITHUB_EVENT_PATH\): expected a readable event payload file/,
  );
});

Deno.test("chatops: --event-path typed on a terminal is read from where it was typed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wandb-chatops-typed-" });
  try {
    await Deno.writeTextFile(`${dir}/push.json`, JSON.stringify({}));
    const typed = await chatops(undefined, "push", {}, {
      args: ["--event-path", "push.json"],
      env: { GITHUB_EVENT_PATH: "", INIT_CWD: dir },
    });
    assertEquals(typed.code, 0, typed.stderr);
    assertEquals(typed.outputs.SHA, DEFAULT_BRANCH_SHA);
    // Not there: the flag named, with the path as typed resolved.
    const absent = await chatops(undefined, "push", {}, {
      args: ["--event-path", "nothere.json"],
      env: { GITHUB_EVENT_PATH: "", INIT_CWD: dir },
    });
    assertEquals(absent.code, 2);
    assertStringIncludes(absent.stderr, `--event-path (GITHUB_EVENT_PATH): expected a readable`);
    assertStringIncludes(absent.stderr, `${dir}/nothere.json`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("chatops: GitHub failures are typed, retried like W&B's, and never leak the token", async () => {
  await withGithub(async (server) => {
    const comment = commentEvent({ body: "/get-runs" });
    const badToken = await chatops(server, "issue_comment", comment, {
      env: { GITHUB_TOKEN: "ghs_wrongtoken" },
    });
    assertEquals(badToken.code, 3);
    assertMatch(
      badToken.stderr,
      /^::error::GitHub at 127\.0\.0\.1:\d+ rejected the token \(HTTP 401: Bad credentials\); check GITHUB_TOKEN$/m,
    );

    const missingPr = await chatops(
      server,
      "issue_comment",
      commentEvent({ body: "/get-runs", number: 99 }),
    );
    assertEquals(missingPr.code, 3);
    assertMatch(missingPr.stderr, /pull request #99 not found in Codertocat\/Hello-World/);

    const noToken = await chatops(server, "issue_comment", comment, { env: { GITHUB_TOKEN: "" } });
    assertEquals(noToken.code, 2);
    assertMatch(noToken.stderr, /^::error::GITHUB_TOKEN: expected a token to look up/m);

    server.requests.length = 0;
    server.faults.push({ status: 502, times: 1 }, {
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "0" },
      times: 1,
    });
    const retried = await chatops(server, "issue_comment", comment);
    assertEquals(retried.code, 0, retried.stderr);
    assertEquals(retried.outputs.SHA, HEAD);
    assertEquals(server.requests.length, 3);

    server.faults.push({ status: 429, headers: { "retry-after": "0" }, times: 20 });
    const limited = await chatops(server, "issue_comment", comment, {
      env: { INPUT_MAX_ATTEMPTS: "2" },
    });
    assertEquals(limited.code, 3);
    assertMatch(limited.stderr, /rate limiting us \(HTTP 429\)/);
    server.faults.length = 0;

    server.faults.push({ status: 403, body: '{"message":"Resource not accessible"}', times: 1 });
    const forbidden = await chatops(server, "issue_comment", comment);
    assertEquals(forbidden.code, 3);
    assertMatch(forbidden.stderr, /refused access \(HTTP 403: Resource not accessible\)/);

    for (const run of [badToken, missingPr, noToken, retried, limited, forbidden]) {
      assert(!`${run.stdout}${run.stderr}`.replace(`::add-mask::${TOKEN}`, "").includes(TOKEN));
      assert(
        !`${run.stdout}${run.stderr}`.includes("ghs_wrongtoken".slice(4)) ||
          run.stderr.includes("::add-mask::ghs_wrongtoken"),
      );
    }
  });
});

Deno.test("chatops: GITHUB_API_URL is honoured (GitHub Enterprise Server)", async () => {
  await withGithub(async (server) => {
    const run = await chatops(server, "issue_comment", commentEvent({ body: "/get-runs" }), {
      env: { GITHUB_GRAPHQL_URL: "", GITHUB_API_URL: server.url },
    });
    assertEquals(run.outputs.SHA, HEAD);
  });
});

Deno.test("chatops: workflow_run from a fork finds the PR by its head SHA; never the PR's code", async () => {
  await withGithub(async (server) => {
    // pull #8 in withGithub comes from the fork outsider/Hello-World with head 111…
    const fork = await chatops(
      server,
      "workflow_run",
      workflowRunEvent({ headSha: "1".repeat(40), fork: "outsider/Hello-World" }),
    );
    assertEquals(fork.code, 0, fork.stderr);
    assertEquals(
      [fork.outputs.BOOL_TRIGGERED, fork.outputs.SHA, fork.outputs.PULL_REQUEST_NUMBER],
      ["True", "1".repeat(40), "8"],
    );
    assertEquals([fork.outputs.BOOL_FORK, fork.outputs.BASE_SHA], ["True", "b".repeat(40)]);
    assertMatch(
      fork.stderr,
      /::notice::the run of Train came from outsider\/Hello-World; its head SHA is only used/,
    );
    assertEquals(server.requests, ["WandbReportOpenPulls"]);

    // A branch of this repository: GitHub names the PR, nothing is asked.
    server.requests.length = 0;
    const same = await chatops(
      server,
      "workflow_run",
      workflowRunEvent({
        headSha: HEAD,
        pullRequests: [{ number: 7, head: HEAD, base: "c".repeat(40) }],
      }),
    );
    assertEquals(
      [same.outputs.SHA, same.outputs.PULL_REQUEST_NUMBER, same.outputs.BASE_SHA],
      [HEAD, "7", "c".repeat(40)],
    );
    assertEquals([same.outputs.BOOL_FORK, server.requests], ["False", []]);

    // No open PR has the commit (a push to main): a note, no PR; the status still goes on the SHA.
    const none = await chatops(
      server,
      "workflow_run",
      workflowRunEvent({ headSha: "2".repeat(40) }),
    );
    assertEquals([none.code, none.outputs.BOOL_TRIGGERED], [0, "True"]);
    assertEquals([none.outputs.SHA, none.outputs.PULL_REQUEST_NUMBER], ["2".repeat(40), ""]);
    assertMatch(
      none.stderr,
      /::notice::no open pull request has head 2{40}: no comment; the status goes on the commit/,
    );
  });
});

Deno.test("chatops: the status goes only on the commit whose own runs are judged", async () => {
  await withGithub(async (server) => {
    // The PR head's own runs: the status goes on the head.
    const own = await chatops(server, "issue_comment", commentEvent({ body: "/get-runs" }));
    assertEquals([own.outputs.SHA, own.outputs.STATUS_SHA, own.outputs.HEAD_SHA], [
      HEAD,
      HEAD,
      HEAD,
    ]);
    // Another commit, or one run: a comment, but never the head's check.
    for (const body of [`/get-runs sha=${"e".repeat(40)}`, "/get-runs run-id=x1"]) {
      const other = await chatops(server, "issue_comment", commentEvent({ body }));
      assertEquals(other.code, 0, other.stderr);
      assertEquals([other.outputs.STATUS_SHA, other.outputs.HEAD_SHA], ["", HEAD], body);
      assertMatch(
        other.stderr,
        /::notice::this report is on (commit e{40}|run x1), not on the pull request's head [0-9a-f]{40}: no commit status is set/,
      );
    }
  });
});

Deno.test("chatops: workflow_run takes only PRs into this repository, and never guesses between several", async () => {
  await withGithub(async (server) => {
    // GitHub lists a PR of another repository with the same head: ignored.
    const foreign = await chatops(
      server,
      "workflow_run",
      workflowRunEvent({
        headSha: HEAD,
        pullRequests: [{ number: 99, head: HEAD, base: "c".repeat(40), baseRepoId: 424242 }],
      }),
    );
    assertEquals(foreign.code, 0, foreign.stderr);
    // Looked up by head instead: this repository's #7.
    assertEquals(foreign.outputs.PULL_REQUEST_NUMBER, "7");
    assertMatch(foreign.stderr, /1 pull request GitHub listed for the run is not into /);
    // Two PRs of this repository with the run's head: the run's branch decides…
    const two = [
      { number: 7, head: HEAD, base: "c".repeat(40), ref: "feature/better-aug" },
      { number: 9, head: HEAD, base: "d".repeat(40), ref: "decoy" },
    ];
    const picked = await chatops(
      server,
      "workflow_run",
      workflowRunEvent({ headSha: HEAD, pullRequests: two, headBranch: "decoy" }),
    );
    assertEquals(picked.outputs.PULL_REQUEST_NUMBER, "9");
    // …and when nothing decides, no PR at all (a decoy must not get the report).
    const unsure = await chatops(
      server,
      "workflow_run",
      workflowRunEvent({ headSha: HEAD, pullRequests: two, headBranch: "main" }),
    );
    assertEquals([unsure.code, unsure.outputs.PULL_REQUEST_NUMBER], [0, ""]);
    assertMatch(
      unsure.stderr,
      /2 pull requests of .* have head [0-9a-f]{40} and nothing tells which/,
    );
  });
});

Deno.test("chatops: an unknown comment-mode fails before any request, whatever the event", async () => {
  await withGithub(async (server) => {
    const run = await chatops(server, "issue_comment", commentEvent({ body: "/get-runs" }), {
      env: { INPUT_COMMENT_MODE: "loud" },
    });
    assertEquals(run.code, 2);
    assertMatch(
      run.stderr,
      /^::error::INPUT_COMMENT_MODE: expected always, changes, failures, off, got "loud"$/m,
    );
    assertEquals(server.requests, []);
    const ok = await chatops(server, "schedule", {}, { env: { INPUT_COMMENT_MODE: "changes" } });
    assertEquals(ok.outputs.COMMENT_MODE, "changes");
  });
});

Deno.test("chatops: on a PR comment the merge base is the PR head's with its base, never the default branch's", async () => {
  // R ← M ← B (the PR's base) ← D (GITHUB_SHA, the default branch on a comment); M ← H (the PR head).
  const sha = (c: string) => c.repeat(40);
  const [R, M, B, D] = [sha("1"), sha("2"), sha("3"), sha("4")];
  const commit = (s: string, parents: string[], day: number) => ({
    sha: s,
    parents,
    date: `2026-11-0${day}T00:00:00Z`,
  });
  const server = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [{ number: 7, headRefOid: HEAD, headRefName: "feature/better-aug", baseRefOid: B }],
    tokens: { [TOKEN]: { login: "github-actions[bot]", write: true } },
    commits: [
      commit(R, [], 1),
      commit(M, [R], 2),
      commit(B, [M], 3),
      commit(D, [B], 4),
      commit(HEAD, [M], 5),
    ],
  });
  try {
    const run = await chatops(server, "issue_comment", commentEvent({ body: "/get-runs" }), {
      env: { INPUT_MERGE_BASE: "true", GITHUB_SHA: D, GITHUB_API_URL: server.url },
    });
    assertEquals(run.code, 0, run.stderr);
    assertEquals([run.outputs.SHA, run.outputs.MERGE_BASE_SHA], [HEAD, M]);
  } finally {
    await server.close();
  }
});

Deno.test("chatops: workflow_run drops a listed PR whose head is another commit; the SHA is the run's head", async () => {
  await withGithub(async (server) => {
    // GitHub lists #12 for the run, but #12's head moved on: it is not this run's PR.
    const moved = await chatops(
      server,
      "workflow_run",
      workflowRunEvent({
        headSha: HEAD,
        pullRequests: [{ number: 12, head: "e".repeat(40), base: "c".repeat(40) }],
      }),
    );
    assertEquals(moved.code, 0, moved.stderr);
    assertEquals([moved.outputs.SHA, moved.outputs.PULL_REQUEST_NUMBER], [HEAD, "7"]);
    assertMatch(
      moved.stderr,
      /1 pull request GitHub listed for the run is not into .* \(or not of its head\): ignored/,
    );
  });
});
