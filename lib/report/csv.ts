/**
 * `wandb_report.csv`: the old action's columns in the old order, one row per
 * finished candidate, then one per baseline. Written by a small RFC 4180
 * writer of our own: for the benchmark's 13,105 rows csv-stringify takes
 * 96-100 ms just to serialise the finished cells (its fastest options
 * included), {@link renderCsv} 28 ms for the whole file, cells included
 * (`deno task bench:csv`); `tests/report/csv_test.ts` reads every output back with
 * csv-parse.
 *
 * Columns: `run.url`, `run.name` (display name), `run.tags` (JSON array),
 * `run.id`, `run.entity`, `run.project`, `github_sha`, `run.description`, one
 * column per metric (named as the metric), one per config key (`_<key>`),
 * then `__eval.category` (`candidate` or `baseline`).
 *
 * @module
 */
import { bucketOf } from "../classify.ts";
import { stringifyLenientJson } from "../ground/json.ts";
import { field, type Run as WandbRun, SHA_KEY } from "../ground/model.ts";
import { quoteRunId, runUrlPrefix } from "../ground/urls.ts";

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

// RFC 4180: a field with a comma, a quote or a line break is quoted, its
// quotes doubled; records end in LF (as csv-stringify wrote them).
const NEEDS_QUOTES = /[",\r\n]/;

const quoted = (cell: string) => NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;

function csvLine(cells: readonly string[]): string {
  return `${cells.map(quoted).join(",")}\n`;
}

// The rare text that needs any change at all: NUL, a formula lead, or quoting.
const NEEDS_WORK = /[\0",\r\n]|^[=+\-@\t]/;

/** `quoted(textCell(text))`, with one regular-expression test for the common text that needs neither. */
const textField = (text: string) => NEEDS_WORK.test(text) ? quoted(textCell(text)) : text;

/**
 * `quoted(cell(value))`, the cheap way round for what most cells hold: a
 * number's text never needs quoting or a formula guard (it is a number).
 */
function valueField(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return textField(value);
  return quoted(cell(value));
}

/**
 * Lays out one run as a CSV record, cell by cell into one string (this runs
 * once per run; an array of cells joined per record measured slower).
 */
function recordWriter(ctx: CsvContext): (run: WandbRun, category: Category) => string {
  const prefix = runUrlPrefix(ctx.appUrl, ctx.entity, ctx.project);
  const { metrics, configVars } = ctx;
  const place = `,${textField(ctx.entity)},${textField(ctx.project)},`;
  return (run, category) => {
    const { config, summary } = run;
    let line = textField(prefix + quoteRunId(run.name)) + "," + valueField(run.displayName) +
      // Tags are strings only, so plain JSON is exact.
      "," + (run.tags.length ? textField(JSON.stringify(run.tags)) : "[]") + "," +
      textField(run.name) + place + valueField(field(config, SHA_KEY)) + "," +
      valueField(run.description);
    for (const metric of metrics) line += "," + valueField(field(summary, metric));
    for (const key of configVars) line += "," + valueField(field(config, key));
    return `${line},${category}\n`;
  };
}

type Category = "candidate" | "baseline";

/**
 * Writes rows as RFC 4180 CSV text (comma-separated, `"`-quoted when
 * needed, LF line ends), header first.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { toCsv } from "./csv.ts";
 * assertEquals(toCsv(["a", "b"], [["1", "x,y"]]), 'a,b\n1,"x,y"\n');
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
  const record = recordWriter(ctx);
  const lines = [csvLine(csvColumns(ctx.metrics, ctx.configVars))];
  // Lines are joined 256 at a time: each record is a rope of ~30 pieces,
  // and a rope kept until one final join survives garbage collections that
  // copy it (measured: median 40 ms for the benchmark's rows, 26 ms chunked).
  const chunks: string[] = [];
  let rows = 0;
  const add = (line: string) => {
    lines.push(line);
    rows++;
    if (lines.length === 256) chunks.push(lines.splice(0).join(""));
  };
  for (const run of candidates) {
    if (bucketOf(run.state) === "finished") add(record(run, "candidate"));
  }
  for (const run of baselines) add(record(run, "baseline"));
  chunks.push(lines.join(""));
  return { text: chunks.join(""), rows };
}
