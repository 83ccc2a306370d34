/**
 * The report from end to end, as a library call: validated options in, a
 * typed result out. Nothing here writes files or prints; the CLI does that.
 *
 * @module
 */
import { type Classification, classify, stepOutputs } from "./classify.ts";
import { compareRuns, type MetricComparison } from "./compare.ts";
import { evaluateGate, type GateResult } from "./gate.ts";
import type { ReportOptions } from "./inputs/report.ts";
import { CsvBuilder } from "./report/csv.ts";
import type { RetryDeps } from "./retry.ts";
import { WandbClient } from "./wandb/client.ts";
import { QueryError } from "./errors.ts";
import { field, isShaToken, SHA_EXPECTED, shaMatch } from "./model.ts";
import {
  fetchRunPages,
  type FetchRunsRequest,
  type RunBatch,
  withoutCandidates,
} from "./wandb/fetch.ts";
import {
  baselineFilter,
  candidateFilter,
  commitScanFilters,
  isCandidate,
  SHA_KEY,
} from "./wandb/queries.ts";
import type { WandbRun } from "./wandb/runs.ts";
import { appUrlFor } from "./wandb/urls.ts";

/** The options {@link collectReport} needs (the output of `resolveInputs`, minus CLI-only ones). */
export type CollectOptions = Pick<
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
  | "commitScanDays"
  | "maxResponseMb"
>;

/** Everything a report found. */
export interface ReportResult {
  /** The W&B entity (team or user) of the project. */
  entity: string;
  /** The W&B project name. */
  project: string;
  /** The web app URL run links point at. */
  appUrl: string;
  /** The commit reported on; in run-id mode, the run's `github_sha` when it has one. */
  sha: string;
  /** Every candidate run, in W&B's `+created_at` order. */
  candidates: WandbRun[];
  /** Every baseline run, none of them a candidate. */
  baselines: WandbRun[];
  /** State counts and the completeness verdict. */
  classification: Classification;
  /** Step outputs (`BOOL_COMPLETE`, `NUM_FINISHED`, …). */
  outputs: Record<string, string>;
  /** The CSV's header row. */
  columns: string[];
  /** How many data rows the CSV has. */
  rowCount: number;
  /** The whole CSV text (header, then rows). */
  csv: string;
  /** HTTP requests made and bytes received. */
  traffic: { requests: number; responseBytes: number };
  /** Things the user should know (e.g. fell back to full fields). */
  notes: string[];
}

/** Extras for {@link collectReport}. */
export interface CollectDeps {
  /** Debug log (no secrets ever reach it). */
  log?: (line: string) => void;
  /** Swap the HTTP layer or the clock (tests, benchmarks). */
  http?: RetryDeps;
  /** Backoff base, in ms (tests shorten it). */
  baseDelayMs?: number;
  /** The wall clock in epoch ms (for the `--match-commit` scan window). Default `Date.now`. */
  now?: () => number;
}

/**
 * Fetches, classifies and lays out one report.
 *
 * @throws {import("./errors.ts").ApiError} when W&B fails for good
 *
 * @example
 * ```ts ignore
 * import { collectReport, resolveInputs } from "../mod.ts";
 * const run = resolveInputs(["--project", "acme/vision", "--sha", "abc1234"], Deno.env.toObject());
 * if (run.kind === "report") {
 *   const result = await collectReport(run.options);
 *   console.log(result.outputs.NUM_FINISHED);
 *   await Deno.writeTextFile("wandb_report.csv", result.csv);
 * }
 * ```
 */
export async function collectReport(
  options: CollectOptions,
  deps: CollectDeps = {},
): Promise<ReportResult> {
  const log = deps.log ?? (() => {});
  const client = new WandbClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    retry: {
      maxAttempts: options.maxAttempts,
      maxElapsedMs: options.maxRetrySeconds * 1000,
      timeoutMs: options.timeoutSeconds * 1000,
      baseDelayMs: deps.baseDelayMs,
      maxResponseBytes: options.maxResponseMb * 1048576,
    },
    log,
    deps: deps.http,
    userAgent: "wandb-report",
  });
  const appUrl = options.appUrl ?? appUrlFor(options.baseUrl);
  const csv = new CsvBuilder({
    appUrl,
    entity: options.entity,
    project: options.project,
    metrics: options.metrics,
    configVars: options.configVars,
  });
  const candidates: WandbRun[] = [];
  let baselines: WandbRun[] = [];
  let fullFields = false;
  const notes: string[] = [];
  const { match } = options;
  if (match.by === "sha") {
    const how = (sha: string) =>
      shaMatch(sha).mode === "prefix" ? `starts with "${sha}"` : `equals "${sha}"`;
    log(
      `candidates: config.${SHA_KEY} ${how(match.sha)}${
        match.matchCommit ? ` (or commit ${how(match.sha)})` : ""
      }${match.secondarySha ? `, and config.secondary_sha ${how(match.secondarySha)}` : ""}`,
    );
  }
  const request: FetchRunsRequest = {
    entity: options.entity,
    project: options.project,
    candidates: candidateFilter(match),
    baselines: options.baselineTags.length ? baselineFilter(match, options.baselineTags) : null,
    metricKeys: options.metrics,
    configKeys: options.configVars,
    pageSize: options.pageSize,
    commit: match.by === "sha" && match.matchCommit,
    log,
  };
  const pages = request.commit
    ? withCommitScan(client, request, () => {
      const days = options.commitScanDays;
      const since = new Date((deps.now ?? Date.now)() - days * 86_400_000).toISOString()
        .slice(0, 19);
      notes.push(
        `the server does not filter on commit; matched commit here over the runs created since ${since} ` +
          `(--commit-scan-days ${days})`,
      );
      const filters = commitScanFilters(match, options.baselineTags, since);
      return { ...request, ...filters, isCandidate: (run) => isCandidate(match, run) };
    })
    : fetchRunPages(client, request);
  // Each page is laid out while the next one is on its way.
  for await (const page of pages) {
    for (const run of page.candidates) candidates.push(run);
    for (const run of page.baselines) baselines.push(run);
    csv.addCandidates(page.candidates);
    fullFields ||= page.fullFields;
  }
  baselines = withoutCandidates(baselines, candidates);
  csv.addBaselines(baselines);

  const logged = candidates[0] && field(candidates[0].config, SHA_KEY);
  // In run-id mode the SHA is data from the run: it becomes an output only if
  // it is what a SHA input could have been.
  const sha = match.by === "sha" ? match.sha : isShaToken(logged) ? shaMatch(logged).value : "";
  if (match.by === "run-id" && logged !== undefined && logged !== null && sha === "") {
    notes.push(
      `run ${match.runId}'s config ${SHA_KEY} is not a commit SHA (${SHA_EXPECTED}); SHA left empty`,
    );
  }
  const classification = classify(candidates, baselines);
  return {
    entity: options.entity,
    project: options.project,
    appUrl,
    sha,
    candidates,
    baselines,
    classification,
    outputs: stepOutputs(classification, sha),
    columns: csv.columns,
    rowCount: csv.rowCount,
    csv: csv.text(),
    traffic: { ...client.stats },
    notes: [
      ...(fullFields
        ? ["the server does not support keys: projections; full config and summaries were fetched"]
        : []),
      ...notes,
      ...emptyNotes(options, candidates, baselines),
    ],
  };
}

/**
 * `--match-commit` as the server allows: the `commit` filter first; if the
 * server refuses that field (W&B does not document it as filterable), the
 * request `fallback()` builds instead, which matches `commit` on our side.
 */
async function* withCommitScan(
  client: WandbClient,
  request: FetchRunsRequest,
  fallback: () => FetchRunsRequest,
): AsyncGenerator<RunBatch, void, undefined> {
  let started = false;
  try {
    for await (const batch of fetchRunPages(client, request)) {
      started = true;
      yield batch;
    }
  } catch (error) {
    const refused = error instanceof QueryError && error.status === 400 &&
      error.messages.some((m) => /\bcommit\b/.test(m));
    if (started || !refused) throw error;
    yield* fetchRunPages(client, fallback());
  }
}

/**
 * Says why a report came out empty where it did: no candidates, no baselines
 * for the tags, or a metric or config key that no fetched run has.
 */
function emptyNotes(
  options: CollectOptions,
  candidates: readonly WandbRun[],
  baselines: readonly WandbRun[],
): string[] {
  const notes: string[] = [];
  const { match } = options;
  if (candidates.length === 0) {
    notes.push(
      match.by === "run-id"
        ? `no run with id "${match.runId}" in ${options.entity}/${options.project}`
        : `no run in ${options.entity}/${options.project} has config.${SHA_KEY} ${
          shaMatch(match.sha).mode === "prefix" ? "starting with" : "equal to"
        } "${match.sha}"${
          match.secondarySha ? ` and config.secondary_sha "${match.secondarySha}"` : ""
        }: check that the training job logs the commit it ran on as config.${SHA_KEY}`,
    );
  }
  if (options.baselineTags.length && baselines.length === 0) {
    notes.push(
      `no baseline runs: no other run in ${options.entity}/${options.project} carries any of the tags ${
        options.baselineTags.map((t) => `"${t}"`).join(", ")
      }`,
    );
  }
  const runs = [...candidates, ...baselines];
  if (runs.length) {
    const missing = (keys: readonly string[], has: (run: WandbRun, key: string) => boolean) =>
      keys.filter((key) => !runs.some((run) => has(run, key)));
    const metrics = missing(options.metrics, (run, key) => Object.hasOwn(run.summary, key));
    const configs = missing(options.configVars, (run, key) => Object.hasOwn(run.config, key));
    if (metrics.length) {
      notes.push(
        `no fetched run has the metric${metrics.length > 1 ? "s" : ""} ${
          metrics.map((m) => `"${m}"`).join(", ")
        } in its summary: check the name as logged (wandb.log / run.summary)`,
      );
    }
    if (configs.length) {
      notes.push(
        `no fetched run has the config key${configs.length > 1 ? "s" : ""} ${
          configs.map((k) => `"${k}"`).join(", ")
        }: check the name as logged in wandb.config`,
      );
    }
  }
  return notes;
}

/** The options {@link judgeReport} needs. */
export type JudgeOptions = Pick<
  ReportOptions,
  "metrics" | "directions" | "reference" | "gate" | "requireComplete"
>;

/**
 * Compares the candidates with the baselines for every metric asked for (and
 * every metric a gate rule names) and applies the gate.
 *
 * @example
 * ```ts ignore
 * import { collectReport, judgeReport } from "../mod.ts";
 * const result = await collectReport(options);
 * const { comparisons, gate } = judgeReport(result, options);
 * if (!gate.passed) Deno.exitCode = 1;
 * ```
 */
export function judgeReport(
  result: Pick<ReportResult, "candidates" | "baselines" | "classification">,
  options: JudgeOptions,
): { comparisons: MetricComparison[]; gate: GateResult } {
  const metrics = [...new Set([...options.metrics, ...options.gate.map((rule) => rule.metric)])];
  const ruled = Object.fromEntries(options.gate.map((rule) => [rule.metric, rule]));
  const comparisons = compareRuns(result.candidates, result.baselines, {
    metrics,
    directions: {
      ...Object.fromEntries(options.gate.map((rule) => [rule.metric, rule.direction])),
      ...options.directions,
    },
    reference: options.reference,
    references: Object.fromEntries(
      Object.entries(ruled).flatMap(([m, rule]) => (rule.reference ? [[m, rule.reference]] : [])),
    ),
  });
  const gate = evaluateGate(result.candidates, result.baselines, result.classification, {
    rules: options.gate,
    requireComplete: options.requireComplete,
    reference: options.reference,
  });
  return { comparisons, gate };
}
