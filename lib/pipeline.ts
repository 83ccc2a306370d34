/**
 * The report from end to end, as a library call: validated options in, a
 * typed result out. Nothing here writes files or prints; the CLI does that.
 *
 * @module
 */
import { type Classification, classify, stepOutputs } from "./classify.ts";
import { compareRuns, type MetricComparison } from "./compare.ts";
import { evaluateGate, type GateResult } from "./gate.ts";
import type { ReportOptions } from "./inputs.ts";
import { CsvBuilder } from "./report/csv.ts";
import type { RetryDeps } from "./retry.ts";
import { WandbClient } from "./wandb/client.ts";
import { fetchRunPages, withoutCandidates } from "./wandb/fetch.ts";
import { baselineFilter, candidateFilter, SHA_KEY } from "./wandb/queries.ts";
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
  const pages = fetchRunPages(client, {
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
  // Each page is laid out while the next one is on its way.
  for await (const page of pages) {
    for (const run of page.candidates) candidates.push(run);
    for (const run of page.baselines) baselines.push(run);
    csv.addCandidates(page.candidates);
    fullFields ||= page.fullFields;
  }
  baselines = withoutCandidates(baselines, candidates);
  csv.addBaselines(baselines);

  const sha = options.match.by === "sha"
    ? options.match.sha
    : String(candidates[0]?.config[SHA_KEY] ?? "");
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
    notes: fullFields
      ? ["the server does not support keys: projections; full config and summaries were fetched"]
      : [],
  };
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
