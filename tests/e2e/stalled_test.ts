// Waiting you can trust: a run W&B still calls `running` whose heartbeat
// stopped is stalled. --wait stops waiting for it (well before --max-wait),
// it has its own count, and the candidates are not complete. The emulator's
// heartbeats follow the same clock the report reads; no test sleeps.
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { API_KEY, PROJECT, run, runCli, SHA, withEmulator } from "../_helpers.ts";
import type { FixtureInput } from "../../lib/emulator/fixtures.ts";

/** A clock that moves only when the code under test sleeps; the emulator reads it too. */
function fakeClock() {
  let t = Date.parse("2026-11-27T12:00:00Z");
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: (ms: number) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

function project(runs: ReturnType<typeof run>[]): FixtureInput {
  return { apiKeys: [API_KEY], projects: [{ entity: "acme", name: "vision", runs }] };
}

Deno.test("--wait ends when only stalled runs are left: NUM_STALLED=1, BOOL_COMPLETE=False", async () => {
  const clock = fakeClock();
  const dead = {
    ...run("dead0001", "running", { sha: SHA }),
    heartbeatStops: { afterRequests: 1 },
  };
  const alive = {
    ...run("live0001", "running", { sha: SHA }),
    becomes: { state: "finished", afterRequests: 3 },
  };
  const done = run("done0001", "finished", { sha: SHA });
  await withEmulator(
    { fixture: project([dead, alive, done]), now: clock.now },
    async (emulator) => {
      const r = await runCli(emulator, [
        ...PROJECT,
        "--sha",
        SHA,
        "--wait",
        "6h",
        "--max-wait",
        "6h",
        "--poll-interval",
        "5m",
        "--json",
      ], { deps: { now: clock.now, sleep: clock.sleep } });
      assertEquals(r.code, 0, r.stderr);
      assertEquals(r.outputs.NUM_STALLED, "1");
      assertEquals(r.outputs.NUM_RUNNING, "0");
      assertEquals(r.outputs.BOOL_COMPLETE, "False");
      assertEquals(r.outputs.NUM_FINISHED, "2");
      const waited = clock.sleeps.reduce((a, b) => a + b, 0);
      assert(waited < 3_600_000, `waited ${waited} ms: well before --max-wait (6 h)`);
      assertMatch(
        r.stderr,
        /^note: run dead0001 \(run dead0001\) is running but its last heartbeat was at 2026-11-27T12:00:00 \(\d+m ago\): counted as stalled \(--stale-after 15m\), not waited for, and not complete$/m,
      );
      const doc = JSON.parse(r.stdout);
      assertEquals(doc.counts.stalled, 1);
      assertEquals(doc.stalled[0].run, "dead0001");
      // The CSV is unchanged: a stalled run is no finished candidate.
      assertEquals(r.records.map((rec) => rec["run.id"]).sort(), ["done0001", "live0001"]);
    },
  );
});

Deno.test("stalled: judged by createdAt without a heartbeat; an unreadable heartbeat is a note; 0 turns it off", async () => {
  const clock = fakeClock();
  const old = {
    ...run("olds0001", "running", { sha: SHA, createdAt: "2026-11-26T00:00:00" }),
    heartbeatAt: null,
  };
  const garbled = {
    ...run("garb0001", "running", { sha: SHA, createdAt: "2026-11-26T00:00:00" }),
    heartbeatAt: "yesterday-ish",
  };
  await withEmulator({ fixture: project([old, garbled]), now: clock.now }, async (emulator) => {
    // The emulator serves "now" as a living run's heartbeat unless the
    // fixture gives one: these two give their own (null, garbled).
    const r = await runCli(emulator, [...PROJECT, "--sha", SHA], { deps: { now: clock.now } });
    assertEquals(r.code, 0, r.stderr);
    assertMatch(
      r.stderr,
      /^note: run garb0001's heartbeatAt is not a date, or is more than 5 minutes in the future: judged by when it was created$/m,
    );
    assertEquals(r.outputs.NUM_STALLED, "2", r.stderr);
    assertMatch(r.stderr, /^note: run olds0001 .*last heartbeat was at 2026-11-26T00:00:00 /m);
    const off = await runCli(emulator, [...PROJECT, "--sha", SHA, "--stale-after", "0"], {
      deps: { now: clock.now },
    });
    assertEquals([off.outputs.NUM_STALLED, off.outputs.NUM_RUNNING], ["0", "2"]);
    const bad = await runCli(emulator, [...PROJECT, "--sha", SHA, "--stale-after=-5m"]);
    assertEquals(bad.code, 2);
    assertMatch(bad.stderr, /^error: --stale-after: expected a duration such as 90s/);
  });
});
