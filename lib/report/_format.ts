/**
 * How a metric value reads in every human view (the markdown report, the
 * terminal table): one rule for missing, NaN, infinite and nested values, so
 * the views cannot drift apart. How a number or a text value is written is
 * the view's own choice.
 *
 * @module
 */
import type { MetricValue } from "../compare.ts";
import { formatMeanSd } from "../ground/numbers.ts";
import type { Summary } from "../ground/stats.ts";

/** How a view writes the two kinds of value it shows its own way. */
export interface ValueStyle {
  /** A finite number. */
  number(value: number): string;
  /** A text value (views escape or quote it). */
  text(value: string): string;
}

/**
 * A metric value as text.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { metricText } from "./_format.ts";
 * const style = { number: String, text: (t: string) => t };
 * assertEquals(metricText({ kind: "infinite", value: -Infinity }, style), "−∞");
 * assertEquals(metricText({ kind: "missing" }, style), "—");
 * ```
 */
export function metricText(value: MetricValue, style: ValueStyle): string {
  switch (value.kind) {
    case "number":
      return style.number(value.value);
    case "missing":
      return "—";
    case "nan":
      return "NaN";
    case "infinite":
      return value.value > 0 ? "+∞" : "−∞";
    case "text":
      return style.text(value.text);
    case "nested":
      return "(nested)";
  }
}

/**
 * The largest of `values` (`-Infinity` for none), by a loop: `Math.max(...values)`
 * passes every value as an argument and overflows the stack for a large project.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { maxOf } from "./_format.ts";
 * assertEquals(maxOf([3, 9, 4]), 9);
 * assertEquals(maxOf(Array.from({ length: 300_000 }, (_, i) => i)), 299_999);
 * ```
 */
export function maxOf(values: readonly number[]): number {
  let max = -Infinity;
  for (const value of values) if (value > max) max = value;
  return max;
}

/**
 * The smallest of `values` (`Infinity` for none), by a loop (see {@link maxOf}).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { minOf } from "./_format.ts";
 * assertEquals(minOf([3, 9, 4]), 3);
 * ```
 */
export function minOf(values: readonly number[]): number {
  let min = Infinity;
  for (const value of values) if (value < min) min = value;
  return min;
}

/**
 * `0.9174 ± 0.0010 (n=3)`: a side's mean and spread (the spread to two
 * significant digits, the mean to the same place), and n; a lone value is
 * written by the view's `number`; `— (n=0)` for none.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { summaryText } from "./_format.ts";
 * const four = (n: number) => Number(n.toPrecision(4)).toString();
 * assertEquals(summaryText({ n: 3, mean: 0.91743, sd: 0.001 }, four), "0.9174 ± 0.0010 (n=3)");
 * assertEquals(summaryText({ n: 3, mean: 0.88, sd: 0.001 }, four), "0.8800 ± 0.0010 (n=3)");
 * assertEquals(summaryText({ n: 1, mean: 0.5 }, four), "0.5 (n=1)");
 * assertEquals(summaryText({ n: 0 }, four), "— (n=0)");
 * ```
 */
export function summaryText(stats: Summary, number: (value: number) => string): string {
  if (stats.mean === undefined) return `— (n=${stats.n})`;
  const mean = number(stats.mean);
  if (stats.sd === undefined) return `${mean} (n=${stats.n})`;
  // The spread to two significant digits, the mean to the same place: never "± 0.00".
  return `${formatMeanSd(stats.mean, stats.sd)} (n=${stats.n})`;
}
