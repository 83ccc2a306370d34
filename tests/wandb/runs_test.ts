import fc from "fast-check";
import {
  decodeRunNode,
  ReportDataSchema,
  RunNodeSchema,
  unwrapConfig,
} from "../../lib/wandb/runs.ts";
import { assertEquals } from "../_assert.ts";

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

Deno.test("decodeRunNode (property): the schema's run, key order included, or undefined exactly when the schema rejects", () => {
  const text = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("finished", "", "r1"));
  const anything = fc.oneof(text, fc.constant(null), fc.integer(), fc.boolean(), fc.array(text));
  const json = fc.oneof(
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("_wandb", "value", "__proto__")),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ value: fc.jsonValue({ maxDepth: 1 }) })),
      { maxKeys: 4 },
    ).map((o) => JSON.stringify(o)),
    fc.constantFrom("", "null", "{nope", "[1]", "3", '{"loss": NaN, "x": -Infinity}', '"s"'),
  );
  // Mostly what the schema takes, now and then anything: both answers stay common.
  const mostly = <T>(valid: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: anything });
  const nullishText = fc.oneof(text, fc.constant(null));
  const node = fc.record({
    name: mostly(text),
    displayName: mostly(nullishText),
    state: mostly(nullishText),
    tags: mostly(fc.oneof(fc.array(text), fc.constant(null), fc.array(anything))),
    description: mostly(nullishText),
    createdAt: mostly(nullishText),
    heartbeatAt: mostly(nullishText),
    commit: mostly(nullishText),
    group: mostly(nullishText),
    config: mostly(fc.oneof(json, fc.constant(null))),
    summaryMetrics: mostly(fc.oneof(json, fc.constant(null))),
    extra: anything,
  }, { requiredKeys: [] });
  const seen = { accepted: 0, rejected: 0 };
  fc.assert(
    fc.property(fc.oneof(node, anything), (input) => {
      const bySchema = RunNodeSchema.safeParse(input);
      seen[bySchema.success ? "accepted" : "rejected"]++;
      const quick = decodeRunNode(input);
      assertEquals(quick === undefined, !bySchema.success);
      if (quick !== undefined && bySchema.success) {
        assertEquals(quick, bySchema.data);
        assertEquals(Object.keys(quick), Object.keys(bySchema.data));
      }
    }),
    { numRuns: 2000 },
  );
  // Both answers must be common, or the agreement says little.
  assertEquals(seen.accepted > 200 && seen.rejected > 200, true, JSON.stringify(seen));
});
