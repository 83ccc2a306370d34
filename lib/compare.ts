/**
 * Candidates against baselines, per metric: every value as it is (missing,
 * NaN, text and nested values stay what they are, never 0), a reference
 * baseline value (`best`, `mean` or one run) from the finished baselines
 * only, each finished candidate's absolute and relative delta, and each
 * side's n, mean, spread, min and max.
 *
 * @module
 */
import { match } from "ts-pattern";
import { bucketOf } from "./classify.ts";
import { InvalidInputError } from "./ground/errors.ts";
import { type Direction, field, type Reference, type Run as WandbRun } from "./ground/model.ts";
import { floatSlack } from "./ground/numbers.ts";
import { mean, summarize, type Summary } from "./ground/stats.ts";

export type { Direction, Reference } from "./ground/model.ts";

/** `record[key]` when it is the record's own property. */
function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * A value as found in a run's summary. Only finite numbers take part in
 * deltas; the rest is shown for what it is.
 */
export type MetricValue =
  | { kind: "number"; value: number }
  | { kind: "missing" }
  | { kind: "nan" }
  | { kind: "infinite"; value: number }
  | { kind: "text"; text: string }
  | { kind: "nested" };

/**
 * Classifies a summary value.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { metricValue } from "./compare.ts";
 * assertEquals(metricValue(0.9), { kind: "number", value: 0.9 });
 * assertEquals(metricValue(undefined), { kind: "missing" });
 * ```
 */
export function metricValue(value: unknown): MetricValue {
  // A plain typeof chain: this runs once per run and metric.
  if (value === null || value === undefined) return { kind: "missing" };
  if (typeof value === "number") {
    if (Number.isNaN(value)) return { kind: "nan" };
    return Number.isFinite(value) ? { kind: "number", value } : { kind: "infinite", value };
  }
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "bigint") {
    return { kind: "text", text: String(value) };
  }
  return { kind: "nested" };
}

const MIN_WORDS =
  /(^|[^a-z])(loss|losses|error|errors|err|mse|mae|rmse|wer|cer|perplexity|ppl|latency|fid)($|[^a-z])/i;
const MAX_WORDS =
  /(^|[^a-z])(acc|accuracy|f1|auc|auroc|precision|recall|iou|map|bleu|rouge\w*|r2|top\d*|reward|score)($|[^a-z])/i;

/**
 * The direction a metric's name clearly implies, or undefined: names with
 * loss, error, mse, mae, rmse, wer, cer, perplexity, latency or fid as a word
 * mean smaller is better; acc, accuracy, f1, auc, precision, recall, iou, map,
 * bleu, rouge, r2, top-k, reward or score mean bigger is better. A name with
 * words of both kinds, or neither, has no default.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { defaultDirection } from "./compare.ts";
 * assertEquals(defaultDirection("val_loss"), "min");
 * assertEquals(defaultDirection("val/accuracy"), "max");
 * assertEquals(defaultDirection("throughput"), undefined);
 * ```
 */
export function defaultDirection(metric: string): Direction | undefined {
  const min = MIN_WORDS.test(metric);
  const max = MAX_WORDS.test(metric);
  return min === max ? undefined : min ? "min" : "max";
}

/** One run's value of a metric. */
export interface RunValue {
  /** The run. */
  run: WandbRun;
  /** Its value. */
  value: MetricValue;
  /** For a baseline: whether it feeds the reference (only finished baselines do). */
  used?: boolean;
}

/** One finished candidate against the reference. */
export interface CandidateDelta extends RunValue {
  /** candidate − reference, when both are finite numbers. */
  abs?: number;
  /** (candidate − reference) / |reference|, when the reference is not 0. */
  rel?: number;
  /** Better, worse or equal, given a direction and a delta. */
  verdict: "better" | "worse" | "equal" | "n/a";
}

/** Everything about one metric. */
export interface MetricComparison {
  /** The metric's name. */
  metric: string;
  /** The direction used, if any. */
  direction?: Direction;
  /** Whether the user gave it, it came from the name, or there is none. */
  directionSource: "given" | "name" | "none";
  /**
   * The reference kind and its value (undefined when no finished baseline
   * has a number), and why there is none when that needs saying.
   */
  reference: { spec: Reference; value?: number; runId?: string; note?: string };
  /** Every baseline's value (`used` says which feed the reference). */
  baselines: RunValue[];
  /** Every finished candidate's value and delta. */
  candidates: CandidateDelta[];
  /** The finite values of each side summarised: the finished candidates, the finished baselines. */
  stats: { candidates: Summary; baselines: Summary };
}

// Run → entry indexes of each comparison, built when first asked for: views
// look a run up once per metric, and a scan per lookup made a view of
// 200,000 runs quadratic.
const INDEXES = new WeakMap<readonly RunValue[], Map<WandbRun, RunValue>>();

function indexOf<T extends RunValue>(entries: readonly T[]): Map<WandbRun, T> {
  let index = INDEXES.get(entries) as Map<WandbRun, T> | undefined;
  if (!index) {
    index = new Map(entries.map((entry) => [entry.run, entry]));
    INDEXES.set(entries, index);
  }
  return index;
}

/**
 * A finished candidate's delta in `comparison`, or `undefined` for a run
 * that is not one (found in constant time).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { candidateDelta, compareRuns } from "./compare.ts";
 * const c1 = { name: "c1", state: "finished", tags: [], config: {}, summary: { acc: 0.92 } };
 * const b1 = { name: "b1", state: "finished", tags: [], config: {}, summary: { acc: 0.9 } };
 * const [acc] = compareRuns([c1], [b1], { metrics: ["acc"], reference: { kind: "best" } });
 * assertEquals(candidateDelta(acc!, c1)?.verdict, "better");
 * assertEquals(candidateDelta(acc!, b1), undefined);
 * ```
 */
export function candidateDelta(
  comparison: MetricComparison,
  run: WandbRun,
): CandidateDelta | undefined {
  return indexOf(comparison.candidates).get(run);
}

/**
 * A baseline's value in `comparison`, or `undefined` for a run that is not
 * one (found in constant time).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { baselineValue, compareRuns } from "./compare.ts";
 * const b1 = { name: "b1", state: "finished", tags: [], config: {}, summary: { acc: 0.9 } };
 * const [acc] = compareRuns([], [b1], { metrics: ["acc"], reference: { kind: "best" } });
 * assertEquals(baselineValue(acc!, b1)?.value, { kind: "number", value: 0.9 });
 * ```
 */
export function baselineValue(comparison: MetricComparison, run: WandbRun): RunValue | undefined {
  return indexOf(comparison.baselines).get(run);
}

/** Options of {@link compareRuns}. */
export interface CompareOptions {
  /** The metrics to compare, in order. */
  metrics: readonly string[];
  /** Directions the user gave, by metric. */
  directions?: Readonly<Record<string, Direction>>;
  /** The reference for each metric, unless `references` names another. */
  reference: Reference;
  /** Per-metric references (the gate's rules set these). */
  references?: Readonly<Record<string, Reference>>;
}

/**
 * Compares each finished candidate with the reference baseline value, per metric.
 *
 * @throws {InvalidInputError} when a `run=ID` reference is not one of the baselines
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { compareRuns } from "./compare.ts";
 * const run = (name: string, state: string, acc: number) => ({
 *   name, state, tags: [], config: {}, summary: { acc },
 * });
 * const [acc] = compareRuns([run("c1", "finished", 0.92)], [run("b1", "finished", 0.9)], {
 *   metrics: ["acc"], reference: { kind: "best" },
 * });
 * assertEquals(acc!.candidates[0]!.verdict, "better");
 * ```
 */
export function compareRuns(
  candidates: readonly WandbRun[],
  baselines: readonly WandbRun[],
  options: CompareOptions,
): MetricComparison[] {
  const finished = candidates.filter((run) => bucketOf(run.state) === "finished");
  return options.metrics.map((metric) => {
    // Own properties only: a metric named "toString" is a name, not a lookup.
    const given = own(options.directions, metric);
    const guessed = defaultDirection(metric);
    const direction = given ?? guessed;
    const spec = own(options.references, metric) ?? options.reference;
    // Only finished baselines feed the reference, as only finished candidates are judged.
    const baselineValues = baselines.map((run) => ({
      run,
      value: metricValue(field(run.summary, metric)),
      used: bucketOf(run.state) === "finished",
    }));
    const reference = referenceValue(metric, spec, baselineValues, direction);
    const candidates = finished.map((run) =>
      delta(run, metricValue(field(run.summary, metric)), reference.value, direction)
    );
    return {
      metric,
      direction,
      directionSource: given ? "given" : guessed ? "name" : "none",
      reference,
      baselines: baselineValues,
      candidates,
      stats: {
        candidates: summarize(numbersOf(candidates)),
        baselines: summarize(numbersOf(baselineValues.filter((b) => b.used))),
      },
    };
  });
}

function referenceValue(
  metric: string,
  spec: Reference,
  baselines: readonly RunValue[],
  direction: Direction | undefined,
): MetricComparison["reference"] {
  const numbers = baselines.flatMap((b) =>
    b.used && b.value.kind === "number" ? [{ run: b.run, value: b.value.value }] : []
  );
  return match(spec)
    .returnType<MetricComparison["reference"]>()
    .with({ kind: "run" }, ({ runId }) => {
      const found = baselines.find((b) => b.run.name === runId);
      if (!found) {
        throw new InvalidInputError(
          "--reference",
          `the id of a baseline run (${
            baselines.map((b) => b.run.name).join(", ") || "there are none"
          })`,
          `run=${runId}`,
          `for metric ${metric}`,
        );
      }
      if (!found.used) {
        return {
          spec,
          runId,
          note: `${metric}: the reference run ${runId} is ${
            found.run.state ?? "in no state"
          }, not finished: it is not used (no reference value)`,
        };
      }
      return {
        spec,
        runId,
        value: found.value.kind === "number" ? found.value.value : undefined,
      };
    })
    .with({ kind: "mean" }, () => ({ spec, value: mean(numbers.map((n) => n.value)) }))
    .with({ kind: "best" }, () => {
      // Without a direction there is no "best": the gate insists on one, the
      // report says so.
      if (!direction || numbers.length === 0) return { spec };
      const best = numbers.reduce((a, b) =>
        (direction === "max" ? b.value > a.value : b.value < a.value) ? b : a
      );
      return { spec, value: best.value, runId: best.run.name };
    })
    .exhaustive();
}

/** The finite numbers among some runs' values. */
function numbersOf(values: readonly RunValue[]): number[] {
  return values.flatMap((v) => (v.value.kind === "number" ? [v.value.value] : []));
}

function delta(
  run: WandbRun,
  value: MetricValue,
  reference: number | undefined,
  direction: Direction | undefined,
): CandidateDelta {
  if (value.kind !== "number" || reference === undefined) return { run, value, verdict: "n/a" };
  const abs = value.value - reference;
  const rel = reference === 0 ? undefined : abs / Math.abs(reference);
  // Float noise (0.8 + 0.9) / 2 = 0.8500000000000001 is not a difference;
  // a change at 1e-12 is (relative slack only).
  const same = Math.abs(abs) <= floatSlack(reference, value.value);
  const verdict = !direction
    ? "n/a"
    : same
    ? "equal"
    : (direction === "max") === (abs > 0)
    ? "better"
    : "worse";
  return { run, value, abs, rel, verdict };
}
