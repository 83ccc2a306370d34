/**
 * Statistics over one side's values (the finished candidates, or the
 * finished baselines), pure and without I/O: what a comparison and a gate
 * over several runs (seeds) need.
 *
 * @module
 */

/**
 * The arithmetic mean of finite numbers, `undefined` for none. When the sum
 * overflows, each value is divided before it is added, so the mean of huge
 * values (two of 1.7e308) stays finite instead of becoming `Infinity`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { mean } from "./stats.ts";
 * assertEquals(mean([1, 2, 3]), 2);
 * assertEquals(mean([1.7e308, 1.7e308]), 1.7e308);
 * assertEquals(mean([]), undefined);
 * ```
 */
export function mean(values: readonly number[]): number | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  let sum = 0;
  for (const value of values) sum += value;
  if (Number.isFinite(sum)) return sum / n;
  // The sum overflowed: divide first (each share is at most the largest value).
  let shares = 0;
  for (const value of values) shares += value / n;
  return shares;
}
