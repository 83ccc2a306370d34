/**
 * The pipeline's types: what each stage takes and gives. They come first,
 * so the stages (collect, history, wait, judge, render) import them and
 * never each other in a circle.
 *
 * @module
 */
import type { Classification } from "../classify.ts";
import type { MetricComparison } from "../compare.ts";
import type { GateResult } from "../gate/mod.ts";
import type { BaselineCommit, TrendPoint } from "../history/baseline.ts";
import type { HistoryPlaces } from "../history/read.ts";
import type { PooledNoise } from "../ground/inference.ts";
import type { Run } from "../ground/model.ts";
import type { Redactor } from "../ground/redact.ts";
import type { RetryDeps } from "../ground/retry.ts";
import type { Defaulted, ReportOptions } from "./options.ts";
import type { ReportView } from "../report/view.ts";

/**
 * What a collection runs with: every option settled (the output of
 * `resolveInputs`, or {@link CollectOptions} with its defaults filled in).
 */
export type CollectSettings =
  & Pick<
    ReportOptions,
    | "apiKey"
    | "entity"
    | "project"
    | "match"
    | "baselineTags"
    | "metrics"
    | "configVars"
    | "baseUrl"
    | "appUrl"
    | "pageSize"
    | "timeoutSeconds"
    | "maxAttempts"
    | "maxRetrySeconds"
    | "maxResponseMb"
    | "commitScanDays"
    | "baselineSha"
  >
  & Partial<
    Pick<
      ReportOptions,
      | "groupBy"
      | "baselineSearch"
      | "minBaselineRuns"
      | "mergeBase"
      | "trend"
      | "noiseHistory"
      | "historyBase"
      | "staleAfterSeconds"
    >
  >;

/**
 * The options {@link collectReport} takes (the output of `resolveInputs`,
 * minus CLI-only ones). Those left out take their defaults: `baseUrl`
 * `https://api.wandb.ai`; `baselineTags`, `metrics`, `configVars` none;
 * `pageSize` 100; `timeoutSeconds` 20; `maxAttempts` 6; `maxRetrySeconds`
 * 60; `maxResponseMb` 64; `commitScanDays` 30 (the CLI's, from one table).
 */
export type CollectOptions =
  & Omit<CollectSettings, Defaulted>
  & Partial<Pick<CollectSettings, Defaulted>>;

/** Everything a report found. */
export interface ReportResult {
  /** The W&B entity (team or user) of the project. */
  entity: string;
  /** The W&B project name. */
  project: string;
  /** The web app URL run links point at. */
  appUrl: string;
  /** The commit reported on; in run-id mode, the run's `github_sha` when it is a valid SHA. */
  sha: string;
  /** Every candidate run, in W&B's `+created_at` order. */
  candidates: Run[];
  /** Every baseline run, none of them a candidate. */
  baselines: Run[];
  /** State counts and the completeness verdict. */
  classification: Classification;
  /** Step outputs (`BOOL_COMPLETE`, `NUM_FINISHED`, …). */
  outputs: Record<string, string>;
  /** HTTP requests made and bytes received. */
  traffic: { requests: number; responseBytes: number };
  /** Things the user should know (fallbacks taken, why an answer is empty). */
  notes: string[];
  /** The commit whose runs became baselines, when a history was read for it. */
  baselineCommit?: BaselineCommit;
  /** Each metric's mean per commit of the baseline's branch (`--trend`), oldest first. */
  trend?: TrendPoint[];
  /** Each metric's seed noise pooled from the base branch's history (`--noise-history`, `--baseline-search`, `--trend`). */
  noise?: Record<string, PooledNoise>;
}

/** Extras for {@link collectReport}. */
export interface CollectDeps {
  /** Debug log (no secrets ever reach it). */
  log?: (line: string) => void;
  /** Swap the HTTP layer or the clock (tests, benchmarks). */
  http?: RetryDeps;
  /** Backoff base, in ms (tests shorten it). */
  baseDelayMs?: number;
  /**
   * The clock in ms: the `--match-commit` window (default `Date.now`) and
   * `--wait`'s deadline (default `performance.now`, which cannot jump).
   */
  now?: () => number;
  /** Waits between polls with `--wait`. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Told after each page (progress lines). */
  onPage?: (progress: { runs: number; total?: number; pages: number }) => void;
  /** Told of each retry before its wait. */
  onRetry?: (retry: { attempt: number; of: number; delayMs: number; reason: string }) => void;
  /** Told after each poll of `--wait`. */
  onPoll?: (poll: WaitPoll) => void | Promise<void>;
  /**
   * Holds the secrets to keep out of the runs' data (the CLI's, with every
   * secret it read). Default: one that knows `options.apiKey`.
   */
  redactor?: Redactor;
  /**
   * Where commit history may be read (`--baseline-search`, `--merge-base`,
   * `--trend`): a checkout, and GitHub's API. Default: the current directory
   * only.
   */
  history?: Omit<HistoryPlaces, "input">;
}

/** One poll of `--wait`: the candidates' counts now, and the time spent and left. */
export interface WaitPoll {
  /** The candidates' state counts. */
  counts: Classification["counts"];
  /** Whether every candidate has ended and one finished. */
  complete: boolean;
  /** Milliseconds since the wait began. */
  elapsedMs: number;
  /** Milliseconds left. */
  remainingMs: number;
  /** Polls so far. */
  polls: number;
}

/** The options {@link waitForCandidates} takes (defaults as {@link CollectOptions}'). */
export type WaitOptions = CollectOptions & Pick<ReportOptions, "waitSeconds" | "pollSeconds">;

/** What a wait runs with: every option settled. */
export type WaitSettings = CollectSettings & Pick<ReportOptions, "waitSeconds" | "pollSeconds">;

/** The options {@link judgeReport} needs. */
export type JudgeOptions =
  & Pick<
    ReportOptions,
    "metrics" | "directions" | "reference" | "gate" | "requireComplete"
  >
  & Partial<Pick<ReportOptions, "groupBy" | "onInconclusive" | "onMissing" | "match">>
  & {
    /**
     * Whether the baselines are not the base commit's own runs (default: unless
     * they are exactly the runs of the baseline commit found at distance 0).
     */
    drift?: boolean;
  };

/** The candidates of one group (`--group-by`), compared and judged on their own. */
export interface GroupJudgement {
  /** `lr=0.01`; none when the candidates are not grouped. */
  name?: string;
  /** The group's candidates. */
  candidates: Run[];
  /** One comparison per metric, for this group against all the baselines. */
  comparisons: MetricComparison[];
}

/** The comparisons and the gate's verdicts. */
export interface Judgement {
  /** One comparison per metric asked for (and per gated metric), over every candidate. */
  comparisons: MetricComparison[];
  /** The groups judged (one, unnamed, without `--group-by`). */
  groups: GroupJudgement[];
  /** The gate, fed the groups' comparisons. */
  gate: GateResult;
  /** What the user should know about the judging (groups, references, noise). */
  notes: string[];
}

/** The options {@link renderReport} needs. */
export type RenderOptions =
  & Pick<
    ReportOptions,
    | "match"
    | "metrics"
    | "configVars"
    | "chart"
    | "reportKey"
    | "notes"
    | "baselineTags"
    | "baselineSha"
  >
  & Partial<Pick<ReportOptions, "minBaselineRuns" | "prHeadSha">>;

/** Where the report goes, for what the renderings say about it. */
export interface RenderContext {
  /** The path the CSV is written to (shown in the summary and the JSON). */
  csvPath: string;
  /** The workflow's name, in the sticky comment's marker. Default `wandb-report`. */
  workflow?: string;
  /** Holds the secrets; the markdown masks the start of one a cut leaves in a cell. */
  redactor?: Redactor;
}

/** Every rendering of one report. */
export interface RenderedReport {
  /** The step outputs, `GATE_PASSED` and the commit status (`STATUS_STATE`, `STATUS_DESCRIPTION`) included. */
  outputs: Record<string, string>;
  /** `wandb_report.csv`. */
  csv: string;
  /** Its data rows. */
  rows: number;
  /** The markdown report (PR comment, job summary), rendered when first read. */
  readonly markdown: string;
  /** The sticky comment's marker (the markdown's first line). */
  marker: string;
  /** The `--json` document, as text, rendered when first read. */
  readonly json: string;
  /** The terminal summary. */
  summary: string;
  /** The report as every renderer reads it (the terminal table too). */
  view: ReportView;
}

/** One whole report: what was found, how it was judged, and every rendering. */
export interface Report {
  /** What was found. */
  result: ReportResult;
  /** The comparisons and the gate. */
  judgement: Judgement;
  /** Every format. */
  rendered: RenderedReport;
}
