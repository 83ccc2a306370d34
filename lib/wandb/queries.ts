/**
 * What we ask W&B: the filter documents that pick candidates and baselines,
 * and the GraphQL document that fetches both in one request.
 *
 * Filters use W&B's Mongo-style language (`$and`, `$or`, `$ne`, `$in`,
 * `$exists`; config paths match unwrapped values). A baseline is never a
 * candidate: its filter is the candidate filter's negation, spelled so that a
 * missing field counts as "not equal", as the old action did.
 *
 * @module
 */
import { match } from "ts-pattern";
import type { Match } from "../inputs.ts";

/** A W&B runs filter (sent JSON-encoded as the `filters` argument). */
export type Filter = Record<string, unknown>;

/** Config key holding the commit a run was trained on (the old action's convention). */
export const SHA_KEY = "github_sha";
/** Config key of the optional second commit (e.g. a data or infra repo). */
export const SECONDARY_SHA_KEY = "secondary_sha";

/** `path` differs from `value` or is missing (W&B's `$ne` alone may skip missing fields). */
function notEqual(path: string, value: string): Filter {
  const missing = path.startsWith("config.") ? { $exists: false } : null;
  return { $or: [{ [path]: { $ne: value } }, { [path]: missing }] };
}

/**
 * The filter that selects candidate runs.
 *
 * @example
 * ```ts
 * import { candidateFilter } from "./queries.ts";
 * candidateFilter({ by: "sha", sha: "abc1234", matchCommit: false });
 * // { "config.github_sha": "abc1234" }
 * candidateFilter({ by: "run-id", runId: "a1b2c3d4" }); // { name: "a1b2c3d4" }
 * ```
 */
export function candidateFilter(m: Match): Filter {
  return match(m)
    .with({ by: "run-id" }, ({ runId }) => ({ name: runId }))
    .with({ by: "sha" }, ({ sha, secondarySha, matchCommit }) => {
      const bySha: Filter = matchCommit
        ? { $or: [{ [`config.${SHA_KEY}`]: sha }, { commit: sha }] }
        : { [`config.${SHA_KEY}`]: sha };
      return secondarySha === undefined
        ? bySha
        : { $and: [bySha, { [`config.${SECONDARY_SHA_KEY}`]: secondarySha }] };
    })
    .exhaustive();
}

/**
 * The filter that selects baseline runs: any of `tags`, and not a candidate.
 *
 * @example
 * ```ts
 * import { baselineFilter } from "./queries.ts";
 * baselineFilter({ by: "run-id", runId: "a1b2c3d4" }, ["baseline"]);
 * // { $and: [{ tags: { $in: ["baseline"] } }, { name: { $ne: "a1b2c3d4" } }] }
 * ```
 */
export function baselineFilter(m: Match, tags: readonly string[]): Filter {
  const notCandidate: Filter = match(m)
    .with({ by: "run-id" }, ({ runId }) => ({ name: { $ne: runId } }))
    .with({ by: "sha" }, ({ sha, secondarySha, matchCommit }) => {
      const shaDiffers = matchCommit
        ? { $and: [notEqual(`config.${SHA_KEY}`, sha), notEqual("commit", sha)] }
        : notEqual(`config.${SHA_KEY}`, sha);
      return secondarySha === undefined
        ? shaDiffers
        : { $or: [shaDiffers, notEqual(`config.${SECONDARY_SHA_KEY}`, secondarySha)] };
    })
    .exhaustive();
  return { $and: [{ tags: { $in: [...tags] } }, notCandidate] };
}

/** Options for {@link reportQuery}. */
export interface ReportQueryOptions {
  /**
   * Ask for only the requested `config`/`summaryMetrics` keys (`keys:`
   * projections). Off only as a fallback for servers that reject `keys:`.
   */
  projectKeys: boolean;
}

/** The operation name of {@link reportQuery}'s document. */
export const REPORT_OPERATION = "WandbReportRuns";

/**
 * The GraphQL document that pages candidates and baselines in one request,
 * as two aliased `runs` connections each switched by `@include`. It asks only
 * for the fields the report prints.
 *
 * Variables: `entity`, `project`, `order`, `perPage`, `withCandidates`,
 * `candidateFilters`, `candidateCursor`, `withBaselines`, `baselineFilters`,
 * `baselineCursor`, and with projections `metricKeys`, `configKeys`.
 *
 * @example
 * ```ts
 * import { reportQuery } from "./queries.ts";
 * const document = reportQuery({ projectKeys: true });
 * console.log(document.startsWith("query WandbReportRuns(")); // true
 * ```
 */
export function reportQuery({ projectKeys }: ReportQueryOptions): string {
  const keyVars = projectKeys ? ", $metricKeys: [String!], $configKeys: [String!]" : "";
  const config = projectKeys ? "config(keys: $configKeys)" : "config";
  const summary = projectKeys ? "summaryMetrics(keys: $metricKeys)" : "summaryMetrics";
  const connection = (alias: string, prefix: string) =>
    `${alias}: runs(filters: $${prefix}Filters, after: $${prefix}Cursor, first: $perPage, ` +
    `order: $order) @include(if: $with${prefix[0]!.toUpperCase()}${prefix.slice(1)}s) {
      edges { cursor node { ...ReportRun } }
      pageInfo { hasNextPage endCursor }
    }`;
  return `query ${REPORT_OPERATION}($entity: String!, $project: String!, $order: String, ` +
    `$perPage: Int, $withCandidates: Boolean!, $candidateFilters: JSONString, ` +
    `$candidateCursor: String, $withBaselines: Boolean!, $baselineFilters: JSONString, ` +
    `$baselineCursor: String${keyVars}) {
  project(name: $project, entityName: $entity) {
    ${connection("candidates", "candidate")}
    ${connection("baselines", "baseline")}
  }
}

fragment ReportRun on Run {
  name displayName state tags description createdAt
  ${config}
  ${summary}
}
`;
}
