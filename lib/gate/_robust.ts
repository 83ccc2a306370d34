/**
 * What main's history says of a metric beyond one pooled σ, for the gate's
 * robust steps (reference/statistics.md, "Beyond the textbook world"):
 *
 * - a **robust σ** and **main's level** (the median of the newest commits'
 *   values), which diverged seeds cannot move: main's seeds more than 4
 *   median-based σ from their commit's median are set aside to tell an
 *   efficient σ, and those more than 6 of that leave main's σ; a seed of
 *   the PR more than 6 robust σ from main's level has diverged, is left out
 *   of the means and σ, and how many did is tested against main's own rate
 *   (binomial tail);
 * - a **change-aware σ**: when main's σ moved (`changePoint` in
 *   `_shape.ts`, the report's metrics together or this one alone), σ from
 *   the commits since and the PR's own seeds, else all of it pooled;
 * - a **σ by commit**: when the commits' log s² spread more than seed noise
 *   explains (by ψ′), each commit's σ² is taken as drawn from a scaled
 *   inverse χ² with ν₀ df, and each side's σ² is the posterior's mean (its
 *   own seeds weighed against history's σ), the df by Welch–Satterthwaite;
 * - the **drift** between commits' means (τ², from the spread of the
 *   commits' medians less what seed noise gives a median), added to the
 *   variance when the baselines are not the base commit's own runs, and to
 *   the screening's reach always (a commit's true mean sits off main's level
 *   by it).
 *
 * @module
 */
import { seededRandom } from "../ground/random.ts";
import { RECENT_COMMITS, type ReportShape } from "./_shape.ts";
import { changeAwareSd, type ChangeOptions, pooled, sinceChange } from "./_change.ts";
import { sidesNoise } from "./_sides.ts";

/** σ from main's level beyond which a seed of the PR (or its baselines) has diverged. */
export const DIVERGED_SIGMAS = 6;
/** σ from its commit's median beyond which a seed of main leaves its σ. */
const CLEANING_SIGMAS = 6;
/** Robust σ from its commit's median within which a seed tells the efficient σ. */
const CORE_SIGMAS = 4;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * A σ that one or two diverged seeds cannot move: the median of every seed's
 * distance from its commit's median, over that median for normal seeds.
 */
function robustSd(cells: readonly (readonly number[])[]): number {
  const scaled = cells.filter((c) => c.length >= 2).flatMap((c) =>
    deviations(c).map((d) => d / normalDeviation(c.length))
  );
  return scaled.length ? median(scaled) : 0;
}

/** Each value's distance from its commit's median, the median itself (odd counts) left out. */
function deviations(values: readonly number[]): number[] {
  const centre = median(values);
  const distances = values.map((v) => Math.abs(v - centre));
  if (values.length % 2 === 1) distances.splice(distances.indexOf(0), 1);
  return distances;
}

const NORMAL_DEVIATION = new Map<number, number>();

/**
 * The median of {@link deviations} for k standard normal seeds, by a fixed
 * simulation (20,000 samples, a fixed seed; once per k): the constant that
 * makes such a distance a σ.
 */
export function normalDeviation(k: number): number {
  const known = NORMAL_DEVIATION.get(k);
  if (known !== undefined) return known;
  const { normal } = seededRandom(0x9e3779b9 ^ k);
  const all: number[] = [];
  for (let i = 0; i < 20_000; i++) all.push(...deviations(Array.from({ length: k }, normal)));
  const value = median(all);
  NORMAL_DEVIATION.set(k, value);
  return value;
}

/** Main's robust picture of a metric: σ, level, and how often a seed diverges there. */
export interface RobustHistory {
  /** One seed's σ for screening: the smaller of the median-based one and the clean commits' pooled one. */
  sd: number;
  /** The commits' values with main's own diverged seeds left out, newest first. */
  clean: number[][];
  /** Main's level: the median of the newest commits' values. */
  level: number;
  /** The share of main's seeds more than 6 robust σ from their commit's median (smoothed). */
  rate: number;
}

/**
 * The robust σ, main's level and its divergence rate from the commits'
 * values (newest first); `undefined` without two commits of two values.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { robustHistory } from "./_robust.ts";
 * // Three seeds a commit, one diverged seed in the oldest: it leaves, and σ is pooled from
 * // the rest by hand: √((2·0.0001 + 2·0.0001 + 1·0.00005) / 5) = 0.009487.
 * const h = robustHistory([[0.9, 0.91, 0.92], [0.9, 0.91, 0.92], [0.9, 0.91, -5]])!;
 * assertEquals([h.level, h.sd.toFixed(6), h.clean[2]], [0.91, "0.009487", [0.9, 0.91]]);
 * ```
 */
export function robustHistory(cells: readonly (readonly number[])[]): RobustHistory | undefined {
  // Every rule and group of a report reads the same history: tell it once.
  const known = ROBUST_HISTORIES.get(cells);
  if (known !== undefined) return known ?? undefined;
  const told = tellRobustHistory(cells);
  ROBUST_HISTORIES.set(cells, told ?? null);
  return told;
}

const ROBUST_HISTORIES = new WeakMap<object, RobustHistory | null>();

function tellRobustHistory(cells: readonly (readonly number[])[]): RobustHistory | undefined {
  const usable = cells.filter((c) => c.length >= 2);
  if (usable.length < 2) return undefined;
  // σ in two steps: the robust σ (a median, which a few diverged seeds barely move, but
  // noisy) trims the seeds more than 4 of it from their commit's median, and the rest give an
  // efficient σ; seeds more than 6 of that from their commit's median have diverged, and σ is
  // pooled from the others. A noisy first σ thus never shelters a 10σ seed.
  const seeds = (cells: readonly (readonly number[])[]) => cells.reduce((n, c) => n + c.length, 0);
  const within = (reach: number) => usable.map((cell) => keepWithin(cell, reach));
  const robust = robustSd(usable);
  const core = pooled(within(CORE_SIGMAS * robust));
  const clean = core.df > 0 ? within(CLEANING_SIGMAS * Math.sqrt(core.s2)) : within(Infinity);
  // The screening's σ: the smaller, so heavy tails (where the median's σ is the smaller)
  // screen as tightly as before, and diverged seeds (which inflate the median's) do not widen it.
  const { s2, df } = pooled(clean);
  const sd = df > 0 ? Math.min(robust, Math.sqrt(s2)) : robust;
  const total = seeds(usable);
  const diverged = total - seeds(clean);
  const level = median(clean.slice(0, RECENT_COMMITS).flat());
  return { sd, clean, level, rate: (diverged + 0.5) / (total + 1) };
}

/**
 * Which of `values` have diverged from main's level (indexes), by more than
 * 6 robust σ; none when the robust σ is 0 (nothing can be told apart).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { divergedIndexes } from "./_robust.ts";
 * assertEquals(divergedIndexes([0.9, 0.5, 0.91], { sd: 0.01, level: 0.9, rate: 0.01, clean: [] }), [1]);
 * ```
 */
export function divergedIndexes(
  values: readonly number[],
  history: RobustHistory,
  drift = 0,
): number[] {
  // A commit's true mean may sit off main's level by the drift: seeds are judged by both.
  const spread = Math.sqrt(history.sd ** 2 + drift);
  if (!(spread > 0)) return [];
  return values.flatMap((v, i) =>
    Math.abs(v - history.level) > DIVERGED_SIGMAS * spread ? [i] : []
  );
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p): how surprising k diverged seeds of n are
 * at main's rate.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { binomialTail } from "./_robust.ts";
 * assertEquals(binomialTail(0, 3, 0.1), 1);
 * assertEquals(binomialTail(3, 3, 0.1).toFixed(4), "0.0010");
 * assertEquals(binomialTail(1, 3, 0.1).toFixed(3), "0.271");
 * ```
 */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  let coefficient = 1;
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += coefficient * p ** i * (1 - p) ** (n - i);
    coefficient = (coefficient * (n - i)) / (i + 1);
  }
  return Math.min(1, Math.max(0, 1 - below));
}

/** One side's values with their runs' names, for screening. */
export interface Seeds {
  /** The values. */
  values: number[];
  /** Who logged each. */
  names: string[];
}

/** What the robust steps made of one rule's two sides. */
export interface RobustNoise {
  /** The candidates' values kept (diverged ones left out). */
  candidates: number[];
  /** The baselines' values kept. */
  baselines: number[];
  /** The σ of one seed and its df. */
  sd: number;
  /** Its degrees of freedom. */
  df: number;
  /** Where σ came from: the newest commits (the spread changed), or all of them pooled. */
  from: "recent" | "pooled";
  /** The standard error of the difference of the means (drift included when asked). */
  se: number;
  /** Candidates that diverged, with main's rate and how surprising their number is. */
  divergence: { names: string[]; of: number; rate: number; p: number };
  /** Baselines left out as diverged. */
  baselinesLeftOut: string[];
  /** What to tell the user: screening, a changed spread, drift. */
  notes: string[];
}

/**
 * A rule's noise from main's history, robustly: diverged seeds screened out
 * of both sides, a change-aware σ, and the drift added when the baselines
 * are not the base commit's own runs. `undefined` when history cannot tell
 * (fewer than two usable commits, or a side left empty).
 */
export function robustNoise(
  cells: readonly (readonly number[])[],
  candidates: Seeds,
  baselines: Seeds,
  options: {
    drift: boolean;
    format: (n: number) => string;
    shape?: ReportShape;
    keys?: readonly string[];
  },
): RobustNoise | undefined {
  const change = { keys: options.keys, shared: options.shape?.change };
  const main = mainPicture(cells, change);
  if (!main) return undefined;
  const { history, since, clean, between, screen } = main;
  const out = (seeds: Seeds) => new Set(divergedIndexes(seeds.values, screen, between));
  const [cOut, bOut] = [out(candidates), out(baselines)];
  const kept = (seeds: Seeds, gone: Set<number>) => seeds.values.filter((_, i) => !gone.has(i));
  const [c, b] = [kept(candidates, cOut), kept(baselines, bOut)];
  if (b.length === 0) return undefined;
  const sigma = changeAwareSd(clean, c, { ...change, since });
  if (!sigma) return undefined;
  const tau2 = options.drift ? between : 0;
  const fmt = options.format;
  const notes: string[] = [];
  const names = (seeds: Seeds, gone: Set<number>) => seeds.names.filter((_, i) => gone.has(i));
  const screened = [...names(candidates, cOut), ...names(baselines, bOut)];
  if (screened.length) {
    notes.push(
      `${screened.join(", ")} left out: more than ${DIVERGED_SIGMAS} robust σ (${
        fmt(history.sd)
      }) from main's level ${fmt(history.level)}`,
    );
  }
  if (sigma.change) {
    const { commits, p, jointly } = sigma.change;
    notes.push(
      `σ from the newest ${commits} commit${commits === 1 ? "" : "s"} and the PR's seeds: ` +
        `the spread changed ${commits} commit${commits === 1 ? "" : "s"} ago` +
        `${jointly ? " in the report's metrics together" : ""} (p ${fmt(p)})`,
    );
  }
  if (tau2 > 0) {
    notes.push(
      `the baselines are not the base commit's own runs: the drift between commits ` +
        `(τ ${fmt(Math.sqrt(tau2))}) is added to the noise`,
    );
  }
  // σ that varies between commits: each side's own seeds weigh in (a noise of its own).
  const sides = sidesNoise(clean, sigma, c, b, options.shape?.spread);
  if (sides) {
    notes.push(
      `σ varies between commits more than their seeds explain (like a χ² of ` +
        `${fmt(sides.priorDf)} df): each side's own seeds weigh in against history's σ, ` +
        `${fmt(sides.df)} df`,
    );
  }
  // Every candidate diverged: no mean to test (the divergence test decides), no spread to add.
  const variance = sides
    ? sides.variance + 2 * tau2
    : sigma.sd ** 2 * (1 / Math.max(1, c.length) + 1 / b.length) + 2 * tau2;
  return {
    candidates: c,
    baselines: b,
    sd: sigma.sd,
    df: sides?.df ?? sigma.df,
    from: sigma.from,
    se: Math.sqrt(variance),
    divergence: {
      names: names(candidates, cOut),
      of: candidates.values.length,
      rate: history.rate,
      p: binomialTail(cOut.size, candidates.values.length, history.rate),
    },
    baselinesLeftOut: names(baselines, bOut),
    notes,
  };
}

/**
 * What main's history says before the PR's seeds are judged: its robust
 * picture, where σ moved, its cells cleaned (again, at their own σ, when σ
 * grew on its newest commits), the drift between commits, and the screening's
 * σ (a σ that grew widens its reach: a seed as noisy as main now is has not
 * diverged; with all of history's σ, 6σ is 3.3 of a doubled σ).
 */
function mainPicture(cells: readonly (readonly number[])[], change: ChangeOptions) {
  const history = robustHistory(cells);
  if (!history) return undefined;
  const since = sinceChange(history.clean, change);
  const grew = since?.point.direction === "up";
  const clean = grew ? recleaned(cells, history.clean, since!.indices) : history.clean;
  const between = robustDrift(clean, history.sd);
  const grown = grew ? Math.sqrt(pooled(since!.indices.map((i) => clean[i]!)).s2) : 0;
  const screen = { ...history, sd: Math.max(history.sd, grown) };
  return { history, since, clean, between, screen };
}

/**
 * The drift between commits' means, robustly: the spread of the commits'
 * medians (1.4826 · their median absolute deviation, squared) less what the
 * seeds' own noise gives a median of k (σ² · π / 2k), floored at 0. A commit
 * whose seeds mostly diverged moves one median of many, not this.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { robustDrift } from "./_robust.ts";
 * assertEquals(robustDrift([[1, 1, 1], [1, 1, 1], [1, 1, 1]], 0), 0);
 * // Medians 0, 0, 2, 2, 2 (MAD 0) with no noise: no spread a median can see.
 * assertEquals(robustDrift([[0, 0], [0, 0], [2, 2], [2, 2], [2, 2]], 0), 0);
 * ```
 */
export function robustDrift(cells: readonly (readonly number[])[], sd: number): number {
  const usable = cells.filter((c) => c.length >= 2);
  if (usable.length < 3) return 0;
  const medians = usable.map((c) => median(c));
  const centre = median(medians);
  const spread = 1.4826 * median(medians.map((m) => Math.abs(m - centre)));
  const k = usable.reduce((n, c) => n + c.length, 0) / usable.length;
  return Math.max(0, spread ** 2 - (sd ** 2 * Math.PI) / (2 * k));
}

/** A commit's seeds within `reach` of their median. */
function keepWithin(cell: readonly number[], reach: number): number[] {
  const centre = median(cell);
  return cell.filter((v) => !(Math.abs(v - centre) > reach));
}

/**
 * main's cells cleaned again when σ grew on its newest commits: those since
 * are cleaned from their raw seeds at the σ they show (all of history's, mostly
 * the older and calmer one, took their noisier seeds for diverged and left
 * their σ too small).
 */
function recleaned(
  raw: readonly (readonly number[])[],
  clean: readonly number[][],
  since: readonly number[],
): number[][] {
  const grown = Math.sqrt(pooled(since.map((i) => clean[i]!)).s2);
  const recent = new Set(since);
  return raw.map((cell, i) =>
    recent.has(i) ? keepWithin(cell, CLEANING_SIGMAS * grown) : clean[i]!
  );
}
