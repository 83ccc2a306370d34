/**
 * The terminal summary printed on stderr after a report: the project and
 * commit, the candidates by state, the baselines, whether the candidates are
 * complete, the CSV written and the W&B traffic, then the gate's verdict.
 *
 * @module
 */
import { type Classification, stateList } from "../classify.ts";
import type { GateResult } from "../gate.ts";

/** What the summary is made from. */
export interface SummaryInput {
  /** `entity/project`. */
  project: string;
  /** The commit reported on ("" when there is none). */
  sha: string;
  /** State counts and completeness. */
  classification: Classification;
  /** Where the CSV was written, and its data rows. */
  csv: { path: string; rows: number };
  /** Requests sent and bytes received. */
  traffic: { requests: number; responseBytes: number };
  /** The gate, shown when it has rules. */
  gate: GateResult;
  /** Where the baselines came from, when it needs saying (`--baseline-sha`). */
  baselineFrom?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The summary's lines, each ending in a newline.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { classify } from "../classify.ts";
 * import { summaryText } from "./summary.ts";
 * const text = summaryText({
 *   project: "acme/vision", sha: "abc1234", classification: classify([], []),
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
    : `no (${alive} still running or pending)`;
  return [
    `wandb-report: ${input.project}${input.sha ? ` @ ${input.sha}` : ""}`,
    `  candidates: ${counts.candidates}${states.length ? ` (${states.join(", ")})` : ""}`,
    `  baselines:  ${counts.baselines}${input.baselineFrom ? ` (${input.baselineFrom})` : ""}`,
    `  complete:   ${why}`,
    `  wrote ${input.csv.path}: ${plural(input.csv.rows, "row")}`,
    `  W&B traffic: ${
      plural(input.traffic.requests, "request")
    }, ${input.traffic.responseBytes} bytes`,
    ...(input.gate.enabled ? [`  gate:       ${input.gate.passed ? "passed" : "FAILED"}`] : []),
    "",
  ].join("\n");
}
