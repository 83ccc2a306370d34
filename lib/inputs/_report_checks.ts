/**
 * What the report's inputs need of each other (one report on one commit):
 * a flag that goes with another, a token for what posts, a commit for what
 * walks history. A sweep's own needs are in `_sweep.ts`.
 *
 * @module
 */

/** The longest project the status context takes as its key (an explicit key's bound). */
export const MAX_DEFAULT_KEY = 100;

/**
 * The report's cross-input problems, each as the input's key and what it
 * expected; none for inputs that agree.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { reportProblems } from "./_report_checks.ts";
 * const o = {
 *   project: "acme/vision", comment: false, status: false, progressOnly: false, json: false,
 *   baselineSearch: 0, mergeBase: false, trend: 0, noiseHistory: 0, sha: "abc1234",
 * };
 * assertEquals(reportProblems(o), []);
 * assertEquals(reportProblems({ ...o, sha: undefined }).map(([key]) => key), ["sha"]);
 * ```
 */
export function reportProblems(o: {
  project: string;
  sha?: string;
  secondarySha?: string;
  runId?: string;
  comment: boolean;
  status: boolean;
  prNumber?: number;
  githubToken?: string;
  reportKey?: string;
  progressOnly: boolean;
  wait?: number;
  json: boolean;
  format?: string;
  baselineSha?: string;
  baselineSearch: number;
  mergeBase: boolean;
  trend: number;
  noiseHistory: number;
}): [string, string][] {
  // History walks back from --baseline-sha, else from the candidates' commit (not a run id's).
  const noStart = o.baselineSha === undefined && (o.sha === undefined || o.runId !== undefined);
  const checks: [boolean, string, string][] = [
    [
      o.secondarySha !== undefined && o.sha === undefined,
      "secondarySha",
      "to be used with --sha (INPUT_FILTER_GITHUB_SHA), which is not set",
    ],
    // The default key is the project, whose length W&B bounds less than a status context's 255.
    [
      o.status && o.reportKey === undefined && o.project.length > MAX_DEFAULT_KEY,
      "reportKey",
      `a report key of at most ${MAX_DEFAULT_KEY} characters for --status: the default, the ` +
      `project (${o.project.length} characters), is longer than the status's context ` +
      "wandb-report/<key> can hold",
    ],
    [
      o.comment && o.prNumber === undefined,
      "prNumber",
      "a pull request number for --comment (INPUT_PR_NUMBER)",
    ],
    [
      o.status && o.githubToken === undefined,
      "githubToken",
      "a token for --status (pass github.token as GITHUB_TOKEN)",
    ],
    [
      o.comment && o.githubToken === undefined,
      "githubToken",
      "a token for --comment (pass github.token as GITHUB_TOKEN)",
    ],
    [
      o.progressOnly && !(o.wait ?? 0),
      "progressOnly",
      "a wait (--wait) to show the progress of",
    ],
    [
      o.json && o.format !== undefined && o.format !== "json",
      "json",
      `one format: --json is --format json, and --format ${o.format} was also given`,
    ],
    [
      o.baselineSearch > 0 && noStart,
      "baselineSearch",
      "a commit to search back from: --baseline-sha, or --sha (its first parent)",
    ],
    [
      o.mergeBase && o.baselineSha === undefined,
      "mergeBase",
      "the PR's base commit to go with --baseline-sha (INPUT_BASELINE_SHA), which is not set",
    ],
    [
      o.mergeBase && o.sha === undefined,
      "mergeBase",
      "a candidates' commit (--sha) to find the merge base with",
    ],
    [o.trend > 0 && noStart, "trend", "a commit to walk back from: --baseline-sha, or --sha"],
    [
      o.noiseHistory > 0 && noStart,
      "noiseHistory",
      "a commit to walk back from: --baseline-sha, or --sha",
    ],
    [
      o.runId === undefined && o.sha === undefined,
      "sha",
      "a commit SHA or --run-id (INPUT_FILTER_GITHUB_SHA or INPUT_RUN_ID)",
    ],
  ];
  return checks.filter(([failed]) => failed).map(([, key, message]) => [key, message]);
}
