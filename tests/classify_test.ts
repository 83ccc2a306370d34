import { bucketOf, classify, RunStateSchema, stepOutputs } from "../lib/classify.ts";
import { assertEquals } from "./_assert.ts";

Deno.test("bucketOf: every W&B state, the legacy one, and unknown ones", () => {
  const expected: Record<string, string> = {
    running: "running",
    preempting: "running",
    pending: "pending",
    finished: "finished",
    failed: "failed",
    crashed: "crashed",
    killed: "aborted",
    aborted: "aborted",
    preempted: "preempted",
  };
  assertEquals(Object.keys(expected).sort(), [...RunStateSchema.options].sort());
  for (const [state, bucket] of Object.entries(expected)) assertEquals(bucketOf(state), bucket);
  for (const odd of ["Finished", "zombie", "", null, undefined]) {
    assertEquals(bucketOf(odd), "unknown");
  }
});

Deno.test("classify: counts and completeness", () => {
  const runs = (...states: (string | null)[]) => states.map((state) => ({ state }));
  const c = classify(
    runs(
      "finished",
      "finished",
      "running",
      "preempting",
      "pending",
      "killed",
      "aborted",
      "failed",
      "crashed",
      "preempted",
      "weird",
      null,
    ),
    [1, 2],
  );
  assertEquals(c.counts, {
    candidates: 12,
    baselines: 2,
    finished: 2,
    running: 2,
    pending: 1,
    failed: 1,
    crashed: 1,
    aborted: 2,
    preempted: 1,
    unknown: 2,
    stalled: 0,
  });
  assertEquals(c.complete, false);
  assertEquals(classify(runs("finished", "crashed"), []).complete, true);
  assertEquals(classify(runs("finished", "pending"), []).complete, false, "pending is not done");
  assertEquals(classify(runs("crashed"), []).complete, false, "nothing finished");
  assertEquals(classify([], []).complete, false);
  assertEquals(classify(runs("running"), []).singleRun, true);
  assertEquals(classify(runs(), []).singleRun, false);
});

Deno.test("stepOutputs: the old names and Python spellings", () => {
  const outputs = stepOutputs(classify([{ state: "finished" }], [{}]), "abc1234");
  assertEquals(outputs, {
    BOOL_COMPLETE: "True",
    BOOL_SINGLE_RUN: "True",
    NUM_FINISHED: "1",
    NUM_RUNNING: "0",
    NUM_CRASHED: "0",
    NUM_ABORTED: "0",
    NUM_BASELINES: "1",
    NUM_FAILED: "0",
    NUM_PENDING: "0",
    NUM_PREEMPTED: "0",
    NUM_UNKNOWN: "0",
    NUM_STALLED: "0",
    NUM_CANDIDATES: "1",
    SHA: "abc1234",
  });
});

Deno.test("classify: a heartbeat from the future is unreadable; the run's creation decides", () => {
  const now = Date.parse("2026-12-05T12:00:00Z");
  const rule = { now, staleAfterMs: 15 * 60_000 };
  const run = (heartbeatAt: string, createdAt = "2026-12-05T09:00:00") => ({
    name: "r1",
    state: "running",
    heartbeatAt,
    createdAt,
  });
  // 2099: never alive forever; created three hours ago, so stalled, with a note.
  const future = classify([run("2099-01-01T00:00:00")], [], rule);
  assertEquals([future.counts.stalled, future.unreadableHeartbeats], [1, ["r1"]]);
  // A minute ahead (clock skew) is a heartbeat.
  const skew = classify([run("2026-12-05T12:01:00")], [], rule);
  assertEquals([skew.counts.running, skew.unreadableHeartbeats], [1, []]);
  // Without a heartbeat for exactly --stale-after: stalled ("for this long"); a millisecond less is not.
  const edge = classify([run("2026-12-05T11:45:00")], [], rule);
  assertEquals(edge.counts.stalled, 1);
  const before = classify([run("2026-12-05T11:45:00.001")], [], rule);
  assertEquals([before.counts.stalled, before.counts.running], [0, 1]);
});

Deno.test("wandbTime: a time without a zone is UTC whatever the machine's time zone", async () => {
  const code = `
    import { wandbTime } from ${
    JSON.stringify(new URL("../lib/classify.ts", import.meta.url).href)
  };
    console.log(JSON.stringify([
      wandbTime("2026-12-05T10:00:00"),
      wandbTime("2026-12-05T10:00:00.250"),
      wandbTime("2026-12-05 10:00:00"),
      wandbTime("2026-12-05T10:00:00+05:30"),
    ]));`;
  const want = JSON.stringify([
    Date.UTC(2026, 11, 5, 10),
    Date.UTC(2026, 11, 5, 10, 0, 0, 250),
    Date.UTC(2026, 11, 5, 10),
    Date.UTC(2026, 11, 5, 4, 30),
  ]);
  for (const tz of ["UTC", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Chatham"]) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--config", new URL("../deno.json", import.meta.url).pathname, code],
      env: { TZ: tz },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout).trim();
    assertEquals(text, want, `TZ=${tz}: ${new TextDecoder().decode(out.stderr)}`);
  }
});
