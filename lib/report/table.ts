/**
 * Tables for terminals: a plain aligned table, and the report's terminal
 * view (`--format table`, the default on a terminal).
 *
 * @module
 */
import { styleText } from "node:util";
import { bucketOf } from "../classify.ts";
import { baselineValue, candidateDelta, type MetricComparison, metricValue } from "../compare.ts";
import { maxOf, metricText, minOf, summaryText, type ValueStyle } from "./_format.ts";
import { field, type Run } from "../ground/model.ts";
import { formatNumber } from "../ground/numbers.ts";
import { cut, middleCut } from "../ground/text.ts";
import type { ReportView } from "./view.ts";

/**
 * Lays out rows under a header with aligned columns; cells longer than
 * `maxWidth` are cut with `…`, and control characters become spaces so that
 * a run name cannot break the layout.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { textTable } from "./table.ts";
 * assertEquals(textTable(["id", "state"], [["a1", "finished"]]).split("\n")[2], "a1  finished");
 * // id  state
 * // --  --------
 * // a1  finished
 * ```
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidth = 28,
): string {
  const clean = (text: string) => {
    const flat = text.replace(/\p{Cc}/gu, " ");
    return flat.length > maxWidth ? `${flat.slice(0, maxWidth - 1)}…` : flat;
  };
  const cells = [header, ...rows].map((row) => row.map(clean));
  const widths = header.map((_, i) => maxOf(cells.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) =>
    row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(cells[0]!), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)]
    .join("\n");
}

/** What the terminal view is made from. */
export interface TableInput
  extends Pick<ReportView, "candidates" | "baselines" | "comparisons" | "groups" | "trend"> {
  /** The names of the stalled candidates (`running`, no heartbeat for `--stale-after`). */
  stalled?: ReadonlySet<string>;
}

/** How to draw it. */
export interface TableStyle {
  /** ANSI colours (decided by the caller: `NO_COLOR`, `FORCE_COLOR`, a terminal). */
  color: boolean;
  /** The terminal's width, to fit lines to; none when not on a terminal. */
  width?: number;
}

type Style = Parameters<typeof styleText>[0];

const STATE_STYLE: Record<string, Style> = {
  finished: "green",
  running: "yellow",
  pending: "yellow",
  failed: "red",
  crashed: "red",
  aborted: "red",
  preempted: "magenta",
  unknown: "gray",
};

// Numbers to 4 significant digits; text as it is (control characters are
// blanked for the whole table below).
const TABLE_VALUES: ValueStyle = {
  number: formatNumber,
  text: (t) => t,
};

type Cell = { text: string; style?: Style };

/** Control characters blanked: nothing a run's name holds moves the cursor. */
const clean = (text: string) => text.replace(/[\p{Cc}\p{Cf}]/gu, " ");
const length = (text: string) => [...text].length;

/** A run's value of one metric, with ▲/▼ and the signed delta for a candidate. */
function valueCell(run: Run, c: MetricComparison): Cell {
  const delta = candidateDelta(c, run);
  const own = delta?.value ?? baselineValue(c, run)?.value;
  const text = metricText(own ?? metricValue(field(run.summary, c.metric)), TABLE_VALUES);
  if (!delta || delta.abs === undefined || delta.verdict === "n/a") return { text };
  const arrow = delta.verdict === "better" ? "▲" : delta.verdict === "worse" ? "▼" : "=";
  const sign = delta.abs > 0 ? "+" : "";
  return {
    text: `${text} ${arrow}${sign}${formatNumber(delta.abs)}`,
    style: delta.verdict === "better" ? "green" : delta.verdict === "worse" ? "red" : undefined,
  };
}

/**
 * The header and the rows: each side's mean ± sd of its finished runs, then
 * the runs (per group with `--group-by`); control characters blanked.
 */
function tableCells(input: TableInput): Cell[][] {
  const header: Cell[] = [
    "role",
    "run id",
    "name",
    "state",
    ...input.comparisons.map((c) => c.metric),
  ]
    .map((text) => ({ text, style: "bold" }));
  const rows: Cell[][] = [];
  const summary = (
    label: string,
    comparisons: readonly MetricComparison[],
    side: "candidates" | "baselines",
  ) =>
    rows.push([
      { text: "mean ± sd", style: "bold" },
      { text: "" },
      { text: label },
      { text: "finished" },
      ...comparisons.map((c) => ({ text: summaryText(c.stats[side], TABLE_VALUES.number) })),
    ]);
  const runRow = (
    run: Run,
    role: "candidate" | "baseline",
    comparisons: readonly MetricComparison[],
  ) => {
    const bucket = bucketOf(run.state);
    // A baseline that did not finish does not feed the reference.
    const unused = role === "baseline" && bucket !== "finished";
    const stalled = role === "candidate" && (input.stalled?.has(run.name) ?? false);
    rows.push([
      { text: role },
      { text: run.name },
      { text: run.displayName || run.name },
      {
        text: `${run.state ?? "unknown"}${unused ? " (not used)" : stalled ? " (stalled)" : ""}`,
        style: stalled ? "magenta" : STATE_STYLE[bucket],
      },
      ...comparisons.map((c) => valueCell(run, c)),
    ]);
  };
  const groups = (input.groups ?? []).filter((g) => g.name !== undefined);
  if (groups.length === 0) {
    if (input.candidates.length) summary("candidates", input.comparisons, "candidates");
    if (input.baselines.length) summary("baselines", input.comparisons, "baselines");
    for (const run of input.candidates) runRow(run, "candidate", input.comparisons);
  } else {
    for (const group of groups) {
      summary(group.name!, group.comparisons, "candidates");
      for (const run of group.candidates) runRow(run, "candidate", group.comparisons);
    }
    if (input.baselines.length) summary("baselines", input.comparisons, "baselines");
  }
  for (const run of input.baselines) runRow(run, "baseline", input.comparisons);
  return [header, ...rows].map((row) => row.map((c) => ({ ...c, text: clean(c.text) })));
}

/** The table fitted to a width: the cells kept, each column's width, where the names are. */
interface Fitted {
  rows: Cell[][];
  widths: number[];
  /** The name column (it moves left when the run ids are left out). */
  nameAt: number;
  /** What gave way, said below the table. */
  notes: string[];
}

/**
 * Too wide for the terminal: first the metric columns beyond the first give
 * way (said below the table), then the names are cut in the middle (never
 * so far that two of them look the same), then the run ids go, then the
 * state is cut at its end to no less than 8 ("killed (…").
 */
function fitToWidth(full: Cell[][], metrics: readonly string[], width: number): Fitted {
  let rows = full;
  const widths = full[0]!.map((_, i) => maxOf(full.map((row) => length(row[i]?.text ?? ""))));
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const notes: string[] = [];
  let nameAt = 2;
  let dropped = 0;
  while (total() > width && rows[0]!.length - dropped > 5) {
    dropped++;
    widths.pop();
  }
  if (dropped) {
    rows = rows.map((row) => row.slice(0, row.length - dropped));
    notes.push(
      `${dropped} more metric column${
        dropped === 1 ? "" : "s"
      } left out to fit ${width} columns: ` +
        `${metrics.slice(-dropped).map(clean).join(", ")} ` +
        "(a wider terminal, or --format markdown, shows them)",
    );
  }
  if (total() > width) {
    const names = rows.slice(1).map((row) => row[2]!.text);
    const distinct = new Set(names).size;
    let floor = widths[2]!;
    for (let w = 8; w < widths[2]!; w++) {
      if (new Set(names.map((n) => middleCut(n, w))).size === distinct) {
        floor = w;
        break;
      }
    }
    widths[2] = Math.max(floor, widths[2]! - (total() - width), length(rows[0]![2]!.text));
  }
  // Then the run ids (the names are still told apart, and the CSV has the ids).
  if (total() > width) {
    rows = rows.map((row) => row.filter((_, i) => i !== 1));
    widths.splice(1, 1);
    nameAt = 1;
    notes.push("run ids left out to fit: they are in the CSV and --format json");
  }
  if (total() > width) widths[nameAt + 1] = Math.max(8, widths[nameAt + 1]! - (total() - width));
  return { rows, widths, nameAt, notes };
}

/**
 * The terminal view of a report: one row per candidate and baseline, its
 * state, and each metric with ▲/▼ and the signed delta against the
 * reference baseline value; colours optional, fitted to the terminal's width.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { renderTable } from "./table.ts";
 * const run = (name: string, state: string) => ({ name, state, tags: [], config: {}, summary: {} });
 * const text = renderTable({ candidates: [run("c1", "running")], baselines: [], comparisons: [] }, {
 *   color: false,
 * });
 * // A mean ± sd row for the candidates, then the runs.
 * assertEquals(text.split("\n")[3], "candidate  c1      c1          running");
 * ```
 */
export function renderTable(input: TableInput, style: TableStyle): string {
  const paint = (s: Style | undefined, text: string) =>
    style.color && s ? styleText(s, text, { validateStream: false }) : text;
  const full = tableCells(input);
  const width = style.width ?? Infinity;
  const { rows, widths, nameAt, notes } = fitToWidth(
    full,
    input.comparisons.map((c) => c.metric),
    width,
  );
  const directed = input.comparisons.some((c) => c.direction !== undefined);
  const legend = directed && input.candidates.length
    ? ["▲ better, ▼ worse than the reference baseline value (each metric's direction); = equal"]
    : [];
  // Plain lines under the table: wrapped (notes) or cut (sparklines) to the width.
  const wrap = (lines: string[]) => lines.flatMap((text) => wrapText(text, width));
  const trend = trendLines(input).map((l) => cut(l, width));
  const fits = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1) <= width;
  // Narrower still (40 columns): one run per block, a metric per line.
  if (!fits) {
    const fitted = (text: string) => middleCut(text, Math.max(8, width));
    const blocks = full.slice(1).flatMap((row) => [
      fitted(`${row[0]!.text}  ${row[1]!.text ? `${row[1]!.text}  ` : ""}${row[2]!.text}`),
      `  ${paint(row[3]!.style, fitted(row[3]!.text))}`,
      // The header holds the metric names, cleaned.
      ...row.slice(4).map((c, i) =>
        paint(c.style, cut(`  ${full[0]![i + 4]!.text}: ${c.text}`, width))
      ),
    ]);
    return [...blocks, ...wrap(legend), ...trend].join("\n");
  }
  // Colour the text only, padding outside it: a cell's escape codes end where its text does.
  const fit = (c: Cell, w: number, i: number) => {
    const chars = [...c.text];
    return chars.length > w
      ? paint(c.style, i === nameAt ? middleCut(c.text, w) : cut(c.text, w))
      : paint(c.style, c.text) + " ".repeat(w - chars.length);
  };
  const line = (row: Cell[]) => row.map((c, i) => fit(c, widths[i]!, i)).join("  ").trimEnd();
  return [
    line(rows[0]!),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.slice(1).map(line),
    ...wrap([...legend, ...notes]),
    ...trend,
  ].join("\n");
}

/** Wraps a plain line at spaces to `width` characters (a longer word stays whole). */
function wrapText(text: string, width: number): string[] {
  if (!Number.isFinite(width) || [...text].length <= width) return [text];
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current && [...`${current} ${word}`].length > width) {
      lines.push(current);
      current = `  ${word}`;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

const BARS = "▁▂▃▄▅▆▇█";

/**
 * A sparkline: each value as one of ▁▂▃▄▅▆▇█ between the smallest and the largest.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { sparkline } from "./table.ts";
 * assertEquals(sparkline([1, 2, 3, 4, 5, 6, 7, 8]), "▁▂▃▄▅▆▇█");
 * assertEquals(sparkline([2, 2]), "▄▄");
 * ```
 */
export function sparkline(values: readonly number[]): string {
  const low = minOf(values);
  const span = maxOf(values) - low;
  return values.map((v) =>
    BARS[span === 0 ? 3 : Math.min(7, Math.floor(((v - low) / span) * 7 + 0.5))]
  ).join("");
}

/** The trend under the table: a sparkline per metric, the base branch then `│` and this PR's mean. */
function trendLines(input: TableInput): string[] {
  const trend = input.trend ?? [];
  if (!trend.length) return [];
  const width = maxOf(input.comparisons.map((c) => c.metric.length));
  const lines = [
    "",
    `trend: ${trend.length} commit${trend.length === 1 ? "" : "s"} of the base branch with runs, ` +
    "oldest to newest, │ then this PR's mean",
  ];
  for (const c of input.comparisons) {
    const values = trend.flatMap((
      p,
    ) => (p.means[c.metric] === undefined ? [] : [p.means[c.metric]!]));
    const pr = c.stats.candidates.mean;
    const all = pr === undefined ? values : [...values, pr];
    if (!all.length) continue;
    const bars = sparkline(all);
    const four = (n: number) => Number(n.toPrecision(4)).toString();
    lines.push(
      `  ${c.metric.replace(/[\p{Cc}\p{Cf}]/gu, " ").padEnd(width)}  ${
        pr === undefined ? bars : `${bars.slice(0, -1)}│${bars.at(-1)}`
      }  ${values.length ? `${four(values[0]!)} → ${four(values.at(-1)!)}` : "—"}${
        pr === undefined ? "" : ` │ this PR ${four(pr)}`
      }`,
    );
  }
  return lines;
}
