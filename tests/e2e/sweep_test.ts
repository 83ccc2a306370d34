// The sweep (report --sweep N): a scheduled run turns pending checks into
// verdicts without a paid W&B plan: the open PRs whose head has our check
// pending or none, oldest first, N a run, one W&B query for all their
// commits, a comment and a status each, an acceptance on a head kept.
import { runPublishCli, runWaitingCli } from "../../lib/cli/mod.ts";
import { acceptanceLine } from "../../lib/ground/marker.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { EXAMPLE_REPO } from "../_events.ts";
import { type GithubServer, startGithubServer } from "../_github_server.ts";
import { OTHER_SHA, PROJECT, runCli, SHA, withEmulator } from "../_helpers.ts";
import { env, WRITER } from "../_pr.ts";

const CONTEXT = "wandb-report/acme/vision";
const FRESH = "abcdef0123456789abcdef0123456789abcdef01";
const DONE = "d".repeat(40);
const RED = "e".repeat(40);
const SWEEP = [
  ...PROJECT,
  "--metrics",
  "accuracy",
  "--baseline-tags",
  "baseline",
  "--gate",
  "accuracy:max:abs=0.01",
  "--comment",
  "--status",
];

async function withPulls<T>(
  fn: (server: GithubServer) => Promise<T>,
  extra: Partial<Parameters<typeof startGithubServer>[0]> = {},
): Promise<T> {
  const server = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [
      { number: 5, headRefOid: SHA, headRefName: "a" },
      { number: 6, headRefOid: OTHER_SHA, headRefName: "b" },
      { number: 7, headRefOid: FRESH, headRefName: "c" },
      { number: 8, headRefOid: DONE, headRefName: "d" },
      { number: 9, headRefOid: RED, headRefName: "e", fork: "outsider/Hello-World" },
      { number: 4, headRefOid: SHA, headRefName: "closed", state: "CLOSED" },
    ],
    tokens: { [WRITER]: { login: "github-actions[bot]", write: true } },
    statuses: [
      { sha: OTHER_SHA, context: CONTEXT, state: "pending", description: "fetching the runs" },
      { sha: DONE, context: CONTEXT, state: "success", description: "gate passed" },
      { sha: RED, context: CONTEXT, state: "failure", description: "gate failed" },
      { sha: FRESH, context: "other/check", state: "success" },
    ],
    ...extra,
  });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

Deno.test("sweep: the oldest waiting PRs get a report each, from one W&B query; how many remain is said", async () => {
  await withEmulator({}, async (emulator) => {
    await withPulls(async (server) => {
      const result = await runCli(emulator, [...SWEEP, "--sweep", "2"], { env: env(server) });
      assertEquals(result.code, 0, result.stderr);
      assertEquals(emulator.stats.requests, 1);
      // #5 (no check) and #6 (pending) of the four open ones without a verdict; #8 and #9 have one.
      assertEquals(result.outputs.PULL_REQUESTS, "5,6");
      assertEquals([result.outputs.SWEPT, result.outputs.REMAINING], ["2", "1"]);
      // Each PR's verdict is the one a report on its own commit gives.
      const own = [];
      for (const sha of [SHA, OTHER_SHA]) {
        const single = await runCli(emulator, [...SWEEP.slice(0, -2), "--sha", sha]);
        own.push([sha, single.outputs.STATUS_STATE, single.outputs.STATUS_DESCRIPTION]);
      }
      assertEquals(own.map((o) => o[1]), ["success", "failure"]);
      assertEquals(
        server.statuses.filter((s) => s.token === WRITER).map((s) => [
          s.sha,
          s.state,
          s.description,
        ]),
        own,
      );
      assertEquals(server.comments.map((c) => c.pr), [5, 6]);
      assertStringIncludes(server.comments[0]!.body, "@ `1111111`");
      assertStringIncludes(server.comments[1]!.body, "@ `2222222`");
      // One request to W&B's GraphQL for both commits' candidates and the baselines
      // (counted before the single reports above).
      assertMatch(result.stderr, /1 more wait: the next sweep takes them/);
    });
  });
});

Deno.test("sweep: a PR without runs stays pending; the next sweep takes it; none left is one line", async () => {
  await withEmulator({}, async (emulator) => {
    await withPulls(async (server) => {
      await runCli(emulator, [...SWEEP, "--sweep", "2"], { env: env(server) });
      const next = await runCli(emulator, [...SWEEP, "--sweep", "2"], { env: env(server) });
      assertEquals(next.code, 0, next.stderr);
      // #7 has no run yet: still waiting (pending), so it is taken again by later sweeps.
      assertEquals(next.outputs.PULL_REQUESTS, "7");
      assertEquals(server.statuses.at(-1)!.sha, FRESH);
      assertEquals(server.statuses.at(-1)!.state, "pending");
      assertEquals(
        server.statuses.at(-1)!.description,
        "waiting for training: no run of abcdef0 yet",
      );
    });
    await withPulls(async (server) => {
      const none = await runCli(emulator, [...SWEEP, "--sweep", "5"], { env: env(server) });
      assertEquals(none.code, 0);
      assertEquals(none.outputs.SWEPT, "0");
      assertEquals(server.comments, []);
      assertMatch(
        none.stderr,
        /^sweep: no open pull request waits for a wandb-report\/acme\/vision verdict \(1 open\)$/m,
      );
    }, {
      pulls: [{ number: 8, headRefOid: DONE, headRefName: "d" }],
      statuses: [{ sha: DONE, context: CONTEXT, state: "success" }],
    });
  });
});

Deno.test("sweep: an acceptance recorded on a PR's head is kept by the sweep's report", async () => {
  const accepted = {
    sha: SHA,
    by: "bob",
    at: "2026-12-07T10:00:00Z",
    reason: "deliberate",
  };
  const marker = "<!-- wandb-report key=acme/vision workflow=CI -->";
  await withEmulator({}, async (emulator) => {
    await withPulls(async (server) => {
      // loss:min fails on SHA (a finished candidate's loss is NaN: missing=fail).
      const result = await runCli(emulator, [...SWEEP, "--gate", "loss:min", "--sweep", "1"], {
        env: env(server),
      });
      assertEquals(result.code, 0, result.stderr);
      assertEquals(server.statuses.at(-1)!.description, "regression accepted by @bob for 1111111");
      assertStringIncludes(server.comments[0]!.body, "Regression accepted** by @bob");
    }, {
      pulls: [{ number: 5, headRefOid: SHA, headRefName: "a" }],
      statuses: [{ sha: SHA, context: CONTEXT, state: "pending" }],
      comments: [{
        id: "IC_1",
        author: "github-actions[bot]",
        pr: 5,
        body: `${marker}\n<!-- wandb-report verdict=fail digest=00 -->\n${
          acceptanceLine(accepted)
        }\n> accepted\n\nold report`,
      }],
    });
  });
});

Deno.test("sweep: what it cannot take is one line naming the input, exit 2, nothing asked", async () => {
  await withEmulator({}, async (emulator) => {
    await withPulls(async (server) => {
      for (
        const [args, pattern] of [
          [["--sha", SHA], /--sha: expected no --sha with --sweep/],
          [["--noise-history", "20"], /--noise-history: expected no --noise-history with --sweep/],
          [["--sweep", "500"], /--sweep: expected/],
        ] as const
      ) {
        const result = await runCli(emulator, [...SWEEP, "--sweep", "3", ...args], {
          env: env(server),
        });
        assertEquals(result.code, 2, result.stderr);
        assertMatch(result.stderr, pattern);
        assertEquals(result.csv, undefined);
      }
      const noToken = await runCli(emulator, [...PROJECT, "--sweep", "3"]);
      assertEquals(noToken.code, 2);
      assertMatch(noToken.stderr, /GITHUB_TOKEN.*a token for --sweep/);
      assertEquals(emulator.stats.requests, 0);
      assert(server.requests.length === 0);
    });
  });
});

Deno.test("sweep: --pulls (from deno task waiting) reports without asking GitHub; publish delivers its JSON", async () => {
  await withEmulator({}, async (emulator) => {
    await withPulls(async (server) => {
      const dir = await Deno.makeTempDir();
      try {
        const listed = await runStepCli(
          runWaitingCli,
          ["--report-key", "acme/vision", "--max", "1"],
          env(server),
          dir,
        );
        assertEquals(listed.code, 0, listed.stderr);
        assertEquals([listed.outputs.PULLS, listed.outputs.REMAINING], [`5=${SHA}`, "2"]);
        const asked = server.requests.length;
        const swept = await runCli(emulator, [
          ...SWEEP.filter((a) => a !== "--comment" && a !== "--status"),
          "--sweep",
          "3",
          "--pulls",
          listed.outputs.PULLS!,
          "--format",
          "json",
        ]);
        assertEquals(swept.code, 0, swept.stderr);
        assertEquals(server.requests.length, asked); // no token, no GitHub
        const doc = JSON.parse(swept.stdout);
        assertEquals([doc.swept, doc.reports[0].pr, doc.reports[0].sha], [1, 5, SHA]);
        await Deno.writeTextFile(`${dir}/sweep.json`, swept.stdout);
        const published = await runStepCli(
          runPublishCli,
          ["--file", `${dir}/sweep.json`],
          env(server),
          dir,
        );
        assertEquals(published.code, 0, published.stderr);
        assertEquals(server.comments.map((c) => c.pr), [5]);
        assertEquals(server.statuses.at(-1)!.sha, SHA);
        assertEquals(server.statuses.at(-1)!.state, doc.reports[0].outputs.STATUS_STATE);
        // A document that is not a sweep's: one line naming the file, exit 2, nothing posted.
        await Deno.writeTextFile(
          `${dir}/bad.json`,
          JSON.stringify({ ...doc, reports: [{ pr: 5 }] }),
        );
        const bad = await runStepCli(
          runPublishCli,
          ["--file", `${dir}/bad.json`],
          env(server),
          dir,
        );
        assertEquals(bad.code, 2);
        assertMatch(bad.stderr, /bad\.json: expected the JSON of a sweep .*reports\.0\.sha/);
        assertEquals(server.comments.length, 1);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
    for (
      const [args, pattern] of [
        [["--sha", SHA, "--pulls", `5=${SHA}`], /--pulls: expected to be used with --sweep N/],
        [["--sweep", "2", "--pulls", "5=abc"], /--pulls: expected NUMBER=HEAD_SHA/],
      ] as const
    ) {
      const result = await runCli(emulator, [...PROJECT, ...args]);
      assertEquals(result.code, 2, result.stderr);
      assertMatch(result.stderr, pattern);
    }
  });
});

/** Runs a GitHub step's door with `env`, its outputs read back. */
async function runStepCli(
  door: typeof runWaitingCli,
  args: string[],
  stepEnv: Record<string, string>,
  dir: string,
) {
  const output = `${dir}/output-${crypto.randomUUID()}`;
  await Deno.writeTextFile(output, "");
  let stderr = "";
  const code = await door(args, {
    env: { ...stepEnv, GITHUB_OUTPUT: output },
    stdout: () => {},
    stderr: (t) => (stderr += t),
    deps: { baseDelayMs: 1 },
  });
  const outputs: Record<string, string> = Object.fromEntries(
    (await Deno.readTextFile(output)).split("\n").filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return { code, stderr, outputs };
}
