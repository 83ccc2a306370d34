/**
 * σ that varies between commits (reference/statistics.md, "Beyond the
 * textbook world"): each commit's σ² a draw from a scaled inverse χ² whose
 * df ν₀ come from how much the commits' log s² spread beyond seed noise, each
 * side's σ² its posterior mean (Smyth 2004, limma's empirical Bayes).
 *
 * @module
 */
import { trigamma } from "../ground/inference.ts";
import { variance } from "../ground/stats.ts";
import type { ChangeAwareSd } from "./_change.ts";
import { type LogSpread, logSpread } from "./_shape.ts";

/** The noise of the two sides' means when σ varies between commits. */
export interface SidesNoise {
  /** ν₀: the df of the commits' σ² distribution (scaled inverse χ²). */
  priorDf: number;
  /** Var(candidates' mean) + Var(baselines' mean). */
  variance: number;
  /** Welch–Satterthwaite df of that variance. */
  df: number;
}

/**
 * The df ν₀ of a scaled inverse χ² whose log has variance v (ψ′(ν₀/2) = v),
 * by bisection on a log scale; ∞ when v is too small to tell from none.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { priorDf } from "./_sides.ts";
 * assertEquals(priorDf(1).toFixed(4), "2.8525"); // R: uniroot(trigamma(n/2) - 1)
 * assertEquals(priorDf(0), Infinity);
 * ```
 */
export function priorDf(v: number): number {
  if (!(v > trigamma(MAX_PRIOR_DF / 2))) return Infinity;
  let lo = 0.01;
  let hi = MAX_PRIOR_DF;
  for (let i = 0; i < 80; i++) {
    const mid = Math.sqrt(lo * hi);
    if (trigamma(mid / 2) > v) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/** Past this many df the commits' σ are one σ: history alone tells it. */
const MAX_PRIOR_DF = 10_000;

/**
 * When the commits' σ differ by more than seed noise explains (the spread
 * of their log s² beyond the ψ′((k−1)/2) that k seeds give), each side's σ²
 * is its posterior mean, (ν₀·s² + (n−1)·s²_own) / (ν₀ + n − 1), with
 * ν₀ + n − 1 df about history's s², and the df of the two sides' sum by
 * Welch–Satterthwaite with history's s² (its own df) counted once, as both
 * sides lean on it. `shared`, the spread told from every gated metric, is
 * used instead of this metric's own. `undefined` when the commits look alike
 * (then history's σ is every commit's), with fewer than five commits, or
 * when a commit's seeds are all equal (no log to take).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { sidesNoise } from "./_sides.ts";
 * const alike = Array.from({ length: 8 }, () => [0, 1, 2]);
 * const sigma = { sd: 1, df: 16, from: "pooled" as const };
 * assertEquals(sidesNoise(alike, sigma, [0, 1, 2], [0, 1, 2]), undefined);
 * ```
 */
export function sidesNoise(
  cells: readonly (readonly number[])[],
  sigma: ChangeAwareSd,
  candidates: readonly number[],
  baselines: readonly number[],
  shared?: LogSpread,
): SidesNoise | undefined {
  const spread = shared ?? logSpread(cells);
  if (!spread) return undefined;
  // The spread's lower bound (one standard error down): a spread history cannot tell from
  // none costs the df of every rule, so only what it can tell is taken.
  const nu0 = priorDf(spread.excess - Math.sqrt(spread.se2));
  if (!Number.isFinite(nu0)) return undefined;
  const side = (values: readonly number[]) => {
    const own = Math.max(0, values.length - 1);
    const n = Math.max(1, values.length);
    const prior = (nu0 * sigma.sd ** 2) / (nu0 + own) / n;
    return { v: prior + (own * variance(values)) / (nu0 + own) / n, prior, df: nu0 + own };
  };
  const [c, b] = [side(candidates), side(baselines)];
  const sum = c.v + b.v;
  // Welch–Satterthwaite over what is uncertain: each side's σ² about history's (ν₀ + own df,
  // independent: two commits), and history's σ² itself, which both sides share (its df once).
  const terms = c.v ** 2 / c.df + b.v ** 2 / b.df + (c.prior + b.prior) ** 2 / sigma.df;
  // Both spreads 0: no noise seen; the df do not matter then.
  const df = terms > 0 ? sum ** 2 / terms : c.df + b.df;
  return { priorDf: nu0, variance: sum, df };
}
