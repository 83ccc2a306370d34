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
import { z } from "zod";
import { bucketOf, type Classification } from "./classify.ts";
import {
  type CompareOptions,
  compareRuns,
  type Direction,
  DirectionSchema,
  parseReference,
  type Reference,
} from "./compare.ts";
import { InvalidInputError } from "./errors.ts";
import type { WandbRun } from "./wandb/runs.ts";

const NUMBER = z.coerce.number().refine(Number.isFinite).refine((n) => n >= 0);

/** One gate rule, parsed. */
export const GateRuleSchema = z.object({
  metric: z.string().min(1),
  direction: DirectionSchema,
  abs: NUMBER.optional(),
  /** A fraction: `rel=2%` is 0.02. */
  rel: NUMBER.optional(),
  reference: z.custom<Reference>().optional(),
  missing: z.enum(["fail", "pass"]).default("fail"),
  /** The rule as written, for messages. */
  text: z.string(),
});

/** A parsed gate rule. */
export type GateRule = z.infer<typeof GateRuleSchema>;

/**
 * Parses one rule.
 *
 * @param input the input's name, for errors (`--gate`, `INPUT_GATE`)
 * @throws {InvalidInputError} naming the part that is wrong
 *
 * @example
 * ```ts
 * import { parseGateRule } from "./gate.ts";
 * parseGateRule("val_loss:min:rel=2%", "--gate").rel; // 0.02
 * ```
 */
export function parseGateRule(text: string, input: string): GateRule {
  const parts = text.trim().split(":");
  const [metric, direction, ...options] = parts;
  const expected = "METRIC:max|min[:abs=X][:rel=Y%][:ref=best|mean|run=ID][:missing=fail|pass]";
  if (!metric) throw new InvalidInputError(input, expected, text, "no metric name");
  if (direction !== "max" && direction !== "min") {
    throw new InvalidInputError(
      input,
      expected,
      text,
      `the direction must be max or min, not ${JSON.stringify(direction ?? "")}`,
    );
  }
  const rule: Record<string, unknown> = { metric, direction, text: text.trim() };
  for (const option of options) {
    const at = option.indexOf("=");
    const key = at < 0 ? option : option.slice(0, at);
    const value = at < 0 ? "" : option.slice(at + 1);
    const bad = (why: string) => new InvalidInputError(input, expected, text, why);
    if (key in rule && key !== "metric") throw bad(`${key} is given twice`);
    switch (key) {
      case "abs": {
        const n = NUMBER.safeParse(value);
        if (!value || !n.success) {
          throw bad(`abs must be a number ≥ 0, not ${JSON.stringify(value)}`);
        }
        rule.abs = n.data;
        break;
      }
      case "rel": {
        const percent = value.endsWith("%");
        const n = NUMBER.safeParse(percent ? value.slice(0, -1) : value);
        if (!value || !n.success) {
          throw bad(`rel must be a fraction or a percentage ≥ 0, not ${JSON.stringify(value)}`);
        }
        rule.rel = percent ? n.data / 100 : n.data;
        break;
      }
      case "ref":
        rule.reference = parseReference(value, input);
        break;
      case "missing":
        if (value !== "fail" && value !== "pass") throw bad(`missing must be fail or pass`);
        rule.missing = value;
        break;
      default:
        throw bad(`unknown option ${JSON.stringify(option)}`);
    }
  }
  return GateRuleSchema.parse(rule);
}

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
 * import { classify } from "./classify.ts";
 * import { evaluateGate, parseGateRule } from "./gate.ts";
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
 * console.log(gate.passed); // true: exactly at the tolerance
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
    const compareOptions: CompareOptions = {
      metrics: [rule.metric],
      directions: { [rule.metric]: rule.direction as Direction },
      reference: rule.reference ?? options.reference,
    };
    const [comparison] = compareRuns(candidates, baselines, compareOptions);
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
