import { ReportDataSchema, RunNodeSchema, unwrapConfig } from "../lib/wandb/runs.ts";
import { assertEquals } from "./_assert.ts";

Deno.test("RunNodeSchema: JSON strings decoded, config unwrapped, NaN kept", () => {
  const run = RunNodeSchema.parse({
    name: "a1b2c3d4",
    displayName: "eager-fox-1",
    state: "finished",
    tags: null,
    createdAt: "2024-01-01T00:00:00",
    config: JSON.stringify({
      lr: { value: 0.1, desc: null },
      model: { value: { depth: 4 } },
      raw: 3,
      _wandb: { value: { cli_version: "0.28" } },
      wandb_version: 1,
    }),
    summaryMetrics: '{"loss": NaN, "best": Infinity, "val": {"acc": 0.9}}',
  });
  assertEquals(run.tags, []);
  assertEquals(run.config, { lr: 0.1, model: { depth: 4 }, raw: 3 });
  assertEquals(run.summary, { loss: NaN, best: Infinity, val: { acc: 0.9 } });
  assertEquals(run.description, undefined);
});

Deno.test("RunNodeSchema: null, empty and missing JSON fields decode to {}", () => {
  for (const value of [null, "", "null", undefined]) {
    const run = RunNodeSchema.parse({ name: "x", config: value, summaryMetrics: value });
    assertEquals([run.config, run.summary], [{}, {}]);
  }
});

Deno.test("RunNodeSchema: broken JSON or a non-object is a decoding error, not a crash", () => {
  assertEquals(RunNodeSchema.safeParse({ name: "x", config: "{nope" }).success, false);
  assertEquals(RunNodeSchema.safeParse({ name: "x", summaryMetrics: "[1]" }).success, false);
  assertEquals(RunNodeSchema.safeParse({ name: 3 }).success, false);
});

Deno.test("unwrapConfig: only {value} envelopes are unwrapped", () => {
  assertEquals(unwrapConfig({ a: { value: null }, b: { v: 1 }, c: [1], d: null }), {
    a: null,
    b: { v: 1 },
    c: [1],
    d: null,
  });
});

Deno.test("ReportDataSchema: an unknown project is null, absent connections are allowed", () => {
  assertEquals(ReportDataSchema.parse({ project: null }), { project: null });
  assertEquals(ReportDataSchema.parse({ project: {} }), { project: {} });
  assertEquals(ReportDataSchema.safeParse({}).success, false);
});
