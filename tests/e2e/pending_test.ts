// A PR's first push: before training has logged a finished run the check
// waits (pending, exit 0, saying for what), never fails; --on-missing fail
// keeps the old verdict for nightly jobs; candidates that all ended without
// finishing (crashed, stalled) are judged as before.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { env, withGithub } from "../_pr.ts";
import { PROJECT, run, runCli, SHA, testFixture, withEmulator } from "../_helpers.ts";

const FRESH = "abcdef0123456789abcdef0123456789abcdef01";
const GATE = [
  "--metrics",
  "accuracy",
  "--baseline-tags",
  "baseline",
  "--gate",
  "accuracy:max:abs=0.01",
  "--app-url",
  "https://wandb.ai",
];

/** The test project plus runs of FRESH in the given states. */
function fixtureWith(states: string[]) {
  return testFixture(states.map((state, i) => run(`fresh${i}`, state, { sha: FRESH })));
}

Deno.test("pending: no run of the commit yet is a pending check, exit 0, never 'Gate failed'", async () => {
  await withEmulator({}, async (emulator) => {
    await withGithub(async (server) => {
      const result = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        FRESH,
        ...GATE,
        "--status",
        "--json",
      ], { env: env(server) });
      assertEquals(result.code, 0, result.stderr);
      assertEquals(result.outputs.GATE_VERDICT, "pending");
      assertEquals(result.outputs.GATE_PASSED, "True");
      assertEquals(result.outputs.STATUS_STATE, "pending");
      assertEquals(server.statuses.map((s) => [s.sha, s.state, s.description]), [
        [FRESH, "pending", "waiting for training: no run of abcdef0 yet"],
      ]);
      assertEquals(JSON.parse(result.stdout).gate.verdict, "pending");
      assertEquals(JSON.parse(result.stdout).gate.waiting, FRESH_WAITING);
      assert(!result.stderr.includes("Gate failed"));
      assertStringIncludes(result.stderr, "gate:       pending (waiting for training");
    });
  });
});
const FRESH_WAITING = "waiting for training: no run of abcdef0 yet";

Deno.test("pending: only running or pending runs wait; the comment's first lines say so", async () => {
  await withEmulator({ fixture: fixtureWith(["running", "running", "pending"]) }, async (emu) => {
    await withGithub(async (server) => {
      const result = await runCli(emu, [
        ...PROJECT,
        "--sha",
        FRESH,
        ...GATE,
        "--status",
        "--format",
        "markdown",
      ], { env: env(server) });
      assertEquals(result.code, 0, result.stderr);
      assertEquals(server.statuses.map((s) => [s.state, s.description]), [
        ["pending", "waiting for training: 2 runs running, 1 pending"],
      ]);
      // The state line, the title, then the wait in plain words.
      const lines = result.stdout.split("\n");
      const title = lines.findIndex((line) => line.startsWith("### W&B report"));
      assertMatch(lines[title - 1]!, /verdict=incomplete/);
      assertMatch(
        lines[title + 2]!,
        /^⏳ \*\*Waiting for training\*\* \(2 runs running, 1 pending\)/,
      );
      assert(!result.stdout.includes("Gate failed"));
    });
  });
});

Deno.test("pending: --on-missing fail judges a commit without runs as before (exit 1, failure)", async () => {
  await withEmulator({}, async (emulator) => {
    await withGithub(async (server) => {
      const result = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        FRESH,
        ...GATE,
        "--status",
        "--on-missing",
        "fail",
      ], { env: env(server) });
      assertEquals(result.code, 1, result.stderr);
      assertEquals(result.outputs.GATE_VERDICT, "failed");
      assertEquals(server.statuses.map((s) => s.state), ["failure"]);
      assertStringIncludes(result.stderr, "no finished candidate to check");
    });
  });
});

Deno.test("pending: candidates that all crashed wait for nothing; a finished one is judged", async () => {
  await withEmulator({ fixture: fixtureWith(["crashed", "failed"]) }, async (emulator) => {
    const crashed = await runCli(emulator, [...PROJECT, "--sha", FRESH, ...GATE]);
    assertEquals(crashed.code, 1, crashed.stderr);
    assertEquals(crashed.outputs.GATE_VERDICT, "failed");
  });
  // A running run beside a finished one: the finished one is judged now.
  await withEmulator({}, async (emulator) => {
    const judged = await runCli(emulator, [...PROJECT, "--sha", SHA, ...GATE]);
    assertEquals(judged.outputs.GATE_VERDICT, "passed", judged.stderr);
  });
});

Deno.test("pending: a stalled run is not training: it is judged, not waited for", async () => {
  const fixture = fixtureWith([]);
  fixture.projects![0]!.runs!.push({
    ...run("fresh9", "running", { sha: FRESH }),
    heartbeatAt: "2026-11-01T00:00:00",
  } as ReturnType<typeof run>);
  await withEmulator({ fixture }, async (emulator) => {
    const result = await runCli(emulator, [...PROJECT, "--sha", FRESH, ...GATE], {
      deps: { now: () => Date.parse("2026-11-02T00:00:00Z") },
    });
    assertEquals(result.outputs.NUM_STALLED, "1", result.stderr);
    assertEquals(result.outputs.GATE_VERDICT, "failed");
    assertEquals(result.code, 1);
  });
});

Deno.test("pending: --on-missing maybe is one line naming the input, exit 2, nothing written", async () => {
  await withEmulator({}, async (emulator) => {
    const result = await runCli(emulator, [...PROJECT, "--sha", FRESH, "--on-missing", "maybe"]);
    assertEquals(result.code, 2);
    assertEquals(result.csv, undefined);
    assertMatch(result.stderr.trim(), /^error: --on-missing: expected pending or fail/);
    assertEquals(result.stderr.trim().split("\n").length, 1);
  });
  // The same through INPUT_ON_MISSING.
  await withEmulator({}, async (emulator) => {
    const result = await runCli(emulator, [...PROJECT, "--sha", FRESH], {
      env: { INPUT_ON_MISSING: "later" },
    });
    assertEquals(result.code, 2);
    assertMatch(result.stderr, /ON_MISSING/);
  });
});
