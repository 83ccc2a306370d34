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

/**
 * The sample variance (n − 1) of finite numbers; 0 for fewer than two.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { variance } from "./stats.ts";
 * assertEquals([variance([1, 2, 3]), variance([5])], [1, 0]);
 * ```
 */
export function variance(values: readonly number[]): number {
  return (summarize(values).sd ?? 0) ** 2;
}

/** One side's values of a metric, summarised. */
export interface Summary {
  /** How many finite values. */
  n: number;
  /** Their mean (none for n = 0). */
  mean?: number;
  /** Their sample standard deviation, with n − 1 (none for n < 2). */
  sd?: number;
  /** The smallest (none for n = 0). */
  min?: number;
  /** The largest (none for n = 0). */
  max?: number;
}

/**
 * n, mean, sample standard deviation (n − 1), min and max of finite numbers.
 * The spread is computed on values scaled by the largest magnitude, so huge
 * values do not overflow to `Infinity`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { summarize } from "./stats.ts";
 * const s = summarize([0.9164, 0.9174, 0.9184]);
 * assertEquals([s.n, s.mean!.toFixed(4), s.sd!.toFixed(4), s.min, s.max], [3, "0.9174", "0.0010", 0.9164, 0.9184]);
 * assertEquals(summarize([0.5]), { n: 1, mean: 0.5, min: 0.5, max: 0.5 });
 * assertEquals(summarize([]), { n: 0 });
 * ```
 */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { n: 0 };
  let min = Infinity;
  let max = -Infinity;
  let scale = 0;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
    if (Math.abs(value) > scale) scale = Math.abs(value);
  }
  const m = mean(values)!;
  if (n < 2) return { n, mean: m, min, max };
  let squares = 0;
  if (scale > 0) {
    for (const value of values) squares += ((value - m) / scale) ** 2;
  }
  return { n, mean: m, sd: scale * Math.sqrt(squares / (n - 1)), min, max };
}

/**
 * The standard error of the difference of two means (Welch):
 * √(s²a/na + s²b/nb). Unknown (`undefined`) when a side has fewer than two
 * values: one run says nothing of the noise.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { standardError, summarize } from "./stats.ts";
 * const se = standardError(summarize([1, 2, 3]), summarize([2, 4]));
 * assertEquals(se!.toFixed(4), Math.sqrt(1 / 3 + 2 / 2).toFixed(4));
 * assertEquals(standardError(summarize([1]), summarize([2, 4])), undefined);
 * ```
 */
export function standardError(a: Summary, b: Summary): number | undefined {
  if (a.sd === undefined || b.sd === undefined) return undefined;
  // hypot: spreads near ±1e200 do not overflow when squared.
  return Math.hypot(a.sd / Math.sqrt(a.n), b.sd / Math.sqrt(b.n));
}

/** What `--group-by` splits candidates by: W&B's `group` field, or a config key. */
export type GroupBy = { kind: "group" } | { kind: "config"; key: string };

/**
 * Reads `--group-by`: `group` is W&B's own group field; `config.KEY` or a
 * plain `KEY` is a config key.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseGroupBy } from "./stats.ts";
 * assertEquals(parseGroupBy("lr"), { kind: "config", key: "lr" });
 * assertEquals(parseGroupBy("config.group"), { kind: "config", key: "group" });
 * assertEquals(parseGroupBy("group"), { kind: "group" });
 * ```
 */
export function parseGroupBy(text: string): GroupBy {
  if (text === "group") return { kind: "group" };
  return { kind: "config", key: text.startsWith("config.") ? text.slice("config.".length) : text };
}

/** A group value as shown: a string that reads like another type (`"0.1"`, `"true"`) is quoted. */
function valueText(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value);
  try {
    return typeof JSON.parse(value) === "string" ? value : JSON.stringify(value);
  } catch {
    return value;
  }
}

/** One group of candidates: runs of one experiment, judged together. */
export interface RunGroup<T> {
  /** `lr=0.01`, `group=sweep-a`, `(no lr)`; none when the candidates are not grouped. */
  name?: string;
  /** Its runs, in the order given. */
  runs: T[];
}

/**
 * Splits runs by a config key or W&B's group, in order of first appearance
 * (runs without it form `(no KEY)`); without `by`, one group of all. When
 * no run has the key at all, one group and a note say so.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { groupRuns } from "./stats.ts";
 * const run = (name: string, lr?: number) => ({ name, config: lr === undefined ? {} : { lr } });
 * const { groups } = groupRuns([run("a", 0.1), run("b", 0.01), run("c", 0.1)], { kind: "config", key: "lr" });
 * assertEquals(groups.map((g) => [g.name, g.runs.map((r) => r.name)]), [["lr=0.1", ["a", "c"]], ["lr=0.01", ["b"]]]);
 * ```
 */
export function groupRuns<T extends { config: Record<string, unknown>; group?: string | null }>(
  runs: readonly T[],
  by: GroupBy | undefined,
): { groups: RunGroup<T>[]; note?: string } {
  if (!by) return { groups: [{ runs: [...runs] }] };
  const label = by.kind === "group" ? "group" : by.key;
  const valueOf = (run: T): unknown =>
    by.kind === "group"
      ? run.group ?? undefined
      : Object.hasOwn(run.config, by.key)
      ? run.config[by.key]
      : undefined;
  if (runs.length > 0 && runs.every((run) => valueOf(run) === undefined)) {
    return {
      groups: [{ runs: [...runs] }],
      note: `--group-by ${label}: no candidate has ${
        by.kind === "group" ? "a W&B group" : `the config key "${by.key}"`
      }; the candidates are judged as one group`,
    };
  }
  // Keyed by the value and its type: lr 0.1 and lr "0.1", true and "true"
  // are different experiments, and a bad group must not hide in a good one.
  const groups = new Map<string, { name: string; runs: T[] }>();
  for (const run of runs) {
    const value = valueOf(run);
    const missing = value === undefined || value === null;
    const key = missing ? "" : `${typeof value}:${JSON.stringify(value)}`;
    const members = groups.get(key);
    if (members) members.runs.push(run);
    else {groups.set(key, {
        name: missing ? `(no ${label})` : `${label}=${valueText(value)}`,
        runs: [run],
      });}
  }
  return { groups: [...groups.values()] };
}
