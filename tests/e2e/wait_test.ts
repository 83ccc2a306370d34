// While training still runs: --wait against runs that change state over
// time, progress and the terminal view under a pseudo-terminal, baselines
// from the base commit, and help that teaches. Waiting is driven by a clock
// the test owns: no test sleeps.
import { runChatopsCli, runCommentCli, runEmulatorCli } from "../../lib/cli/mod.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { commentEvent, exampleEvent } from "../_events.ts";
import { startGithubServer } from "../_github_server.ts";
import {
  API_KEY,
  OTHER_SHA,
  PROJECT,
  run,
  runCli,
  runProcess,
  SHA,
  spawnReport,
  testFixture,
  withEmulator,
} from "../_helpers.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * A clock that moves only when the code under test sleeps. It starts at the
 * real time, which the emulator's heartbeats follow: a heartbeat more than a
 * few minutes ahead of the report's clock is unreadable, so a clock far
 * behind the emulator's would make every running run stalled.
 */
function fakeClock() {
  let t = Date.now();
  const sleeps: number[] = [];
  return {
    sleeps,
    deps: {
      now: () => t,
      sleep: (ms: number) => {
        sleeps.push(ms);
        t += ms;
        return Promise.resolve();
      },
    },
  };
}

/** The test project with its running and pending candidates finishing after `after` requests. */
function finishing(after: number) {
  const fixture = testFixture();
  for (const r of fixture.projects![0]!.runs!) {
    if (r.state === "running" || r.state === "pending") {
      (r as { becomes?: unknown }).becomes = { state: "finished", afterRequests: after };
    }
  }
  return fixture;
}

Deno.test("--wait: polls with backoff until no candidate runs, then writes everything as usual", async () => {
  await withEmulator({ fixture: finishing(4) }, async (emulator) => {
    const clock = fakeClock();
    const r = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA,
      "--metrics",
      "accuracy",
      "--wait",
      "60s",
      "--poll-interval",
      "1s",
    ], {
      deps: clock.deps,
    });
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs.BOOL_COMPLETE, "True");
    assertEquals(r.outputs.NUM_FINISHED, "4");
    assertEquals(r.outputs.NUM_RUNNING, "0");
    assertEquals(r.records.filter((x) => x["__eval.category"] === "candidate").length, 4);
    // The first report, then three polls: the runs finished on the fourth request.
    assertEquals(emulator.stats.requests, 4);
    assertEquals(clock.sleeps, [1000, 1500, 2250]);
    assertMatch(
      r.stderr,
      /^waiting: 2 finished, 1 running, 1 pending.*\(poll 0, 0 s waited, 60 s left\)$/m,
    );
    assertMatch(r.stderr, /^waiting: 4 finished, 1 failed, 1 crashed, 1 killed \(poll 3/m);
  });
});

Deno.test("--wait that runs out: BOOL_COMPLETE=False and exit 0, or exit 1 with --require-complete", async () => {
  await withEmulator({ fixture: finishing(1000) }, async (emulator) => {
    const clock = fakeClock();
    const args = [...PROJECT, "--sha", SHA, "--wait", "10", "--poll-interval", "4s"];
    const r = await runCli(emulator, args, { deps: clock.deps });
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.outputs.BOOL_COMPLETE, "False");
    assertEquals(clock.sleeps, [4000, 6000], "never past the deadline");
    assertMatch(
      r.stderr,
      /^note: waited 10s \(--wait 10s\): 2 candidate\(s\) still running or pending$/m,
    );
    const strict = await runCli(emulator, [...args, "--require-complete"], {
      deps: fakeClock().deps,
    });
    assertEquals(strict.code, 1);
    assertEquals(strict.csv !== undefined, true, "written before the exit code");
  });
});

Deno.test("--wait inside Actions: a line per poll at most every minute; --max-wait caps --wait", async () => {
  await withEmulator({ fixture: finishing(1000) }, async (emulator) => {
    const clock = fakeClock();
    const r = await runCli(
      emulator,
      [...PROJECT, "--sha", SHA, "--wait", "1h", "--max-wait", "5m", "--poll-interval", "10s"],
      { deps: clock.deps, env: { GITHUB_ACTIONS: "true" } },
    );
    assertEquals(r.code, 0, r.stderr);
    assertMatch(
      r.stderr,
      /^::notice::--wait 1h is longer than --max-wait 5m: waiting 5m$/m,
    );
    const polls = r.stderr.split("\n").filter((l) => l.startsWith("waiting: "));
    // 300 s of polls 10, 15, 22.5, 33.75, 50.6, 75.9, 92.2 s long: seven polls, a line a minute.
    assertEquals(clock.sleeps.length, 7);
    assert(polls.length >= 3 && polls.length <= 5, polls.join("\n"));
  });
});

Deno.test("--wait: Ctrl-C, SIGTERM or a hang-up while waiting ends cleanly, nothing half-written", async (t) => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    await t.step(signal, async () => {
      const dir = await Deno.makeTempDir();
      await withEmulator({ fixture: finishing(1000) }, async (emulator) => {
        let answered!: () => void;
        const first = new Promise<void>((resolve) => (answered = resolve));
        emulator.store.tick = ((tick) => (n: number) => {
          tick.call(emulator.store, n);
          if (n === 1) answered();
        })(emulator.store.tick);
        const child = spawnReport([...PROJECT, "--sha", SHA, "--wait", "1h"], {
          cwd: dir,
          wandbUrl: emulator.url,
          stdout: "null",
        });
        await first; // the report is fetching or waiting; its temporary file exists
        child.kill(signal);
        const [status] = await Promise.all([child.status, new Response(child.stderr).text()]);
        assertEquals(status.code, code);
        assertEquals([...Deno.readDirSync(dir)], [], "no CSV, no temporary file");
      });
      await Deno.remove(dir, { recursive: true });
    });
  }
});

Deno.test("--baseline-sha: the runs of the base commit are baselines, alone or beside tags", async () => {
  await withEmulator({}, async (emulator) => {
    const alone = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA,
      "--baseline-sha",
      OTHER_SHA,
      "--json",
    ]);
    assertEquals(alone.code, 0, alone.stderr);
    const ids = (r: typeof alone) =>
      JSON.parse(r.stdout).baselines.map((b: { id: string }) => b.id).sort();
    assertEquals(ids(alone), ["base0001", "othr0001"]);
    assertStringIncludes(
      alone.stderr,
      `baselines:  2 (runs that are logged for commit ${OTHER_SHA})`,
    );
    assertEquals(
      JSON.parse(alone.stdout).baselineSource,
      `runs that are logged for commit ${OTHER_SHA}`,
    );
    const both = await runCli(emulator, [
      ...PROJECT,
      "--sha",
      SHA,
      "--baseline-sha",
      OTHER_SHA.slice(0, 7),
      "--baseline-tags",
      "reference",
      "--json",
    ]);
    assertEquals(ids(both), ["base0001", "base0002", "othr0001"]);
    assertEquals(
      JSON.parse(both.stdout).baselineSource,
      `runs that carry any of the tags "reference" or that are logged for commit ${
        OTHER_SHA.slice(0, 7)
      }`,
    );
    // A candidate of this commit is never a baseline, whatever it logged.
    assert(!ids(both).some((id: string) => id.startsWith("cand")));
  });
});

Deno.test("the terminal view and the progress line, under a pseudo-terminal, colour on and off", async () => {
  const script = await new Deno.Command("sh", { args: ["-c", "command -v script"] }).output();
  if (!script.success) throw new Error("the `script` command (util-linux) is needed for this test");
  await withEmulator({}, async (emulator) => {
    emulator.injectFaults([{ status: 503, times: 1 }]);
    const dir = await Deno.makeTempDir();
    const run = async (env: Record<string, string>) => {
      const command = [
        Deno.execPath(),
        "run",
        "--quiet",
        "--allow-all",
        `${ROOT}mod.ts`,
        ...PROJECT,
        "--sha",
        SHA,
        "--baseline-tags",
        "baseline",
        "--metrics",
        "accuracy",
        "--page-size",
        "2",
      ].map((a) => `'${a}'`).join(" ");
      const out = await runProcess("script", ["-qec", command, "/dev/null"], {
        cwd: dir,
        env: {
          TERM: "xterm",
          COLUMNS: "100",
          WANDB_API_KEY: API_KEY,
          WANDB_BASE_URL: emulator.url,
          ...env,
        },
      });
      return out.stdout;
    };
    try {
      const colour = await run({});
      // The progress line updates in place, the retry is said without --debug.
      assertStringIncludes(colour, "\r\x1b[2Kfetching: ");
      assertMatch(colour, /retrying in \d+\.\d s: HTTP 503 \(attempt 1 of 6\)/);
      // deno-lint-ignore no-control-regex
      assertMatch(colour, /\x1b\[32mfinished\x1b\[39m/);
      // deno-lint-ignore no-control-regex
      assertMatch(colour, /\x1b\[32m0\.91 ▲\+0\.03\x1b\[39m/);
      const plain = await run({ NO_COLOR: "1" });
      // deno-lint-ignore no-control-regex
      assertEquals(/\x1b\[3\dm/.test(plain), false, "NO_COLOR: no colour");
      assertMatch(plain, /^candidate +cand0001 +run cand0001 +finished +0\.91 ▲\+0\.03/m);
      const quiet = await run({ NO_COLOR: "1", INPUT_QUIET: "true" });
      assertEquals(quiet.includes("fetching: "), false);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("chatops: `/get-runs wait=30m` and the PR's base commit reach the outputs", async () => {
  const server = await startGithubServer({
    repo: "Codertocat/Hello-World",
    pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature", baseRefOid: OTHER_SHA }],
    tokens: { "ghs_waittoken12345678": { login: "github-actions[bot]", write: false } },
  });
  try {
    const dir = await Deno.makeTempDir();
    const chatops = async (name: string, payload: unknown) => {
      await Deno.writeTextFile(`${dir}/event.json`, JSON.stringify(payload));
      await Deno.writeTextFile(`${dir}/out`, "");
      let stderr = "";
      const code = await runChatopsCli([], {
        env: {
          GITHUB_EVENT_NAME: name,
          GITHUB_EVENT_PATH: `${dir}/event.json`,
          GITHUB_REPOSITORY: "Codertocat/Hello-World",
          GITHUB_SHA: "f".repeat(40),
          GITHUB_TOKEN: "ghs_waittoken12345678",
          GITHUB_GRAPHQL_URL: `${server.url}/graphql`,
          GITHUB_OUTPUT: `${dir}/out`,
        },
        stdout: () => {},
        stderr: (t) => (stderr += t),
      });
      const outputs = Object.fromEntries(
        (await Deno.readTextFile(`${dir}/out`)).split("\n").filter((l) => l.includes("=")).map(
          (l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)],
        ),
      );
      return { code, stderr, outputs };
    };
    const asked = await chatops("issue_comment", commentEvent({ body: "/get-runs wait=30m" }));
    assertEquals(asked.code, 0, asked.stderr);
    assertEquals([asked.outputs.WAIT, asked.outputs.BASE_SHA], ["30m", OTHER_SHA]);
    const bad = await chatops("issue_comment", commentEvent({ body: "/get-runs wait=soon" }));
    assertEquals(bad.code, 2);
    assertMatch(bad.stderr, /comment argument "wait=soon": expected wait=DURATION with a duration/);
    const pr = exampleEvent("pull_request", "opened") as {
      pull_request: { base: { sha: string } };
    };
    const opened = await chatops("pull_request", pr);
    assertEquals(opened.outputs.BASE_SHA, pr.pull_request.base.sha);
    await Deno.remove(dir, { recursive: true });
  } finally {
    await server.close();
  }
});

Deno.test("help that teaches: groups, examples, every exit code, 100 columns; did you mean; usage on a bare call", async () => {
  const help = async (cli: typeof runCommentCli) => {
    let out = "";
    const code = await cli(["--help"], { env: {}, stdout: (t) => (out += t), stderr: () => {} });
    return { code, out };
  };
  const { runReportCli } = await import("../../lib/cli/mod.ts");
  for (const cli of [runReportCli, runChatopsCli, runCommentCli, runEmulatorCli]) {
    const { code, out } = await help(cli);
    assertEquals(code, 0);
    for (const line of out.split("\n")) assert([...line].length <= 100, line);
    assertMatch(out, /^Exit codes:\n {2}0 {3}\S/m);
    assertMatch(out, /^ {2}70 {2}a bug in wandb-report/m);
  }
  const report = (await help(runReportCli)).out;
  for (
    const group of [
      "Selecting the candidates",
      "Baselines and metrics",
      "Output",
      "Gate and waiting",
      "GitHub",
      "Network",
    ]
  ) assertMatch(report, new RegExp(`^${group}:$`, "m"));
  assertMatch(report, /^Examples:\n {2}wandb-report --project acme\/vision --sha/m);

  let stderr = "";
  const io = { env: {}, stdout: () => {}, stderr: (t: string) => (stderr += t) };
  assertEquals(await runReportCli(["--projct", "a/b"], io), 2);
  assertEquals(
    stderr,
    "error: --projct: expected one of the flags listed by --help (did you mean --project?)\n",
  );
  stderr = "";
  assertEquals(await runReportCli([], io), 2);
  assertEquals(stderr.split("\n").slice(0, 2), [
    "Usage: wandb-report --project entity/project (--sha SHA | --run-id ID) [options]",
    "Run with --help for every option.",
  ]);
});

Deno.test("a relative --out given through deno task --config resolves where the user typed it (INIT_CWD)", async () => {
  await withEmulator({}, async (emulator) => {
    const dir = await Deno.realPath(await Deno.makeTempDir());
    const { runReportCli } = await import("../../lib/cli/mod.ts");
    let stderr = "";
    const code = await runReportCli([...PROJECT, "--sha", SHA, "--out", "reports/r.csv"], {
      env: { WANDB_API_KEY: API_KEY, WANDB_BASE_URL: emulator.url, INIT_CWD: dir },
      stdout: () => {},
      stderr: (t) => (stderr += t),
    }).catch(() => -1);
    assertEquals(code, 2, "reports/ does not exist yet");
    await Deno.mkdir(`${dir}/reports`);
    stderr = "";
    const ok = await runReportCli([...PROJECT, "--sha", SHA, "--out", "reports/r.csv"], {
      env: { WANDB_API_KEY: API_KEY, WANDB_BASE_URL: emulator.url, INIT_CWD: dir },
      stdout: () => {},
      stderr: (t) => (stderr += t),
    });
    assertEquals(ok, 0, stderr);
    assertStringIncludes(stderr, `wrote ${dir}/reports/r.csv: 2 rows`);
    await Deno.remove(dir, { recursive: true });
  });
});

// The fixture option itself: a run that finishes after N requests.
Deno.test("emulator fixtures: `becomes` changes a run's state after N requests", async () => {
  const fixture = testFixture([run("late0001", "running")]);
  const late = fixture.projects![0]!.runs!.find((r) => r.name === "late0001")!;
  (late as { becomes?: unknown }).becomes = { state: "finished", afterRequests: 2 };
  await withEmulator({ fixture }, async (emulator) => {
    const state = () =>
      fetch(`${emulator.url}/graphql`, {
        method: "POST",
        headers: { authorization: `Basic ${btoa(`api:${API_KEY}`)}` },
        body: JSON.stringify({
          query:
            '{ project(name: "vision", entityName: "acme") { run(name: "late0001") { state } } }',
        }),
      }).then((r) => r.json()).then((j) => j.data.project.run.state);
    assertEquals(await state(), "running");
    assertEquals(await state(), "finished");
  });
});
