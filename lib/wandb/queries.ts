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
import { type Match, shaMatch, shaMatches } from "../ground/model.ts";
import { SECONDARY_SHA_KEY, SHA_KEY } from "../ground/model.ts";

/** A W&B runs filter (sent JSON-encoded as the `filters` argument). */
export type Filter = Record<string, unknown>;

// RE2 and JavaScript share these metacharacters.
const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

/** The condition "`path` matches the SHA": equality, or an anchored prefix `$regex`. */
function matches(path: string, sha: string): Filter {
  const { value, mode } = shaMatch(sha);
  return { [path]: mode === "prefix" ? { $regex: `^${escapeRegex(value)}` } : value };
}

/**
 * The condition "`path` does not match the SHA, or is missing" (W&B's `$ne`
 * alone may skip missing fields; `$nor` of a match takes them).
 */
function differs(path: string, sha: string): Filter {
  const { value, mode } = shaMatch(sha);
  if (mode === "prefix") return { $nor: [matches(path, value)] };
  // Missing is `$exists: false` (documented); `{path: null}` is not said to mean "missing".
  return { $or: [{ [path]: { $ne: value } }, { [path]: { $exists: false } }] };
}

/**
 * The filter that selects candidate runs. A SHA of 7 to 39 hexadecimal
 * characters matches the runs whose logged SHA starts with it; any other
 * value matches exactly.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { candidateFilter } from "./queries.ts";
 * assertEquals(candidateFilter({ by: "sha", sha: "v1.2", matchCommit: false }), {
 *   "config.github_sha": "v1.2",
 * });
 * assertEquals(candidateFilter({ by: "sha", sha: "abc1234", matchCommit: false }), {
 *   "config.github_sha": { $regex: "^abc1234" },
 * });
 * assertEquals(candidateFilter({ by: "run-id", runId: "a1b2c3d4" }), { name: "a1b2c3d4" });
 * ```
 */
export function candidateFilter(m: Match): Filter {
  return match(m)
    .with({ by: "run-id" }, ({ runId }) => ({ name: runId }))
    .with({ by: "sha" }, ({ sha, secondarySha, matchCommit }) => {
      const bySha: Filter = matchCommit
        ? { $or: [matches(`config.${SHA_KEY}`, sha), matches("commit", sha)] }
        : matches(`config.${SHA_KEY}`, sha);
      return secondarySha === undefined
        ? bySha
        : { $and: [bySha, matches(`config.${SECONDARY_SHA_KEY}`, secondarySha)] };
    })
    .exhaustive();
}

/**
 * The filter that selects baseline runs: any of `tags`, or (with
 * `baselineSha`) logged for that commit (or any of those commits, for a
 * baseline search), and never a candidate.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { baselineFilter } from "./queries.ts";
 * assertEquals(baselineFilter({ by: "run-id", runId: "a1b2c3d4" }, ["baseline"]), {
 *   $and: [{ tags: { $in: ["baseline"] } }, { name: { $ne: "a1b2c3d4" } }],
 * });
 * ```
 */
export function baselineFilter(
  m: Match,
  tags: readonly string[],
  baselineSha?: string | readonly string[],
): Filter {
  const notCandidate: Filter = match(m)
    .with({ by: "run-id" }, ({ runId }) => ({ name: { $ne: runId } }))
    .with({ by: "sha" }, ({ sha, secondarySha, matchCommit }) => {
      const shaDiffers = matchCommit
        ? { $and: [differs(`config.${SHA_KEY}`, sha), differs("commit", sha)] }
        : differs(`config.${SHA_KEY}`, sha);
      return secondarySha === undefined
        ? shaDiffers
        : { $or: [shaDiffers, differs(`config.${SECONDARY_SHA_KEY}`, secondarySha)] };
    })
    .exhaustive();
  const picks: Filter[] = [];
  if (tags.length) picks.push({ tags: { $in: [...tags] } });
  if (typeof baselineSha === "string") picks.push(matches(`config.${SHA_KEY}`, baselineSha));
  // A baseline search: the full SHAs of the commits walked, all in one query.
  else if (baselineSha?.length) picks.push({ [`config.${SHA_KEY}`]: { $in: [...baselineSha] } });
  return { $and: [picks.length === 1 ? picks[0]! : { $or: picks }, notCandidate] };
}

/**
 * Whether a run is a candidate, decided on our side from its decoded fields:
 * the same rule {@link candidateFilter} asks the server to apply. Used where
 * the server cannot filter (`commit`, which W&B does not document as filterable).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { isCandidate } from "./queries.ts";
 * const match = { by: "sha" as const, sha: "abc1234", matchCommit: true };
 * assertEquals(isCandidate(match, { name: "r", commit: "abc1234ff", config: {} }), true);
 * ```
 */
export function isCandidate(
  m: Match,
  run: { name: string; commit?: string | null; config: Record<string, unknown> },
): boolean {
  return match(m)
    .with({ by: "run-id" }, ({ runId }) => run.name === runId)
    .with({ by: "sha" }, ({ sha, secondarySha, matchCommit }) => {
      const wanted = shaMatch(sha);
      const bySha = shaMatches(wanted, run.config[SHA_KEY]) ||
        (matchCommit && shaMatches(wanted, run.commit));
      return bySha &&
        (secondarySha === undefined ||
          shaMatches(shaMatch(secondarySha), run.config[SECONDARY_SHA_KEY]));
    })
    .exhaustive();
}

/**
 * The filters for `--match-commit` against a server that refuses to filter on
 * `commit`: candidates are the runs whose config matches plus every run
 * created since `since` (their `commit` is then matched on our side with
 * {@link isCandidate}); baselines are filtered by config alone and cleaned
 * the same way.
 *
 * @param since ISO-8601 lower bound on `createdAt` (W&B compares it as a string)
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { commitScanFilters } from "./queries.ts";
 * const m = { by: "sha" as const, sha: "v1", matchCommit: true };
 * assertEquals(commitScanFilters(m, [], "2026-01-01T00:00:00").candidates, {
 *   $or: [{ "config.github_sha": "v1" }, { createdAt: { $gte: "2026-01-01T00:00:00" } }],
 * });
 * ```
 */
export function commitScanFilters(
  m: Match,
  tags: readonly string[],
  since: string,
  baselineSha?: string | readonly string[],
): { candidates: Filter; baselines: Filter | null } {
  const byConfig: Match = m.by === "sha" ? { ...m, matchCommit: false } : m;
  const recent: Filter[] = [{ createdAt: { $gte: since } }];
  if (m.by === "sha" && m.secondarySha !== undefined) {
    recent.push(matches(`config.${SECONDARY_SHA_KEY}`, m.secondarySha));
  }
  return {
    candidates: {
      $or: [candidateFilter(byConfig), recent.length === 1 ? recent[0] : { $and: recent }],
    },
    baselines: tags.length || (baselineSha !== undefined && baselineSha.length > 0)
      ? baselineFilter(byConfig, tags, baselineSha)
      : null,
  };
}

/** Options for {@link reportQuery}. */
export interface ReportQueryOptions {
  /**
   * Ask for only the requested `config`/`summaryMetrics` keys (`keys:`
   * projections). Off only as a fallback for servers that reject `keys:`.
   */
  projectKeys: boolean;
  /** Also fetch W&B's `commit` field (for `--match-commit` matched on our side). */
  commit?: boolean;
  /** Also fetch W&B's `group` field (for `--group-by group`). */
  group?: boolean;
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
 * `baselineCursor`, `withCounts` and `countBaselines` (the matching run counts,
 * asked on the first page to bound paging), and with projections `metricKeys`, `configKeys`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { reportQuery } from "./queries.ts";
 * const document = reportQuery({ projectKeys: true });
 * assertEquals(document.startsWith("query WandbReportRuns("), true);
 * ```
 */
export function reportQuery(
  { projectKeys, commit = false, group = false }: ReportQueryOptions,
): string {
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
    `$baselineCursor: String, $withCounts: Boolean!, $countBaselines: Boolean!${keyVars}) {
  project(name: $project, entityName: $entity) {
    candidateCount: runCount(filters: $candidateFilters) @include(if: $withCounts)
    baselineCount: runCount(filters: $baselineFilters) @include(if: $countBaselines)
    ${connection("candidates", "candidate")}
    ${connection("baselines", "baseline")}
  }
}

fragment ReportRun on Run {
  name displayName state tags description createdAt heartbeatAt${commit ? " commit" : ""}${
      group ? " group" : ""
    }
  ${config}
  ${summary}
}
`;
}

/**
 * The candidates of several commits at once (a sweep over open pull
 * requests): runs whose `config.github_sha` is one of the full SHAs.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { commitsFilter } from "./queries.ts";
 * assertEquals(commitsFilter(["a".repeat(40)]), { "config.github_sha": { $in: ["a".repeat(40)] } });
 * ```
 */
export function commitsFilter(shas: readonly string[]): Filter {
  return { [`config.${SHA_KEY}`]: { $in: [...shas] } };
}
