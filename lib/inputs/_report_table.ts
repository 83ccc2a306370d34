/**
 * The report command's option table: every flag, the `INPUT_*` variable and
 * the W&B variable it may come from, its group in `--help`, and its line of
 * help. Parsing, `--help` and the README's tables are all made from it.
 *
 * @module
 */
import { COMMENT_MODE_SOURCE, DEBUG_SOURCE, githubTokenSource, retrySources } from "./_fields.ts";
import { DEFAULTS } from "../schemas.ts";
import type { Source } from "./command.ts";

/** The report's option rows, by option key. */
export const REPORT_SOURCES = {
  apiKey: {
    group: "Selecting the candidates",
    input: "WANDB_API_KEY",
    env: "WANDB_API_KEY",
    kind: "string",
    secret: "wandb-key",
    help: "W&B API key (environment only, never a flag). Required.",
  },
  project: {
    group: "Selecting the candidates",
    flag: "project",
    input: "PROJECT_NAME",
    env: "WANDB_PROJECT",
    kind: "string",
    value: "entity/project",
    help: "W&B project. WANDB_PROJECT may omit the entity if WANDB_ENTITY is set. Required.",
  },
  sha: {
    group: "Selecting the candidates",
    flag: "sha",
    input: "FILTER_GITHUB_SHA",
    kind: "string",
    value: "SHA",
    help: "Candidates: runs whose config github_sha is this; 7-39 hex matches as a prefix.",
  },
  secondarySha: {
    group: "Selecting the candidates",
    flag: "secondary-sha",
    input: "FILTER_SECONDARY_SHA",
    kind: "string",
    value: "SHA",
    help: "Also require config secondary_sha to equal this (needs --sha).",
  },
  runId: {
    group: "Selecting the candidates",
    flag: "run-id",
    input: "RUN_ID",
    kind: "string",
    value: "ID",
    help: "Candidate: the run with this id (W&B's `name`). Overrides --sha.",
  },
  matchCommit: {
    group: "Selecting the candidates",
    flag: "match-commit",
    input: "MATCH_COMMIT",
    kind: "boolean",
    help: "Also match W&B's built-in `commit` field against --sha.",
  },
  commitScanDays: {
    group: "Selecting the candidates",
    flag: "commit-scan-days",
    input: "COMMIT_SCAN_DAYS",
    kind: "string",
    value: "DAYS",
    help:
      `If W&B cannot filter on commit, scan runs this recent for it. Default ${DEFAULTS.commitScanDays}.`,
  },
  baselineTags: {
    group: "Baselines and metrics",
    flag: "baseline-tags",
    input: "BASELINE_TAGS",
    kind: "list",
    value: "LIST",
    help: "Baselines: runs with any of these tags (never a candidate).",
  },
  baselineSha: {
    group: "Baselines and metrics",
    flag: "baseline-sha",
    input: "BASELINE_SHA",
    kind: "string",
    value: "SHA",
    help: "Baselines: also the runs logged for this commit (e.g. the PR's base).",
  },
  historyBase: {
    group: "Baselines and metrics",
    flag: "history-base",
    input: "HISTORY_BASE",
    kind: "string",
    value: "SHA",
    help: "Where --noise-history and --trend walk back from when there is no --baseline-sha: " +
      "the PR's base or merge base, so the PR's own commits never count as the base branch's. " +
      "Default the candidates' commit.",
  },
  baselineSearch: {
    group: "Baselines and metrics",
    flag: "baseline-search",
    input: "BASELINE_SEARCH",
    kind: "string",
    value: "N",
    help: "Walk back up to N first-parent commits from --baseline-sha to one with runs (0-500). " +
      "Default 0.",
  },
  minBaselineRuns: {
    group: "Baselines and metrics",
    flag: "min-baseline-runs",
    input: "MIN_BASELINE_RUNS",
    kind: "string",
    value: "N",
    help: "Finished runs a commit needs to be the baseline in a search. Default 1.",
  },
  mergeBase: {
    group: "Baselines and metrics",
    flag: "merge-base",
    input: "MERGE_BASE",
    kind: "boolean",
    help: "Use the merge base of --baseline-sha (the PR's base) and --sha as the baseline commit.",
  },
  trend: {
    group: "Baselines and metrics",
    flag: "trend",
    input: "TREND",
    kind: "string",
    value: "N",
    help: "Each metric's mean per commit over the last N first-parent commits (those with " +
      "runs are shown; 0-500). Default 0.",
  },
  noiseHistory: {
    group: "Gate and waiting",
    flag: "noise-history",
    input: "NOISE_HISTORY",
    kind: "string",
    value: "N",
    help: "Pool each metric's seed noise from the last N first-parent commits of the base " +
      "(0-500; used by alpha= and noise= rules with 5+ commits of 2+ runs). Default 0.",
  },
  onInconclusive: {
    group: "Gate and waiting",
    flag: "on-inconclusive",
    input: "ON_INCONCLUSIVE",
    kind: "string",
    value: "pass|fail",
    help: "What an inconclusive alpha= rule (too few seeds to tell) counts as. Default pass.",
  },
  onMissing: {
    group: "Gate and waiting",
    flag: "on-missing",
    input: "ON_MISSING",
    kind: "string",
    value: "pending|fail",
    help: "A commit with no finished run yet (none logged, or only running or pending ones): " +
      "pending (exit 0, a pending status that waits for training) or fail (judged now: " +
      "missing values fail, for nightly jobs that must find runs). Default pending.",
  },
  metrics: {
    group: "Baselines and metrics",
    flag: "metrics",
    input: "DISPLAY_METRICS",
    kind: "list",
    value: "LIST",
    help: "Summary metrics to report, one CSV column each.",
  },
  configVars: {
    group: "Baselines and metrics",
    flag: "config-vars",
    input: "DISPLAY_CONFIG_VARS",
    kind: "list",
    value: "LIST",
    help: "Config keys to report, one CSV column `_<key>` each.",
  },
  out: {
    group: "Output",
    flag: "out",
    input: "OUT",
    kind: "string",
    value: "FILE",
    help: "CSV path. Default $GITHUB_WORKSPACE/wandb_report.csv, else ./wandb_report.csv.",
  },
  baseUrl: {
    group: "Network",
    flag: "base-url",
    input: "BASE_URL",
    env: "WANDB_BASE_URL",
    kind: "string",
    value: "URL",
    help: "W&B API URL. Default https://api.wandb.ai.",
  },
  appUrl: {
    group: "Network",
    flag: "app-url",
    input: "APP_URL",
    env: "WANDB_APP_URL",
    kind: "string",
    value: "URL",
    help: "W&B UI URL for run links. Default: derived from the API URL.",
  },
  pageSize: {
    group: "Network",
    flag: "page-size",
    input: "PAGE_SIZE",
    kind: "string",
    value: "N",
    help: `Runs per request, 1-1000. Default ${DEFAULTS.pageSize}.`,
  },
  ...retrySources("WANDB_HTTP_TIMEOUT"),
  maxResponseMb: {
    group: "Network",
    flag: "max-response-mb",
    input: "MAX_RESPONSE_MB",
    kind: "string",
    value: "MIB",
    help:
      `Refuse one W&B answer larger than this, checked while reading. Default ${DEFAULTS.maxResponseMb}.`,
  },
  reference: {
    group: "Baselines and metrics",
    flag: "reference",
    input: "REFERENCE",
    kind: "string",
    value: "REF",
    help: "Baseline value deltas are against: best, mean or run=RUN_ID. Default best.",
  },
  groupBy: {
    group: "Baselines and metrics",
    flag: "group-by",
    input: "GROUP_BY",
    kind: "string",
    value: "KEY",
    help:
      "Judge candidates in groups: a config key (lr) or W&B's group; a sweep is several groups.",
  },
  directions: {
    group: "Baselines and metrics",
    flag: "direction",
    input: "DIRECTIONS",
    kind: "list",
    repeat: true,
    value: "NAME=max|min",
    help: "A metric's direction, when its name does not say (loss → min, acc → max).",
  },
  gate: {
    group: "Gate and waiting",
    flag: "gate",
    input: "GATE",
    kind: "list",
    repeat: true,
    value: "RULE",
    help: "Fail (exit 1) on a regression: METRIC:max|min[:abs=X][:rel=Y%][:ref=..]" +
      "[:missing=..] [:of=each|mean] [:noise=K] [:alpha=P] [:mde=D] [:min-runs=N] (see the README).",
  },
  requireComplete: {
    group: "Gate and waiting",
    flag: "require-complete",
    input: "REQUIRE_COMPLETE",
    kind: "boolean",
    help: "Fail (exit 1) unless a candidate finished and none is running or pending.",
  },
  wait: {
    group: "Gate and waiting",
    flag: "wait",
    input: "WAIT",
    kind: "string",
    value: "DURATION",
    help: "Poll until no candidate is running or pending: 90s, 15m, 1h (at most 7 days).",
  },
  pollInterval: {
    group: "Gate and waiting",
    flag: "poll-interval",
    input: "POLL_INTERVAL",
    kind: "string",
    value: "DURATION",
    help: "First pause between polls, 1s-1h; pauses grow by half, to 5 min. Default 30s.",
  },
  staleAfter: {
    group: "Gate and waiting",
    flag: "stale-after",
    input: "STALE_AFTER",
    kind: "string",
    value: "DURATION",
    help: "A running run without a heartbeat for this long has stalled: not waited for, " +
      "not complete. 0 turns it off. Default 15m.",
  },
  maxWait: {
    group: "Gate and waiting",
    flag: "max-wait",
    input: "MAX_WAIT",
    kind: "string",
    value: "DURATION",
    help: "The longest --wait allowed (the workflow sets it), at most 7 days. Default 6h.",
  },
  markdown: {
    group: "Output",
    flag: "markdown",
    input: "MARKDOWN",
    kind: "string",
    value: "FILE",
    help: "Also write the markdown report to FILE.",
  },
  format: {
    group: "Output",
    flag: "format",
    input: "FORMAT",
    kind: "string",
    value: "FORMAT",
    help: "Print the report on stdout: table (the default on a terminal), markdown, json or csv.",
  },
  chart: {
    group: "Output",
    flag: "chart",
    input: "CHART",
    kind: "boolean",
    help: "Add a Mermaid bar chart per metric to the markdown.",
  },
  comment: {
    group: "GitHub",
    flag: "comment",
    input: "COMMENT",
    kind: "boolean",
    help: "Post the markdown as one sticky comment on --pr-number (needs GITHUB_TOKEN).",
  },
  sweep: {
    group: "GitHub",
    flag: "sweep",
    input: "SWEEP",
    kind: "string",
    value: "N",
    help: "Instead of one commit: the open pull requests whose head has this report's check " +
      "pending or none, oldest first, at most N (1-100) per run; one W&B query for all their " +
      "commits, then each one's report, with --comment and --status on its PR (GITHUB_TOKEN). " +
      "Baselines by tag only.",
  },
  pulls: {
    group: "GitHub",
    flag: "pulls",
    input: "PULLS",
    kind: "list",
    value: "LIST",
    help: "With --sweep: the pull requests to report on, as NUMBER=HEAD_SHA (what `deno task " +
      "waiting` found), instead of asking GitHub: a job that may only read the runs.",
  },
  prNumber: {
    group: "GitHub",
    flag: "pr-number",
    input: "PR_NUMBER",
    kind: "string",
    value: "N",
    help: "The pull request to comment on.",
  },
  commentMode: { ...COMMENT_MODE_SOURCE, group: "GitHub" },
  status: {
    group: "GitHub",
    flag: "status",
    input: "STATUS",
    kind: "boolean",
    help: "Set a commit status wandb-report/KEY on the SHA: pending while --wait waits, " +
      "then the gate's verdict (needs GITHUB_TOKEN with statuses: write).",
  },
  progressOnly: {
    group: "GitHub",
    flag: "progress-only",
    input: "PROGRESS_ONLY",
    kind: "boolean",
    help: "Only wait (--wait), showing the progress in the PR comment and the pending " +
      "status; write no report (the reusable workflow's wait job).",
  },
  prHeadSha: {
    group: "GitHub",
    flag: "pr-head-sha",
    input: "PR_HEAD_SHA",
    kind: "string",
    value: "SHA",
    help: "The PR's head commit: a report on another commit (or a run id) says in the " +
      "comment that it is not the PR's check.",
  },
  reportKey: {
    group: "GitHub",
    flag: "report-key",
    input: "REPORT_KEY",
    kind: "string",
    value: "KEY",
    help: "Tells reports apart: one sticky comment per key and workflow. Default the project " +
      "(with --status, at most 100 characters: set a key for a longer one).",
  },
  githubToken: {
    ...githubTokenSource("GitHub token for --comment (environment only)."),
    group: "GitHub",
  },
  quiet: {
    group: "Output",
    flag: "quiet",
    input: "QUIET",
    kind: "boolean",
    help: "No progress or retry lines on stderr (errors and the summary stay).",
  },
  json: {
    group: "Output",
    flag: "json",
    kind: "boolean",
    help: "Print the whole result as JSON on stdout (same as --format json).",
  },
  debug: { ...DEBUG_SOURCE, group: "Output" },
} as const satisfies Record<string, Source>;
