/**
 * The regression gate: rules per metric (direction, tolerances, reference,
 * what a missing value means) and the verdict on each finished candidate, or
 * on the candidates' mean.
 *
 * Rule syntax, one rule per `--gate` (or per list item of `INPUT_GATE`):
 * `METRIC:max|min[:abs=X][:rel=Y%][:ref=best|mean|run=ID][:missing=fail|pass]`
 * `[:of=each|mean][:noise=K][:alpha=P][:mde=D][:min-runs=N]`,
 * e.g. `val_acc:max:abs=0.01` or `val_loss:min:alpha=0.05:rel=1%`. Without
 * `alpha=`, a candidate fails when it is worse than the reference by more
 * than the tolerance (with both `abs` and `rel`, the larger allowance); a
 * value exactly at the tolerance passes. With `alpha=P`, the candidates'
 * mean is tested against the baselines' mean (one-sided t), every `alpha`
 * rule of one report (or group) forms one family under Holm's step-down, and
 * a rule fails only when significant *and* beyond the tolerance; when it is
 * neither significant nor powerful enough to find `mde=` (or the tolerance),
 * it is `inconclusive`.
 *
 * @module
 */
import type { Classification } from "../classify.ts";
import { compareRuns, type MetricComparison } from "../compare.ts";
import type { GateRule, Reference, Run as WandbRun } from "../model.ts";
import { settleFamily } from "./_family.ts";
import { judgeRule } from "./_rule.ts";
import type { GateOptions, GateResult, GateVerdict, GateVerdictWord } from "./types.ts";

export type { GateRule } from "../model.ts";
export * from "./types.ts";

/**
 * The reference a rule judges against: its own `ref=`; the mean for
 * `noise=` and `alpha=` (a mean is judged against a mean); else the report's.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { ruleReference } from "./mod.ts";
 * import { parseGateRule } from "../inputs/rules.ts";
 * const rule = parseGateRule("acc:max:alpha=0.05", "--gate");
 * assertEquals(ruleReference(rule, { kind: "best" }), { kind: "mean" });
 * ```
 */
export function ruleReference(rule: GateRule, fallback: Reference): Reference {
  if (rule.reference) return rule.reference;
  return rule.noise !== undefined || rule.alpha !== undefined ? { kind: "mean" } : fallback;
}

/** Whether a comparison was made the way `rule` needs it. */
function madeFor(comparison: MetricComparison, rule: GateRule, reference: Reference): boolean {
  const spec = comparison.reference.spec;
  return comparison.metric === rule.metric && comparison.direction === rule.direction &&
    spec.kind === reference.kind &&
    (spec.kind !== "run" || (reference.kind === "run" && spec.runId === reference.runId));
}

/**
 * Checks every finished candidate against every rule.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { classify } from "../classify.ts";
 * import { evaluateGate } from "./mod.ts";
 * import { parseGateRule } from "../inputs/rules.ts";
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
    const wanted = ruleReference(rule, options.reference);
    // The rule's own direction and reference: never comparisons made for
    // another (--direction m=min must not judge a rule m:max).
    const comparison = options.comparisons?.find((c) => madeFor(c, rule, wanted)) ??
      compareRuns(candidates, baselines, {
        metrics: [rule.metric],
        directions: { [rule.metric]: rule.direction },
        reference: wanted,
      })[0]!;
    if (comparison.reference.note) notes.push(comparison.reference.note);
    const history = options.history && Object.hasOwn(options.history, rule.metric)
      ? options.history[rule.metric]
      : undefined;
    const judged = judgeRule(rule, comparison, wanted, options.group, history, notes);
    verdicts.push(
      ...judged.map((v) => (options.group === undefined ? v : { ...v, group: options.group })),
    );
  }
  const onInconclusive = options.onInconclusive ?? "pass";
  settleFamily(verdicts, onInconclusive, notes);
  const complete = options.requireComplete ? completeness(classification) : undefined;
  return {
    ...overall(verdicts, complete, onInconclusive),
    enabled: options.rules.length > 0 || options.requireComplete,
    verdicts,
    complete,
    notes: [...new Set(notes)],
  };
}

/**
 * The gate's word on a set of verdicts: `failed` when one failed (or the
 * completeness requirement did), else `inconclusive` when one could not
 * tell, else `passed`; and whether the gate passes, given what an
 * inconclusive rule counts as.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { overall } from "./mod.ts";
 * assertEquals(overall([], undefined, "pass"), { verdict: "passed", passed: true });
 * ```
 */
export function overall(
  verdicts: readonly Pick<GateVerdict, "status" | "failed">[],
  complete: { passed: boolean } | undefined,
  onInconclusive: "pass" | "fail",
): { verdict: GateVerdictWord; passed: boolean } {
  const failed = complete?.passed === false ||
    verdicts.some((v) => v.failed && v.status !== "inconclusive");
  if (failed) return { verdict: "failed", passed: false };
  if (verdicts.some((v) => v.status === "inconclusive")) {
    return { verdict: "inconclusive", passed: onInconclusive === "pass" };
  }
  return { verdict: "passed", passed: true };
}

/** The `--require-complete` verdict. */
function completeness(classification: Classification): { passed: boolean; message: string } {
  const { counts } = classification;
  const alive = counts.running + counts.pending;
  return counts.finished === 0
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
