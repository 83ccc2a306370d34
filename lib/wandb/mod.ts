/**
 * The W&B adapter's face: what the rest of the house uses of it (the client,
 * the report's queries and runs, the pager's helpers, the summary keys).
 * Rooms outside lib/wandb/ import from here, never from its files.
 *
 * @module
 */
export { WandbClient } from "./client.ts";
export { withoutCandidates } from "./fetch.ts";
export { fetchCommitsRuns, fetchReportRuns } from "./report_runs.ts";
export type { ReportRunsRequest } from "./report_runs.ts";
export { summaryKeys } from "./summary_keys.ts";
