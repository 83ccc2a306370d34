// The sticky PR comment and the gate, end to end: the report CLI against the
// W&B emulator and the GitHub GraphQL server.
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { EXAMPLE_REPO } from "../_events.ts";
import { type GithubServer, startGithubServer } from "../_github_server.ts";
import { PROJECT, runCli, SHA, withEmulator } from "../_helpers.ts";

const WRITER = "ghs_writer3Kd9Lm2Nb7Vc4Xz8Qw1Er5Ty";
const READER = "ghs_reader8Hj3Kl6Zx1Cv9Bn4Mq7Wp2Ae";

async function withGithub<T>(fn: (server: GithubServer) => Promise<T>): Promise<T> {
  const server = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature" }],
    tokens: {
      [WRITER]: { login: "github-actions[bot]", write: true },
      [READER]: { login: "github-actions[bot]", write: false },
    },
    // Someone else's comment carrying our marker must not be overwritten.
    comments: [{
      id: "IC_1",
      author: "mallory",
      pr: 7,
      body: "<!-- wandb-report key=acme/vision workflow=CI --> fake",
    }],
  });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

function env(server: GithubServer, summary: string, token = WRITER): Record<string, string> {
  return {
    GITHUB_ACTIONS: "true",
    GITHUB_GRAPHQL_URL: `${server.url}/graphql`,
    GITHUB_REPOSITORY: EXAMPLE_REPO,
    GITHUB_WORKFLOW: "CI",
    GITHUB_TOKEN: token,
    GITHUB_STEP_SUMMARY: summary,
  };
}

const ARGS = [
  ...PROJECT,
  "--sha",
  SHA,
  "--baseline-tags",
  "baseline, reference",
  "--metrics",
  "accuracy",
];

Deno.test("comment: created once, then updated in place; another report key gets its own", async () => {
  await withEmulator({}, async (emulator) => {
    await withGithub(async (server) => {
      const summary = await Deno.makeTempFile();
      const first = await runCli(emulator, [...ARGS, "--comment", "--pr-number", "7"], {
        env: env(server, summary),
      });
      assertEquals(first.code, 0, first.stderr);
      assertMatch(
        first.stderr,
        /comment created: https:\/\/github\.com\/Codertocat\/Hello-World\/pull\/7#issuecomment-IC_1000/,
      );
      const ours = () => server.comments.filter((c) => c.author === "github-actions[bot]");
      assertEquals(ours().length, 1);
      assertMatch(
        ours()[0]!.body,
        /^<!-- wandb-report key=acme\/vision workflow=CI -->\n<!-- wandb-report verdict=incomplete digest=[0-9a-f]{32} -->\n### W&B report/,
      );

      const second = await runCli(emulator, [...ARGS, "--comment", "--pr-number", "7"], {
        env: env(server, summary),
      });
      assertEquals(second.code, 0, second.stderr);
      assertMatch(second.stderr, /comment updated: .*#issuecomment-IC_1000/);
      assertEquals(ours().length, 1);
      assertEquals(server.comments.find((c) => c.id === "IC_1")!.body.endsWith("fake"), true);

      const other = await runCli(
        emulator,
        [...ARGS, "--comment", "--pr-number", "7", "--report-key", "nightly"],
        { env: env(server, summary) },
      );
      assertEquals(other.code, 0, other.stderr);
      assertEquals(ours().length, 2);
      assertMatch(ours()[1]!.body, /^<!-- wandb-report key=nightly workflow=CI -->/);
      assertEquals(
        server.requests,
        [
          "WandbReportFindComments",
          "WandbReportAddComment",
          "WandbReportFindComments",
          "WandbReportUpdateComment",
          "WandbReportFindComments",
          "WandbReportAddComment",
        ],
      );
      // Three reports, three summaries appended.
      assertEquals((await Deno.readTextFile(summary)).match(/### W&B report/g)!.length, 3);
      for (const run of [first, second, other]) {
        const unmasked = `${run.stdout}${run.stderr}`.split("\n").filter((l) =>
          !l.startsWith("::add-mask::")
        );
        assert(!unmasked.some((l) => l.includes(WRITER)));
      }
      await Deno.remove(summary);
    });
  });
});

Deno.test("comment: ours is found however many comments came after it, newest first", async () => {
  await withEmulator({}, async (emulator) => {
    const marker = "<!-- wandb-report key=acme/vision workflow=CI -->";
    const server = await startGithubServer({
      repo: EXAMPLE_REPO,
      pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature" }],
      tokens: { [WRITER]: { login: "github-actions[bot]", write: true } },
      comments: [
        { id: "IC_old", author: "github-actions[bot]", pr: 7, body: `${marker}\nold report` },
        ...Array.from({ length: 249 }, (_, i) => ({
          id: `IC_c${i}`,
          author: i % 2 ? "ana" : "github-actions[bot]",
          pr: 7,
          body: `comment ${i}`,
        })),
      ],
    });
    try {
      const summary = await Deno.makeTempFile();
      const r = await runCli(emulator, [...ARGS, "--comment", "--pr-number", "7"], {
        env: env(server, summary),
      });
      assertEquals(r.code, 0, r.stderr);
      assertMatch(r.stderr, /comment updated: .*#issuecomment-IC_old/);
      assertEquals(server.comments.length, 250, "no second report comment");
      assertEquals(server.requests, [
        "WandbReportFindComments",
        "WandbReportFindComments",
        "WandbReportFindComments",
        "WandbReportUpdateComment",
      ]);
      await Deno.remove(summary);
    } finally {
      await server.close();
    }
  });
});

Deno.test("comment: a read-only token (fork PR) warns and keeps the summary, exit 0", async () => {
  await withEmulator({}, async (emulator) => {
    await withGithub(async (server) => {
      const summary = await Deno.makeTempFile();
      const run = await runCli(emulator, [...ARGS, "--comment", "--pr-number", "7"], {
        env: env(server, summary, READER),
      });
      assertEquals(run.code, 0, run.stderr);
      assertMatch(
        run.stderr,
        /^::warning::could not comment on pull request #7: .*Resource not accessible by integration.*job summary$/m,
      );
      assertMatch(await Deno.readTextFile(summary), /### W&B report/);
      assert(run.csv !== undefined);
      assertEquals(server.comments.length, 1);
      await Deno.remove(summary);
    });
  });
});

Deno.test("gate: a failed gate exits 1 with annotations, and still writes CSV, outputs, summary and comment", async () => {
  await withEmulator({}, async (emulator) => {
    await withGithub(async (server) => {
      const summary = await Deno.makeTempFile();
      const run = await runCli(
        emulator,
        [
          ...ARGS,
          "--comment",
          "--pr-number",
          "7",
          "--gate",
          "accuracy:max:abs=0.001",
          "--gate",
          "loss:min",
          "--require-complete",
        ],
        { env: env(server, summary) },
      );
      assertEquals(run.code, 1, run.stderr);
      assertEquals(run.outputs.GATE_PASSED, "False");
      assertMatch(
        run.stderr,
        /^::error::loss: run cand0002 has no numeric value \(nan\) \(fails: missing=fail\)$/m,
      );
      assertMatch(
        run.stderr,
        /^::error::2 candidate runs are still running or pending \(--require-complete\)$/m,
      );
      assert(run.records.length > 0);
      const md = await Deno.readTextFile(summary);
      assertMatch(md, /❌ \*\*Gate failed\*\*/);
      assertEquals(server.comments.filter((c) => c.author === "github-actions[bot]").length, 1);
      await Deno.remove(summary);

      const ok = await runCli(emulator, [...ARGS, "--gate", "accuracy:max:abs=0.05"], {});
      assertEquals(ok.code, 0, ok.stderr);
      assertEquals(ok.outputs.GATE_PASSED, "True");
      assertMatch(ok.stderr, /gate: {7}passed/);
    });
  });
});

Deno.test("gate and comment inputs: one-line errors, exit 2, nothing written", async () => {
  await withEmulator({}, async (emulator) => {
    for (
      const [args, message] of [
        [
          ["--gate", "accuracy:up"],
          /^error: --gate: expected METRIC:max\|min.* \(the direction must be max or min, not "up"\)/,
        ],
        [
          ["--reference", "worst"],
          /^error: --reference: expected best, mean or run=RUN_ID, got "worst"$/m,
        ],
        [["--direction", "acc=up"], /^error: --direction: expected NAME=max or NAME=min items/],
        [
          ["--format", "xml"],
          /^error: --format: expected table, markdown, json or csv, got "xml"$/m,
        ],
        [["--comment"], /^error: --pr-number: expected a pull request number for --comment/],
        [["--comment", "--pr-number", "7"], /^error: GITHUB_TOKEN: expected a token for --comment/],
      ] as [string[], RegExp][]
    ) {
      const run = await runCli(emulator, [...ARGS, ...args], { env: { GITHUB_TOKEN: "" } });
      assertEquals(run.code, 2, args.join(" "));
      assertMatch(run.stderr, message);
      assertEquals(run.csv, undefined);
      assertEquals(run.githubOutput, "");
    }
  });
});

Deno.test("--format prints markdown, json or csv on stdout", async () => {
  await withEmulator({}, async (emulator) => {
    const md = await runCli(emulator, [...ARGS, "--format", "markdown"]);
    assertMatch(
      md.stdout,
      /^<!-- wandb-report key=acme\/vision workflow=wandb-report -->\n<!-- wandb-report verdict=(pass|fail|incomplete) digest=[0-9a-f]{32} -->\n### W&B report/,
    );
    const csv = await runCli(emulator, [...ARGS, "--format", "csv"]);
    assertEquals(csv.stdout, csv.csv);
    const json = JSON.parse((await runCli(emulator, [...ARGS, "--format", "json"])).stdout);
    assertEquals(json.comparisons[0].metric, "accuracy");
    assertEquals(json.gate.passed, true);
  });
});

Deno.test("comment: a written comment whose answer is lost, or comes back null, is never posted twice", async () => {
  await withEmulator({}, async (emulator) => {
    // GitHub writes the comment, then the answer is a 502: the report looks before posting again.
    await withGithub(async (server) => {
      server.faults.push({
        status: 502,
        times: 1,
        operation: "WandbReportAddComment",
        afterHandling: true,
      });
      const summary = await Deno.makeTempFile();
      const r = await runCli(emulator, [...ARGS, "--comment", "--pr-number", "7"], {
        env: env(server, summary),
      });
      assertEquals(r.code, 0, r.stderr);
      const ours = server.comments.filter((c) => c.author === "github-actions[bot]");
      assertEquals(ours.length, 1, JSON.stringify(server.requests));
      assertEquals(
        server.requests.filter((q) => q === "WandbReportAddComment").length,
        1,
        "the mutation is sent once",
      );
      assertMatch(r.stderr, /comment created/);
    });
    // GitHub's addComment payload is nullable: a null is the comment written, not a server error.
    const server = await startGithubServer({
      repo: EXAMPLE_REPO,
      pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature" }],
      tokens: { [WRITER]: { login: "github-actions[bot]", write: true } },
      nullAddComment: true,
    });
    try {
      const summary = await Deno.makeTempFile();
      const r = await runCli(emulator, [...ARGS, "--comment", "--pr-number", "7"], {
        env: env(server, summary),
      });
      assertEquals(r.code, 0, r.stderr);
      assertEquals(server.comments.length, 1);
      assertEquals(
        /warning|error/i.test(r.stderr.replace(/::add-mask::.*\n/g, "")),
        false,
        r.stderr,
      );
      assertMatch(r.stderr, /comment created.*issuecomment-/);
    } finally {
      await server.close();
    }
  });
});

Deno.test("comment: sent again once after a lost answer, and that answer lost too: still one comment", async () => {
  await withEmulator({}, async (emulator) => {
    await withGithub(async (server) => {
      // The first send is refused (nothing written); the second is written and its answer lost.
      server.faults.push(
        { status: 502, times: 1, operation: "WandbReportAddComment" },
        { status: 502, times: 1, operation: "WandbReportAddComment", afterHandling: true },
      );
      const summary = await Deno.makeTempFile();
      const r = await runCli(emulator, [...ARGS, "--comment", "--pr-number", "7"], {
        env: env(server, summary),
      });
      assertEquals(r.code, 0, r.stderr);
      assertEquals(
        server.comments.filter((c) => c.author === "github-actions[bot]").length,
        1,
        JSON.stringify(server.requests),
      );
      assertEquals(
        server.requests.filter((q) => q === "WandbReportAddComment").length,
        2,
        "sent again once, never retried",
      );
      assertMatch(r.stderr, /comment created/);
      await Deno.remove(summary);
    });
  });
});

Deno.test("comment: with two of ours on one page (an older run's race), the newest is the one updated", async () => {
  await withEmulator({}, async (emulator) => {
    const marker = "<!-- wandb-report key=acme/vision workflow=CI -->";
    const other = (i: number) => ({ id: `IC_o${i}`, author: "ana", pr: 7, body: `comment ${i}` });
    const server = await startGithubServer({
      repo: EXAMPLE_REPO,
      pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature" }],
      tokens: { [WRITER]: { login: "github-actions[bot]", write: true } },
      comments: [
        { id: "IC_older", author: "github-actions[bot]", pr: 7, body: `${marker}\nolder report` },
        ...Array.from({ length: 3 }, (_, i) => other(i)),
        { id: "IC_newer", author: "github-actions[bot]", pr: 7, body: `${marker}\nnewer report` },
        ...Array.from({ length: 5 }, (_, i) => other(200 + i)),
      ],
    });
    try {
      const summary = await Deno.makeTempFile();
      const r = await runCli(emulator, [...ARGS, "--comment", "--pr-number", "7"], {
        env: env(server, summary),
      });
      assertEquals(r.code, 0, r.stderr);
      assertMatch(r.stderr, /comment updated: .*#issuecomment-IC_newer/);
      assertEquals(
        server.comments.find((c) => c.id === "IC_older")!.body,
        `${marker}\nolder report`,
      );
      await Deno.remove(summary);
    } finally {
      await server.close();
    }
  });
});
