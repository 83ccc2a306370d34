/**
 * What the report's inputs need of each other (one report on one commit):
 * a flag that goes with another, a token for what posts, a commit for what
 * walks history. A sweep's own needs are in `_sweep.ts`.
 *
 * @module
 */

/** The longest project the status context takes as its key (an explicit key's bound). */
export const MAX_DEFAULT_KEY = 100;

/** The inputs the cross-checks read. */
export interface ReportInputs {
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
}

// History walks back from --baseline-sha, else from the candidates' commit (not a run id's).
const noStart = (o: ReportInputs) =>
  o.baselineSha === undefined && (o.sha === undefined || o.runId !== undefined);

/** One check: when it fails, the input's key and what it expected. */
type Check = [(o: ReportInputs) => boolean, string, (o: ReportInputs) => string];

const CHECKS: Check[] = [
  [
    (o) => o.secondarySha !== undefined && o.sha === undefined,
    "secondarySha",
    () => "to be used with --sha (INPUT_FILTER_GITHUB_SHA), which is not set",
  ],
  // The default key is the project, whose length W&B bounds less than a status context's 255.
  [
    (o) => o.status && o.reportKey === undefined && o.project.length > MAX_DEFAULT_KEY,
    "reportKey",
    (o) =>
      `a report key of at most ${MAX_DEFAULT_KEY} characters for --status: the default, the ` +
      `project (${o.project.length} characters), is longer than the status's context ` +
      "wandb-report/<key> can hold",
  ],
  [
    (o) => o.comment && o.prNumber === undefined,
    "prNumber",
    () => "a pull request number for --comment (INPUT_PR_NUMBER)",
  ],
  [
    (o) => o.status && o.githubToken === undefined,
    "githubToken",
    () => "a token for --status (pass github.token as GITHUB_TOKEN)",
  ],
  [
    (o) => o.comment && o.githubToken === undefined,
    "githubToken",
    () => "a token for --comment (pass github.token as GITHUB_TOKEN)",
  ],
  [
    (o) => o.progressOnly && !(o.wait ?? 0),
    "progressOnly",
    () => "a wait (--wait) to show the progress of",
  ],
  [
    (o) => o.json && o.format !== undefined && o.format !== "json",
    "json",
    (o) => `one format: --json is --format json, and --format ${o.format} was also given`,
  ],
  [
    (o) => o.baselineSearch > 0 && noStart(o),
    "baselineSearch",
    () => "a commit to search back from: --baseline-sha, or --sha (its first parent)",
  ],
  [
    (o) => o.mergeBase && o.baselineSha === undefined,
    "mergeBase",
    () => "the PR's base commit to go with --baseline-sha (INPUT_BASELINE_SHA), which is not set",
  ],
  [
    (o) => o.mergeBase && o.sha === undefined,
    "mergeBase",
    () => "a candidates' commit (--sha) to find the merge base with",
  ],
  [
    (o) => o.trend > 0 && noStart(o),
    "trend",
    () => "a commit to walk back from: --baseline-sha, or --sha",
  ],
  [
    (o) => o.noiseHistory > 0 && noStart(o),
    "noiseHistory",
    () => "a commit to walk back from: --baseline-sha, or --sha",
  ],
  [
    (o) => o.runId === undefined && o.sha === undefined,
    "sha",
    () => "a commit SHA or --run-id (INPUT_FILTER_GITHUB_SHA or INPUT_RUN_ID)",
  ],
];

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
export function reportProblems(o: ReportInputs): [string, string][] {
  return CHECKS.filter(([failed]) => failed(o)).map(([, key, expected]) => [key, expected(o)]);
}
