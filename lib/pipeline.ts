/**
 * The report from end to end, as a library call: validated options in, a
 * typed result out. Nothing here writes files or prints; the CLI does that.
 *
 * @module
 */
import { type Classification, classify, stepOutputs } from "./classify.ts";
import type { ReportOptions } from "./inputs.ts";
import { csvColumns, csvRows, toCsv } from "./report/csv.ts";
import type { RetryDeps } from "./retry.ts";
import { WandbClient } from "./wandb/client.ts";
import { fetchRuns } from "./wandb/fetch.ts";
import { baselineFilter, candidateFilter, SHA_KEY } from "./wandb/queries.ts";
import type { WandbRun } from "./wandb/runs.ts";
import { appUrlFor } from "./wandb/urls.ts";

/** The options {@link collectReport} needs (the output of `resolveInputs`, minus CLI-only ones). */
export type CollectOptions = Omit<ReportOptions, "out" | "json" | "debug" | "notes">;

/** Everything a report found. */
export interface ReportResult {
  entity: string;
  project: string;
  /** The web app URL run links point at. */
  appUrl: string;
  /** The commit reported on; in run-id mode, the run's `github_sha` when it has one. */
  sha: string;
  candidates: WandbRun[];
  baselines: WandbRun[];
  classification: Classification;
  /** Step outputs (`BOOL_COMPLETE`, `NUM_FINISHED`, …). */
  outputs: Record<string, string>;
  /** The CSV's header row. */
  columns: string[];
  /** The CSV's data rows. */
  rows: string[][];
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
    },
    log,
    deps: deps.http,
    userAgent: "wandb-report",
  });
  const fetched = await fetchRuns(client, {
    entity: options.entity,
    project: options.project,
    candidates: candidateFilter(options.match),
    baselines: options.baselineTags.length
      ? baselineFilter(options.match, options.baselineTags)
      : null,
    metricKeys: options.metrics,
    configKeys: options.configVars,
    pageSize: options.pageSize,
    log,
  });
  const appUrl = options.appUrl ?? appUrlFor(options.baseUrl);
  const sha = options.match.by === "sha"
    ? options.match.sha
    : String(fetched.candidates[0]?.config[SHA_KEY] ?? "");
  const classification = classify(fetched.candidates, fetched.baselines);
  const ctx = {
    appUrl,
    entity: options.entity,
    project: options.project,
    metrics: options.metrics,
    configVars: options.configVars,
  };
  return {
    entity: options.entity,
    project: options.project,
    appUrl,
    sha,
    candidates: fetched.candidates,
    baselines: fetched.baselines,
    classification,
    outputs: stepOutputs(classification, sha),
    columns: csvColumns(options.metrics, options.configVars),
    rows: csvRows(fetched.candidates, fetched.baselines, ctx),
    traffic: { ...client.stats },
    notes: fetched.fullFields
      ? ["the server does not support keys: projections; full config and summaries were fetched"]
      : [],
  };
}

/**
 * The CSV text of a result.
 *
 * @example
 * ```ts ignore
 * import { reportCsv } from "./pipeline.ts";
 * await Deno.writeTextFile("wandb_report.csv", reportCsv(result));
 * ```
 */
export function reportCsv(result: Pick<ReportResult, "columns" | "rows">): string {
  return toCsv(result.columns, result.rows);
}
