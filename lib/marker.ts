/**
 * The sticky comment's protocol: the hidden marker that finds a report's
 * comment again (keyed by report key and workflow), the hidden state line
 * under it (the report's verdict and a digest of what it shows, which
 * `comment-mode` decides on), and reading both back. The renderer writes
 * them, the pipeline names the marker, the `comment` command checks a body
 * by them, and the GitHub adapter compares states: one format, in one place.
 *
 * @module
 */
import { createHash } from "node:crypto";

/**
 * The hidden marker of one report: keyed by the report key (default the
 * project) and the workflow, so two reports on one PR keep two comments.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { commentMarker } from "./marker.ts";
 * assertEquals(
 *   commentMarker("acme/vision", "W&B report"),
 *   "<!-- wandb-report key=acme/vision workflow=W&B report -->",
 * );
 * ```
 */
export function commentMarker(key: string, workflow: string): string {
  // Nothing in it may close the HTML comment early.
  const clean = (text: string) => text.replace(/--+|>|[\r\n]/g, "-").trim();
  return `<!-- wandb-report key=${clean(key)} workflow=${clean(workflow)} -->`;
}

/**
 * The sticky comment's marker of one report: keyed by `--report-key`
 * (default the project) and the workflow's name (default `wandb-report`).
 * The report and the wait's progress both use it, so the report replaces
 * the progress.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { reportMarker } from "./marker.ts";
 * assertEquals(
 *   reportMarker({ entity: "acme", project: "vision" }, "CI"),
 *   "<!-- wandb-report key=acme/vision workflow=CI -->",
 * );
 * ```
 */
export function reportMarker(
  report: { entity: string; project: string; reportKey?: string },
  workflow: string | undefined,
): string {
  return commentMarker(
    report.reportKey ?? `${report.entity}/${report.project}`,
    workflow ?? "wandb-report",
  );
}

/**
 * Whether `line` is a report's marker (the first line of every body this
 * tool renders).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { isMarker } from "./marker.ts";
 * assertEquals(isMarker("<!-- wandb-report key=a/b workflow=CI -->"), true);
 * assertEquals(isMarker("### a report"), false);
 * ```
 */
export function isMarker(line: string): boolean {
  return /^<!-- wandb-report key=[^\n]* -->$/.test(line);
}

/** A report's verdict, as its comment carries it: the gate failed, runs are not all done, or pass. */
export type ReportVerdict = "pass" | "fail" | "incomplete";

/** What a rendered report says of itself in its hidden state line. */
export interface ReportState {
  /** The verdict. */
  verdict: ReportVerdict;
  /** A digest of everything the report shows: equal digests, an equal report. */
  digest: string;
}

/**
 * A report's body with its hidden lines: the marker, then the state line
 * (the verdict and the digest of `body`), then `body`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { readReportState, withState } from "./marker.ts";
 * const text = withState("<!-- wandb-report key=k workflow=w -->", "pass", "### report");
 * assertEquals(readReportState(text)?.verdict, "pass");
 * ```
 */
export function withState(marker: string, verdict: ReportVerdict, body: string): string {
  return `${marker}\n${stateLine(verdict, digestOf(body))}\n${body}`;
}

/** The most bytes the marker's line break and the state line take. */
export const STATE_LINE_BYTES = 92;

/** The hidden line after the marker: the verdict and the digest of the report below it. */
function stateLine(verdict: ReportVerdict, digest: string): string {
  return `<!-- wandb-report verdict=${verdict} digest=${digest} -->`;
}

/** SHA-256 of the text, in hex (the first 32 characters: enough to tell two reports apart). */
function digestOf(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

/**
 * Reads the state a rendered report carries on its second line (see
 * {@link withState}), or `undefined` for a body without one (a report
 * written before comment modes, or not ours).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { readReportState } from "./marker.ts";
 * const body = "<!-- wandb-report key=k workflow=w -->\n" +
 *   "<!-- wandb-report verdict=fail digest=0123abcd -->\n### W&B report";
 * assertEquals(readReportState(body), { verdict: "fail", digest: "0123abcd" });
 * assertEquals(readReportState("### hand-written"), undefined);
 * ```
 */
export function readReportState(body: string): ReportState | undefined {
  const line = body.split("\n", 2)[1] ?? "";
  const found = /^<!-- wandb-report verdict=(pass|fail|incomplete) digest=([0-9a-f]+) -->$/.exec(
    line,
  );
  return found ? { verdict: found[1] as ReportVerdict, digest: found[2]! } : undefined;
}
