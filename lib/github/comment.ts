/**
 * Posting the report as one sticky PR comment: the hidden marker that finds
 * it again, and the fork-PR case where the token may not write.
 *
 * @module
 */
import { AuthError, InvalidInputError } from "../ground/errors.ts";
import type { CommentMode } from "../ground/model.ts";
import { readReportState } from "../ground/marker.ts";
import type { RetryDeps, RetryPolicy } from "../ground/retry.ts";
import { githubClientFor } from "./client.ts";
import { type CommentDecision, parseRepo, upsertComment, type UpsertResult } from "./pulls.ts";

export { commentMarker } from "../ground/marker.ts";
export { COMMENT_MODES, type CommentMode } from "../ground/model.ts";

/**
 * Whether `mode` writes `body`, given the comment already there: the body's
 * hidden state line (verdict and digest, see `renderMarkdown`) decides.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { commentDecision } from "./comment.ts";
 * const body = "<!-- m -->\n<!-- wandb-report verdict=pass digest=aa -->\nreport";
 * assertEquals(commentDecision("failures", body)(undefined).write, false);
 * assertEquals(commentDecision("changes", body)({ id: "1", url: "u", body }).write, false);
 * ```
 */
export function commentDecision(mode: CommentMode, body: string): CommentDecision {
  const state = readReportState(body);
  return (found) => {
    if (mode === "changes" && found && state) {
      const before = readReportState(found.body);
      if (before?.digest === state.digest) {
        return {
          write: false,
          action: "unchanged",
          reason: "the report says what the comment already says (comment-mode changes)",
        };
      }
    }
    if (mode === "failures" && state?.verdict === "pass" && !found) {
      return {
        write: false,
        action: "none",
        reason: "the gate passed and every run has ended (comment-mode failures)",
      };
    }
    return { write: true };
  };
}

/** GitHub's limit on a comment's length, in characters. */
export const MAX_COMMENT = 65_536;

/** What to post where. */
export interface PostCommentOptions {
  /** The token; sent only in the Authorization header. */
  token: string;
  /** `owner/name`. */
  repository: string | undefined;
  /** The pull request. */
  prNumber: number;
  /** The marker, also the body's first line. */
  marker: string;
  /** The body, marker included. */
  body: string;
  /** The environment, for GITHUB_API_URL / GITHUB_GRAPHQL_URL. */
  env: Readonly<Record<string, string | undefined>>;
  /** Retry and timeout policy. */
  retry: RetryPolicy;
  /** Swap the HTTP layer (tests). */
  http?: RetryDeps;
  /** Debug log. */
  log?: (line: string) => void;
  /** When to comment. Default `always`. */
  mode?: CommentMode;
  /** The body to write, given the comment it replaces (what it keeps of it). Default `body`. */
  amend?: (earlier: string | undefined) => string;
}

/** The comment was written, or a warning says why not (the report goes on). */
export type PostCommentResult = UpsertResult | { action: "skipped"; warning: string };

/**
 * Creates or updates the report's comment, as `mode` says (see
 * {@link CommentMode}). A token that may not write (a fork PR's read-only
 * `GITHUB_TOKEN`) gives a warning instead of a failure, since the job
 * summary still carries the report.
 *
 * @throws {InvalidInputError} for a body longer than GitHub takes (never sent)
 * @throws {import("../ground/errors.ts").ApiError} for other GitHub failures
 *
 * @example
 * ```ts ignore
 * import { commentMarker, postComment } from "./comment.ts";
 * const marker = commentMarker("acme/vision", "CI");
 * await postComment({
 *   token: Deno.env.get("GITHUB_TOKEN")!, repository: "o/r", prNumber: 7, marker,
 *   body: `${marker}\nreport`, env: Deno.env.toObject(),
 *   retry: { maxAttempts: 6, maxElapsedMs: 60_000, timeoutMs: 20_000 },
 * });
 * ```
 */
export async function postComment(options: PostCommentOptions): Promise<PostCommentResult> {
  // GitHub refuses longer comments; the report is capped well below (60,000 bytes).
  if (options.body.length > MAX_COMMENT) {
    throw new InvalidInputError(
      "the comment body",
      `at most ${MAX_COMMENT} characters (GitHub's limit for a comment)`,
      undefined,
      `it has ${options.body.length}`,
    );
  }
  const mode = options.mode ?? "always";
  if (mode === "off") return { action: "none", reason: "comment-mode off" };
  const client = githubClientFor(options);
  const repo = parseRepo(options.repository, "GITHUB_REPOSITORY");
  try {
    return await upsertComment(
      client,
      repo,
      options.prNumber,
      options.marker,
      options.body,
      commentDecision(mode, options.body),
      options.amend,
    );
  } catch (error) {
    if (!(error instanceof AuthError) || error.status === 401) throw error;
    return {
      action: "skipped",
      warning: `could not comment on pull request #${options.prNumber}: ${error.message}. ` +
        "Fork pull requests get a read-only token; the report is in the job summary",
    };
  }
}
