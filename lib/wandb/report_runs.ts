/**
 * A report's runs from W&B: the filters built from the report's match (a
 * SHA, or a run id), the baselines (tags, or commits), and `--match-commit`
 * as the server allows it (its `commit` filter first; a bounded scan when the
 * server refuses or ignores it).
 *
 * @module
 */
import { QueryError, ServerError } from "../ground/errors.ts";
import { type Match, SHA_KEY, shaMatch } from "../ground/model.ts";
import type { WandbClient } from "./client.ts";
import { fetchRunPages, type FetchRunsRequest, type RunBatch, withoutCandidates } from "./fetch.ts";
import {
  baselineFilter,
  candidateFilter,
  commitScanFilters,
  commitsFilter,
  isCandidate,
} from "./queries.ts";
import type { WandbRun } from "./runs.ts";

/** What a report asks W&B for. */
export interface ReportRunsRequest {
  /** The project's entity. */
  entity: string;
  /** The project's name. */
  project: string;
  /** How candidates are found. */
  match: Match;
  /** Runs with any of these tags are baselines. */
  baselineTags: readonly string[];
  /** Runs logged for this commit are baselines too. No baselines are asked without tags or this. */
  baselineSha?: string | readonly string[];
  /** Summary metric keys to fetch. */
  metricKeys: readonly string[];
  /** Config keys to fetch. */
  configKeys: readonly string[];
  /** Also fetch W&B's `group` field. */
  group?: boolean;
  /** Runs per page. */
  pageSize: number;
  /** With `--match-commit` on a server that cannot filter `commit`: how many days back to scan. */
  commitScanDays: number;
  /** The wall clock in epoch ms (for the scan window). Default `Date.now`. */
  now?: () => number;
  /** Debug log. */
  log?: (line: string) => void;
  /** Told after each page (progress lines). */
  onPage?: FetchRunsRequest["onPage"];
}

/** The runs of a report, and what the user should know about how they were found. */
export interface ReportRuns {
  /** Every candidate, in W&B's `+created_at` order. */
  candidates: WandbRun[];
  /** Every baseline, none of them a candidate. */
  baselines: WandbRun[];
  /** Fallbacks taken (full fields, a commit scan). */
  notes: string[];
}

/**
 * Fetches a report's candidates and baselines: the filters for its match
 * mode, every page, and `--match-commit` as the server allows it (the
 * `commit` filter first; if the server refuses that field, which W&B does
 * not document as filterable, `commit` is matched here over the runs created
 * in the last `commitScanDays`).
 *
 * @throws {NotFoundError} when the project is unknown or not visible to the key
 * @throws {import("../ground/errors.ts").ApiError} on any other API failure
 *
 * @example
 * ```ts ignore
 * import { fetchReportRuns } from "./report_runs.ts";
 * const { candidates, baselines } = await fetchReportRuns(client, {
 *   entity: "acme", project: "vision", match: { by: "sha", sha: "abc1234", matchCommit: false },
 *   baselineTags: ["baseline"], metricKeys: ["accuracy"], configKeys: [], pageSize: 100,
 *   commitScanDays: 30,
 * });
 * ```
 */
export async function fetchReportRuns(
  client: WandbClient,
  request: ReportRunsRequest,
): Promise<ReportRuns> {
  const { match } = request;
  const log = request.log ?? (() => {});
  if (match.by === "sha") {
    const how = (sha: string) =>
      shaMatch(sha).mode === "prefix" ? `starts with "${sha}"` : `equals "${sha}"`;
    log(
      `candidates: config.${SHA_KEY} ${how(match.sha)}${
        match.matchCommit ? ` (or commit ${how(match.sha)})` : ""
      }${match.secondarySha ? `, and config.secondary_sha ${how(match.secondarySha)}` : ""}`,
    );
  }
  const notes: string[] = [];
  const paging: FetchRunsRequest = {
    entity: request.entity,
    project: request.project,
    candidates: candidateFilter(match),
    baselines: request.baselineTags.length ||
        (request.baselineSha !== undefined && request.baselineSha.length > 0)
      ? baselineFilter(match, request.baselineTags, request.baselineSha)
      : null,
    metricKeys: request.metricKeys,
    configKeys: request.configKeys,
    pageSize: request.pageSize,
    commit: match.by === "sha" && match.matchCommit,
    group: request.group,
    log,
    onPage: request.onPage,
  };
  const scan = (): FetchRunsRequest => {
    const days = request.commitScanDays;
    const since = new Date((request.now ?? Date.now)() - days * 86_400_000).toISOString()
      .slice(0, 19);
    notes.push(
      `the server does not filter on commit; matched commit here over the runs created since ${since} ` +
        `(--commit-scan-days ${days})`,
    );
    const filters = commitScanFilters(match, request.baselineTags, since, request.baselineSha);
    return { ...paging, ...filters, isCandidate: (run) => isCandidate(match, run) };
  };
  const candidates: WandbRun[] = [];
  const baselines: WandbRun[] = [];
  let fullFields = false;
  const pages = paging.commit
    ? withCommitScan(client, paging, scan, (run) => isCandidate(match, run), notes)
    : fetchRunPages(client, paging);
  for await (const page of pages) {
    candidates.push(...page.candidates);
    baselines.push(...page.baselines);
    fullFields ||= page.fullFields;
  }
  if (fullFields) {
    notes.unshift(
      "the server does not support keys: projections; full config and summaries were fetched",
    );
  }
  return { candidates, baselines: withoutCandidates(baselines, candidates), notes };
}

/**
 * Pages `request`; pages `fallback()` instead when, before the first page,
 * the server refuses the `commit` filter W&B does not document (any 4xx but
 * auth, not found and rate limits, or a GraphQL error in a 200 answer), or
 * ignores it: a first page with a candidate that `isCandidate` rejects means
 * the filter was not applied (a server that drops unknown fields answers
 * every run of the project).
 */
async function* withCommitScan(
  client: WandbClient,
  request: FetchRunsRequest,
  fallback: () => FetchRunsRequest,
  isCandidate: (run: WandbRun) => boolean,
  notes: string[],
): AsyncGenerator<RunBatch, void, undefined> {
  let started = false;
  let ignored = false;
  try {
    for await (const batch of fetchRunPages(client, request)) {
      if (!started && batch.candidates.some((run) => !isCandidate(run))) {
        ignored = true;
        break;
      }
      started = true;
      yield batch;
    }
  } catch (error) {
    // Auth, not found and rate limits are their own classes, never a refusal. A
    // server error that outlasted the retries on the very first filtered
    // request is one too: servers that cannot run the filter answer 500.
    const status = error instanceof QueryError
      ? error.status ?? 0
      : error instanceof ServerError
      ? error.status ?? 500
      : 0;
    const refused = (status >= 400 && status < 600) || status === 200;
    if (started || !refused) throw error;
    if (status >= 500) {
      notes.push(`the server answered HTTP ${status} to the commit filter, after every retry`);
    }
    yield* fetchRunPages(client, fallback());
    return;
  }
  if (ignored) {
    notes.push("the server ignored the commit filter (it answered runs of other commits)");
    yield* fetchRunPages(client, fallback());
  }
}

/** What a sweep asks W&B for: the candidates of several commits, and the tagged baselines. */
export type CommitsRunsRequest =
  & Pick<
    ReportRunsRequest,
    | "entity"
    | "project"
    | "baselineTags"
    | "metricKeys"
    | "configKeys"
    | "group"
    | "pageSize"
    | "log"
    | "onPage"
  >
  & {
    /** The commits (full SHAs). */
    shas: readonly string[];
  };

/**
 * The runs of several commits in one paged query (one request per page for
 * all of them), split by commit, and every tagged run (each commit's
 * baselines are those that are not its own candidates: see
 * {@link withoutCandidates}).
 *
 * @throws {import("../ground/errors.ts").ApiError} on any API failure
 *
 * @example
 * ```ts ignore
 * import { fetchCommitsRuns } from "./report_runs.ts";
 * const { byCommit, baselines } = await fetchCommitsRuns(client, {
 *   entity: "acme", project: "vision", shas: [sha1, sha2], baselineTags: ["baseline"],
 *   metricKeys: ["accuracy"], configKeys: [], pageSize: 100,
 * });
 * ```
 */
export async function fetchCommitsRuns(
  client: WandbClient,
  request: CommitsRunsRequest,
): Promise<{ byCommit: Map<string, WandbRun[]>; baselines: WandbRun[]; notes: string[] }> {
  const byCommit = new Map(request.shas.map((sha) => [sha, [] as WandbRun[]]));
  const baselines: WandbRun[] = [];
  let fullFields = false;
  for await (
    const page of fetchRunPages(client, {
      entity: request.entity,
      project: request.project,
      candidates: commitsFilter(request.shas),
      // Every tagged run: a run of one commit may be another's baseline (split by the caller).
      baselines: request.baselineTags.length ? { tags: { $in: [...request.baselineTags] } } : null,
      metricKeys: request.metricKeys,
      configKeys: request.configKeys,
      pageSize: request.pageSize,
      group: request.group,
      log: request.log,
      onPage: request.onPage,
    })
  ) {
    // A run of no commit asked for (a server that ignored the filter) joins no report.
    for (const run of page.candidates) byCommit.get(String(run.config[SHA_KEY]))?.push(run);
    baselines.push(...page.baselines);
    fullFields ||= page.fullFields;
  }
  return {
    byCommit,
    baselines,
    notes: fullFields
      ? ["the server does not support keys: projections; full config and summaries were fetched"]
      : [],
  };
}
