// The baseline that exists: a search back along the first-parent history
// (from a local git checkout, or GitHub's API), the merge base, and the
// trend, with the runs of every commit walked fetched in one W&B query.
import type { FixtureInput } from "../../lib/emulator/fixtures.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { EXAMPLE_REPO } from "../_events.ts";
import { type FakeCommit, startGithubServer } from "../_github_server.ts";
import { git, repository, shallowClone } from "../_git.ts";
import { API_KEY, PROJECT, run, runCli, withEmulator } from "../_helpers.ts";

function fixture(runs: ReturnType<typeof run>[]): FixtureInput {
  return { apiKeys: [API_KEY], projects: [{ entity: "acme", name: "vision", runs }] };
}

const metric = (sha: string, name: string, accuracy: number, state = "finished") =>
  run(name, state, { sha, metrics: { accuracy } });

Deno.test("--baseline-search: the nearest ancestor with runs, from the local checkout; one W&B request", async () => {
  const repo = await repository(8);
  try {
    const [tip, back1, back2, back3] = [...repo.main].reverse();
    const runs = [
      metric(repo.head, "cand0001", 0.91),
      metric(back3!, "base0003", 0.9),
      metric(back3!, "base0004", 0.5, "crashed"),
      metric(repo.side, "side0001", 0.1), // on a merged branch: never first-parent
      metric(back1!, "kill0001", 0.2, "killed"), // no finished run: passed over
    ];
    await withEmulator({ fixture: fixture(runs) }, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        repo.head,
        "--baseline-sha",
        tip!,
        "--baseline-search",
        "5",
        "--metrics",
        "accuracy",
        "--json",
      ], { env: { INIT_CWD: repo.dir } });
      assertEquals(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assertEquals(doc.baselines.map((b: { id: string }) => b.id), ["base0003", "base0004"]);
      assertEquals(doc.baseline, {
        requested: tip,
        sha: back3,
        distance: 3,
        skipped: 3,
        searched: 6,
        source: `the git checkout in ${repo.dir}`,
      });
      assertEquals(r.outputs.BASELINE_SHA, back3);
      assertMatch(
        r.stderr,
        new RegExp(
          `^note: baselines: the runs of ${
            back3!.slice(0, 12)
          }, 3 first-parent commits back from ` +
            `${tip!.slice(0, 12)} \\(3 without finished runs passed over\\)$`,
          "m",
        ),
      );
      assertEquals(emulator.stats.requests, 1, "one query for every commit searched");
      void back2;
      // Without --baseline-sha the search starts at the candidates' commit's first parent (the tip).
      const fromParent = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        repo.head,
        "--baseline-search",
        "5",
        "--metrics",
        "accuracy",
        "--json",
      ], { env: { INIT_CWD: repo.dir } });
      assertEquals(fromParent.code, 0, fromParent.stderr);
      const parentDoc = JSON.parse(fromParent.stdout);
      assertEquals([
        parentDoc.baseline.requested,
        parentDoc.baseline.sha,
        parentDoc.baseline.distance,
      ], [
        tip,
        back3,
        3,
      ]);
      assertEquals(fromParent.outputs.BASELINE_SHA, back3);
      assertMatch(
        fromParent.stderr,
        /searching from [0-9a-f]{12}, the first parent of [0-9a-f]{12}/,
      );
    });
  } finally {
    await Deno.remove(repo.dir, { recursive: true });
  }
});

Deno.test("--baseline-search: runs beyond N are not found; a note names the range searched", async () => {
  const repo = await repository(8);
  try {
    const chain = [...repo.main].reverse();
    await withEmulator(
      { fixture: fixture([metric(chain[5]!, "far00001", 0.9)]) },
      async (emulator) => {
        const r = await runCli(emulator, [
          ...PROJECT,
          "--sha",
          repo.head,
          "--baseline-sha",
          chain[0]!,
          "--baseline-search",
          "3",
        ], { env: { INIT_CWD: repo.dir } });
        assertEquals(r.code, 0, r.stderr);
        assertEquals(r.outputs.BASELINE_SHA, "");
        assertEquals(r.outputs.NUM_BASELINES, "0");
        assertStringIncludes(
          r.stderr,
          `note: no commit of the 4 first-parent commits searched (${chain[0]!.slice(0, 12)}..${
            chain[3]!.slice(0, 12)
          }) has 1 finished run logged: no baselines from a commit`,
        );
      },
    );
  } finally {
    await Deno.remove(repo.dir, { recursive: true });
  }
});

Deno.test("a shallow clone: the search says how deep it went and which fetch-depth would do", async () => {
  const repo = await repository(8);
  const shallow = `${repo.dir}-shallow`;
  try {
    await shallowClone(repo.dir, shallow, 2, "main");
    const tip = repo.main.at(-1)!;
    await withEmulator({ fixture: fixture([]) }, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        repo.head,
        "--baseline-sha",
        tip,
        "--baseline-search",
        "10",
      ], { env: { INIT_CWD: shallow } });
      assertEquals(r.code, 0, r.stderr);
      assertMatch(
        r.stderr,
        new RegExp(
          `note: the clone is shallow: its history stops 2 commits back from ${
            tip.slice(0, 12)
          }; ` +
            "fetch-depth: 11 \\(or 0 for all\\) in actions/checkout would hold what was asked",
        ),
      );
    });
  } finally {
    await Deno.remove(repo.dir, { recursive: true });
    await Deno.remove(shallow, { recursive: true });
  }
});

Deno.test("--merge-base: where the PR branched, from git; a stale base tip is not the baseline", async () => {
  const repo = await repository(6);
  try {
    // main moved on after the PR branched: its new tip has runs that must not count.
    await git(repo.dir, ["checkout", "-q", "main"]);
    await git(
      repo.dir,
      ["commit", "-q", "--allow-empty", "-m", "later on main"],
      "2026-12-01T00:00:00Z",
    );
    const stale = await git(repo.dir, ["rev-parse", "HEAD"]);
    const branchPoint = repo.main.at(-1)!;
    const runs = [
      metric(repo.head, "cand0001", 0.91),
      metric(stale, "stal0001", 0.99),
      metric(branchPoint, "mbse0001", 0.9),
    ];
    await withEmulator({ fixture: fixture(runs) }, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        repo.head,
        "--baseline-sha",
        stale,
        "--merge-base",
        "--json",
      ], { env: { INIT_CWD: repo.dir } });
      assertEquals(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assertEquals(doc.baselines.map((b: { id: string }) => b.id), ["mbse0001"]);
      assertEquals(r.outputs.BASELINE_SHA, branchPoint);
      assertStringIncludes(r.stderr, `is ${branchPoint.slice(0, 12)} (from the git checkout`);
    });
  } finally {
    await Deno.remove(repo.dir, { recursive: true });
  }
});

/** The same history as GitHub holds it, for the API path. */
function githubCommits(count: number): FakeCommit[] {
  const commits: FakeCommit[] = [];
  for (let i = 0; i < count; i++) {
    const sha = (i + 1).toString(16).padStart(40, "a");
    commits.push({
      sha,
      parents: i + 1 < count ? [(i + 2).toString(16).padStart(40, "a")] : [],
      date: new Date(Date.parse("2026-11-30T00:00:00Z") - i * 3_600_000).toISOString(),
    });
  }
  return commits; // newest first
}

Deno.test("GitHub's history when no checkout holds it: a 50-commit search and trend cost one W&B request", async () => {
  const commits = githubCommits(60);
  const runs = [
    run("cand0001", "finished", { sha: "c".repeat(40), metrics: { accuracy: 0.95 } }),
    ...[3, 10, 20, 30, 45].flatMap((i) => [
      metric(commits[i]!.sha, `hist${String(i).padStart(4, "0")}`, 0.8 + i / 1000),
      metric(commits[i]!.sha, `hisu${String(i).padStart(4, "0")}`, 0.82 + i / 1000),
    ]),
    metric(commits[55]!.sha, "beyond00", 0.5), // beyond 50 commits
  ];
  const token = "ghs_historyreader7Hq2Lx9Vb4";
  const github = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [],
    tokens: { [token]: { login: "bot", write: false } },
    commits,
  });
  const empty = await Deno.makeTempDir();
  try {
    await withEmulator({ fixture: fixture(runs) }, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        "c".repeat(40),
        "--baseline-sha",
        commits[0]!.sha,
        "--baseline-search",
        "50",
        "--trend",
        "50",
        "--metrics",
        "accuracy",
        "--json",
        "--page-size",
        "1000",
      ], {
        env: {
          INIT_CWD: empty,
          GITHUB_TOKEN: token,
          GITHUB_REPOSITORY: EXAMPLE_REPO,
          GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
        },
      });
      assertEquals(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assertEquals([doc.baseline.sha, doc.baseline.distance], [commits[3]!.sha, 3]);
      assertEquals(doc.baseline.source, `GitHub's API (${EXAMPLE_REPO})`);
      // The trend, oldest first: every commit of the 50 with finished runs, none beyond.
      assertEquals(
        doc.trend.map((p: { sha: string }) => p.sha),
        [45, 30, 20, 10, 3].map((i) => commits[i]!.sha),
      );
      assertEquals(doc.trend.at(-1).n, 2);
      assertEquals(doc.trend.at(-1).means.accuracy, 0.813);
      assertEquals(emulator.stats.requests, 1, "one W&B request for 51 commits and the trend");
      assertEquals(github.requests, ["WandbReportHistory"]);
    });
  } finally {
    await github.close();
    await Deno.remove(empty);
  }
});

Deno.test("history errors: no source, a commit it does not hold, bad N, and GitHub failing", async () => {
  const empty = await Deno.makeTempDir();
  const commits = githubCommits(3);
  const token = "ghs_historyreader7Hq2Lx9Vb4";
  const github = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [],
    tokens: { [token]: { login: "bot", write: false } },
    commits,
  });
  const viaGithub = {
    INIT_CWD: empty,
    GITHUB_TOKEN: token,
    GITHUB_REPOSITORY: EXAMPLE_REPO,
    GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
  };
  try {
    await withEmulator({ fixture: fixture([]) }, async (emulator) => {
      const base = [...PROJECT, "--sha", "c".repeat(40)];
      const cases: [string[], Record<string, string>, number, RegExp][] = [
        [
          ["--run-id", "x1", "--baseline-search", "3"],
          {},
          2,
          /^error: --baseline-search: expected a commit to search back from: --baseline-sha, or --sha \(its first parent\)/,
        ],
        [
          ["--baseline-sha", commits[0]!.sha, "--baseline-search=-1"],
          {},
          2,
          /^error: --baseline-search: expected a whole number from 0 to 500, got "-1"$/,
        ],
        [
          ["--baseline-sha", commits[0]!.sha, "--baseline-search", "1.5"],
          {},
          2,
          /^error: --baseline-search: expected a whole number from 0 to 500/,
        ],
        [
          ["--baseline-sha", commits[0]!.sha, "--baseline-search", "501"],
          {},
          2,
          /^error: --baseline-search: expected a whole number from 0 to 500/,
        ],
        [
          ["--trend", "5"],
          { INIT_CWD: empty },
          2,
          /^error: --trend: expected a commit history to read: run where the repository is checked out/,
        ],
        // A branch name is said as the cause, with or without a history to read.
        ...[{ INIT_CWD: empty }, viaGithub].map((env): [
          string[],
          Record<string, string>,
          number,
          RegExp,
        ] => [
          ["--baseline-sha", "main", "--baseline-search", "3"],
          env,
          2,
          /^error: --baseline-sha: expected a hexadecimal commit SHA to read the history from \(a branch or tag name such as main is not resolved: pass its SHA, e\.g\. \$\(git rev-parse main\)\), got "main"$/,
        ]),
        [
          ["--baseline-sha", "d".repeat(40), "--baseline-search", "3"],
          viaGithub,
          2,
          new RegExp(`^error: --baseline-sha: expected a commit of ${EXAMPLE_REPO}, got "d{40}"$`),
        ],
      ];
      for (const [args, env, code, message] of cases) {
        const r = await runCli(emulator, [...base, ...args], { env });
        assertEquals(r.code, code, `${args.join(" ")}: ${r.stderr}`);
        assertEquals(r.stderr.trim().split("\n").length, 1, r.stderr);
        assertMatch(r.stderr.trim(), message);
        assertEquals([r.csv, r.githubOutput], [undefined, ""], "nothing written");
      }
      assertEquals(emulator.stats.requests, 0, "nothing asked of W&B");
      // GitHub failing for good while the history is read: exit 3, one line, nothing written.
      github.faults.push({ status: 502, times: 10 });
      const failing = await runCli(emulator, [
        ...base,
        "--baseline-sha",
        commits[0]!.sha,
        "--baseline-search",
        "3",
        "--max-attempts",
        "2",
      ], { env: viaGithub });
      assertEquals(failing.code, 3, failing.stderr);
      assertMatch(
        failing.stderr.trim(),
        /^error: GitHub at 127\.0\.0\.1:\d+ failed with HTTP 502/,
      );
      assertEquals([failing.csv, failing.githubOutput], [undefined, ""]);
      assertEquals(github.requests.filter((r) => r === "WandbReportHistory").length, 3, "retried");
    });
  } finally {
    await github.close();
    await Deno.remove(empty);
  }
});

Deno.test("the demo finds its baseline three commits back and shows the trend", async () => {
  const { runDemoCli } = await import("../../lib/cli/mod.ts");
  const dir = await Deno.makeTempDir();
  let stdout = "";
  let stderr = "";
  try {
    const code = await runDemoCli(["--format", "json"], {
      env: { INIT_CWD: dir },
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    assertEquals(code, 0, stderr);
    const doc = JSON.parse(stdout);
    assertEquals([doc.baseline.distance, doc.baseline.skipped], [3, 3]);
    assertEquals(doc.trend.length, 4);
    assert(doc.trend.every((p: { n: number }) => p.n >= 1));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--min-baseline-runs: a commit with fewer finished runs is passed over", async () => {
  const repo = await repository(5);
  try {
    const chain = [...repo.main].reverse();
    const runs = [
      metric(chain[1]!, "one00001", 0.9),
      metric(chain[2]!, "two00001", 0.8),
      metric(chain[2]!, "two00002", 0.81),
    ];
    await withEmulator({ fixture: fixture(runs) }, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        repo.head,
        "--baseline-sha",
        chain[0]!,
        "--baseline-search",
        "4",
        "--min-baseline-runs",
        "2",
      ], { env: { INIT_CWD: repo.dir } });
      assertEquals(r.code, 0, r.stderr);
      assertEquals(r.outputs.BASELINE_SHA, chain[2]);
      assertStringIncludes(r.stderr, "(2 with fewer than 2 finished runs passed over)");
    });
  } finally {
    await Deno.remove(repo.dir, { recursive: true });
  }
});

Deno.test("--noise-history: σ pooled from main's commits in the same one query; inconclusive and --on-inconclusive", async () => {
  const repo = await repository(12);
  try {
    // Every main commit: three seeds spread by exactly 0.01 (sd 0.01), drifting by commit.
    const runs = repo.main.flatMap((sha, i) =>
      [-0.01, 0, 0.01].map((d, s) => metric(sha, `main${i}s${s}`, 0.9 + i * 0.002 + d))
    );
    const tip = repo.main.at(-1)!;
    const base = [
      ...PROJECT,
      "--baseline-sha",
      tip,
      "--noise-history",
      "10",
      "--gate",
      "accuracy:max:alpha=0.05:mde=0.01",
      "--json",
    ];
    // One seed on the PR: not enough to tell a 0.01 drop, even with σ known.
    await withEmulator({
      fixture: fixture([...runs, metric(repo.head, "cand0001", 0.921)]),
    }, async (emulator) => {
      const r = await runCli(emulator, ["--sha", repo.head, ...base], {
        env: { INIT_CWD: repo.dir },
      });
      assertEquals(r.code, 0, r.stderr);
      const { gate } = JSON.parse(r.stdout);
      const [verdict] = gate.verdicts;
      assertEquals([gate.verdict, gate.passed, verdict.verdict], [
        "inconclusive",
        true,
        "inconclusive",
      ]);
      assertEquals([verdict.noise.source, verdict.noise.df], ["history", 20]);
      assertEquals(verdict.noise.sd.toFixed(6), "0.010000");
      assert(verdict.test.seedsNeeded > 1, String(verdict.test.seedsNeeded));
      assertEquals([r.outputs.GATE_VERDICT, r.outputs.GATE_PASSED], ["inconclusive", "True"]);
      assertMatch(r.stderr, /σ 0\.01 pooled from 10 commits of the base branch \(30 runs\)/);
      assertMatch(
        r.stderr,
        /^gate: accuracy in mean of 1: .*inconclusive: worse by at most [0-9.]+ at 95 %, more than the 0\.01 allowed cannot be ruled out with 1 seed; \d+ seeds a side would tell a 0\.01 drop/m,
      );
      assertEquals(emulator.stats.requests, 1, "history, baselines and candidates in one query");
      // --on-inconclusive fail blocks, and the markdown and the status say so.
      const strict = await runCli(
        emulator,
        [
          "--sha",
          repo.head,
          ...base.slice(0, -1),
          "--on-inconclusive",
          "fail",
          "--format",
          "markdown",
        ],
        { env: { INIT_CWD: repo.dir } },
      );
      assertEquals(strict.code, 1, strict.stderr);
      assertEquals([strict.outputs.GATE_VERDICT, strict.outputs.GATE_PASSED], [
        "inconclusive",
        "False",
      ]);
      assertMatch(
        strict.outputs.STATUS_DESCRIPTION!,
        /^gate inconclusive: accuracy:max:alpha=0\.05:mde=0\.01;/,
      );
      assertStringIncludes(strict.stdout, "❌ **Gate inconclusive**: 1 rule could not tell");
      // A report on another commit than the PR head says it is not the PR's check.
      const other = await runCli(
        emulator,
        ["--sha", repo.head, ...base.slice(0, -1), "--pr-head-sha", tip, "--format", "markdown"],
        { env: { INIT_CWD: repo.dir } },
      );
      assertMatch(
        other.stdout,
        /> ℹ️ This report is on commit [0-9a-f]{40}, not on the pull request's head/,
      );
    });
    // Three seeds 0.03 (3σ) worse: significant and beyond nothing: failed.
    await withEmulator({
      fixture: fixture([
        ...runs,
        ...[-0.01, 0, 0.01].map((d, s) => metric(repo.head, `cand${s}`, 0.922 - 0.03 + d)),
      ]),
    }, async (emulator) => {
      const r = await runCli(emulator, ["--sha", repo.head, ...base], {
        env: { INIT_CWD: repo.dir },
      });
      assertEquals(r.code, 1, r.stderr);
      assertEquals(JSON.parse(r.stdout).gate.verdict, "failed");
      assertEquals(r.outputs.GATE_VERDICT, "failed");
    });
  } finally {
    await Deno.remove(repo.dir, { recursive: true });
  }
});

Deno.test("the calibrated gate's inputs: one line naming the input, exit 2, nothing written", async () => {
  await withEmulator({ fixture: fixture([]) }, async (emulator) => {
    for (
      const [args, want] of [
        [
          ["--noise-history=-3"],
          /^::error::--noise-history: expected a whole number from 0 to 500/,
        ],
        [
          ["--on-inconclusive", "maybe"],
          /^::error::--on-inconclusive: expected pass or fail, got "maybe"/,
        ],
        [
          ["--gate", "m:max:alpha=0"],
          /^::error::--gate: expected .* \(alpha must be a level above 0/,
        ],
        [
          ["--gate", "m:max:alpha=0.5"],
          /alpha must be a level above 0 and at most 0\.2, not "0\.5"/,
        ],
        [["--gate", "m:max:alpha=x"], /alpha must be a level above 0/],
        [["--gate", "m:max:alpha=0.05:mde=-1"], /mde must be a regression size > 0, not "-1"/],
        [["--gate", "m:max:alpha=0.05:ref=best"], /ref=best conflicts with it/],
        [
          ["--run-id", "x1", "--noise-history", "5"],
          /--noise-history: expected a commit to walk back from/,
        ],
      ] as const
    ) {
      const dir = await Deno.makeTempDir();
      try {
        const r = await runCli(emulator, [
          ...PROJECT,
          "--sha",
          "abc1234",
          ...args,
          "--out",
          `${dir}/r.csv`,
        ], {
          env: { GITHUB_ACTIONS: "true" },
        });
        assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
        // In Actions the key is masked first (::add-mask::); then one error line.
        const lines = r.stderr.trim().split("\n").filter((l) => !l.startsWith("::add-mask::"));
        assertEquals(lines.length, 1, r.stderr);
        assertMatch(lines[0]!, want);
        assertEquals([...Deno.readDirSync(dir)], [], "nothing written");
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    }
    assertEquals(emulator.stats.requests, 0);
  });
});

Deno.test("GITHUB_API_URL or GITHUB_GRAPHQL_URL that is not http(s): exit 2 before any request", async () => {
  await withEmulator({ fixture: fixture([]) }, async (emulator) => {
    for (
      const [name, value] of [["GITHUB_API_URL", "javascript:alert(1)"], [
        "GITHUB_GRAPHQL_URL",
        "file:///etc/passwd",
      ]]
    ) {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        "abc1234",
        "--comment",
        "--pr-number",
        "1",
      ], {
        env: { GITHUB_TOKEN: "ghs_x", GITHUB_REPOSITORY: "o/r", [name]: value },
      });
      assertEquals(r.code, 2, r.stderr);
      assertMatch(
        r.stderr,
        new RegExp(`^error: ${name}: expected an http:// or https:// URL`, "m"),
      );
    }
    assertEquals(emulator.stats.requests, 0);
  });
});

Deno.test("GitHub's history on a merge commit follows the first parent, never the merged branch", async () => {
  // main: m3 ← m2 (merge: first parent m1, second s1) ← ... where the side
  // branch's s1 is newer than m1 (GitHub's history lists it first by date).
  const h = (n: number) => n.toString(16).padStart(40, "b");
  const at = (hours: number) =>
    new Date(Date.parse("2026-11-30T00:00:00Z") + hours * 3_600_000)
      .toISOString();
  const [m0, m1, s1, m2, m3] = [h(1), h(2), h(3), h(4), h(5)];
  const commits: FakeCommit[] = [
    { sha: m3, parents: [m2], date: at(5) },
    { sha: m2, parents: [m1, s1], date: at(4) },
    { sha: s1, parents: [m0], date: at(3) },
    { sha: m1, parents: [m0], date: at(1) },
    { sha: m0, parents: [], date: at(0) },
  ];
  const runs = [
    metric(s1, "side0001", 0.1), // on the merged branch: never a baseline
    metric(m1, "main0001", 0.9),
    metric("c".repeat(40), "cand0001", 0.91),
  ];
  const token = "ghs_mergereader3Kq8";
  const github = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [],
    tokens: { [token]: { login: "bot", write: false } },
    commits,
  });
  const empty = await Deno.makeTempDir();
  try {
    await withEmulator({ fixture: fixture(runs) }, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        "c".repeat(40),
        "--baseline-sha",
        m3,
        "--baseline-search",
        "4",
        "--trend",
        "5",
        "--metrics",
        "accuracy",
        "--json",
      ], {
        env: {
          INIT_CWD: empty,
          GITHUB_TOKEN: token,
          GITHUB_REPOSITORY: EXAMPLE_REPO,
          GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
        },
      });
      assertEquals(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      // m3 and m2 have no runs; the first parent of the merge is m1: two back.
      assertEquals([doc.baseline.sha, doc.baseline.distance], [m1, 2]);
      assertEquals(doc.baselines.map((b: { id: string }) => b.id), ["main0001"]);
      assertEquals(doc.trend.map((p: { sha: string }) => p.sha), [m1]);
    });
  } finally {
    await github.close();
    await Deno.remove(empty);
  }
});

Deno.test("--noise-history: the base branch's, never the PR's own commits (--history-base); groups are not commits", async () => {
  const repo = await repository(8);
  try {
    // An earlier push of the PR with two wild seeds, then the head the report is on.
    const earlier = repo.head;
    await git(repo.dir, ["commit", "-q", "--allow-empty", "-m", "second push"]);
    const head = await git(repo.dir, ["rev-parse", "HEAD"]);
    // main's tip's seeds are tagged as the baselines too.
    const main = repo.main.flatMap((sha, i) =>
      [-0.003, 0, 0.003].map((d, s) =>
        run(`main${i}s${s}`, "finished", {
          sha,
          metrics: { accuracy: 0.9 + d },
          tags: i === repo.main.length - 1 ? ["baseline"] : [],
        })
      )
    );
    const runs = [
      ...main,
      ...[0.5, 0.9, 1.3].map((v, s) => metric(earlier, `push1s${s}`, v)),
      ...[0.9, 0.9, 0.9].map((v, s) => metric(head, `cand${s}`, v)),
    ];
    const args = [
      ...PROJECT,
      "--sha",
      head,
      "--noise-history",
      "20",
      "--baseline-tags",
      "baseline",
      "--gate",
      "accuracy:max:alpha=0.05:mde=0.01",
      "--json",
    ];
    await withEmulator({ fixture: fixture(runs) }, async (emulator) => {
      const walked = await runCli(emulator, args, { env: { INIT_CWD: repo.dir } });
      // From the head, the PR's earlier push counts as one of main's commits (9, not 8); its
      // wild seeds are left out as diverged, but it is not the base branch's history.
      assertMatch(walked.stderr, /pooled from 9 commits of the base branch/);
      const based = await runCli(emulator, [...args, "--history-base", repo.main.at(-1)!], {
        env: { INIT_CWD: repo.dir },
      });
      assertEquals(based.code, 0, based.stderr);
      const verdict = JSON.parse(based.stdout).gate.verdicts[0];
      // main's 8 commits (s = 0.003, 2 df each) and the PR's own 3 equal seeds (2 df, s = 0) pooled:
      // √(16 · 0.003² / 18) = 0.002828.
      assertEquals(verdict.noise.sd.toFixed(6), (0.003 * Math.sqrt(16 / 18)).toFixed(6));
      assertMatch(
        based.stderr,
        /σ 0\.002828 pooled from 8 commits of the base branch \(24 runs\) and this PR's 3 seeds/,
      );
      assertEquals(verdict.verdict, "passed"); // a 0.01 drop is ruled out with σ 0.003
    });
    // Two groups per commit (lr 1 and 2): still 8 commits, not 16.
    const grouped = repo.main.flatMap((sha, i) =>
      [1, 1, 2, 2].map((lr, s) =>
        run(`g${i}s${s}`, "finished", {
          sha,
          metrics: { accuracy: 0.9 + (s % 2 ? 0.003 : -0.003) },
          config: { lr },
          tags: i === repo.main.length - 1 ? ["baseline"] : [],
        })
      )
    );
    const cands = [1, 1, 2, 2].map((lr, s) =>
      run(`gc${s}`, "finished", { sha: head, metrics: { accuracy: 0.9 }, config: { lr } })
    );
    await withEmulator({ fixture: fixture([...grouped, ...cands]) }, async (emulator) => {
      const r = await runCli(emulator, [
        ...args,
        "--history-base",
        repo.main.at(-1)!,
        "--group-by",
        "lr",
      ], { env: { INIT_CWD: repo.dir } });
      assertEquals(r.code, 0, r.stderr);
      assertMatch(r.stderr, /pooled from 8 commits of the base branch \(32 runs\)/);
      assert(!/pooled from 16 commits/.test(r.stderr));
    });
  } finally {
    await Deno.remove(repo.dir, { recursive: true });
  }
});

Deno.test("--noise-history from the candidates' own commit (a short --sha): their seeds are never main's noise", async () => {
  const repo = await repository(12);
  try {
    // Main: three seeds spread by exactly 0.01 a commit. The PR: three seeds spread by 0.05.
    const runs = repo.main.flatMap((sha, i) =>
      [-0.01, 0, 0.01].map((d, s) => metric(sha, `main${i}s${s}`, 0.9 + i * 0.002 + d))
    );
    const pr = [-0.01, 0, 0.01].map((d, s) => metric(repo.head, `cand000${s}`, 0.92 + d));
    // Tagged baselines off the chain: the comparison needs some, the noise does not use them.
    const tagged = [0.91, 0.92].map((v, s) =>
      run(`tag000${s}`, "finished", {
        sha: "e".repeat(40),
        tags: ["baseline"],
        metrics: { accuracy: v },
      })
    );
    await withEmulator({ fixture: fixture([...runs, ...pr, ...tagged]) }, async (emulator) => {
      // No --baseline-sha and no --history-base: the chain starts at the PR's own commit.
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        repo.head.slice(0, 7),
        "--baseline-tags",
        "baseline",
        "--noise-history",
        "11",
        "--gate",
        "accuracy:max:alpha=0.05:mde=0.01",
        "--json",
      ], { env: { INIT_CWD: repo.dir } });
      assertEquals(r.code, 0, r.stderr);
      // Counted, the PR's seeds would make 11 commits and σ ≈ 0.018: main's 10 alone are 0.01.
      assertMatch(r.stderr, /σ 0\.01 pooled from 10 commits of the base branch \(30 runs\)/);
    });
  } finally {
    await Deno.remove(repo.dir, { recursive: true });
  }
});

Deno.test("--noise-history with --group-by: σ within each group of each commit, never across groups", async () => {
  const repo = await repository(12);
  try {
    // Two learning rates a commit, 0.1 apart in level; within each, seeds 0.01 apart.
    const seeds = (sha: string, tag: string, lr: number, level: number) =>
      [-0.01, 0, 0.01].map((d, s) =>
        run(`${tag}s${s}`, "finished", { sha, config: { lr }, metrics: { accuracy: level + d } })
      );
    const runs = repo.main.flatMap((sha, i) => [
      ...seeds(sha, `m${i}a`, 0.1, 0.9),
      ...seeds(sha, `m${i}b`, 0.01, 0.8),
    ]);
    const pr = [...seeds(repo.head, "pra", 0.1, 0.9), ...seeds(repo.head, "prb", 0.01, 0.8)];
    await withEmulator({ fixture: fixture([...runs, ...pr]) }, async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        repo.head,
        "--baseline-sha",
        repo.main.at(-1)!,
        "--noise-history",
        "10",
        "--group-by",
        "lr",
        "--gate",
        "accuracy:max:alpha=0.05:mde=0.01",
        "--json",
      ], { env: { INIT_CWD: repo.dir } });
      assertEquals(r.code === 2, false, r.stderr);
      // Pooled across the two learning rates, σ would be about 0.055.
      assertMatch(r.stderr, /σ 0\.01 pooled from \d+ commits of the base branch/);
      assert(!/σ 0\.0[2-9]/.test(r.stderr), r.stderr);
    });
  } finally {
    await Deno.remove(repo.dir, { recursive: true });
  }
});
