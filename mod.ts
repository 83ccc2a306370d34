/**
 * wandb-report: find the Weights & Biases runs logged for a commit, compare
 * them with tagged baselines, and write `wandb_report.csv` and step outputs
 * for CI.
 *
 * As a library:
 *
 * ```ts ignore
 * import { collectReport, resolveInputs } from "@org/wandb-report";
 * const run = resolveInputs(["--project", "acme/vision", "--sha", "abc1234"], Deno.env.toObject());
 * if (run.kind === "report") {
 *   const result = await collectReport(run.options);
 *   console.log(result.outputs.BOOL_COMPLETE, result.rowCount);
 *   await Deno.writeTextFile("wandb_report.csv", result.csv);
 * }
 * ```
 *
 * As a CLI: `deno run --allow-net --allow-env --allow-read --allow-write
 * jsr:@org/wandb-report --project acme/vision --sha abc1234`.
 *
 * @module
 */
export { collectReport } from "./lib/pipeline.ts";
export type { CollectDeps, CollectOptions, ReportResult } from "./lib/pipeline.ts";
export { helpText, resolveInputs } from "./lib/inputs/report.ts";
export type { Invocation, Match, ReportOptions } from "./lib/inputs/report.ts";
export { parseList } from "./lib/inputs/lists.ts";
export { bucketOf, classify, stepOutputs } from "./lib/classify.ts";
export type { Classification, Counts, RunState, StateBucket } from "./lib/classify.ts";
export { cell, CsvBuilder, csvColumns, csvRows, toCsv } from "./lib/report/csv.ts";
export type { CsvContext } from "./lib/report/csv.ts";
export { WandbClient } from "./lib/wandb/client.ts";
export type { TrafficStats, WandbClientOptions } from "./lib/wandb/client.ts";
export { fetchRunPages, fetchRuns, withoutCandidates } from "./lib/wandb/fetch.ts";
export type { FetchedRuns, FetchRunsRequest, RunBatch } from "./lib/wandb/fetch.ts";
export { baselineFilter, candidateFilter, reportQuery } from "./lib/wandb/queries.ts";
export type { ReportQueryOptions } from "./lib/wandb/queries.ts";
export type { Filter } from "./lib/wandb/queries.ts";
export type { WandbRun } from "./lib/wandb/runs.ts";
export { appUrlFor, graphqlUrl, runUrl, runUrlPrefix } from "./lib/wandb/urls.ts";
export type { RetryDeps, RetryPolicy } from "./lib/retry.ts";
export { writeFileAtomic } from "./lib/fs.ts";
export { processIo, runReportCli } from "./lib/cli.ts";
export type { CliIo } from "./lib/cli.ts";
export {
  ApiError,
  AuthError,
  ExitCode,
  exitCodeFor,
  InvalidInputError,
  NotFoundError,
  QueryError,
  RateLimitError,
  ServerError,
  TimeoutError,
  WandbReportError,
} from "./lib/errors.ts";

import { processIo, runReportCli } from "./lib/cli.ts";

if (import.meta.main) {
  Deno.exit(await runReportCli(Deno.args, processIo(), "wandb-report"));
}
