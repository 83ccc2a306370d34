/**
 * One way to deliver, for every command that posts: the sticky comment and
 * the commit status (`wandb-report/<key>`), sent with the user's retries and
 * `--debug` log, and what became of each said the same way. The report, the
 * merge and the workflow's steps all deliver through here.
 *
 * @module
 */
import { ApiError } from "../ground/errors.ts";
import {
  type CommentMode,
  type GitHubClient,
  githubClientFor,
  postComment,
  type PostCommentResult,
  postStatus,
  type PostStatusResult,
  runUrlFromEnv,
  statusContext,
} from "../github/mod.ts";
import type { CliIo, Printer } from "../output.ts";
import { retryPolicy, type RetrySettings } from "../ground/retry.ts";

/**
 * Posts a report's comment (or the wait's progress) the one way every
 * command does: on `--pr-number` (unless told another) with
 * `GITHUB_TOKEN`, retried as the user set for W&B.
 */
export function sendComment(
  io: CliIo,
  print: Printer,
  options: RetrySettings & { githubToken?: string; prNumber?: number; debug: boolean },
  comment: {
    marker: string;
    body: string;
    mode?: CommentMode;
    amend?: (earlier: string | undefined) => string;
    prNumber?: number;
    repository?: string;
  },
): Promise<PostCommentResult> {
  return postComment({
    token: options.githubToken!,
    ...comment,
    repository: comment.repository ?? io.env.GITHUB_REPOSITORY,
    prNumber: comment.prNumber ?? options.prNumber!,
    ...transport(io, options, print.debugLog(options.debug)),
  });
}

/** Says what became of the PR comment. */
export function reportPosted(print: Printer, posted: PostCommentResult): void {
  if (posted.action === "skipped") print.say("warning", "warning", posted.warning);
  else if (posted.action === "none") print.err(`no comment: ${posted.reason}\n`);
  else if (posted.action === "unchanged") {
    print.err(`comment left as it is: ${posted.url} (${posted.reason})\n`);
  } else print.err(`comment ${posted.action}: ${posted.url}\n`);
}

/**
 * Sets the status `wandb-report/<key>` on a commit the one way every
 * command does: linked to this run's page unless told, retried as the user
 * set, logged with `--debug`.
 */
export function sendStatus(
  io: CliIo,
  print: Printer,
  options: RetrySettings & { debug: boolean },
  status: {
    token: string;
    repository?: string;
    sha: string;
    state: "pending" | "success" | "failure" | "error";
    key: string;
    description: string;
    targetUrl?: string;
  },
): Promise<PostStatusResult> {
  return postStatus({
    token: status.token,
    repository: status.repository ?? io.env.GITHUB_REPOSITORY,
    sha: status.sha,
    state: status.state,
    context: statusContext(status.key),
    description: status.description,
    targetUrl: status.targetUrl ?? runUrlFromEnv(io.env),
    ...transport(io, options, print.debugLog(options.debug)),
  });
}

/**
 * How a command's call reaches GitHub: the process environment (API URL,
 * repository), the user's retries, the test's HTTP stand-in, the `--debug` log.
 */
export function transport(
  io: CliIo,
  options: RetrySettings,
  log: ((line: string) => void) | undefined,
) {
  return {
    env: io.env,
    retry: retryPolicy(options, io.deps?.baseDelayMs),
    http: io.deps?.http,
    log,
  };
}

/** A GitHub client for a command, with its {@link transport}. */
export function commandClient(
  io: CliIo,
  options: RetrySettings,
  token: string,
  log: ((line: string) => void) | undefined,
): GitHubClient {
  return githubClientFor({ ...transport(io, options, log), token });
}

/** Says what became of the commit status. */
export function statusSet(print: Printer, result: PostStatusResult): void {
  if (result.action === "skipped") print.say("warning", "warning", result.warning);
  else print.err(`status ${result.context}: ${result.state}\n`);
}

/**
 * Posts the PR comment and says what became of it; a failure after a good
 * report is one warning (the report, its outputs and the summary stand, and
 * the exit code is the gate's).
 */
export function deliverComment(
  print: Printer,
  post: () => Promise<PostCommentResult>,
): Promise<void> {
  return delivered(print, post, reportPosted, "the PR comment was not posted");
}

/** Sets the commit status and says what became of it; a failure is one warning. */
export function deliverStatus(
  print: Printer,
  post: () => Promise<PostStatusResult>,
): Promise<void> {
  return delivered(print, post, statusSet, "the commit status was not set");
}

/** Runs `post` and says its result; GitHub failing for good is one warning, a bug is not caught. */
async function delivered<T>(
  print: Printer,
  post: () => Promise<T>,
  say: (print: Printer, result: T) => void,
  failure: string,
): Promise<void> {
  try {
    say(print, await post());
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    print.say("warning", "warning", `${failure}: ${error.message}`);
  }
}
