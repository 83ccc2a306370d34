/**
 * How numbers read in every view (the markdown, the terminal, the gate's
 * lines, the commit status): one formatter, so a gate line never says
 * `0.864333` beside a table that says `0.8643`, and a spread is never shown
 * as `0.00`. And what counts as float noise when two numbers are compared.
 *
 * @module
 */

/**
 * A number with 4 significant digits, in exponent form below 1e-4 and from
 * 1e6 on (in magnitude), trailing zeros dropped.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { formatNumber } from "./numbers.ts";
 * assertEquals(formatNumber(0.864333), "0.8643");
 * assertEquals(formatNumber(5e-10), "5.000e-10");
 * assertEquals(formatNumber(0), "0");
 * ```
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? "NaN" : n > 0 ? "+∞" : "−∞";
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-4)) return n.toExponential(3);
  return Number(n.toPrecision(4)).toString();
}

/**
 * A mean and its standard deviation as people read them: the spread to two
 * significant digits, the mean to the same decimal place (`0.8800 ± 0.0010`,
 * never `0.88 ± 0.00`). Extreme magnitudes share an exponent form.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { formatMeanSd } from "./numbers.ts";
 * assertEquals(formatMeanSd(0.88, 0.001), "0.8800 ± 0.0010");
 * assertEquals(formatMeanSd(0.8643333, 0.00866667), "0.8643 ± 0.0087");
 * assertEquals(formatMeanSd(1234.4, 56.7), "1234 ± 57");
 * assertEquals(formatMeanSd(0.5, 0), "0.5 ± 0");
 * ```
 */
export function formatMeanSd(mean: number, sd: number): string {
  if (!(sd > 0) || !Number.isFinite(sd) || !Number.isFinite(mean)) {
    return `${formatNumber(mean)} ± ${formatNumber(sd)}`;
  }
  // The place of the spread's second significant digit.
  const place = Math.floor(Math.log10(Number(sd.toPrecision(2)))) - 1;
  const big = Math.max(Math.abs(mean), sd);
  if (place < -8 || big >= 1e9) {
    const digits = Math.max(0, Math.floor(Math.log10(Math.abs(mean) || sd)) - place);
    return `${mean.toExponential(Math.min(20, digits))} ± ${sd.toExponential(1)}`;
  }
  if (place >= 0) {
    const unit = 10 ** place;
    return `${Math.round(mean / unit) * unit} ± ${Math.round(sd / unit) * unit}`;
  }
  return `${mean.toFixed(-place)} ± ${sd.toFixed(-place)}`;
}

/**
 * How far apart two floats may be and still count as the same: a few units
 * in the last place of the larger, relative only. There is no absolute
 * floor, so a change at 1e-12 is a change like one at 1.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { floatSlack } from "./numbers.ts";
 * assertEquals(0.9 - 0.89 - 0.01 <= floatSlack(0.9, 0.89, 0.01), true);
 * assertEquals(5e-10 - 1e-12 <= floatSlack(5e-10, 1e-12), false);
 * ```
 */
export function floatSlack(...values: number[]): number {
  let largest = 0;
  for (const value of values) {
    const abs = Math.abs(value);
    if (Number.isFinite(abs) && abs > largest) largest = abs;
  }
  return 8 * Number.EPSILON * largest;
}
