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
import { Buffer } from "node:buffer";
import { isFullSha } from "./model.ts";

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
 * A report's key (its comment's marker, its status `wandb-report/<key>`, a
 * matrix leg's name): `--report-key`, else `entity/project`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { reportKeyOf } from "./marker.ts";
 * assertEquals(reportKeyOf({ entity: "acme", project: "vision" }), "acme/vision");
 * assertEquals(reportKeyOf({ entity: "acme", project: "vision", reportKey: "ci" }), "ci");
 * ```
 */
export function reportKeyOf(
  report: { entity: string; project: string; reportKey?: string },
): string {
  return report.reportKey ?? `${report.entity}/${report.project}`;
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
  return commentMarker(reportKeyOf(report), workflow ?? "wandb-report");
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

/**
 * A regression accepted on purpose (`/accept-regression REASON`): who, when,
 * on which head commit, and why. It holds for that commit only.
 */
export interface Acceptance {
  /** The head commit accepted (40 hex). */
  sha: string;
  /** The GitHub login of who accepted it. */
  by: string;
  /** When, as an ISO date-time. */
  at: string;
  /** Why, as they wrote it (untrusted text: escaped wherever it is shown). */
  reason: string;
}

const ACCEPTED_LINE = /^<!-- wandb-report accepted ([A-Za-z0-9_-]+) -->$/;

/**
 * The hidden line that records an acceptance: its fields as base64url JSON,
 * so nothing a reason holds can close the HTML comment or forge a line.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { acceptanceLine, readAcceptance } from "./marker.ts";
 * const accepted = { sha: "a".repeat(40), by: "ana", at: "2026-12-07T10:00:00Z", reason: "-->" };
 * const body = `<!-- m -->\n<!-- wandb-report verdict=fail digest=00 -->\n${
 *   acceptanceLine(accepted)
 * }\nreport`;
 * assertEquals(readAcceptance(body), accepted);
 * ```
 */
export function acceptanceLine(acceptance: Acceptance): string {
  const json = JSON.stringify({
    sha: acceptance.sha,
    by: acceptance.by,
    at: acceptance.at,
    reason: acceptance.reason,
  });
  return `<!-- wandb-report accepted ${Buffer.from(json, "utf8").toString("base64url")} -->`;
}

/**
 * The acceptance a comment records on its third line (after the marker and
 * the state line), or `undefined`: only that line counts, so text lower in
 * the report can never pose as one.
 */
export function readAcceptance(body: string): Acceptance | undefined {
  const line = body.split("\n", 3)[2] ?? "";
  const found = ACCEPTED_LINE.exec(line);
  if (!found) return undefined;
  try {
    const value = JSON.parse(Buffer.from(found[1]!, "base64url").toString("utf8"));
    const ok = typeof value === "object" && value !== null &&
      isFullSha(value.sha) && typeof value.by === "string" &&
      typeof value.at === "string" && typeof value.reason === "string";
    return ok ? { sha: value.sha, by: value.by, at: value.at, reason: value.reason } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A rendered body (marker, state line, report) with an acceptance recorded:
 * the hidden line third, then `shown` (the visible words, rendered by the
 * caller), then the report. A body that already records one has it replaced.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { readAcceptance, withAcceptance } from "./marker.ts";
 * const accepted = { sha: "b".repeat(40), by: "ana", at: "2026-12-07T10:00:00Z", reason: "smaller" };
 * const body = withAcceptance("<!-- m -->\n<!-- s -->\nreport", accepted, "> accepted");
 * assertEquals(readAcceptance(body)?.by, "ana");
 * assertEquals(body.endsWith("> accepted\n\nreport"), true);
 * ```
 */
export function withAcceptance(body: string, acceptance: Acceptance, shown: string): string {
  const lines = body.split("\n");
  const head = lines.slice(0, 2);
  let rest = lines.slice(2);
  if (ACCEPTED_LINE.test(rest[0] ?? "")) {
    // The earlier record and its visible block (up to the first blank line) go.
    const blank = rest.indexOf("", 1);
    rest = blank === -1 ? rest.slice(1) : rest.slice(blank + 1);
  }
  return [...head, acceptanceLine(acceptance), shown, "", ...rest].join("\n");
}
