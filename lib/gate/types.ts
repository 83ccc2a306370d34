/**
 * The gate's types: a rule's verdict, the gate's result, its options, and
 * what an `alpha=` rule's test found.
 *
 * @module
 */
import type { MetricComparison } from "../compare.ts";
import type { Noise, PooledNoise } from "../ground/inference.ts";
import type { GateRule, Reference } from "../ground/model.ts";

/** A rule's verdict: passed, failed, could not be checked, or could not tell. */
export type VerdictStatus = "pass" | "fail" | "missing" | "inconclusive";

/**
 * The gate's verdict on a whole report: `pending` while the commit has no
 * finished candidate and training may still log one (`--on-missing pending`).
 */
export type GateVerdictWord = "passed" | "failed" | "inconclusive" | "pending";

/** What an `alpha=` rule's test found. */
export interface TestResult {
  /** The one-sided p-value of "worse". */
  p: number;
  /** The level it faced at its place in Holm's order. */
  level: number;
  /** The family's α, and how many tests it holds. */
  alpha: number;
  /** Tests in the family. */
  family: number;
  /** Whether the regression is significant. */
  significant: boolean;
  /** The power to find the rule's minimum effect at the family's α/m, when it is inconclusive. */
  power?: number;
  /** That effect (`mde=`, else the `abs`/`rel` tolerance). */
  effect?: number;
  /** Seeds per side that would reach 80 % power for that effect, at the family's α/m. */
  seedsNeeded?: number;
  /** The one-sided upper confidence bound on the drop (how much worse it may be). */
  bound?: number;
  /** That bound's level: the family's α / m (its confidence is 1 − this). */
  boundLevel?: number;
}

/** One rule's verdict on one candidate, on the candidates' mean, or on none. */
export interface GateVerdict {
  /** The rule. */
  rule: GateRule;
  /** The group of candidates judged (`--group-by`), when there are groups. */
  group?: string;
  /** The candidate run's id (`of=each`); absent for a mean or when none finished. */
  runId?: string;
  /** The candidate's display name, or `mean of N` for `of=mean`. */
  runName?: string;
  /** Passed, failed, could not be checked, or could not tell (`alpha=`). */
  status: VerdictStatus;
  /** Whether this verdict fails the gate. */
  failed: boolean;
  /** How much worse than the reference (negative when better). */
  worse?: number;
  /** The tolerance allowed. */
  allowed?: number;
  /** Whether it is worse by more than the tolerance (float noise aside). */
  beyond?: boolean;
  /** The reference value. */
  reference?: number;
  /** Which reference: `best`, `mean` or `run`. */
  referenceKind?: Reference["kind"];
  /** The candidate's value (or the candidates' mean). */
  value?: number;
  /** The finished candidates with a numeric value (`of=mean`). */
  n?: number;
  /** The standard error of the difference of the means (`noise=`, `alpha=`), when known. */
  se?: number;
  /** Where that noise was learned (`history`, `welch`, `one-side`), and its degrees of freedom. */
  noise?: Pick<Noise, "source" | "df" | "sd">;
  /** The test of an `alpha=` rule. */
  test?: TestResult;
  /** Finished candidates whose value is no number (NaN, ±∞, missing), or far off main: diverged seeds. */
  diverged?: string[];
  /**
   * Candidates more than 6 robust σ from main's level (with `--noise-history`):
   * who, of how many, main's own rate, and how surprising their number is.
   */
  divergence?: { names: string[]; of: number; rate: number; p: number };
  /** Why, in words: "worse by 0.012, within 2 × 0.008 of noise: pass". */
  reason: string;
  /** One line for people. */
  message: string;
}

/** The gate's overall result. */
export interface GateResult {
  /** Whether any rule or requirement was set. */
  enabled: boolean;
  /** True unless a verdict or the completeness requirement failed (an inconclusive one with `--on-inconclusive fail` too). */
  passed: boolean;
  /** `passed`, `failed`, or `inconclusive` (nothing failed, but a rule could not tell). */
  verdict?: GateVerdictWord;
  /** Every rule's verdict on every finished candidate (or on their mean). */
  verdicts: GateVerdict[];
  /** The `--require-complete` verdict, when asked for. */
  complete?: { passed: boolean; message: string };
  /** What a `pending` verdict waits for: "waiting for training: no run of abc1234 yet". */
  waiting?: string;
  /** What the user should know about how rules were judged (noise unknown, a reference not used). */
  notes?: string[];
}

/** Options of {@link evaluateGate}. */
export interface GateOptions {
  /** The rules. */
  rules: readonly GateRule[];
  /** Fail unless a candidate finished and none is still running or pending. */
  requireComplete: boolean;
  /** The report's default reference, for rules without `ref=`. */
  reference: Reference;
  /**
   * The report's comparisons, computed once: a rule uses the one for its
   * metric when it was made with the rule's direction and reference, and
   * compares anew only when the report's differ (a `--direction` against the
   * rule's, say).
   */
  comparisons?: readonly MetricComparison[];
  /** The group these candidates are (`--group-by`), stamped on each verdict. */
  group?: string;
  /** Seed noise per metric pooled from the base branch's history (`--noise-history`). */
  history?: Readonly<Record<string, PooledNoise>>;
  /**
   * The baselines are not the base commit's own runs (tags across commits, a
   * baseline several commits back): the drift between commits' means is
   * added to an `alpha=` rule's noise.
   */
  drift?: boolean;
  /** What an inconclusive rule counts as. Default `pass`. */
  onInconclusive?: "pass" | "fail";
  /**
   * Settle the `alpha=` family here (default). `false` leaves the tests
   * unsettled for a caller that gathers one family over several groups
   * (see {@link settleAlphaFamily}).
   */
  settle?: boolean;
}

/** Commits of history σ needs before it replaces the two sides' own spreads. */
export const MIN_HISTORY_COMMITS = 5;

/** The power below which a rule that found nothing is inconclusive. */
export const TARGET_POWER = 0.8;
