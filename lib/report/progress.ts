/**
 * The sticky comment while `--wait` lasts: the report's marker, the counts,
 * and when the report comes.
 *
 * @module
 */
import { escapeMarkdown } from "./_markdown.ts";

/** What the sticky comment shows while a report waits for training. */
export interface ProgressInput {
  /** The report's marker: the report replaces this comment. */
  marker: string;
  /** `entity/project`. */
  project: string;
  /** The commit waited for ("" in run-id mode). */
  sha: string;
  /** The line to show (see `waitingText`). */
  text: string;
  /** How long the wait may last, in words (`30m`). */
  waitText: string;
}

/**
 * The sticky comment while `--wait` lasts: the report's marker (so the report
 * replaces it), the counts, and when the report comes. Only the project, the
 * SHA and counts reach it; the project is escaped as the report's is.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert";
 * import { renderProgress } from "./progress.ts";
 * const body = renderProgress({
 *   marker: "<!-- m -->", project: "acme/vision", sha: "",
 *   text: "waiting for training: 2 of 5 finished, 3 running, 4 min so far", waitText: "30m",
 * });
 * ok(body.startsWith("<!-- m -->\n"));
 * ```
 */
export function renderProgress(input: ProgressInput): string {
  return [
    input.marker,
    `### W&B report: ${escapeMarkdown(input.project)}${
      input.sha ? ` @ \`${input.sha.replace(/[^0-9a-f]/g, "").slice(0, 7)}\`` : ""
    }`,
    "",
    // Ours (counts and words), not escaped: `\:` would show.
    `⏳ ${input.text}`,
    "",
    `<sub>Updated when the counts change, at most once a minute; the report replaces this ` +
    `comment when every run has ended or stalled, or after ${input.waitText}.</sub>`,
  ].join("\n");
}
