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
import { mean } from "./stats.ts";

// jStat ships no types: the functions used here, typed once.
interface JStat {
  studentt: { cdf(x: number, df: number): number; inv(p: number, df: number): number };
  normal: {
    cdf(x: number, mean: number, sd: number): number;
    inv(p: number, mean: number, sd: number): number;
  };
  ibeta(x: number, a: number, b: number): number;
  gammaln(x: number): number;
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
 * The upper tail P(T > t) of Student's t with `df` degrees of freedom (the
 * normal's for `df` = ∞), computed as a tail, never as `1 − cdf`: no
 * cancellation, and an infinite `t` gives 0 (the t CDF that returned NaN
 * past |t| ≈ 1e155 let a diverged model's perplexity pass as noise).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { tUpperTail } from "./inference.ts";
 * assertEquals(tUpperTail(2.353, 3).toFixed(4), "0.0500");
 * assertEquals(tUpperTail(1e160, 2), 0);
 * assertEquals(tUpperTail(-Infinity, 4), 1);
 * ```
 */
export function tUpperTail(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  if (df >= NORMAL_DF) return jStat.normal.cdf(-t, 0, 1);
  // P(T > |t|) = I_x(df/2, 1/2) / 2 with x = df / (df + t²) = 1 / (1 + (t/√df)²).
  const scaled = t / Math.sqrt(df);
  const x = 1 / (1 + scaled * scaled);
  const tail = x === 0 ? 0 : 0.5 * jStat.ibeta(x, df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

/**
 * The one-sided p-value of "worse by `worse` is more than noise": the chance
 * of a difference at least this large when nothing changed. A statistic
 * that is no number (an infinite difference over an infinite spread) counts
 * as significant when the difference is a drop: it is never "noise".
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { pWorse } from "./inference.ts";
 * assertEquals(pWorse(2.353, { se: 1, df: 3 }).toFixed(3), "0.050");
 * assertEquals(pWorse(1e160 - 20, { se: 1, df: 4 }), 0); // a diverged model
 * ```
 */
export function pWorse(worse: number, noise: Pick<Noise, "se" | "df">): number {
  if (noise.se === 0) return worse > 0 ? 0 : 1;
  const t = worse / noise.se;
  if (Number.isNaN(t)) return worse > 0 || Number.isNaN(worse) ? 0 : 1;
  return tUpperTail(t, noise.df);
}

/**
 * The power of the one-sided test at level `alpha` to find a regression of
 * `effect` (in the metric's units) given the noise: the chance that such a
 * regression is significant. For the t-test, the noncentral t's tail by
 * integrating over the scaled χ of the spread, P(Z + δ > c·S) =
 * ∫ Φ(δ − c·s) f_S(s) ds (S = √(χ²_df / df)), exact for any df and shift
 * (a series cut at 200 terms returned 1.00 for df < 3 and large shifts);
 * the normal's `Φ(δ/SE − z₁₋α)` for `df` = ∞.
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
  const shift = effect / noise.se;
  if (noise.df >= NORMAL_DF) return jStat.normal.cdf(shift - tQuantile(1 - alpha, noise.df), 0, 1);
  // Alike rules (and groups) ask the same question: the integral is worked out once.
  return remembered(
    POWERS,
    `${shift}|${noise.df}|${alpha}`,
    () => noncentralTail(tQuantile(1 - alpha, noise.df), noise.df, shift),
  );
}

const POWERS = new Map<string, number>();
const SEEDS = new Map<string, number | undefined>();

/** A pure function's answer, kept for the next identical question (at most 10,000 kept). */
function remembered<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  if (cache.has(key)) return cache.get(key)!;
  if (cache.size >= 10_000) cache.clear();
  const value = compute();
  cache.set(key, value);
  return value;
}

/** P(T' > c) for the noncentral t with `df` and noncentrality `shift`, by Simpson's rule over S. */
function noncentralTail(c: number, df: number, shift: number): number {
  // S's density: C s^(df−1) e^(−df s²/2), log C = (df/2) ln df − (df/2 − 1) ln 2 − lnΓ(df/2).
  const logC = (df / 2) * Math.log(df) - (df / 2 - 1) * Math.log(2) - jStat.gammaln(df / 2);
  // S sits near 1 with sd ≈ 1/√(2 df); small df have long right tails.
  const spread = 1 / Math.sqrt(2 * df);
  const low = Math.max(0, 1 - 14 * spread);
  const high = 1 + 14 * spread + (df < 10 ? 10 : 0);
  // Φ(δ − c·s) turns from 1 to 0 over about 1/c in s: steps fine enough to see it.
  const steps = 2 * Math.ceil(Math.min(50_000, Math.max(1000, (high - low) * c * 4)));
  const h = (high - low) / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const s = low + i * h;
    const density = s === 0
      ? (df === 1 ? Math.exp(logC) : 0)
      : Math.exp(logC + (df - 1) * Math.log(s) - (df * s * s) / 2);
    const weight = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * density * jStat.normal.cdf(shift - c * s, 0, 1);
  }
  return Math.min(1, Math.max(0, (sum * h) / 3));
}

/**
 * The seeds per side (the same on both) with which the test at level `alpha`
 * finds a regression of `effect` with at least `target` power, given the
 * seed standard deviation `sd`: with σ from history (`df` fixed), or with
 * each side's own spread (Welch with equal spreads and sizes: `df` = 2n − 2).
 * At most `limit`; `undefined` beyond. Power grows with n, so a bisection
 * finds it in a dozen evaluations.
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
  if (!(effect > 0) || !(sd >= 0)) return undefined;
  return remembered(
    SEEDS,
    `${effect / sd}|${alpha}|${options.df}|${target}|${limit}`,
    () => bisectSeeds(effect, sd, alpha, options.df, target, limit),
  );
}

/** The smallest n with the power asked for, by bisection (power grows with n). */
function bisectSeeds(
  effect: number,
  sd: number,
  alpha: number,
  fixedDf: number | undefined,
  target: number,
  limit: number,
): number | undefined {
  const options = { df: fixedDf };
  const enough = (n: number) =>
    power(effect, { se: sd * Math.sqrt(2 / n), df: options.df ?? 2 * n - 2 }, alpha) >= target;
  if (!enough(limit)) return undefined;
  let low = 1; // not enough (one seed has no spread)
  let high = limit; // enough
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (enough(mid)) high = mid;
    else low = mid;
  }
  return Math.max(2, high);
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
  /**
   * Each commit's (and group's) values, newest first: what the gate's robust
   * steps read (screening, a changed spread, drift).
   */
  cells?: number[][];
  /** Who each cell is (its commit, and group), aligned with `cells`: metrics are matched by it. */
  keys?: string[];
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
  // Deviations are scaled by the largest first, so values near ±1e200 do not overflow.
  const deviations: number[][] = [];
  let scale = 0;
  for (const values of commits) {
    if (values.length < 2) continue;
    const m = mean(values)!;
    const d = values.map((v) => v - m);
    for (const x of d) scale = Math.max(scale, Math.abs(x));
    deviations.push(d);
  }
  let df = 0;
  let runs = 0;
  let squares = 0;
  for (const d of deviations) {
    for (const x of d) squares += scale === 0 ? 0 : (x / scale) ** 2;
    df += d.length - 1;
    runs += d.length;
  }
  if (df === 0) return undefined;
  return { sd: scale * Math.sqrt(squares / df), df, commits: deviations.length, runs };
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
  // Spreads scaled by the larger: the df do not change, and ±1e200 does not overflow.
  const scale = Math.max(a.sd, b.sd) || 1;
  const va = ((a.sd / scale) ** 2) / a.n;
  const vb = ((b.sd / scale) ** 2) / b.n;
  const denominator = (va * va) / (a.n - 1) + (vb * vb) / (b.n - 1);
  // Both spreads 0: no noise seen; the df do not matter then (se is 0).
  return denominator === 0 ? a.n + b.n - 2 : (va + vb) ** 2 / denominator;
}

/**
 * P(F > f) for Fisher's F with (d1, d2) degrees of freedom, as a tail:
 * I_x(d2/2, d1/2) with x = d2 / (d2 + d1·f).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { fUpperTail } from "./inference.ts";
 * // F(0.95; 4, 10) = 3.478 (the F table).
 * assertEquals(fUpperTail(3.478, 4, 10).toFixed(3), "0.050");
 * ```
 */
export function fUpperTail(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  if (!Number.isFinite(f)) return 0;
  return jStat.ibeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/**
 * The trigamma function ψ′(x) (x > 0): the variance of log(χ²_d / d) is
 * ψ′(d/2), which tells seed noise's share of the spread of commits' log s².
 * By the recurrence ψ′(x) = ψ′(x + 1) + 1/x² up to 10, then the asymptotic
 * series (its next term, below 1e-13 there, is the error).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { trigamma } from "./inference.ts";
 * // ψ′(1) = π²/6.
 * assertEquals(trigamma(1).toFixed(12), (Math.PI ** 2 / 6).toFixed(12));
 * ```
 */
export function trigamma(x: number): number {
  if (!(x > 0)) return NaN;
  let sum = 0;
  let y = x;
  for (; y < 10; y++) sum += 1 / (y * y);
  const inv2 = 1 / (y * y);
  // 1/y + 1/2y² + 1/6y³ − 1/30y⁵ + 1/42y⁷ − 1/30y⁹ + 5/66y¹¹ (Bernoulli numbers)
  return sum + 1 / y + inv2 / 2 +
    (inv2 / y) * (1 / 6 - inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 * (1 / 30 - (inv2 * 5) / 66))));
}
