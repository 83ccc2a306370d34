/**
 * A regression accepted on purpose, in the sticky comment's words: who, for
 * which head commit, when and why (the reason escaped: it is a comment's
 * text), and the replies to an accept that changed nothing.
 *
 * @module
 */
import type { Acceptance } from "../ground/marker.ts";
import { cut } from "../ground/text.ts";
import { escapeMarkdown } from "./_markdown.ts";

/** The most characters of a reason kept (the rest is cut with an ellipsis). */
export const MAX_REASON = 300;

/**
 * The visible block of an acceptance, one quoted line.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { renderAcceptance } from "./acceptance.ts";
 * assertEquals(
 *   renderAcceptance({
 *     sha: "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345", by: "ana",
 *     at: "2026-12-07T10:00:00Z", reason: "smaller model <b>",
 *   }),
 *   "> ✅ **Regression accepted** by @ana for `3f2c9a1` on 2026-12-07 10:00 UTC: " +
 *     "smaller model &lt;b&gt;. A new push gets a fresh verdict.",
 * );
 * ```
 */
export function renderAcceptance(acceptance: Acceptance): string {
  // Our own ISO time, shown as is; anything else (a hand-edited record) escaped.
  const iso = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d(\.\d+)?)?Z$/.exec(acceptance.at);
  const when = iso ? `${iso[1]} ${iso[2]} UTC` : escapeMarkdown(acceptance.at);
  return `> ✅ **Regression accepted** by @${escapeLogin(acceptance.by)} for \`${
    acceptance.sha.slice(0, 7)
  }\` on ${when}: ${
    escapeMarkdown(cut(acceptance.reason, MAX_REASON))
  }. A new push gets a fresh verdict.`;
}

/** A GitHub login is letters, digits and hyphens (bots end in `[bot]`); anything else is escaped. */
function escapeLogin(login: string): string {
  return /^[A-Za-z0-9-]+(\[bot\])?$/.test(login) ? login : escapeMarkdown(login);
}

/**
 * The commit status of an accepted regression: who (the reason stays in the
 * comment, where it is escaped), within GitHub's 140 characters.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { acceptedStatus } from "./acceptance.ts";
 * const at = "2026-12-07T10:00:00Z";
 * assertEquals(
 *   acceptedStatus({ sha: "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345", by: "ana", at, reason: "x" }),
 *   "regression accepted by @ana for 3f2c9a1",
 * );
 * ```
 */
export function acceptedStatus(acceptance: Acceptance): string {
  return cut(`regression accepted by @${acceptance.by} for ${acceptance.sha.slice(0, 7)}`, 140);
}
