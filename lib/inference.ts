/**
 * The statistics of a calibrated gate: Student's t and the normal
 * distribution (from jStat), a one-sided test of "the candidates' mean is
 * worse", its power, the seeds per side a given power needs, Holm's
 * step-down over a family of tests, and seed noise pooled over commits.
 * Pure and without I/O.
 *
 * @module
 */
import jStatModule from "jstat";

// jStat ships no types: the four functions used here, typed once.
interface JStat {
  studentt: { cdf(x: number, df: number): number; inv(p: number, df: number): number };
  normal: {
    cdf(x: number, mean: number, sd: number): number;
    inv(p: number, mean: number, sd: number): number;
  };
  noncentralt: { cdf(x: number, df: number, ncp: number): number };
}
const jStat = jStatModule as unknown as JStat;

// Past this many degrees of freedom the t distribution is the normal to
// within 1e-6 in the quantiles used, and jStat's series are slow.
const NORMAL_DF = 1e5;

/**
 * The `p` quantile of Student's t with `df` degrees of freedom (the normal's
 * for `df` = ∞).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { tQuantile } from "./inference.ts";
 * assertEquals(tQuantile(0.95, 4).toFixed(3), "2.132");
 * assertEquals(tQuantile(0.95, Infinity).toFixed(3), "1.645");
 * ```
 */
export function tQuantile(p: number, df: number): number {
  return df >= NORMAL_DF ? jStat.normal.inv(p, 0, 1) : jStat.studentt.inv(p, df);
}

/**
 * Student's t distribution function at `x` (the normal's for `df` = ∞).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { tCdf } from "./inference.ts";
 * assertEquals(tCdf(2.92, 2).toFixed(3), "0.950");
 * ```
 */
export function tCdf(x: number, df: number): number {
  return df >= NORMAL_DF ? jStat.normal.cdf(x, 0, 1) : jStat.studentt.cdf(x, df);
}

/** How noisy a difference of two means is, and from where that was learned. */
export interface Noise {
  /** The standard error of the difference of the means. */
  se: number;
  /** Its degrees of freedom (`Infinity` when σ is taken as known). */
  df: number;
  /** The seed standard deviation behind it (one run's spread). */
  sd: number;
  /** `history`: σ pooled from the base branch's commits; `welch`: the two sides' own spreads. */
  source: "history" | "welch" | "one-side";
}

/**
 * The one-sided p-value of "worse by `worse` is more than noise": the chance
 * of a difference at least this large when nothing changed.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { pWorse } from "./inference.ts";
 * assertEquals(pWorse(2.353, { se: 1, df: 3 }).toFixed(3), "0.050");
 * ```
 */
export function pWorse(worse: number, noise: Pick<Noise, "se" | "df">): number {
  if (noise.se === 0) return worse > 0 ? 0 : 1;
  return 1 - tCdf(worse / noise.se, noise.df);
}

/**
 * The power of the one-sided test at level `alpha` to find a regression of
 * `effect` (in the metric's units) given the noise: the chance that such a
 * regression is significant. Exact for the t-test (noncentral t), the
 * normal's `Φ(δ/SE − z₁₋α)` for `df` = ∞.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { power } from "./inference.ts";
 * // 3 seeds a side, σ known: a 2σ drop is found 79 % of the time at α = 0.05.
 * assertEquals(power(2, { se: Math.sqrt(2 / 3), df: Infinity }, 0.05).toFixed(2), "0.79");
 * ```
 */
export function power(effect: number, noise: Pick<Noise, "se" | "df">, alpha: number): number {
  if (noise.se === 0) return effect > 0 ? 1 : 0;
  const critical = tQuantile(1 - alpha, noise.df);
  const shift = effect / noise.se;
  if (noise.df >= NORMAL_DF) return jStat.normal.cdf(shift - critical, 0, 1);
  return 1 - jStat.noncentralt.cdf(critical, noise.df, shift);
}

/**
 * The seeds per side (the same on both) with which the test at level `alpha`
 * finds a regression of `effect` with at least `target` power, given the
 * seed standard deviation `sd`: with σ from history (`df` fixed), or with
 * each side's own spread (`df` = 2n − 2). At most `limit`; `undefined` beyond.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { seedsForPower } from "./inference.ts";
 * // σ known: n = 2 (1.645 + 0.8416)² σ² / δ² = 12.4 for a 1σ drop, so 13.
 * assertEquals(seedsForPower(1, 1, 0.05, { df: Infinity }), 13);
 * ```
 */
export function seedsForPower(
  effect: number,
  sd: number,
  alpha: number,
  options: { df?: number; target?: number; limit?: number } = {},
): number | undefined {
  const { target = 0.8, limit = 1000 } = options;
  if (!(effect > 0)) return undefined;
  for (let n = 2; n <= limit; n++) {
    const df = options.df ?? 2 * n - 2;
    if (power(effect, { se: sd * Math.sqrt(2 / n), df }, alpha) >= target) return n;
  }
  return undefined;
}

/** One test of a family, for {@link holm}. */
export interface HolmResult {
  /** Whether the null hypothesis is rejected (the regression is significant). */
  rejected: boolean;
  /** The level the test faced at its place in the order: α / (m − i + 1). */
  level: number;
}

/**
 * Holm's step-down over a family of p-values: sorted ascending, the i-th
 * (from 1) is rejected while p(i) ≤ α / (m − i + 1); at the first that is
 * not, it and all after it are kept. The chance of any false rejection in
 * the family stays at most α, whatever the dependence. Results come back in
 * the order given.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { holm } from "./inference.ts";
 * const out = holm([0.01, 0.04, 0.03, 0.005], 0.05);
 * assertEquals(out.map((r) => r.rejected), [true, false, false, true]);
 * ```
 */
export function holm(pValues: readonly number[], alpha: number): HolmResult[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const results: HolmResult[] = new Array(m);
  let stopped = false;
  order.forEach(({ p, i }, rank) => {
    const level = alpha / (m - rank);
    stopped ||= !(p <= level);
    results[i] = { rejected: !stopped, level };
  });
  return results;
}

/** Seed noise pooled over the commits of the base branch. */
export interface PooledNoise {
  /** The pooled standard deviation of one run. */
  sd: number;
  /** Degrees of freedom: Σ (n_c − 1). */
  df: number;
  /** Commits with at least two values. */
  commits: number;
  /** Their runs. */
  runs: number;
}

/**
 * The within-commit standard deviation pooled over commits with at least two
 * values: s² = Σ (n_c − 1) s_c² / Σ (n_c − 1). Differences between commits
 * (drift, real changes on main) do not enter it. `undefined` without such a
 * commit.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { pooledNoise } from "./inference.ts";
 * const pooled = pooledNoise([[1, 2, 3], [10, 12], [7]]);
 * assertEquals(pooled, { sd: Math.sqrt((2 * 1 + 1 * 2) / 3), df: 3, commits: 2, runs: 5 });
 * ```
 */
export function pooledNoise(commits: readonly (readonly number[])[]): PooledNoise | undefined {
  let squares = 0;
  let df = 0;
  let used = 0;
  let runs = 0;
  for (const values of commits) {
    if (values.length < 2) continue;
    let sum = 0;
    for (const v of values) sum += v;
    const m = sum / values.length;
    for (const v of values) squares += (v - m) ** 2;
    df += values.length - 1;
    used++;
    runs += values.length;
  }
  if (df === 0) return undefined;
  return { sd: Math.sqrt(squares / df), df, commits: used, runs };
}

/**
 * Welch–Satterthwaite degrees of freedom of the difference of two means:
 * (a + b)² / (a² / (n₁ − 1) + b² / (n₂ − 1)), a = s₁²/n₁, b = s₂²/n₂.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { welchDf } from "./inference.ts";
 * assertEquals(welchDf({ n: 3, sd: 1 }, { n: 3, sd: 1 }), 4);
 * ```
 */
export function welchDf(a: { n: number; sd: number }, b: { n: number; sd: number }): number {
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const denominator = (va * va) / (a.n - 1) + (vb * vb) / (b.n - 1);
  // Both spreads 0: no noise seen; the df do not matter then (se is 0).
  return denominator === 0 ? a.n + b.n - 2 : (va + vb) ** 2 / denominator;
}
