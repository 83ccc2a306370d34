import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { cell, csvColumns, renderCsv, toCsv } from "../../lib/report/csv.ts";
import type { WandbRun } from "../../lib/wandb/runs.ts";
import { assertEquals } from "../_assert.ts";

const ctx = {
  appUrl: "https://wandb.ai",
  entity: "acme",
  project: "vision",
  metrics: ["acc", "loss"],
  configVars: ["lr", "model"],
};

function run(name: string, state: string, extra: Partial<WandbRun> = {}): WandbRun {
  return {
    name,
    displayName: `n-${name}`,
    state,
    tags: [],
    description: null,
    createdAt: "2026-01-01T00:00:00",
    config: { github_sha: "abc1234", lr: 0.1, model: { depth: 4 } },
    summary: { acc: 0.9, loss: NaN },
    ...extra,
  };
}

Deno.test("csvColumns: the old columns in the old order", () => {
  assertEquals(csvColumns(ctx.metrics, ctx.configVars), [
    "run.url",
    "run.name",
    "run.tags",
    "run.id",
    "run.entity",
    "run.project",
    "github_sha",
    "run.description",
    "acc",
    "loss",
    "_lr",
    "_model",
    "__eval.category",
  ]);
});

/** renderCsv's records, read back with csv-parse. */
function rows(candidates: WandbRun[], baselines: WandbRun[]): string[][] {
  const csv = renderCsv(candidates, baselines, ctx);
  const [header, ...records] = parse(csv.text) as string[][];
  assertEquals(header, csvColumns(ctx.metrics, ctx.configVars));
  assertEquals(csv.rows, records.length);
  return records;
}

Deno.test("renderCsv: finished candidates, then every baseline", () => {
  const records = rows(
    [run("c1", "finished"), run("c2", "running"), run("c3", "finished", { tags: ["x", "y"] })],
    [run("b1", "crashed", { description: "old", config: {} })],
  );
  assertEquals(records, [
    [
      "https://wandb.ai/acme/vision/runs/c1",
      "n-c1",
      "[]",
      "c1",
      "acme",
      "vision",
      "abc1234",
      "",
      "0.9",
      "NaN",
      "0.1",
      '{"depth":4}',
      "candidate",
    ],
    [
      "https://wandb.ai/acme/vision/runs/c3",
      "n-c3",
      '["x","y"]',
      "c3",
      "acme",
      "vision",
      "abc1234",
      "",
      "0.9",
      "NaN",
      "0.1",
      '{"depth":4}',
      "candidate",
    ],
    [
      "https://wandb.ai/acme/vision/runs/b1",
      "n-b1",
      "[]",
      "b1",
      "acme",
      "vision",
      "",
      "old",
      "0.9",
      "NaN",
      "",
      "",
      "baseline",
    ],
  ]);
});

/**
 * What a cell must read, written here from the rules (not from the product's
 * own cell()): missing is empty, numbers and booleans as JavaScript writes
 * them (NaN and ±Infinity kept), lists and objects as JSON, and text with
 * NUL removed and a `'` before a leading =, +, -, @, TAB or CR.
 */
function expectedCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const clean = text.replaceAll("\0", "");
  return "=+-@\t\r".includes(clean[0] ?? "x") ? `'${clean}` : clean;
}

Deno.test("renderCsv (property): every field reads back as the rules say it must", () => {
  const value = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 12 }),
    fc.constantFrom("=1+2", "-0.5", "@x", "\tx", "\rx", "a\0b", "\0=1", 'q"q', "a,b", "l\nl"),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const text = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 12 }),
    fc.constantFrom("=x", "a,b"),
  );
  fc.assert(
    fc.property(
      fc.record({
        name: text,
        displayName: fc.oneof(text, fc.constant(null)),
        tags: fc.array(text, { maxLength: 3 }),
        description: fc.oneof(text, fc.constant(null)),
        sha: value,
        acc: value,
        loss: value,
        lr: value,
        model: value,
      }),
      (r) => {
        const given = run(r.name, "finished", {
          displayName: r.displayName,
          tags: r.tags,
          description: r.description,
          config: { github_sha: r.sha, lr: r.lr, model: r.model },
          summary: { acc: r.acc, loss: r.loss },
        });
        const [candidate, baseline] = rows([given], [given]);
        const expected = [
          expectedCell(`https://wandb.ai/acme/vision/runs/${encodeURIComponent(r.name)}`.replace(
            /[!'()*]/g,
            (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
          )),
          expectedCell(r.displayName),
          expectedCell(JSON.stringify(r.tags)),
          expectedCell(r.name),
          "acme",
          "vision",
          expectedCell(r.sha),
          expectedCell(r.description),
          expectedCell(r.acc),
          expectedCell(r.loss),
          expectedCell(r.lr),
          expectedCell(r.model),
        ];
        assertEquals(candidate, [...expected, "candidate"]);
        assertEquals(baseline, [...expected, "baseline"]);
      },
    ),
    { numRuns: 400 },
  );
});

Deno.test("cell: missing is empty, never 0", () => {
  assertEquals([cell(undefined), cell(null), cell(0), cell(false), cell(-Infinity)], [
    "",
    "",
    "0",
    "false",
    "-Infinity",
  ]);
  assertEquals(cell([1, NaN]), "[1,NaN]");
});

Deno.test("toCsv: header only when there are no rows", () => {
  assertEquals(toCsv(["a", "b"], []), "a,b\n");
});

Deno.test("toCsv (property): csv-parse reads back the same cells", () => {
  const text = fc.string({ unit: "grapheme", maxLength: 15 });
  const tricky = fc.oneof(
    text,
    fc.constantFrom("a,b", 'say "hi"', "two\nlines", " padded ", "=1+2", ""),
  );
  fc.assert(
    fc.property(
      fc.array(fc.array(tricky, { minLength: 3, maxLength: 3 }), { maxLength: 6 }),
      (rows) => {
        const columns = ["x", "y", "z"];
        const back = parse(toCsv(columns, rows), { relax_column_count: false }) as string[][];
        assertEquals(back, [columns, ...rows]);
      },
    ),
    { numRuns: 300 },
  );
});
