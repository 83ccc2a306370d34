/**
 * The report's charts: a Mermaid bar chart per metric (candidates and
 * baselines as two series, the reference as a line) and a trend line per
 * metric; the axis fitted to the values, numbers written as Mermaid's
 * grammar reads them, and a span that cannot be drawn faithfully said
 * instead of drawn.
 *
 * @module
 */
import { bucketOf } from "../classify.ts";
import { metricValue } from "../compare.ts";
import { field, type Run as WandbRun } from "../ground/model.ts";
import { formatNumber as fmt } from "../ground/numbers.ts";
import { escapeMarkdown, type MarkdownInput } from "./_markdown.ts";
import { maxOf, minOf } from "./_format.ts";

/**
 * The trend: one small line chart per metric, the baseline branch's commits
 * oldest to newest and the candidates' mean as the last point, labelled
 * `this PR` so it cannot be taken for a commit of the branch; the y-axis
 * fitted to the values with a margin.
 */
export function trendSection(input: MarkdownInput): string[] {
  const trend = input.trend ?? [];
  if (!trend.length) return [];
  const lines: string[] = [];
  const titles = chartTitles(input.comparisons.map((c) => c.metric));
  for (const c of input.comparisons) {
    const points = trend.flatMap((p) =>
      p.means[c.metric] === undefined
        ? []
        : [{ label: p.sha.slice(0, 7), value: p.means[c.metric]! }]
    );
    const pr = c.stats.candidates.mean;
    // A label as short as a SHA's, so neighbouring labels never run together; n is in the title.
    if (pr !== undefined) points.push({ label: "this PR", value: pr });
    if (points.length < 2) continue;
    const [low, high] = axisRange(points.map((p) => p.value));
    if (!drawable(points.map((p) => p.value), low, high)) {
      lines.push(...notDrawable(`${escapeMarkdown(c.metric)} (trend)`, points.map((p) => p.value)));
      continue;
    }
    lines.push(
      // The default palette's first colour is too pale for a thin line.
      ...mermaidHead(CHART_COLOURS.split(",")[0]!),
      "xychart-beta",
      `    title "${titles.get(c.metric)}: the base branch, oldest to newest, then this PR${
        pr === undefined ? "" : ` (n=${c.stats.candidates.n})`
      }"`,
      `    x-axis [${points.map((p) => `"${p.label}"`).join(", ")}]`,
      `    y-axis "${chartText(c.metric)}" ${chartNumber(low)} --> ${chartNumber(high)}`,
      `    line [${points.map((p) => chartNumber(p.value)).join(", ")}]`,
      "```",
      "",
    );
  }
  if (!lines.length) return [];
  const table = [
    "| commit | date | runs | " +
    input.comparisons.map((c) => escapeMarkdown(c.metric)).join(" | ") + " |",
    `|---|---|---:|${input.comparisons.map(() => "---:").join("|")}|`,
    ...trend.map((p) =>
      `| \`${p.sha.slice(0, 7)}\` | ${
        p.date ? escapeMarkdown(p.date.slice(0, 10)) : "—"
      } | ${p.n} | ${
        input.comparisons.map((c) =>
          p.means[c.metric] === undefined ? "—" : fmt(p.means[c.metric]!)
        )
          .join(" | ")
      } |`
    ),
  ];
  return [
    `<details open><summary>Trend: the mean per commit of the base branch (${trend.length} commit${
      trend.length === 1 ? "" : "s"
    } with runs), then this PR's candidates</summary>`,
    "",
    ...lines,
    ...table,
    "",
    "</details>",
    "",
  ];
}

/**
 * A y-axis range that fits the values with a margin (never from 0 unless
 * the values are near it), so a small difference shows; `floor` is the
 * margin under the lowest value, of the span (a bar chart's is larger, so
 * its lowest bar is seen).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { axisRange } from "./charts.ts";
 * assertEquals(axisRange([0.91, 0.92]), [0.909, 0.921]);
 * assertEquals(axisRange([0.91, 0.92], 0.3), [0.907, 0.921]);
 * ```
 */
export function axisRange(values: readonly number[], floor = 0.1): [number, number] {
  const low = minOf(values);
  const high = maxOf(values);
  const span = high - low || Math.abs(high) * 0.1 || 1;
  return [Number((low - span * floor).toPrecision(6)), Number((high + span * 0.1).toPrecision(6))];
}

/** Room under the lowest bar, of the values' span: its bar stands a fifth of the chart tall. */
const BAR_FLOOR = 0.3;

/** A metric's name in a chart: letters of any script and a few signs; nothing that ends a string. */
const chartText = (text: string) =>
  text.replace(/[^\p{L}\p{N} _.:/()%+=,-]/gu, "").slice(0, 60).trim() || "metric";

/**
 * A number as Mermaid's xychart grammar reads it: plain decimal, never an
 * exponent (1e-7 would not parse), about 8 significant digits.
 */
export function chartNumber(n: number): string {
  if (n === 0 || !Number.isFinite(n)) return "0";
  // toFixed writes an exponent from 1e21 on; such a number is an integer.
  if (Math.abs(n) >= 1e21) return BigInt(n).toString();
  const digits = Math.min(20, Math.max(0, 7 - Math.floor(Math.log10(Math.abs(n)))));
  const text = n.toFixed(digits);
  return (text.includes(".") ? text.replace(/\.?0+$/, "") : text).replace(/^-0$/, "0");
}

/**
 * Whether a chart can show `values` faithfully on the axis `low`..`high`:
 * every number finite, and each value, written as Mermaid reads it, within
 * 1 % of the span of where it is (values around 1e-300, a span of 1e-9 at
 * 0.9, or one of ±1.7e308 cannot be: the table has the numbers).
 */
function drawable(values: readonly number[], low: number, high: number, below?: number): boolean {
  const span = high - low;
  if (![low, high, span, ...(below === undefined ? [] : [below])].every(Number.isFinite)) {
    return false;
  }
  if (!(span > 0) || Number(chartNumber(low)) >= Number(chartNumber(high))) return false;
  return values.every((v) => Math.abs(Number(chartNumber(v)) - v) <= span * 0.01);
}

/** A chart that cannot be drawn faithfully, said in place of it. */
function notDrawable(name: string, values: readonly number[]): string[] {
  return [
    `_${name}: values from ${fmt(minOf(values))} to ${
      fmt(maxOf(values))
    } cannot be drawn faithfully (too close together, too small or too large for a chart's ` +
    "axis): see the table._",
    "",
  ];
}

/**
 * Each metric's chart title, distinct: names that read alike once a chart's
 * grammar has had its way (`m?x`, `m!x`) get `(2)`, `(3)`… in table order.
 */
function chartTitles(metrics: readonly string[]): Map<string, string> {
  const titles = new Map<string, string>();
  const used = new Set<string>();
  for (const metric of metrics) {
    const base = chartText(metric);
    let title = base;
    for (let k = 2; used.has(title); k++) title = `${base} (${k})`;
    used.add(title);
    titles.set(metric, title);
  }
  return titles;
}

/** A Mermaid block's opening and its frontmatter: the series colours, in order. */
function mermaidHead(palette: string): string[] {
  return [
    "```mermaid",
    "---",
    "config:",
    "  themeVariables:",
    "    xyChart:",
    `      plotColorPalette: "${palette}"`,
    "---",
  ];
}

/** The bar charts' series colours: candidates, baselines, the reference line. */
const CHART_COLOURS = "#2563eb, #f59e0b, #dc2626";

/** The most bars one chart draws: beyond, the labels no longer fit under them. */
export const MAX_CHART_RUNS = 50;

/**
 * The short chart labels, keyed to the table: `c1`… for the candidates and
 * `b1`… for the baselines, in the table's order. Names never reach a chart:
 * long, unicode or alike names cannot collide or break it.
 */
export function chartLabels(input: MarkdownInput): Map<WandbRun, string> {
  const labels = new Map<WandbRun, string>();
  input.candidates.forEach((run, i) => labels.set(run, `c${i + 1}`));
  input.baselines.forEach((run, i) => labels.set(run, `b${i + 1}`));
  return labels;
}

/** What a value that is not drawn is, in words. */
const notDrawn = (value: ReturnType<typeof metricValue>) =>
  value.kind === "missing"
    ? "no value"
    : value.kind === "nan"
    ? "NaN"
    : value.kind === "infinite"
    ? (value.value > 0 ? "+∞" : "−∞")
    : "not a number";

/**
 * One bar chart per metric: the finished runs' values, candidates and
 * baselines as two series (blue and amber: a series holds its side's
 * values, and at the other side's places a value below the axis, which
 * Mermaid does not draw), the reference as a line (red), the y-axis fitted to the values with a
 * margin, and short labels keyed to the table. Values that cannot be drawn
 * (NaN, ±∞, missing) are left out and named under the chart.
 */
export function chartSection(input: MarkdownInput): string[] {
  if (!input.chart) return [];
  const labels = chartLabels(input);
  const lines: string[] = [];
  const sides: [WandbRun, "c" | "b"][] = [
    ...input.candidates.map((r): [WandbRun, "c"] => [r, "c"]),
    ...input.baselines.map((r): [WandbRun, "b"] => [r, "b"]),
  ];
  const titles = chartTitles(input.comparisons.map((c) => c.metric));
  for (const c of input.comparisons) {
    const drawn: { label: string; value: number; side: "c" | "b" }[] = [];
    const left: string[] = [];
    for (const [run, side] of sides) {
      // Only finished runs: they alone feed the means and the reference.
      if (bucketOf(run.state) !== "finished") continue;
      const value = metricValue(field(run.summary, c.metric));
      if (value.kind === "number" && Number.isFinite(value.value)) {
        drawn.push({ label: labels.get(run)!, value: value.value, side });
      } else left.push(`${labels.get(run)} (${notDrawn(value)})`);
    }
    const ref = c.reference.value;
    // One bar says something only against the reference.
    if (drawn.length === 0 || (drawn.length === 1 && ref === undefined)) continue;
    const name = escapeMarkdown(c.metric);
    if (drawn.length > MAX_CHART_RUNS) {
      lines.push(
        `_${name}: ${drawn.length} runs, more than a chart draws (${MAX_CHART_RUNS}): see the table._`,
        "",
      );
      continue;
    }
    const [low, high] = axisRange([
      ...drawn.map((d) => d.value),
      ...(ref === undefined ? [] : [ref]),
    ], BAR_FLOOR);
    const shownValues = [...drawn.map((d) => d.value), ...(ref === undefined ? [] : [ref])];
    if (!drawable(shownValues, low, high, low - (high - low))) {
      lines.push(...notDrawable(name, shownValues));
      continue;
    }
    // The other side's places hold a value below the axis: Mermaid draws no bar there.
    const below = chartNumber(low - (high - low));
    const series = (side: "c" | "b") =>
      `[${drawn.map((d) => (d.side === side ? chartNumber(d.value) : below)).join(", ")}]`;
    const better = c.direction === "max"
      ? " (higher is better)"
      : c.direction === "min"
      ? " (lower is better)"
      : "";
    lines.push(
      // Colours that say which is which: candidates blue, baselines amber, the reference red.
      ...mermaidHead(CHART_COLOURS),
      "xychart-beta",
      `    title "${titles.get(c.metric)}${better}"`,
      `    x-axis [${drawn.map((d) => `"${d.label}"`).join(", ")}]`,
      `    y-axis "${chartText(c.metric)}" ${chartNumber(low)} --> ${chartNumber(high)}`,
      // Always both series, in this order, so each side keeps its colour.
      `    bar ${series("c")}`,
      `    bar ${series("b")}`,
      ...(ref === undefined ? [] : [`    line [${drawn.map(() => chartNumber(ref)).join(", ")}]`]),
      "```",
      "",
      `_${name}: **c** candidates (blue), **b** baselines (amber), as keyed in the table${
        ref === undefined
          ? ""
          : `; the line is the reference, the ${
            c.reference.spec.kind === "run"
              ? "chosen run's value"
              : `${c.reference.spec.kind} of the finished baselines`
          } (${fmt(ref)})`
      }; the axis starts at ${fmt(low)}, not 0.${
        left.length ? ` Not drawn: ${left.join(", ")}.` : ""
      }_`,
      "",
    );
  }
  return lines.length
    ? ["<details open><summary>Charts</summary>", "", ...lines, "</details>", ""]
    : [];
}
