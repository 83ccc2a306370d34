/**
 * The small grammars of the comparison inputs: a reference (`best`, `mean`,
 * `run=ID`) and a gate rule
 * (`METRIC:max|min[:abs=X][:rel=Y%][:ref=..][:missing=..][:of=..][:noise=K][:alpha=P][:mde=D][:min-runs=N]`).
 *
 * @module
 */
import { InvalidInputError } from "../ground/errors.ts";
import { type GateRule, type Reference, RUN_ID } from "../ground/model.ts";

/**
 * Parses a reference as written on the command line: `best`, `mean`, or
 * `run=ID` (a baseline's run id).
 *
 * @param input the input's name, for the error
 * @throws {InvalidInputError} for anything else
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseReference } from "./rules.ts";
 * assertEquals(parseReference("run=base0001", "--reference"), { kind: "run", runId: "base0001" });
 * ```
 */
export function parseReference(text: string, input: string): Reference {
  const word = text.trim();
  if (word === "best" || word === "mean") return { kind: word };
  const runId = word.startsWith("run=") ? word.slice(4) : undefined;
  if (runId !== undefined && RUN_ID.test(runId)) return { kind: "run", runId };
  throw new InvalidInputError(input, "best, mean or run=RUN_ID", text);
}

/** The gate-rule grammar, as error messages show it. */
export const GATE_RULE =
  "METRIC:max|min[:abs=X][:rel=Y%][:ref=best|mean|run=ID][:missing=fail|pass]" +
  "[:of=each|mean][:noise=K][:alpha=P][:mde=D][:min-runs=N]";

/** A finite number ≥ 0 written in decimal, or undefined. */
function tolerance(text: string): number | undefined {
  const n = text.trim() === "" ? NaN : Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Each rule option's parser: it sets the rule's field, or says why the value
 * is wrong (the rule's text is named by the caller).
 */
const RULE_OPTIONS: Record<
  string,
  (value: string, rule: GateRule, input: string) => string | void
> = {
  abs(value, rule) {
    const n = tolerance(value);
    if (n === undefined) return `abs must be a number ≥ 0, not ${JSON.stringify(value)}`;
    rule.abs = n;
  },
  rel(value, rule) {
    const percent = value.endsWith("%");
    const n = tolerance(percent ? value.slice(0, -1) : value);
    if (n === undefined) {
      return `rel must be a fraction or a percentage ≥ 0, not ${JSON.stringify(value)}`;
    }
    rule.rel = percent ? n / 100 : n;
  },
  ref(value, rule, input) {
    rule.reference = parseReference(value, input);
  },
  missing(value, rule) {
    if (value !== "fail" && value !== "pass") return `missing must be fail or pass`;
    rule.missing = value;
  },
  of(value, rule) {
    if (value !== "each" && value !== "mean") {
      return `of must be each or mean, not ${JSON.stringify(value)}`;
    }
    rule.of = value;
  },
  noise(value, rule) {
    const n = tolerance(value);
    if (n === undefined || n === 0) {
      return `noise must be a number of standard errors > 0, not ${JSON.stringify(value)}`;
    }
    rule.noise = n;
  },
  alpha(value, rule) {
    const n = tolerance(value);
    if (n === undefined || n === 0 || n > 0.2) {
      return `alpha must be a level above 0 and at most 0.2, not ${JSON.stringify(value)}`;
    }
    rule.alpha = n;
  },
  mde(value, rule) {
    const n = tolerance(value);
    if (n === undefined || n === 0) {
      return `mde must be a regression size > 0, not ${JSON.stringify(value)}`;
    }
    rule.mde = n;
  },
  "min-runs"(value, rule) {
    const n = tolerance(value);
    if (n === undefined || !Number.isInteger(n) || n < 1) {
      return `min-runs must be a whole number ≥ 1, not ${JSON.stringify(value)}`;
    }
    rule.minRuns = n;
  },
};

/**
 * Options that contradict each other, if any: `noise=` and `alpha=` judge
 * the candidates' mean against the baselines' mean (and are two tests of
 * one question); `mde=` belongs to `alpha=`.
 */
function ruleConflict(rule: GateRule, given: ReadonlySet<string>): string | undefined {
  const test = rule.alpha !== undefined ? "alpha=" : rule.noise !== undefined ? "noise=" : "";
  if (rule.alpha !== undefined && rule.noise !== undefined) {
    return "alpha= and noise= are two tests of the same question: give one";
  }
  if (rule.mde !== undefined && rule.alpha === undefined) {
    return "mde= is the regression an alpha= test should find: add alpha=";
  }
  if (!test) return undefined;
  if (given.has("of") && rule.of === "each") {
    return `${test} judges the mean of the candidates: use of=mean, or leave of= out`;
  }
  if (rule.reference && rule.reference.kind !== "mean") {
    return `${test} judges the candidates' mean against the baselines' mean: ` +
      `ref=${rule.reference.kind === "run" ? `run=${rule.reference.runId}` : "best"} ` +
      "conflicts with it (use ref=mean, or leave ref= out)";
  }
  return undefined;
}

/**
 * Parses one gate rule. A candidate (or, with `of=mean`, the candidates'
 * mean) fails when it is worse than the reference by more than the
 * tolerance; with both `abs` and `rel` the larger allowance applies; with
 * neither, any regression fails. `noise=K` (which implies `of=mean`) also
 * asks that the regression be more than K standard errors of the difference
 * of the means; `min-runs=N` fails a rule with fewer finished candidates.
 *
 * @param input the input's name, for errors (`--gate`, `INPUT_GATE`)
 * @throws {InvalidInputError} naming the part that is wrong
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseGateRule } from "./rules.ts";
 * assertEquals(parseGateRule("val_loss:min:rel=2%", "--gate").rel, 0.02);
 * ```
 */
export function parseGateRule(text: string, input: string): GateRule {
  const [metric, direction, ...options] = text.trim().split(":");
  const bad = (why: string) => new InvalidInputError(input, GATE_RULE, text, why);
  if (!metric) throw bad("no metric name");
  if (direction !== "max" && direction !== "min") {
    throw bad(`the direction must be max or min, not ${JSON.stringify(direction ?? "")}`);
  }
  const rule: GateRule = { metric, direction, missing: "fail", of: "each", text: text.trim() };
  const seen = new Set<string>();
  for (const option of options) {
    const at = option.indexOf("=");
    const key = at < 0 ? option : option.slice(0, at);
    if (seen.has(key)) throw bad(`${key} is given twice`);
    seen.add(key);
    const parse = Object.hasOwn(RULE_OPTIONS, key) ? RULE_OPTIONS[key] : undefined;
    if (!parse) throw bad(`unknown option ${JSON.stringify(option)}`);
    const wrong = parse(at < 0 ? "" : option.slice(at + 1), rule, input);
    if (wrong) throw bad(wrong);
  }
  const conflict = ruleConflict(rule, seen);
  if (conflict) throw bad(conflict);
  // noise= and alpha= judge the candidates' mean against the baselines' mean.
  if (rule.alpha !== undefined || rule.noise !== undefined) rule.of = "mean";
  return rule;
}
