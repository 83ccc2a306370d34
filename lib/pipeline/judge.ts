/**
 * Judging a report: the comparisons (once per group) and the gate fed them.
 *
 * @module
 */
import { compareRuns } from "../compare.ts";
import {
  evaluateGate,
  type GateResult,
  overall,
  ruleReference,
  settleAlphaFamily,
  waitingFor,
} from "../gate/mod.ts";
import { field, SHA_KEY } from "../ground/model.ts";
import { groupRuns } from "../ground/stats.ts";
import type { GroupJudgement, Judgement, JudgeOptions, ReportResult } from "./types.ts";

/**
 * Compares the candidates with the baselines for every metric asked for (and
 * every metric a gate rule names), once per group (`--group-by`; one group
 * without it), and applies the gate to those comparisons: a sweep in one
 * commit is several experiments, each judged against the same reference.
 *
 * @example
 * ```ts ignore
 * import { collectReport, judgeReport } from "../../mod.ts";
 * const result = await collectReport(options);
 * const { comparisons, gate } = judgeReport(result, options);
 * if (!gate.passed) Deno.exitCode = 1;
 * ```
 */
export function judgeReport(
  result: Pick<ReportResult, "candidates" | "baselines" | "classification" | "noise"> & {
    sha?: string;
    baselineCommit?: ReportResult["baselineCommit"];
  },
  options: JudgeOptions,
): Judgement {
  const metrics = [...new Set([...options.metrics, ...options.gate.map((rule) => rule.metric)])];
  const compareOptions = {
    metrics,
    directions: {
      ...Object.fromEntries(options.gate.map((rule) => [rule.metric, rule.direction])),
      ...options.directions,
    },
    reference: options.reference,
    // A rule's reference for its metric: its ref=, or the mean for noise= and alpha=.
    references: Object.fromEntries(
      options.gate.flatMap((rule) => {
        const reference = ruleReference(rule, options.reference);
        return reference === options.reference ? [] : [[rule.metric, reference]];
      }),
    ),
  };
  const comparisons = compareRuns(result.candidates, result.baselines, compareOptions);
  const split = groupRuns(result.candidates, options.groupBy);
  const notes = split.note ? [split.note] : [];
  const grouped = options.groupBy !== undefined && split.groups.length > 0 && !split.note;
  const groups: GroupJudgement[] = grouped
    ? split.groups.map((g) => ({
      name: g.name,
      candidates: g.runs,
      comparisons: compareRuns(g.runs, result.baselines, compareOptions),
    }))
    : [{ candidates: [...result.candidates], comparisons }];
  // Each group is judged on its own; completeness once, over every candidate.
  const verdicts = [];
  const gateNotes: string[] = [];
  for (const group of groups) {
    const judged = evaluateGate(group.candidates, result.baselines, result.classification, {
      rules: options.gate,
      requireComplete: false,
      reference: options.reference,
      comparisons: group.comparisons,
      group: group.name,
      history: result.noise,
      onInconclusive: options.onInconclusive,
      settle: false,
      drift: options.drift ?? !ownBaseRuns(result),
    });
    verdicts.push(...judged.verdicts);
    gateNotes.push(...(judged.notes ?? []));
  }
  // One family per report, across groups: at most α false alarms per report.
  settleAlphaFamily(verdicts, options.onInconclusive ?? "pass", gateNotes);
  const complete = evaluateGate(result.candidates, result.baselines, result.classification, {
    rules: [],
    requireComplete: options.requireComplete,
    reference: options.reference,
  }).complete;
  const gate: GateResult = {
    enabled: options.gate.length > 0 || options.requireComplete,
    ...overall(verdicts, complete, options.onInconclusive ?? "pass"),
    verdicts,
    complete,
    notes: [...new Set(gateNotes)],
  };
  const referenceNotes = comparisons.flatMap((c) => (c.reference.note ? [c.reference.note] : []));
  return {
    comparisons,
    groups,
    gate: pendingOr(gate, result, options),
    notes: [...new Set([...notes, ...referenceNotes, ...gate.notes!])],
  };
}

/**
 * A commit still waiting for training (no finished candidate; none logged, or
 * some running or pending) is `pending`, not judged: nothing failed yet, and
 * the check says what it waits for. Only a report on a commit's runs waits
 * (a run id names one run that exists or not), and `--on-missing fail`
 * judges it as it is.
 */
function pendingOr(
  gate: GateResult,
  result: Pick<ReportResult, "classification"> & { sha?: string },
  options: JudgeOptions,
): GateResult {
  if ((options.onMissing ?? "pending") === "fail" || options.match?.by === "run-id") return gate;
  const waiting = waitingFor(result.classification, result.sha ?? "");
  if (waiting === undefined) return gate;
  return { enabled: gate.enabled, passed: true, verdict: "pending", verdicts: [], waiting };
}

/**
 * Whether the baselines are the base commit's own runs: the runs of the
 * baseline commit a history read found at distance 0, and nothing else
 * (tagged runs span commits; a commit further back has drifted).
 */
function ownBaseRuns(
  result: Pick<ReportResult, "baselines"> & { baselineCommit?: ReportResult["baselineCommit"] },
): boolean {
  const commit = result.baselineCommit;
  if (!commit?.sha || commit.distance !== 0 || result.baselines.length === 0) return false;
  return result.baselines.every((run) => {
    const sha = field(run.config, SHA_KEY);
    return typeof sha === "string" && sha.toLowerCase() === commit.sha;
  });
}
