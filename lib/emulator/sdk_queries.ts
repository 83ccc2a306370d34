/**
 * Queries the W&B Python SDK sends, verbatim in shape (wandb-api.md §1.1):
 * the emulator must answer them, and the benchmark replays the SDK's request
 * pattern with them.
 *
 * @module
 */

/**
 * The SDK's `Runs` query (`Api().runs()`), with the full `RunFragment` it
 * uses when `lazy=False`, a variable default and a fragment spread.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { SDK_RUNS_QUERY } from "./sdk_queries.ts";
 * assertEquals(SDK_RUNS_QUERY.startsWith("query Runs("), true);
 * ```
 */
export const SDK_RUNS_QUERY: string =
  `query Runs($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50, ` +
  `$order: String, $filters: JSONString) {
  project(name: $project, entityName: $entity) {
    internalId
    runCount(filters: $filters)
    readOnly
    runs(filters: $filters, after: $cursor, first: $perPage, order: $order) {
      edges { node { projectId ...RunFragment } cursor }
      pageInfo { endCursor hasNextPage }
    }
  }
}
fragment RunFragment on Run {
  id tags name displayName sweepName state group jobType commit readOnly createdAt heartbeatAt
  description notes historyLineCount user { name username } config systemMetrics summaryMetrics
  historyKeys
}`;
