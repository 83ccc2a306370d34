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
import { bucketOf, type Classification } from "./classify.ts";
import { type CompareOptions, compareRuns, type MetricComparison } from "./compare.ts";
import type { GateRule, Reference, Run as WandbRun } from "./model.ts";

export type { GateRule } from "./model.ts";

/** One rule's verdict on one candidate (or on none, when none finished). */
export interface GateVerdict {
  /** The rule. */
  rule: GateRule;
  /** The candidate run's id, absent when no candidate finished. */
  runId?: string;
  /** The candidate's display name. */
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
  /** The candidate's value. */
  value?: number;
  /** One line for people. */
  message: string;
}

/** The gate's overall result. */
export interface GateResult {
  /** Whether any rule or requirement was set. */
  enabled: boolean;
  /** True unless a verdict or the completeness requirement failed. */
  passed: boolean;
  /** Every rule's verdict on every finished candidate. */
  verdicts: GateVerdict[];
  /** The `--require-complete` verdict, when asked for. */
  complete?: { passed: boolean; message: string };
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
  for (const rule of options.rules) {
    const wanted = rule.reference ?? options.reference;
    const compareOptions: CompareOptions = {
      metrics: [rule.metric],
      directions: { [rule.metric]: rule.direction },
      reference: wanted,
    };
    const comparison = options.comparisons?.find((c) => madeFor(c, rule, wanted)) ??
      compareRuns(candidates, baselines, compareOptions)[0];
    const reference = comparison!.reference.value;
    const refName = comparison!.reference.runId
      ? `${comparison!.reference.spec.kind === "run" ? "baseline" : "best baseline"} ${
        comparison!.reference.runId
      }`
      : `${(rule.reference ?? options.reference).kind} of the baselines`;
    const missing = (message: string, run?: WandbRun): GateVerdict => ({
      rule,
      runId: run?.name,
      runName: run?.displayName ?? run?.name,
      status: "missing",
      failed: rule.missing === "fail",
      message: `${message}${
        rule.missing === "fail" ? " (fails: missing=fail)" : " (ignored: missing=pass)"
      }`,
    });
    if (comparison!.candidates.length === 0) {
      verdicts.push(missing(`${rule.metric}: no finished candidate to check`));
      continue;
    }
    for (const candidate of comparison!.candidates) {
      const name = candidate.run.displayName ?? candidate.run.name;
      if (reference === undefined) {
        verdicts.push(
          missing(`${rule.metric}: no baseline value to compare ${name} with`, candidate.run),
        );
        continue;
      }
      if (candidate.value.kind !== "number") {
        verdicts.push(
          missing(
            `${rule.metric}: ${name} has no numeric value (${candidate.value.kind})`,
            candidate.run,
          ),
        );
        continue;
      }
      const value = candidate.value.value;
      if (!Number.isFinite(reference)) {
        // Never a pass on a reference that is not a number one can compare with.
        verdicts.push({
          rule,
          runId: candidate.run.name,
          runName: name,
          status: "fail",
          failed: true,
          reference,
          value,
          message: `${rule.metric}: the reference (${refName}) is ${reference}, not a finite ` +
            `number: ${name} cannot be judged by ${rule.text} (fails)`,
        });
        continue;
      }
      const worse = rule.direction === "max" ? reference - value : value - reference;
      const allowed = Math.max(rule.abs ?? 0, (rule.rel ?? 0) * Math.abs(reference));
      const failed = worse > allowed + slack(reference, value, allowed);
      verdicts.push({
        rule,
        runId: candidate.run.name,
        runName: name,
        status: failed ? "fail" : "pass",
        failed,
        worse,
        allowed,
        reference,
        value,
        message: failed
          ? `${rule.metric} regressed in ${name}: ${fmt(value)} vs ${
            fmt(reference)
          } (${refName}), ` +
            `${fmt(worse)} worse, more than the ${fmt(allowed)} allowed by ${rule.text}`
          : `${rule.metric} in ${name}: ${fmt(value)} vs ${
            fmt(reference)
          } (${refName}) is within ${rule.text}`,
      });
    }
  }
  let complete: GateResult["complete"];
  if (options.requireComplete) {
    const { counts } = classification;
    const alive = candidates.filter((run) =>
      ["running", "pending"].includes(bucketOf(run.state))
    ).length;
    complete = counts.finished === 0
      ? { passed: false, message: "no candidate run has finished (--require-complete)" }
      : alive > 0
      ? {
        passed: false,
        message: `${alive} candidate run${
          alive === 1 ? " is" : "s are"
        } still running or pending (--require-complete)`,
      }
      : { passed: true, message: "every candidate run has ended, and at least one finished" };
  }
  const enabled = options.rules.length > 0 || options.requireComplete;
  return {
    enabled,
    passed: verdicts.every((v) => !v.failed) && (complete?.passed ?? true),
    verdicts,
    complete,
  };
}
