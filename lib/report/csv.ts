/**
 * `wandb_report.csv`: the old action's columns in the old order, one row per
 * finished candidate, then one per baseline. Written by a small RFC 4180
 * writer of our own: csv-stringify took 62-105 ms for the benchmark's 13,105
 * rows (its fastest options included) against 22-36 ms for this loop, the
 * largest single cost of a report; `tests/csv_test.ts` reads every output back
 * with csv-parse.
 *
 * Columns: `run.url`, `run.name` (display name), `run.tags` (JSON array),
 * `run.id`, `run.entity`, `run.project`, `github_sha`, `run.description`, one
 * column per metric (named as the metric), one per config key (`_<key>`),
 * then `__eval.category` (`candidate` or `baseline`).
 *
 * @module
 */
import { bucketOf } from "../classify.ts";
import { stringifyLenientJson } from "../json.ts";
import { SHA_KEY } from "../wandb/queries.ts";
import { field, type Run as WandbRun } from "../model.ts";
import { quoteRunId, runUrlPrefix } from "../wandb/urls.ts";

/** Where the runs come from, for `run.url`, `run.entity` and `run.project`. */
export interface CsvContext {
  /** The W&B web app URL run links start with. */
  appUrl: string;
  /** The runs' entity. */
  entity: string;
  /** The runs' project. */
  project: string;
  /** Summary metrics, one column each, in this order. */
  metrics: readonly string[];
  /** Config keys, one `_<key>` column each, in this order. */
  configVars: readonly string[];
}

const FIXED = [
  "run.url",
  "run.name",
  "run.tags",
  "run.id",
  "run.entity",
  "run.project",
  "github_sha",
  "run.description",
] as const;

/**
 * The header row.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { csvColumns } from "./csv.ts";
 * assertEquals(csvColumns(["loss"], ["lr"]).slice(-3), ["loss", "_lr", "__eval.category"]);
 * ```
 */
export function csvColumns(metrics: readonly string[], configVars: readonly string[]): string[] {
  // Names come from inputs; they are cells like any other.
  return [
    ...FIXED,
    ...metrics.map(textCell),
    ...configVars.map((key) => `_${textCell(key)}`),
    "__eval.category",
  ];
}

/**
 * A text cell that no spreadsheet will run: a leading `=`, `+`, `-`, `@`,
 * TAB or CR gets a `'` before it (OWASP's advice for CSV injection, and what
 * MLflow does for its CSV downloads), and NUL is removed.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { textCell } from "./csv.ts";
 * assertEquals(textCell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
 * assertEquals(textCell("resnet-50"), "resnet-50");
 * ```
 */
export function textCell(text: string): string {
  const clean = text.includes("\0") ? text.replaceAll("\0", "") : text;
  return /^[=+\-@\t\r]/.test(clean) ? `'${clean}` : clean;
}

/**
 * One cell: text made formula-safe ({@link textCell}), numbers in full
 * (`NaN`, `Infinity` kept, negatives unchanged: they are numbers), lists and
 * objects as JSON, missing as empty.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { cell } from "./csv.ts";
 * assertEquals(cell(undefined), "");
 * assertEquals(cell(NaN), "NaN");
 * assertEquals(cell(-0.5), "-0.5");
 * assertEquals(cell("-0.5"), "'-0.5");
 * assertEquals(cell({ a: 1 }), '{"a":1}');
 * ```
 */
export function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return textCell(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return textCell(stringifyLenientJson(value) ?? "");
}

/** Lays out one run as a CSV row (a plain loop: this runs once per run). */
function rowMaker(ctx: CsvContext): (run: WandbRun, category: Category) => string[] {
  const prefix = runUrlPrefix(ctx.appUrl, ctx.entity, ctx.project);
  const { metrics, configVars } = ctx;
  const entity = textCell(ctx.entity);
  const project = textCell(ctx.project);
  return (run, category) => {
    const row = [
      textCell(prefix + quoteRunId(run.name)),
      cell(run.displayName),
      // Tags are strings only, so plain JSON is exact.
      textCell(JSON.stringify(run.tags)),
      textCell(run.name),
      entity,
      project,
      cell(field(run.config, SHA_KEY)),
      cell(run.description),
    ];
    for (const metric of metrics) row.push(cell(field(run.summary, metric)));
    for (const key of configVars) row.push(cell(field(run.config, key)));
    row.push(category);
    return row;
  };
}

type Category = "candidate" | "baseline";

const isFinished = (run: WandbRun) => bucketOf(run.state) === "finished";

/**
 * The rows: finished candidates first, then every baseline (any state), each
 * in the order W&B returned them.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { csvRows } from "./csv.ts";
 * const rows = csvRows([], [], {
 *   appUrl: "https://wandb.ai", entity: "acme", project: "vision", metrics: [], configVars: [],
 * });
 * assertEquals(rows.length, 0);
 * ```
 */
export function csvRows(
  candidates: readonly WandbRun[],
  baselines: readonly WandbRun[],
  ctx: CsvContext,
): string[][] {
  const row = rowMaker(ctx);
  return [
    ...candidates.filter(isFinished).map((run) => row(run, "candidate")),
    ...baselines.map((run) => row(run, "baseline")),
  ];
}

// RFC 4180: a field with a comma, a quote or a line break is quoted, its
// quotes doubled; records end in LF (as csv-stringify wrote them).
const NEEDS_QUOTES = /[",\r\n]/;

const quoted = (cell: string) => NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;

function csvLine(cells: readonly string[]): string {
  return `${cells.map(quoted).join(",")}\n`;
}

/**
 * The whole CSV text: header, then rows (header only when there are none).
 *
 * @example
 * ```ts
 * import { csvColumns, toCsv } from "./csv.ts";
 * toCsv(csvColumns([], []), []).split("\n")[0]; // "run.url,run.name,…,__eval.category"
 * ```
 */
export function toCsv(columns: readonly string[], rows: readonly string[][]): string {
  // One join, not `+=`: appending builds a rope that V8 must flatten (copy)
  // again before the file is encoded, measured 10x slower for 21,000 rows.
  const lines = [csvLine(columns)];
  for (const row of rows) lines.push(csvLine(row));
  return lines.join("");
}

/**
 * The whole CSV of a report: header, finished candidates, then every baseline.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { renderCsv } from "./csv.ts";
 * const csv = renderCsv([], [], {
 *   appUrl: "https://wandb.ai", entity: "acme", project: "vision", metrics: [], configVars: [],
 * });
 * assertEquals(csv.rows, 0);
 * ```
 */
export function renderCsv(
  candidates: readonly WandbRun[],
  baselines: readonly WandbRun[],
  ctx: CsvContext,
): { text: string; rows: number } {
  const rows = csvRows(candidates, baselines, ctx);
  return { text: toCsv(csvColumns(ctx.metrics, ctx.configVars), rows), rows: rows.length };
}
