/**
 * The regression gate: rules per metric (direction, tolerances, reference,
 * what a missing value means) and the verdict on each finished candidate.
 *
 * Rule syntax, one rule per `--gate` (or per list item of `INPUT_GATE`):
 * `METRIC:max|min[:abs=X][:rel=Y%][:ref=best|mean|run=ID][:missing=fail|pass]`,
 * e.g. `val_acc:max:abs=0.01` or `val_loss:min:rel=2%`. A candidate fails
 * when it is worse than the reference by more than the tolerance; with both
 * `abs` and `rel`, the larger allowance applies; with neither, any regression
 * fails. A value exactly at the tolerance passes.
 *
 * @module
 */
import type { Classification } from "./classify.ts";
import { compareRuns, type MetricComparison } from "./compare.ts";
import type { GateRule, Reference, Run as WandbRun } from "./model.ts";
import { standardError } from "./stats.ts";

export type { GateRule } from "./model.ts";

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
  /** Passed, failed, or could not be checked (and what that counts as). */
  status: "pass" | "fail" | "missing";
  /** Whether this verdict fails the gate. */
  failed: boolean;
  /** How much worse than the reference (negative when better). */
  worse?: number;
  /** The tolerance allowed. */
  allowed?: number;
  /** The reference value. */
  reference?: number;
  /** The candidate's value (or the candidates' mean). */
  value?: number;
  /** The finished candidates with a numeric value (`of=mean`). */
  n?: number;
  /** The standard error of the difference of the means (`noise=`), when known. */
  se?: number;
  /** Why, in words: "worse by 0.012, within 2 × 0.008 of noise: pass". */
  reason: string;
  /** One line for people. */
  message: string;
}

/** The gate's overall result. */
export interface GateResult {
  /** Whether any rule or requirement was set. */
  enabled: boolean;
  /** True unless a verdict or the completeness requirement failed. */
  passed: boolean;
  /** Every rule's verdict on every finished candidate (or on their mean). */
  verdicts: GateVerdict[];
  /** The `--require-complete` verdict, when asked for. */
  complete?: { passed: boolean; message: string };
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
}

/** Whether a comparison was made the way `rule` needs it. */
function madeFor(comparison: MetricComparison, rule: GateRule, reference: Reference): boolean {
  const spec = comparison.reference.spec;
  return comparison.metric === rule.metric && comparison.direction === rule.direction &&
    spec.kind === reference.kind &&
    (spec.kind !== "run" || (reference.kind === "run" && spec.runId === reference.runId));
}

// Deltas are differences of floats: 0.9 - 0.89 is 0.010000000000000009.
// Anything within a billionth (relative) of the tolerance counts as at it.
function slack(...values: number[]): number {
  return 1e-9 * Math.max(1, ...values.map(Math.abs));
}

const fmt = (n: number) => Number(n.toPrecision(6)).toString();

/**
 * Checks every finished candidate against every rule.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { classify } from "./classify.ts";
 * import { evaluateGate } from "./gate.ts";
 * import { parseGateRule } from "./inputs/rules.ts";
 * const run = (name: string, acc: number) => ({
 *   name, state: "finished", tags: [], config: {}, summary: { acc },
 * });
 * const candidates = [run("c1", 0.89)];
 * const baselines = [run("b1", 0.9)];
 * const gate = evaluateGate(candidates, baselines, classify(candidates, baselines), {
 *   rules: [parseGateRule("acc:max:abs=0.01", "--gate")],
 *   requireComplete: false,
 *   reference: { kind: "best" },
 * });
 * assertEquals(gate.passed, true); // exactly at the tolerance
 * ```
 */
export function evaluateGate(
  candidates: readonly WandbRun[],
  baselines: readonly WandbRun[],
  classification: Classification,
  options: GateOptions,
): GateResult {
  const verdicts: GateVerdict[] = [];
  const notes: string[] = [];
  for (const rule of options.rules) {
    const wanted = rule.reference ?? options.reference;
    // The rule's own direction and reference: never comparisons made for
    // another (--direction m=min must not judge a rule m:max).
    const comparison = options.comparisons?.find((c) => madeFor(c, rule, wanted)) ??
      compareRuns(candidates, baselines, {
        metrics: [rule.metric],
        directions: { [rule.metric]: rule.direction },
        reference: wanted,
      })[0]!;
    if (comparison.reference.note) notes.push(comparison.reference.note);
    const judged = judgeRule(rule, comparison, wanted, options.group, notes);
    verdicts.push(
      ...judged.map((v) => (options.group === undefined ? v : { ...v, group: options.group })),
    );
  }
  let complete: GateResult["complete"];
  if (options.requireComplete) {
    const { counts } = classification;
    const alive = counts.running + counts.pending;
    complete = counts.finished === 0
      ? { passed: false, message: "no candidate run has finished (--require-complete)" }
      : alive > 0
      ? {
        passed: false,
        message: `${alive} candidate run${
          alive === 1 ? " is" : "s are"
        } still running or pending (--require-complete)`,
      }
      : counts.stalled > 0
      ? {
        passed: false,
        message: `${counts.stalled} candidate run${
          counts.stalled === 1 ? " has" : "s have"
        } stalled: running, without a heartbeat (--require-complete)`,
      }
      : { passed: true, message: "every candidate run has ended, and at least one finished" };
  }
  const enabled = options.rules.length > 0 || options.requireComplete;
  return {
    enabled,
    passed: verdicts.every((v) => !v.failed) && (complete?.passed ?? true),
    verdicts,
    complete,
    notes: [...new Set(notes)],
  };
}

/** Where the reference came from, in words: "best baseline b1", "mean of the baselines". */
function referenceName(comparison: MetricComparison, wanted: Reference): string {
  const { runId, spec } = comparison.reference;
  if (runId) return `${spec.kind === "run" ? "baseline" : "best baseline"} ${runId}`;
  return `${wanted.kind} of the finished baselines`;
}

/** One rule's verdicts on one comparison: per finished candidate, or one on their mean. */
function judgeRule(
  rule: GateRule,
  comparison: MetricComparison,
  wanted: Reference,
  group: string | undefined,
  notes: string[],
): GateVerdict[] {
  const where = group === undefined ? "" : ` (group ${group})`;
  const missing = (message: string, run?: WandbRun): GateVerdict => ({
    rule,
    runId: run?.name,
    runName: run?.displayName ?? run?.name,
    status: "missing",
    failed: rule.missing === "fail",
    reason: rule.missing === "fail" ? "missing: fails" : "missing: ignored",
    message: `${message}${where}${
      rule.missing === "fail" ? " (fails: missing=fail)" : " (ignored: missing=pass)"
    }`,
  });
  const finished = comparison.candidates.length;
  if (rule.minRuns !== undefined && finished < rule.minRuns) {
    return [{
      rule,
      status: "fail",
      failed: true,
      n: finished,
      reason: `${finished} finished, fewer than min-runs=${rule.minRuns}`,
      message: `${rule.metric}${where}: ${finished} finished candidate${
        finished === 1 ? "" : "s"
      }, fewer than min-runs=${rule.minRuns} (${rule.text})`,
    }];
  }
  if (finished === 0) return [missing(`${rule.metric}: no finished candidate to check`)];
  const reference = comparison.reference.value;
  const refName = referenceName(comparison, wanted);
  if (rule.of === "mean") {
    const { candidates: c, baselines: b } = comparison.stats;
    if (c.n === 0 || c.mean === undefined) {
      return [missing(`${rule.metric}: no finished candidate has a numeric value`)];
    }
    if (reference === undefined) {
      return [missing(`${rule.metric}: no finished baseline value to compare the mean with`)];
    }
    const name = `mean of ${c.n}`;
    const se = rule.noise === undefined ? undefined : standardError(c, b);
    if (rule.noise !== undefined && se === undefined) {
      notes.push(
        `${rule.metric}${where}: the noise is unknown with ${c.n} candidate and ${b.n} baseline ` +
          `value${
            b.n === 1 ? "" : "s"
          } (${rule.text} needs two on each side): the plain tolerance judges it`,
      );
    }
    return [judgeValue(rule, c.mean, reference, refName, { name, n: c.n, se, where })];
  }
  return comparison.candidates.map((candidate) => {
    const name = candidate.run.displayName ?? candidate.run.name;
    if (reference === undefined) {
      return missing(`${rule.metric}: no baseline value to compare ${name} with`, candidate.run);
    }
    if (candidate.value.kind !== "number") {
      return missing(
        `${rule.metric}: ${name} has no numeric value (${candidate.value.kind})`,
        candidate.run,
      );
    }
    return {
      ...judgeValue(rule, candidate.value.value, reference, refName, { name, where }),
      runId: candidate.run.name,
    };
  });
}

/**
 * One value (a run's, or the candidates' mean) against the reference: worse
 * by more than the tolerance fails; with `noise=K` it must also be worse by
 * more than K standard errors, when they are known.
 */
function judgeValue(
  rule: GateRule,
  value: number,
  reference: number,
  refName: string,
  about: { name: string; where: string; n?: number; se?: number },
): GateVerdict {
  const base = { rule, runName: about.name, reference, value, n: about.n, se: about.se };
  const subject = `${rule.metric}${about.where} in ${about.name}: ${fmt(value)} vs ${
    fmt(reference)
  } (${refName})`;
  if (!Number.isFinite(reference)) {
    // Never a pass on a reference that is not a number one can compare with.
    return {
      ...base,
      status: "fail",
      failed: true,
      reason: "the reference is not a finite number",
      message: `${rule.metric}: the reference (${refName}) is ${reference}, not a finite ` +
        `number: ${about.name} cannot be judged by ${rule.text} (fails)`,
    };
  }
  const worse = rule.direction === "max" ? reference - value : value - reference;
  // rel= is of the reference's size: a negative metric (a log-likelihood) has an allowance too.
  const allowed = Math.max(rule.abs ?? 0, (rule.rel ?? 0) * Math.abs(reference));
  const beyond = worse > allowed + slack(reference, value, allowed);
  const noise = rule.noise !== undefined && about.se !== undefined
    ? rule.noise * about.se
    : undefined;
  const failed = beyond && (noise === undefined || worse > noise + slack(worse, noise));
  const by = (n: number) => `${n < 0 ? "better" : "worse"} by ${fmt(Math.abs(n))}`;
  const reason = !beyond
    ? worse <= 0 ? by(worse) : `${by(worse)}, within the ${fmt(allowed)} allowed`
    : noise === undefined
    ? `${by(worse)}, more than the ${fmt(allowed)} allowed`
    : failed
    ? `${by(worse)}, beyond the ${fmt(allowed)} allowed and ${rule.noise} × ${
      fmt(about.se!)
    } of noise`
    : `${by(worse)}, within ${rule.noise} × ${fmt(about.se!)} of noise`;
  return {
    ...base,
    status: failed ? "fail" : "pass",
    failed,
    worse,
    allowed,
    reason: `${reason}: ${failed ? "fail" : "pass"}`,
    message: failed
      ? `${rule.metric} regressed${about.where} in ${about.name}: ${fmt(value)} vs ${
        fmt(reference)
      } (${refName}), ${reason} (${rule.text})`
      : `${subject} is within ${rule.text} (${reason})`,
  };
}
