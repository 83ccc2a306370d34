/**
 * Commit statuses: the check a branch protection rule can require. A
 * comment does not block a merge; a status on the PR's head commit does.
 * One status per report (context `wandb-report/<report key>`), `pending`
 * while the report waits for training, then `success` or `failure` from the
 * gate, `error` when no report could be made.
 *
 * @module
 */
import { z } from "zod";
import type { StatusState } from "../ground/model.ts";
import { cut } from "../ground/text.ts";
import { visible } from "../ground/visible.ts";
import { AuthError } from "../ground/errors.ts";
import type { RetryDeps, RetryPolicy } from "../ground/retry.ts";
import { type GitHubClient, githubClientFor } from "./client.ts";
import { parseRepo, type RepoRef } from "./pulls.ts";

export { STATUS_STATES, type StatusState } from "../ground/model.ts";

/** What one status says. */
export interface CommitStatus {
  /** Its state. */
  state: StatusState;
  /** `wandb-report/<report key>`: one status per report, updated in place. */
  context: string;
  /** At most 140 characters (GitHub's limit). */
  description: string;
  /** Where a click on the check goes: the workflow run. */
  targetUrl?: string;
}

/** GitHub's limit on a status's description. */
export const MAX_DESCRIPTION = 140;

/**
 * The context of a report's status: `wandb-report/` and the report key
 * (default the project), so two reports on one commit keep two checks;
 * lower-cased, as GitHub compares contexts without case (keys that differ
 * only in case are one check; {@link contextNote} says so).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { statusContext } from "./statuses.ts";
 * assertEquals(statusContext("acme/vision"), "wandb-report/acme/vision");
 * assertEquals(statusContext("Acme/Vision"), "wandb-report/acme/vision");
 * ```
 */
export function statusContext(reportKey: string): string {
  return `wandb-report/${reportKey.toLowerCase()}`;
}

/**
 * What to tell a user whose report key has capitals: the context is
 * lower-cased, and a key differing only in case shares the check.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { contextNote } from "./statuses.ts";
 * assertEquals(contextNote("acme/vision"), undefined);
 * assertEquals(contextNote("Vision")?.startsWith("the status context is wandb-report/vision"), true);
 * ```
 */
export function contextNote(reportKey: string): string | undefined {
  if (reportKey === reportKey.toLowerCase()) return undefined;
  return `the status context is ${statusContext(reportKey)}: GitHub compares contexts ` +
    `without case, so report keys that differ only in case (${reportKey}, ${reportKey.toLowerCase()}) ` +
    "would be one check; give each report a key that differs in more than case";
}

/**
 * A description as GitHub takes it: one line, nothing a terminal or a log
 * would obey, at most 140 characters (cut with `…`).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { statusDescription } from "./statuses.ts";
 * assertEquals(statusDescription("a\nb"), "a b");
 * assertEquals(statusDescription("x".repeat(200)).length, 140);
 * ```
 */
export function statusDescription(text: string): string {
  return cut(visible(text.replace(/\s+/g, " ").trim()), MAX_DESCRIPTION);
}

/**
 * The run's page, where a click on the check goes:
 * `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID`.
 * `undefined` outside Actions.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { runUrlFromEnv } from "./statuses.ts";
 * assertEquals(
 *   runUrlFromEnv({ GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "o/r", GITHUB_RUN_ID: "42" }),
 *   "https://github.com/o/r/actions/runs/42",
 * );
 * ```
 */
export function runUrlFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  if (!repo || !run || !/^\d+$/.test(run)) return undefined;
  return `${(server || "https://github.com").replace(/\/+$/, "")}/${repo}/actions/runs/${run}`;
}

const StatusAnswerSchema = z.object({
  state: z.string(),
  context: z.string(),
  url: z.string().optional(),
}).loose();

/**
 * Sets a commit status (`POST /repos/{owner}/{repo}/statuses/{sha}`); a
 * later one with the same context replaces it on GitHub's checks.
 *
 * @throws {import("../ground/errors.ts").AuthError} when the token may not write statuses
 * @throws {import("../ground/errors.ts").ApiError} for other GitHub failures
 *
 * @example
 * ```ts ignore
 * import { setCommitStatus } from "./statuses.ts";
 * await setCommitStatus(github, { owner: "o", name: "r" }, sha, {
 *   state: "success", context: "wandb-report/acme/vision", description: "3 finished; gate passed",
 * });
 * ```
 */
export async function setCommitStatus(
  client: GitHubClient,
  repo: RepoRef,
  sha: string,
  status: CommitStatus,
): Promise<void> {
  await client.rest(
    "POST /repos/{owner}/{repo}/statuses/{sha}",
    {
      owner: repo.owner,
      repo: repo.name,
      sha,
      state: status.state,
      context: status.context,
      description: statusDescription(status.description),
      ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
    },
    StatusAnswerSchema,
  );
}

/** What to set where, for {@link postStatus}. */
export interface PostStatusOptions extends CommitStatus {
  /** The token; sent only in the Authorization header. */
  token: string;
  /** `owner/name`. */
  repository: string | undefined;
  /** The commit (40 hex characters). */
  sha: string;
  /** The environment, for `GITHUB_API_URL`. */
  env: Readonly<Record<string, string | undefined>>;
  /** Retry and timeout policy (secondary rate limits are retried). */
  retry: RetryPolicy;
  /** Swap the HTTP layer (tests). */
  http?: RetryDeps;
  /** Debug log. */
  log?: (line: string) => void;
}

/** The status was set, or a warning says why not (the report goes on). */
export type PostStatusResult =
  | { action: "set"; state: StatusState; context: string }
  | { action: "skipped"; warning: string };

/**
 * Sets a report's commit status. A token that may not write statuses (a
 * fork PR's read-only `GITHUB_TOKEN`) gives a warning instead of a failure:
 * the report, its summary and its comment stand.
 *
 * @throws {import("../ground/errors.ts").ApiError} for other GitHub failures
 *
 * @example
 * ```ts ignore
 * import { postStatus } from "./statuses.ts";
 * await postStatus({
 *   token: Deno.env.get("GITHUB_TOKEN")!, repository: "o/r", sha, env: Deno.env.toObject(),
 *   state: "pending", context: "wandb-report/acme/vision", description: "waiting for training",
 *   retry: { maxAttempts: 6, maxElapsedMs: 60_000, timeoutMs: 20_000 },
 * });
 * ```
 */
export async function postStatus(options: PostStatusOptions): Promise<PostStatusResult> {
  const client = githubClientFor(options);
  const repo = parseRepo(options.repository, "GITHUB_REPOSITORY");
  try {
    await setCommitStatus(client, repo, options.sha, options);
    return { action: "set", state: options.state, context: options.context };
  } catch (error) {
    if (!(error instanceof AuthError) || error.status === 401) throw error;
    return {
      action: "skipped",
      warning: `could not set the status ${options.context} on ${options.sha.slice(0, 12)}: ` +
        `${error.message}. A fork pull request's token may not write statuses; grant ` +
        "statuses: write, or use the workflow_run pattern (examples/fork-safe.yml)",
    };
  }
}
