// The verdict where branch protection can require it: a commit status per
// report, set by the report (--status) or by the status command, retried on
// GitHub's secondary rate limits; and when to comment (--comment-mode).
import { runCommentCli, runStatusCli } from "../../lib/cli/mod.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { env, READER, withGithub, WRITER } from "../_pr.ts";
import { PROJECT, run, runCli, SHA, testFixture, withEmulator } from "../_helpers.ts";

// Links to a fixed app URL: every emulator of these tests has a port of its own.
const GATE = [
  "--metrics",
  "accuracy",
  "--baseline-tags",
  "baseline",
  "--app-url",
  "https://wandb.ai",
];

Deno.test("--status: the gate's verdict on the SHA, context wandb-report/KEY, link to the run", async () => {
  await withEmulator({}, async (emulator) => {
    await withGithub(async (server) => {
      const pass = await runCli(emulator, [...PROJECT, "--sha", SHA, ...GATE, "--status"], {
        env: env(server),
      });
      assertEquals(pass.code, 0, pass.stderr);
      const fail = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        SHA,
        ...GATE,
        "--status",
        "--report-key",
        "nightly",
        "--gate",
        "accuracy:max:abs=0.001",
        "--gate",
        "loss:min",
      ], { env: env(server) });
      assertEquals(fail.code, 1, fail.stderr);
      assertEquals(server.statuses.map((s) => [s.sha, s.context, s.state]), [
        [SHA, "wandb-report/acme/vision", "success"],
        [SHA, "wandb-report/nightly", "failure"],
      ]);
      assertEquals(
        server.statuses[0]!.description,
        "no gate; 2/7 candidates finished (1 running, 1 pending, 1 failed, 1 crashed, 1 killed), " +
          "1 baseline",
      );
      // accuracy passes; loss fails (a NaN loss is no value: missing=fail).
      assertMatch(
        server.statuses[1]!.description!,
        /^gate failed: loss:min; 2\/7 candidates finished .*, 1 baseline$/,
      );
      assert(server.statuses.every((s) => s.description!.length <= 140));
      assertEquals(
        server.statuses[0]!.target_url,
        "https://github.com/Codertocat/Hello-World/actions/runs/4242",
      );
      assertEquals(pass.outputs.STATUS_STATE, "success");
      assertEquals(fail.outputs.STATUS_STATE, "failure");
      assertStringIncludes(fail.stderr, "status wandb-report/nightly: failure");
      // GitHub compares contexts without case: a key with capitals is one check with its
      // lower-case twin, and the report says so.
      const upper = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        SHA,
        ...GATE,
        "--status",
        "--report-key",
        "Nightly",
      ], { env: env(server) });
      assertEquals(upper.code, 0, upper.stderr);
      assertEquals(server.statuses.at(-1)!.context, "wandb-report/nightly");
      assertMatch(
        upper.stderr,
        /::notice::the status context is wandb-report\/nightly: GitHub compares contexts without case/,
      );
    });
  });
});

Deno.test("--status with --wait: pending first, then the verdict", async () => {
  const fixture = testFixture();
  for (const r of fixture.projects![0]!.runs!) {
    if (r.state === "running" || r.state === "pending") {
      (r as { becomes?: unknown }).becomes = { state: "finished", afterRequests: 2 };
    }
  }
  await withEmulator({ fixture }, async (emulator) => {
    await withGithub(async (server) => {
      let t = 0;
      const r = await runCli(emulator, [...PROJECT, "--sha", SHA, "--status", "--wait", "5m"], {
        env: env(server),
        deps: { now: () => t, sleep: (ms: number) => (t += ms, Promise.resolve()) },
      });
      assertEquals(r.code, 0, r.stderr);
      assertEquals(server.statuses.map((s) => s.state), ["pending", "success"]);
      assertEquals(
        server.statuses[0]!.description,
        "waiting for training: 2 of 7 finished, 1 running, 1 pending, 1 failed, 1 crashed, " +
          "1 killed, 0 min so far",
      );
    });
  });
});

Deno.test("--wait: the poll that finds training over posts no progress, only the verdict", async () => {
  const fixture = testFixture();
  for (const r of fixture.projects![0]!.runs!) {
    if (r.state === "running" || r.state === "pending") {
      (r as { becomes?: unknown }).becomes = { state: "finished", afterRequests: 2 };
    }
  }
  await withEmulator({ fixture }, async (emulator) => {
    await withGithub(async (server) => {
      let t = 0;
      // Polls 2 minutes apart: a progress update would be due when the runs are found ended.
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        SHA,
        "--status",
        "--comment",
        "--pr-number",
        "7",
        "--wait",
        "10m",
        "--poll-interval",
        "2m",
      ], {
        env: env(server),
        deps: { now: () => t, sleep: (ms: number) => (t += ms, Promise.resolve()) },
      });
      assertEquals(r.code, 0, r.stderr);
      // The wait's start shown, then the verdict: no second "waiting" once training is over.
      assertEquals(server.statuses.map((s) => s.state), ["pending", "success"]);
      assertEquals(
        server.requests.filter((q) => /Wandb(Report)?(Add|Update)Comment/.test(q)),
        ["WandbReportAddComment", "WandbReportUpdateComment"],
      );
    });
  });
});

Deno.test("status command: sets a state; a read-only token warns; bad input fails before any request", async () => {
  await withGithub(async (server) => {
    const call = async (args: string[], token = WRITER) => {
      let stderr = "";
      const code = await runStatusCli(args, {
        env: env(server, token),
        stdout: () => {},
        stderr: (t) => (stderr += t),
        deps: { baseDelayMs: 1 },
      });
      return { code, stderr };
    };
    const args = ["--sha", SHA, "--report-key", "acme/vision", "--description", "x".repeat(300)];
    const ok = await call([...args, "--state", "pending", "--target-url", "https://ci.example/1"]);
    assertEquals(ok.code, 0, ok.stderr);
    assertEquals(server.statuses[0]!.description!.length, 140);
    assertEquals(server.statuses[0]!.target_url, "https://ci.example/1");
    const readOnly = await call([...args, "--state", "success"], READER);
    assertEquals(readOnly.code, 0);
    assertMatch(
      readOnly.stderr,
      /^::warning::could not set the status wandb-report\/acme\/vision/m,
    );
    const before = server.requests.length;
    const bad = await call([...args, "--state", "done"]);
    assertEquals(bad.code, 2);
    assertMatch(
      bad.stderr,
      /^::error::--state: expected pending, success, failure, error, got "done"$/m,
    );
    const short = await call(["--sha", "abc1234", "--state", "success", "--report-key", "k"]);
    assertEquals(short.code, 2);
    assertMatch(short.stderr, /::error::--sha: expected a 40-character commit SHA/);
    assertEquals(server.requests.length, before, "no request for bad input");
  });
});

Deno.test("statuses are retried on GitHub's secondary rate limits (403 with retry-after, 429)", async () => {
  await withGithub(async (server) => {
    server.faults.push(
      { status: 403, headers: { "retry-after": "0" }, times: 1, body: '{"message":"secondary"}' },
      { status: 429, headers: { "retry-after": "0" }, times: 1 },
    );
    let stderr = "";
    const code = await runStatusCli(
      ["--sha", SHA, "--state", "success", "--report-key", "k"],
      {
        env: env(server),
        stdout: () => {},
        stderr: (t) => (stderr += t),
        deps: { baseDelayMs: 1 },
      },
    );
    assertEquals(code, 0, stderr);
    assertEquals(server.requests.length, 3);
    assertEquals(server.statuses.length, 1);
  });
});

Deno.test("--comment-mode over three successive reports: always, changes, failures, off", async () => {
  // Three reports in a row on one PR: the same data twice, then a candidate
  // regresses (the gate fails), for each mode.
  // Every candidate has ended: the verdict is the gate's alone.
  const ended = (fixture: ReturnType<typeof testFixture>) => {
    for (const r of fixture.projects![0]!.runs!) {
      if (r.state === "running" || r.state === "pending") r.state = "finished";
    }
    return fixture;
  };
  const passing = ended(testFixture());
  const failing = ended(testFixture([
    run("cand0099", "finished", { sha: SHA, metrics: { accuracy: 0.5 } }),
  ]));
  const expected: Record<string, string[]> = {
    always: ["created", "updated", "updated"],
    changes: ["created", "left as it is", "updated"],
    off: ["no comment", "no comment", "no comment"],
  };
  for (const mode of ["always", "changes", "off"]) {
    await withGithub(async (server) => {
      const said: string[] = [];
      for (const fixture of [passing, passing, failing]) {
        await withEmulator({ fixture }, async (emulator) => {
          const r = await runCli(emulator, [
            ...PROJECT,
            "--sha",
            SHA,
            ...GATE,
            "--gate",
            "accuracy:max:abs=0.1:missing=pass",
            "--comment",
            "--pr-number",
            "7",
            "--comment-mode",
            mode,
          ], { env: env(server) });
          said.push(
            r.stderr.match(/^(comment (created|updated)|comment left as it is|no comment)/m)?.[0]
              .replace(/^comment /, "") ?? r.stderr,
          );
        });
      }
      assertEquals(said, expected[mode], mode);
      assertEquals(server.comments.length, mode === "off" ? 0 : 1);
    });
  }
  // failures: nothing while it passes; a comment when it fails; updated (not left stale) when it passes again.
  await withGithub(async (server) => {
    const said: string[] = [];
    for (const fixture of [passing, failing, passing]) {
      await withEmulator({ fixture }, async (emulator) => {
        const r = await runCli(emulator, [
          ...PROJECT,
          "--sha",
          SHA,
          ...GATE,
          "--gate",
          "accuracy:max:abs=0.1:missing=pass",
          "--comment",
          "--pr-number",
          "7",
          "--comment-mode",
          "failures",
        ], { env: env(server) });
        said.push(r.stderr.match(/^(comment (created|updated)|no comment)/m)?.[0] ?? r.stderr);
      });
    }
    assertEquals(said, ["no comment", "comment created", "comment updated"]);
    assertStringIncludes(server.comments[0]!.body, "Gate passed");
  });
});

Deno.test("--comment-mode changes posts a changed report even when its verdict is the same", async () => {
  const ended = (fixture: ReturnType<typeof testFixture>) => {
    for (const r of fixture.projects![0]!.runs!) {
      if (r.state === "running" || r.state === "pending") r.state = "finished";
    }
    return fixture;
  };
  const before = ended(testFixture());
  // One more passing candidate: new data, the same verdict (pass).
  const after = ended(testFixture([
    run("cand0098", "finished", { sha: SHA, metrics: { accuracy: 0.97 } }),
  ]));
  await withGithub(async (server) => {
    const said: string[] = [];
    const verdicts: string[] = [];
    for (const fixture of [before, before, after]) {
      await withEmulator({ fixture }, async (emulator) => {
        const r = await runCli(emulator, [
          ...PROJECT,
          "--sha",
          SHA,
          ...GATE,
          "--gate",
          "accuracy:max:abs=0.1:missing=pass",
          "--comment",
          "--pr-number",
          "7",
          "--comment-mode",
          "changes",
        ], { env: env(server) });
        said.push(r.stderr.match(/^comment (created|updated|left as it is)/m)?.[1] ?? r.stderr);
        verdicts.push(r.outputs.GATE_VERDICT ?? "");
      });
    }
    assertEquals(verdicts, ["passed", "passed", "passed"]);
    assertEquals(said, ["created", "left as it is", "updated"]);
    assertStringIncludes(server.comments[0]!.body, "cand0098");
  });
});

Deno.test("comment command: --comment-mode is checked; a bad value fails before any request", async () => {
  await withGithub(async (server) => {
    let stderr = "";
    const code = await runCommentCli(
      ["--pr-number", "7", "--comment-mode", "sometimes"],
      { env: { ...env(server), INPUT_BODY: "x" }, stdout: () => {}, stderr: (t) => (stderr += t) },
    );
    assertEquals(code, 2);
    assertEquals(
      stderr.split("\n").filter((l) => !l.startsWith("::add-mask::")).join("\n"),
      '::error::--comment-mode: expected always, changes, failures, off, got "sometimes"\n',
    );
    assertEquals(server.requests, []);
  });
});

Deno.test("comments stay under GitHub's 65,536 characters in every mode; a longer body is never sent", async () => {
  // 3,000 candidates with long names: the report is cut to fit.
  const many = testFixture(
    Array.from({ length: 3000 }, (_, i) =>
      run(`big${String(i).padStart(5, "0")}`, "finished", {
        sha: SHA,
        displayName: `${"long-name-".repeat(8)}${i}`,
        metrics: { accuracy: 0.5 + i / 10_000 },
      })),
  );
  await withEmulator({ fixture: many }, async (emulator) => {
    for (const mode of ["always", "changes", "failures"]) {
      await withGithub(async (server) => {
        const r = await runCli(emulator, [
          ...PROJECT,
          "--sha",
          SHA,
          ...GATE,
          "--gate",
          "accuracy:max:abs=0.01",
          "--comment",
          "--pr-number",
          "7",
          "--comment-mode",
          mode,
        ], { env: env(server) });
        assertEquals(r.code, 1, r.stderr);
        assertEquals(server.comments.length, 1, mode);
        assert(
          server.comments[0]!.body.length <= 65_536,
          `${mode}: ${server.comments[0]!.body.length}`,
        );
        assertStringIncludes(server.comments[0]!.body, "longer than a comment allows");
      });
    }
  });
  await withGithub(async (server) => {
    const body = `<!-- wandb-report key=k workflow=w -->\n${"x".repeat(70_000)}`;
    let stderr = "";
    const code = await runCommentCli(["--pr-number", "7"], {
      env: { ...env(server), INPUT_BODY: body },
      stdout: () => {},
      stderr: (t) => (stderr += t),
    });
    assertEquals(code, 2);
    assertMatch(
      stderr,
      /^::error::the comment body: expected at most 65536 characters \(GitHub's limit for a comment\) \(it has 70039\)$/m,
    );
    assertEquals(server.requests, []);
  });
});

Deno.test("status: no token says what to pass, in one line, exit 2 (not the schema's words)", async () => {
  let stderr = "";
  const code = await runStatusCli(
    ["--sha", SHA, "--state", "success", "--report-key", "acme/vision"],
    { env: {}, stdout: () => {}, stderr: (t) => (stderr += t) },
  );
  assertEquals(code, 2);
  assertEquals(
    stderr.trim(),
    "error: GITHUB_TOKEN: expected a token (pass github.token as GITHUB_TOKEN)",
  );
});

Deno.test("--status with a project longer than a status context can hold: one line naming --report-key, exit 2, no request", async () => {
  await withEmulator({}, async (emulator) => {
    await withGithub(async (server) => {
      const project = `acme/${"p".repeat(120)}`;
      const long = await runCli(emulator, ["--project", project, "--sha", SHA, "--status"], {
        env: env(server),
      });
      assertEquals(long.code, 2, long.stderr);
      const lines = long.stderr.trim().split("\n").filter((l) => !l.startsWith("::add-mask::"));
      assertEquals(lines.length, 1, long.stderr);
      assertMatch(lines[0]!, /--report-key: expected a report key of at most 100 characters/);
      assertEquals(server.statuses, []);
      // A key of its own makes it fit: the key is not what stops it (the project is unknown here).
      const keyed = await runCli(
        emulator,
        ["--project", project, "--sha", SHA, "--status", "--report-key", "vision"],
        { env: env(server) },
      );
      assert(!keyed.stderr.includes("--report-key"), keyed.stderr);
    });
  });
});
