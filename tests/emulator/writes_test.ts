// lib/emulator/writes.ts as a unit: what W&B's JavaScript SDK really sent
// (tests/sdk_transcript.json, recorded from npm @wandb/sdk) reads as the runs
// it logged; the Python SDK's wrapped config is the same config; a malformed
// field is refused naming it; a run ends in the state its exit code means.
import {
  endState,
  parseStream,
  parseUpsert,
  unwrapConfig,
  WriteError,
} from "../../lib/emulator/writes.ts";
import { assertEquals, assertMatch, assertThrows } from "../_assert.ts";
import transcript from "../sdk_transcript.json" with { type: "json" };

type Recorded = {
  path: string;
  body: { operationName?: string; variables?: Record<string, unknown> };
};
const requests = transcript.requests as Recorded[];

Deno.test("writes: the JS SDK's upserts and streams read as the three runs it logged", () => {
  const upserts = requests.filter((r) => r.body.operationName === "UpsertBucket").map((r) => {
    // The mutation's own mapping: input {modelName: $project, entityName: $entity, …}.
    const { project, entity, ...rest } = r.body.variables!;
    return parseUpsert({ ...rest, modelName: project, entityName: entity });
  });
  assertEquals(upserts.map((u) => [u.entity, u.project, u.name]), [
    ["acme", "vision", "seed1"],
    ["acme", "vision", "seed2"],
    ["acme", "vision", "seed3"],
  ]);
  assertEquals(upserts[0]!.fields, {
    displayName: "seed1-seed",
    config: {
      github_sha: "fedcba9876543210fedcba9876543210fedcba98",
      lr: 0.01,
      model: { depth: 4 },
    },
  });
  const streams = requests.filter((r) => r.path.endsWith("/file_stream")).map((r) =>
    parseStream(r.body)
  );
  const first = streams[0]!;
  assertEquals([...first.history.keys()], [0, 1, 2]);
  assertEquals(first.history.get(2)?.accuracy, 0.91);
  assertEquals(first.summary?.accuracy, 0.91);
  const ends = streams.flatMap((s) => s.exitcode === undefined ? [] : [endState(s.exitcode)]);
  // tests/tools/sdk_train.ts exited 0, 1 and 130 (SIGINT).
  assertEquals(ends, ["finished", "failed", "killed"]);
});

Deno.test("writes: the Python SDK's {value, desc} config is the same config; a plain one stays as it is", () => {
  const python = { github_sha: { value: "abc1234", desc: null }, lr: { value: 0.01 } };
  assertEquals(unwrapConfig(python), { github_sha: "abc1234", lr: 0.01 });
  // A plain config whose values merely have a `value` key among others is not unwrapped.
  const plain = { metric: { value: 1, unit: "s" }, lr: { value: 0.1 } };
  assertEquals(unwrapConfig(plain), plain);
  assertEquals(unwrapConfig({}), {});
  const upsert = parseUpsert({ name: "r1", modelName: "vision", config: JSON.stringify(python) });
  assertEquals(upsert.fields.config, { github_sha: "abc1234", lr: 0.01 });
});

Deno.test("writes: only the fields given change; a resend keeps its rows' offsets; the last summary line wins", () => {
  const upsert = parseUpsert({
    name: "r1",
    modelName: "vision",
    state: "running",
    tags: ["baseline"],
    groupName: "sweep-1",
    notes: null,
    unknownField: 1,
  });
  assertEquals(upsert.fields, {
    state: "running",
    tags: ["baseline"],
    group: "sweep-1",
    notes: null,
  });
  const resend = parseStream({
    files: {
      "wandb-history.jsonl": { offset: 5, content: ['{"loss": 0.2}', '{"loss": 0.1}'] },
      "wandb-summary.json": { content: ['{"loss": 0.2}', '{"loss": 0.1}'] },
      "output.log": { offset: 0, content: ["epoch 1"] },
    },
  });
  assertEquals([...resend.history.entries()], [[5, { loss: 0.2 }], [6, { loss: 0.1 }]]);
  assertEquals([resend.summary, resend.exitcode], [{ loss: 0.1 }, undefined]);
  // A heartbeat: nothing to write.
  assertEquals(parseStream({}), { history: new Map(), summary: undefined, exitcode: undefined });
});

Deno.test("writes: a malformed write is refused with a 400 naming the field", () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () => parseUpsert({ modelName: "vision" }),
      /^upsertBucket: input\.name: expected the run's id$/,
    ],
    [() => parseUpsert({ name: "r1" }), /^upsertBucket: input\.modelName: expected the project$/],
    [() => parseUpsert({ name: "r1", modelName: "v", tags: "x" }), /^upsertBucket: input\.tags: /],
    [
      () => parseUpsert({ name: "r1", modelName: "v", config: "{lr: 1" }),
      /^upsertBucket: input\.config: expected a JSON object, got text that is not JSON$/,
    ],
    [
      () => parseUpsert({ name: "r1", modelName: "v", summaryMetrics: "[1]" }),
      /^upsertBucket: input\.summaryMetrics: expected a JSON object$/,
    ],
    [
      () => parseStream({ files: { "wandb-history.jsonl": { content: ["{}", "nope"] } } }),
      /^file_stream: files\.wandb-history\.jsonl\.content\.1: expected a JSON object/,
    ],
    [
      () => parseStream({ files: { "x": { offset: -1, content: [] } } }),
      /^file_stream: files\.x\.offset: /,
    ],
    [
      () => parseStream({ complete: true }),
      /^file_stream: exitcode: expected the run's exit code with complete$/,
    ],
  ];
  for (const [write, message] of cases) {
    const error = assertThrows(write, WriteError);
    assertMatch(error.message, message);
    assertEquals(error.status, 400);
  }
});

Deno.test("writes: the end state by exit code — 0 finished, a signal's 129–255 killed, any other failed", () => {
  const table: [number, string][] = [
    [0, "finished"],
    [1, "failed"],
    [2, "failed"],
    [128, "failed"],
    [129, "killed"], // SIGHUP
    [137, "killed"], // SIGKILL
    [143, "killed"], // SIGTERM
    [255, "killed"], // Python's SDK on an interrupt
    [256, "failed"],
    [-1, "failed"],
  ];
  assertEquals(table.map(([code]) => [code, endState(code)]), table);
});
