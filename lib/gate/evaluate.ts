/**
 * Every rule on every finished candidate (or their mean), the `alpha=`
 * family settled, the completeness requirement, and the gate's word.
 *
 * @module
 */
import type { Classification } from "../classify.ts";
import { compareRuns, type MetricComparison } from "../compare.ts";
import type { GateRule, Reference, Run as WandbRun } from "../ground/model.ts";
import { settleFamily } from "./_family.ts";
import { robustHistory } from "./_robust.ts";
import { type ReportShape, reportShape } from "./_shape.ts";
import { judgeRule } from "./_rule.ts";
import type { GateOptions, GateResult, GateVerdict, GateVerdictWord } from "./types.ts";

/**
 * The reference a rule judges against: its own `ref=`; the mean for
 * `noise=` and `alpha=` (a mean is judged against a mean); else the report's.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { ruleReference } from "./evaluate.ts";
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
 * import { evaluateGate } from "./evaluate.ts";
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
  const shape = gatedShape(options);
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
    const judged = judgeRule(rule, comparison, {
      wanted,
      group: options.group,
      history,
      drift: options.drift,
      shape,
    });
    notes.push(...judged.notes);
    verdicts.push(
      ...judged.verdicts.map((
        v,
      ) => (options.group === undefined ? v : { ...v, group: options.group })),
    );
  }
  const onInconclusive = options.onInconclusive ?? "pass";
  if (options.settle !== false) settleFamily(verdicts, onInconclusive, notes);
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
 * The gate's word on a report, as outputs, JSON and statuses say it: its
 * verdict; `pending` while the commit waits for training; `none` when no
 * rule and no requirement was set (nothing was judged).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { verdictWord } from "./evaluate.ts";
 * assertEquals(verdictWord({ enabled: false, passed: true }), "none");
 * assertEquals(verdictWord({ enabled: true, passed: false }), "failed");
 * ```
 */
export function verdictWord(
  gate: Pick<GateResult, "enabled" | "passed"> & { verdict?: GateVerdictWord | "none" },
): GateVerdictWord | "none" {
  if (gate.verdict === "pending") return "pending";
  if (!gate.enabled || gate.verdict === "none") return "none";
  return gate.verdict ?? (gate.passed ? "passed" : "failed");
}

/**
 * Settles the `alpha=` rules of many verdicts (every group of a report) as
 * one family: at most α false alarms per report, however many groups.
 *
 * @example
 * ```ts ignore
 * import { evaluateGate, settleAlphaFamily } from "./evaluate.ts";
 * const verdicts = groups.flatMap((g) => evaluateGate(g.runs, baselines, c, { ...o, settle: false }).verdicts);
 * settleAlphaFamily(verdicts, "pass", notes);
 * ```
 */
export function settleAlphaFamily(
  verdicts: GateVerdict[],
  onInconclusive: "pass" | "fail",
  notes: string[],
): void {
  settleFamily(verdicts, onInconclusive, notes);
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
 * import { overall } from "./evaluate.ts";
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

/**
 * What a commit's check waits for, when it waits: no finished candidate yet,
 * and either none logged or some still running or pending (training under
 * way). Candidates that all crashed, failed or stalled wait for nothing: they
 * are judged. `undefined` when there is nothing to wait for.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { classify } from "../classify.ts";
 * import { waitingFor } from "./evaluate.ts";
 * const sha = "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345";
 * assertEquals(waitingFor(classify([], []), sha), "waiting for training: no run of 3f2c9a1 yet");
 * assertEquals(
 *   waitingFor(classify([{ state: "running" }, { state: "pending" }], []), sha),
 *   "waiting for training: 1 run running, 1 pending",
 * );
 * assertEquals(waitingFor(classify([{ state: "crashed" }], []), sha), undefined);
 * ```
 */
export function waitingFor(classification: Classification, sha: string): string | undefined {
  const { counts } = classification;
  if (counts.finished > 0) return undefined;
  if (counts.candidates === 0) {
    return `waiting for training: no run of ${
      /^[0-9a-f]{7,40}$/.test(sha) ? sha.slice(0, 7) : "this commit"
    } yet`;
  }
  if (counts.running + counts.pending === 0) return undefined;
  const runs = (n: number) => `${n} run${n === 1 ? "" : "s"}`;
  const parts = [
    counts.running ? `${runs(counts.running)} running` : "",
    counts.pending ? `${counts.running ? counts.pending : runs(counts.pending)} pending` : "",
    counts.stalled ? `${counts.stalled} stalled` : "",
  ].filter(Boolean);
  const ended = counts.candidates - counts.running - counts.pending - counts.stalled;
  if (ended > 0) parts.push(`${ended} ended without finishing`);
  return `waiting for training: ${parts.join(", ")}`;
}

/**
 * What the histories of the metrics `alpha=` rules gate say together, each
 * cleaned of main's diverged seeds first.
 */
function gatedShape(options: GateOptions): ReportShape {
  const metrics = new Set(options.rules.filter((r) => r.alpha !== undefined).map((r) => r.metric));
  if (!options.history) return {};
  // Every group of a report is judged against the same history: its shape is told once.
  const known = SHAPES.get(options.history) ?? new Map<string, ReportShape>();
  SHAPES.set(options.history, known);
  const key = JSON.stringify([...metrics]);
  if (!known.has(key)) known.set(key, tellShape(options.history, metrics));
  return known.get(key)!;
}

const SHAPES = new WeakMap<object, Map<string, ReportShape>>();

function tellShape(
  history: NonNullable<GateOptions["history"]>,
  metrics: ReadonlySet<string>,
): ReportShape {
  const histories = [...metrics].flatMap((m) => {
    const noise = Object.hasOwn(history, m) ? history[m]! : undefined;
    const clean = noise?.cells ? robustHistory(noise.cells)?.clean : undefined;
    return clean ? [{ cells: clean, keys: noise!.keys }] : [];
  });
  return reportShape(histories);
}
