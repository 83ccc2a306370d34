// End to end: the report CLI over HTTP against the W&B emulator, for every
// mode and every failure the issue lists.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import {
  API_KEY,
  OTHER_SHA,
  PROJECT,
  run,
  runCli,
  SECONDARY,
  SHA,
  testFixture,
  withEmulator,
} from "../_helpers.ts";
import { type Emulator, startEmulator } from "../../lib/emulator/server.ts";

const BASELINES = ["--baseline-tags", "['baseline', 'reference']"];

Deno.test("sha mode: candidates, baselines, metrics and config vars", async () => {
  await withEmulator({}, async (emulator) => {
    const r = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA,
      ...BASELINES,
      "--metrics",
      "['accuracy', 'loss', 'missing_metric']",
      "--config-vars",
      "lr, model",
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs, {
      BOOL_COMPLETE: "False",
      BOOL_SINGLE_RUN: "False",
      NUM_FINISHED: "2",
      NUM_RUNNING: "1",
      NUM_CRASHED: "1",
      NUM_ABORTED: "1",
      NUM_BASELINES: "2",
      NUM_FAILED: "1",
      NUM_PENDING: "1",
      NUM_PREEMPTED: "0",
      NUM_UNKNOWN: "0",
      NUM_STALLED: "0",
      NUM_CANDIDATES: "7",
      SHA,
      GATE_PASSED: "True",
      GATE_VERDICT: "none",
      STATUS_STATE: "success",
      STATUS_DESCRIPTION:
        "no gate; 2/7 candidates finished (1 running, 1 pending, 1 failed, 1 crashed, " +
        "1 killed), 2 baselines",
    });
    assertEquals(
      r.csv!.split("\n")[0],
      [
        "run.url",
        "run.name",
        "run.tags",
        "run.id",
        "run.entity",
        "run.project",
        "github_sha",
        "run.description",
        "accuracy",
        "loss",
        "missing_metric",
        "_lr",
        "_model",
        "__eval.category",
      ].join(","),
    );
    // Finished candidates first, then every baseline in any state; the
    // candidate tagged "baseline" stays a candidate.
    assertEquals(r.records.map((x) => [x["run.id"], x["__eval.category"]]), [
      ["cand0001", "candidate"],
      ["cand0002", "candidate"],
      ["base0001", "baseline"],
      ["base0002", "baseline"],
    ]);
    const [c1, c2, b1, b2] = r.records;
    assertEquals(c1!["run.url"], `${emulator.url}/acme/vision/runs/cand0001`);
    assertEquals(c1!["run.name"], "run cand0001");
    assertEquals(c1!["run.tags"], "[]");
    assertEquals(c2!["run.tags"], '["baseline"]');
    assertEquals(c1!["run.entity"], "acme");
    assertEquals(c1!["run.project"], "vision");
    assertEquals(c1!["github_sha"], SHA);
    assertEquals(c1!["accuracy"], "0.91");
    assertEquals(c2!["loss"], "NaN");
    assertEquals(c1!["missing_metric"], "");
    assertEquals(c1!["_lr"], "0.01");
    assertEquals(c1!["_model"], '{"depth":4}');
    assertEquals(b1!["github_sha"], OTHER_SHA);
    assertEquals(b2!["github_sha"], "");
    // One request carried both connections; one more named what a candidate logged
    // (missing_metric is in no run).
    assertEquals(emulator.stats.operations, { WandbReportRuns: 1, WandbReportSummaryKeys: 1 });
    assertMatch(r.stderr, /^note: run \S+ logged .*: no candidate has "missing_metric"$/m);
    assertEquals(r.files, ["github_output", "wandb_report.csv"]);
  });
});

Deno.test("sha + secondary sha narrows candidates; baselines exclude only those", async () => {
  await withEmulator({}, async (emulator) => {
    const r = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA,
      "--secondary-sha",
      SECONDARY,
      "--baseline-tags",
      "baseline",
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs.NUM_CANDIDATES, "1");
    assertEquals(r.outputs.BOOL_SINGLE_RUN, "True");
    assertEquals(r.outputs.BOOL_COMPLETE, "True");
    // cand0002 has the SHA but not the secondary SHA, so it is not a candidate
    // and, being tagged, it is a baseline.
    assertEquals(r.records.map((x) => [x["run.id"], x["__eval.category"]]), [
      ["cand0001", "candidate"],
      ["base0001", "baseline"],
      ["cand0002", "baseline"],
    ]);
  });
});

Deno.test("run-id mode: one candidate, baselines exclude it", async () => {
  await withEmulator({}, async (emulator) => {
    const r = await runCli(emulator, [...PROJECT, "--run-id", "cand0002", ...BASELINES]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs.NUM_CANDIDATES, "1");
    assertEquals(r.outputs.NUM_BASELINES, "2");
    assertEquals(r.outputs.SHA, SHA, "SHA output comes from the run's config");
    assertEquals(r.records.map((x) => x["run.id"]), ["cand0002", "base0001", "base0002"]);
  });
});

Deno.test("run-id and sha together: the run id wins and a note says so", async () => {
  await withEmulator({}, async (emulator) => {
    const r = await runCli(emulator, [...PROJECT, "--run-id", "cand0001", "--sha", OTHER_SHA]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs.NUM_CANDIDATES, "1");
    assertStringIncludes(r.stderr, "note: run id cand0001 given: the SHA filters are ignored");
  });
});

Deno.test("baselines off: no baseline connection is requested", async () => {
  await withEmulator({}, async (emulator) => {
    const r = await runCli(emulator, [...PROJECT, "--sha", SHA, "--json"]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs.NUM_BASELINES, "0");
    assertEquals(r.records.map((x) => x["__eval.category"]), ["candidate", "candidate"]);
    const json = JSON.parse(r.stdout);
    assertEquals(json.baselines, []);
    assertEquals(json.counts.candidates, 7);
  });
});

Deno.test("--match-commit also matches W&B's built-in commit field", async () => {
  // A server that filters on commit (see dropin_test.ts for one that does not).
  await withEmulator(
    { fixture: { ...testFixture(), filterFields: ["commit"] } },
    async (emulator) => {
      const without = await runCli(emulator, [...PROJECT, "--sha", SHA]);
      const withCommit = await runCli(emulator, [...PROJECT, "--sha", SHA, "--match-commit"]);
      assertEquals(without.outputs.NUM_CANDIDATES, "7");
      assertEquals(withCommit.outputs.NUM_CANDIDATES, "8");
      assert(withCommit.records.some((x) => x["run.id"] === "cmit0001"));
    },
  );
});

Deno.test("no matches: header-only CSV, outputs say so, exit 0", async () => {
  await withEmulator({}, async (emulator) => {
    const r = await runCli(emulator, [...PROJECT, "--sha", "abcdef0", "--metrics", "acc"]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.records, []);
    assertEquals(r.csv!.trim().split("\n").length, 1);
    assertStringIncludes(r.csv!, "__eval.category");
    assertEquals(r.outputs.BOOL_COMPLETE, "False");
    assertEquals(r.outputs.NUM_CANDIDATES, "0");
    assertStringIncludes(r.stderr, "no finished runs yet");
  });
});

Deno.test("old action inputs via INPUT_* variables work unchanged", async () => {
  await withEmulator({}, async (emulator) => {
    const r = await runCli(emulator, [], {
      env: {
        INPUT_WANDB_API_KEY: API_KEY,
        WANDB_API_KEY: "",
        INPUT_PROJECT_NAME: "acme/vision",
        INPUT_FILTER_GITHUB_SHA: SHA,
        INPUT_BASELINE_TAGS: "['baseline', 'reference']",
        INPUT_DISPLAY_METRICS: "['accuracy', 'loss', '_runtime']",
        INPUT_DISPLAY_CONFIG_VARS: "['lr']",
        INPUT_DEBUG: "true",
      },
    });
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs.NUM_FINISHED, "2");
    assertStringIncludes(r.stderr, "debug: candidates: page of 7");
    assertEquals(Object.keys(r.records[0]!).slice(8), [
      "accuracy",
      "loss",
      "_runtime",
      "_lr",
      "__eval.category",
    ]);
  });
});

Deno.test("paging: small pages follow cursors to the end, one request per page pair", async () => {
  const extra = Array.from(
    { length: 23 },
    (_, i) => run(`page${String(i).padStart(4, "0")}`, "finished", { sha: SHA }),
  );
  await withEmulator({ fixture: testFixture(extra) }, async (emulator) => {
    const r = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA,
      ...BASELINES,
      "--page-size",
      "4",
      // A metric asked for: no extra request to list the logged ones.
      "--metrics",
      "accuracy",
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs.NUM_CANDIDATES, String(7 + 23));
    assertEquals(r.outputs.NUM_BASELINES, "2");
    // 30 candidates at 4 per page = 8 pages; the baselines ride along on the first.
    assertEquals(emulator.stats.requests, 8);
    assertEquals(new Set(r.records.map((x) => x["run.id"])).size, r.records.length);
  });
});

Deno.test("paging: a run created mid-way shifts offsets; duplicates are dropped", async () => {
  const extra = Array.from(
    { length: 6 },
    (_, i) => run(`shft${String(i).padStart(4, "0")}`, "finished", { sha: SHA }),
  );
  const emulator: Emulator = await startEmulator({
    fixture: testFixture(extra),
    onRequest: (n) => {
      // Sorts first (older createdAt), so every later offset moves by one
      // and the next page repeats the previous page's last run.
      if (n === 2) {
        emulator.store.addRun(
          "acme",
          "vision",
          run("late0001", "running", { sha: SHA, createdAt: "2000-01-01T00:00:00" }),
        );
      }
    },
  });
  try {
    const r = await runCli(emulator, [...PROJECT, "--sha", SHA, "--page-size", "3", "--json"]);
    assertEquals(r.code, 0, r.stderr);
    const ids = JSON.parse(r.stdout).candidates.map((c: { id: string }) => c.id);
    assertEquals(ids.length, new Set(ids).size, "no run is reported twice");
    assertEquals(ids.length, 13, "all 13 original candidates are reported once");
    assertStringIncludes(JSON.stringify(ids), "shft0005");
  } finally {
    await emulator.close();
  }
});

Deno.test("a server without keys: projections: falls back to full fields once", async () => {
  await withEmulator({ keysArgument: false }, async (emulator) => {
    const r = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA,
      ...BASELINES,
      "--metrics",
      "accuracy",
      "--debug",
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs.NUM_FINISHED, "2");
    assertEquals(r.records.map((x) => x.accuracy), ["0.91", "0.92", "0.88", "0.5"]);
    assertStringIncludes(r.stderr, "rejects keys: projections");
    assertStringIncludes(r.stderr, "note: the server does not support keys: projections");
    assertEquals(emulator.stats.requests, 2);
  });
});

Deno.test("retries: a dropped connection, 429 with RateLimit-Reset / Retry-After, 500, then success", async () => {
  const sleeps: number[] = [];
  await withEmulator({}, async (emulator) => {
    // The drop comes first: on a reused keep-alive connection Deno's HTTP
    // client re-sends by itself, and our retry loop would never see it.
    emulator.injectFaults([
      { drop: true },
      { status: 429, headers: { "RateLimit-Reset": "7" } },
      { status: 429, headers: { "Retry-After": "3" } },
      { status: 500 },
    ]);
    const r = await runCli(
      emulator,
      [...PROJECT, "--sha", SHA, "--metrics", "accuracy", "--debug"],
      {
        http: {
          sleep: (ms) => {
            sleeps.push(ms);
            return Promise.resolve();
          },
        },
      },
    );
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs.NUM_FINISHED, "2");
    assertEquals(emulator.stats.requests, 5);
    assertEquals(sleeps.slice(1, 3), [7000, 3000], "server-directed waits are honoured");
    assertEquals(sleeps.length, 4);
    assertStringIncludes(r.stderr, "as the server asked");
  });
});

Deno.test("retries: a slow answer times out and is retried", async () => {
  await withEmulator({}, async (emulator) => {
    emulator.injectFaults([{ delayMs: 1500 }]);
    const r = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA,
      "--metrics",
      "accuracy",
      "--timeout",
      "0.5",
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs.NUM_FINISHED, "2");
    assertEquals(emulator.stats.requests, 2);
  });
});

Deno.test("failures: each ends in a clear error, exit 3 and no CSV", async (t) => {
  const cases: {
    name: string;
    faults?: { status?: number; drop?: boolean; delayMs?: number; times?: number }[];
    args?: string[];
    env?: Record<string, string>;
    message: RegExp;
  }[] = [
    {
      name: "bad key",
      env: { WANDB_API_KEY: "wrong-key-000" },
      message: /rejected the API key \(HTTP 401: user is not logged in\); check WANDB_API_KEY/,
    },
    { name: "forbidden", faults: [{ status: 403 }], message: /refused access \(HTTP 403/ },
    {
      name: "unknown project",
      args: ["--project", "acme/nope"],
      message: /W&B project acme\/nope not found, or not visible to this API key/,
    },
    {
      name: "rate limited for good",
      faults: [{ status: 429, times: 10 }],
      message: /rate limiting us \(HTTP 429\) after 3 attempts/,
    },
    {
      name: "server error for good",
      faults: [{ status: 503, times: 10 }],
      message: /failed with HTTP 503 after 3 attempts/,
    },
    {
      name: "connection dropped every time",
      faults: [{ drop: true, times: 10 }],
      message: /could not be reached: .*after 3 attempts/,
    },
    {
      name: "timeout every time",
      faults: [{ delayMs: 800, times: 10 }],
      args: ["--timeout", "0.2"],
      message: /could not be reached: no answer within 0.2 s, after 3 attempts/,
    },
    { name: "query rejected", faults: [{ status: 400 }], message: /rejected the query \(HTTP 400/ },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withEmulator({}, async (emulator) => {
        if (c.faults) emulator.injectFaults(c.faults);
        const r = await runCli(emulator, [
          ...PROJECT,
          "--sha",
          SHA,
          "--max-attempts",
          "3",
          ...(c.args ?? []),
        ], { env: c.env });
        assertEquals(r.code, 3, r.stderr);
        assertMatch(r.stderr, c.message);
        // One error line; retries, shown as they happen, come before it.
        const lines = r.stderr.trim().split("\n");
        assertEquals(lines.filter((l) => !l.startsWith("retrying in ")).length, 1, "one line");
        assertMatch(lines.at(-1)!, /^error: /);
        assertEquals(r.csv, undefined, "no CSV on failure");
        assertEquals(r.githubOutput, "", "no outputs on failure");
        assertEquals(r.files, ["github_output"], "no temp files left");
      });
    });
  }
});

Deno.test("retry budget: a wait beyond --max-retry-time gives up at once", async () => {
  const sleeps: number[] = [];
  await withEmulator({}, async (emulator) => {
    emulator.injectFaults([{ status: 429, headers: { "RateLimit-Reset": "120" } }]);
    const r = await runCli(emulator, [...PROJECT, "--sha", SHA, "--max-retry-time", "60"], {
      http: { sleep: (ms) => (sleeps.push(ms), Promise.resolve()) },
    });
    assertEquals(r.code, 3);
    assertEquals(sleeps, []);
    assertEquals(emulator.stats.requests, 1);
  });
});

Deno.test("invalid input: exit 2, one line naming the input, nothing written", async (t) => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [
      ["--sha", "x y"],
      {},
      /^error: --sha: expected one token of printable characters .*, got "x y"$/,
    ],
    [["--sha", "x\u0007"], {}, /^error: --sha: expected one token of printable characters/],
    [[], {}, /^error: --sha: expected a commit SHA or --run-id/],
    [["--sha", SHA, "--baseline-tags", "['a', 1]"], {}, /--baseline-tags: .*item 2 is number/],
    [["--sha", SHA], { INPUT_BASELINE_TAGS: "['a" }, /^error: INPUT_BASELINE_TAGS: expected/],
    [["--sha", SHA, "--metrics", "[['a']]"], {}, /--metrics: .*item 1 is a nested list/],
    [["--sha", SHA, "--metrics", "['acc', ' ']"], {}, /--metrics: expected metric names that/],
    [["--sha", SHA], { WANDB_API_KEY: "" }, /^error: WANDB_API_KEY: expected your W&B API key/],
    [["--sha", SHA, "--page-size", "0"], {}, /--page-size: expected a whole number from 1/],
    [["--secondary-sha", SECONDARY], {}, /--secondary-sha: expected to be used with --sha/],
    [["--sha", SHA, "--bogus"], {}, /^error: --bogus: expected one of the flags listed by --help$/],
  ];
  for (const [args, env, message] of cases) {
    await t.step(args.join(" ") || JSON.stringify(env), async () => {
      const r = await runCli({ url: "http://127.0.0.1:9" }, [...PROJECT, ...args], { env });
      assertEquals(r.code, 2, r.stderr);
      assertMatch(r.stderr.trim(), message);
      assertEquals(r.stderr.trim().split("\n").length, 1);
      assertEquals(r.csv, undefined);
      assertEquals(r.githubOutput, "");
    });
  }
});

Deno.test("an unwritable --out: exit 2 naming --out, after nothing else was written", async () => {
  await withEmulator({}, async (emulator) => {
    const r = await runCli(emulator, [...PROJECT, "--sha", SHA, "--out", "/nonexistent/dir/r.csv"]);
    assertEquals(r.code, 2, r.stderr);
    assertMatch(
      r.stderr,
      /^error: --out: expected a writable file path, got "\/nonexistent\/dir\/r\.csv" \(/,
    );
    assertEquals(r.githubOutput, "", "no outputs for a report that was not written");
  });
});

Deno.test("the API key never appears in stdout, stderr, CSV or GITHUB_OUTPUT", async () => {
  const basic = btoa(`api:${API_KEY}`);
  const leaks = (r: { stdout: string; stderr: string; csv?: string; githubOutput: string }) =>
    [r.stdout, r.stderr, r.csv ?? "", r.githubOutput].filter((text) =>
      text.includes(API_KEY) || text.includes(basic)
    );
  await withEmulator({}, async (emulator) => {
    const runs = [
      await runCli(emulator, [...PROJECT, "--sha", SHA, ...BASELINES, "--json", "--debug"]),
      await runCli(emulator, [...PROJECT, "--project", "acme/nope", "--sha", SHA, "--debug"]),
      await runCli(emulator, [...PROJECT, "--sha", "not a sha", "--debug"]),
      await runCli(emulator, [...PROJECT, "--sha", SHA, "--debug"], {
        env: { WANDB_API_KEY: `${API_KEY} trailing` },
      }),
    ];
    emulator.injectFaults([{ status: 401, times: 1 }, { status: 503, times: 9 }]);
    runs.push(await runCli(emulator, [...PROJECT, "--sha", SHA, "--debug"]));
    runs.push(
      await runCli(emulator, [...PROJECT, "--sha", SHA, "--debug", "--max-attempts", "2"]),
    );
    assertEquals(runs.map((r) => r.code), [0, 3, 2, 2, 3, 3]);
    for (const r of runs) assertEquals(leaks(r), []);
  });
});

Deno.test("inside GitHub Actions the key is masked before anything else is printed", async () => {
  await withEmulator({}, async (emulator) => {
    const r = await runCli(emulator, [...PROJECT, "--sha", SHA], {
      env: { GITHUB_ACTIONS: "true", GITHUB_EVENT_NAME: "pull_request", GITHUB_SHA: SHA },
    });
    assertEquals(r.code, 0);
    const lines = r.stderr.split("\n");
    assertEquals(lines[0], `::add-mask::${API_KEY}`);
    assertEquals(lines[1], `::add-mask::${btoa(`api:${API_KEY}`)}`);
    // Masked lines are consumed by the runner; nowhere else does the key appear.
    assertStringIncludes(
      r.stderr,
      "\n::notice::the SHA is GITHUB_SHA, which on pull_request events",
    );
    assertEquals(lines.slice(2).filter((l) => l.includes(API_KEY)), []);
    assert(!r.stdout.includes(API_KEY));
  });
});

Deno.test("without --metrics the report lists the metric names the runs logged", async () => {
  await withEmulator({}, async (emulator) => {
    const r = await runCli(emulator, [...PROJECT, "--sha", SHA]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(
      r.stderr,
      /^note: no --metrics: no metric is shown or compared; pass the summary keys your runs log/m,
    );
    assertMatch(
      r.stderr,
      /^note: run cand0001 logged accuracy, loss: pass --metrics accuracy,loss/m,
    );
    // With --metrics, no hint and no extra request.
    const asked = await runCli(emulator, [...PROJECT, "--sha", SHA, "--metrics", "accuracy"]);
    assertEquals(/logged accuracy/.test(asked.stderr), false);
  });
});
