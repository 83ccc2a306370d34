/**
 * The terminal summary printed on stderr after a report: the project and
 * commit, the candidates by state, the baselines, whether the candidates are
 * complete, the CSV written and the W&B traffic, then the gate's verdict.
 *
 * @module
 */
import { type Classification, stateList } from "../classify.ts";
import { type GateResult, verdictWord } from "../gate/mod.ts";
import { projectPath, type ReportView } from "./view.ts";

/** What the summary is made from. */
export interface SummaryInput
  extends Pick<ReportView, "entity" | "project" | "sha" | "classification" | "gate"> {
  /** Where the CSV was written, and its data rows. */
  csv: { path: string; rows: number };
  /** Requests sent and bytes received. */
  traffic: { requests: number; responseBytes: number };
  /** Where the baselines came from, when it needs saying (`--baseline-sha`). */
  baselineFrom?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** passed, FAILED, or inconclusive (counted as a pass or as a failure). */
function gateWord(gate: GateResult): string {
  const verdict = verdictWord(gate);
  if (verdict === "failed") return "FAILED";
  if (verdict === "pending") return `pending (${gate.waiting ?? "waiting for training"})`;
  if (verdict === "inconclusive") {
    return gate.passed ? "inconclusive (counted as a pass)" : "INCONCLUSIVE (counted as a failure)";
  }
  return "passed";
}

/**
 * The summary's lines, each ending in a newline.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { classify } from "../classify.ts";
 * import { summaryText } from "./summary.ts";
 * const text = summaryText({
 *   entity: "acme", project: "vision", sha: "abc1234", classification: classify([], []),
 *   csv: { path: "wandb_report.csv", rows: 0 }, traffic: { requests: 1, responseBytes: 90 },
 *   gate: { enabled: false, passed: true, verdicts: [] },
 * });
 * assertEquals(text.split("\n")[3], "  complete:   no (no finished runs yet)");
 * ```
 */
export function summaryText(input: SummaryInput): string {
  const { counts, complete } = input.classification;
  const states = stateList(counts);
  const alive = counts.running + counts.pending;
  const why = complete
    ? "yes"
    : counts.finished === 0
    ? "no (no finished runs yet)"
    : alive > 0
    ? `no (${alive} still running or pending)`
    : `no (${counts.stalled} stalled: running, without a heartbeat)`;
  return [
    `wandb-report: ${projectPath(input)}${input.sha ? ` @ ${input.sha}` : ""}`,
    `  candidates: ${counts.candidates}${states.length ? ` (${states.join(", ")})` : ""}`,
    `  baselines:  ${counts.baselines}${input.baselineFrom ? ` (${input.baselineFrom})` : ""}`,
    `  complete:   ${why}`,
    `  wrote ${input.csv.path}: ${plural(input.csv.rows, "row")}`,
    `  W&B traffic: ${
      plural(input.traffic.requests, "request")
    }, ${input.traffic.responseBytes} bytes`,
    ...(input.gate.enabled || input.gate.verdict === "pending"
      ? [`  gate:       ${gateWord(input.gate)}`]
      : []),
    "",
  ].join("\n");
}

/** What a report's commit status says: its state and a description of at most 140 characters. */
export interface StatusText {
  /** `success` unless the gate failed; `pending` while the commit waits for training. */
  state: "success" | "failure" | "pending";
  /** The gate, then the counts: "gate passed; 3/5 candidates finished (1 running), 3 baselines". */
  description: string;
}

/** "3/5 candidates finished (1 running, 1 crashed), 3 baselines": the counts a status shows. */
function countsText(counts: Classification["counts"]): string {
  const others = stateList(counts).filter((s) => !s.endsWith(" finished"));
  return `${counts.finished}/${plural(counts.candidates, "candidate")} finished${
    others.length ? ` (${others.join(", ")})` : ""
  }, ${plural(counts.baselines, "baseline")}`;
}

/**
 * The commit status a finished report sets: `failure` when the gate failed
 * (the first failing rule named first, so GitHub's 140 characters keep it),
 * else `success`, with the counts. Rule texts are the user's own input; run
 * data never reaches a status.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { classify } from "../classify.ts";
 * import { statusText } from "./summary.ts";
 * const text = statusText(classify([{ state: "finished" }], [{}]), {
 *   enabled: false, passed: true, verdicts: [],
 * });
 * assertEquals(text, { state: "success", description: "no gate; 1/1 candidate finished, 1 baseline" });
 * ```
 */
export function statusText(classification: Classification, gate: GateResult): StatusText {
  const counts = countsText(classification.counts);
  // Waiting is not failing: the check stays pending, saying for what.
  if (gate.verdict === "pending") {
    return { state: "pending", description: gate.waiting ?? "waiting for training" };
  }
  // No rule: the check says so, and that nothing was judged.
  if (!gate.enabled) return { state: "success", description: `no gate; ${counts}` };
  const verdict = verdictWord(gate);
  if (verdict === "passed") return { state: "success", description: `gate passed; ${counts}` };
  const listed = verdict === "failed"
    ? gate.verdicts.filter((v) => v.failed && v.status !== "inconclusive")
    : gate.verdicts.filter((v) => v.status === "inconclusive");
  const problems = listed.length +
    (verdict === "failed" && gate.complete?.passed === false ? 1 : 0);
  const first = listed[0]?.rule.text ??
    (gate.complete?.passed === false ? "--require-complete" : "");
  return {
    state: gate.passed ? "success" : "failure",
    description: `gate ${verdict}: ${first}${
      problems > 1 ? ` (+${problems - 1} more)` : ""
    }; ${counts}`,
  };
}

/**
 * What a wait has come to, in one line (the PR comment and the pending
 * status while `--wait` lasts, and `over` when it has ended): counts only,
 * no run data.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { classify } from "../classify.ts";
 * import { waitingText } from "./summary.ts";
 * const { counts } = classify([{ state: "finished" }, { state: "running" }], []);
 * assertEquals(
 *   waitingText(counts, 14 * 60_000),
 *   "waiting for training: 1 of 2 finished, 1 running, 14 min so far",
 * );
 * assertEquals(
 *   waitingText(counts, 14 * 60_000, true),
 *   "wait over after 14 min: 1 of 2 finished, 1 running; the report comes next",
 * );
 * ```
 */
export function waitingText(
  counts: Classification["counts"],
  elapsedMs: number,
  over = false,
): string {
  const minutes = Math.floor(Math.max(0, elapsedMs) / 60_000);
  const others = stateList(counts).filter((s) => !s.endsWith(" finished"));
  const runs = counts.candidates === 0
    ? "no candidate run yet"
    : [`${counts.finished} of ${counts.candidates} finished`, ...others].join(", ");
  return over
    ? `wait over after ${minutes} min: ${runs}; the report comes next`
    : `waiting for training: ${runs}, ${minutes} min so far`;
}
