/**
 * Fetching the report's runs: candidates and baselines paged together, one
 * HTTP request per page pair, each connection following its last edge's
 * cursor until done, de-duplicated by run id.
 *
 * @module
 */
import { NotFoundError, QueryError } from "../errors.ts";
import type { WandbClient } from "./client.ts";
import { type Filter, reportQuery, SECONDARY_SHA_KEY, SHA_KEY } from "./queries.ts";
import { ReportDataSchema, type RunPage, type WandbRun } from "./runs.ts";

/** What to fetch. */
export interface FetchRunsRequest {
  entity: string;
  project: string;
  candidates: Filter;
  /** `null` when no baseline tags were given: no baseline query is sent. */
  baselines: Filter | null;
  /** Summary metric keys to fetch. */
  metricKeys: readonly string[];
  /** Config keys to fetch (the SHA keys are always added). */
  configKeys: readonly string[];
  /** Runs per page. */
  pageSize: number;
  /** W&B order string; `+created_at` keeps offset cursors stable while runs are added. */
  order?: string;
  /** Debug log. */
  log?: (line: string) => void;
}

/** The fetched runs. */
export interface FetchedRuns {
  candidates: WandbRun[];
  /** Baselines, never containing a candidate. */
  baselines: WandbRun[];
  /** True when the server rejected `keys:` projections and full fields were fetched. */
  fullFields: boolean;
}

/** One connection's paging state. */
interface Cursor {
  after: string | null;
  done: boolean;
  runs: Map<string, WandbRun>;
}

// A server that rejects projections says so in its validation message.
const KEYS_REJECTED = /argument "keys"|"keys" argument|Unknown argument.*keys/i;

/**
 * Fetches every candidate and baseline run.
 *
 * @throws {NotFoundError} when the project is unknown or not visible to the key
 * @throws {import("../errors.ts").ApiError} on any other API failure
 *
 * @example
 * ```ts ignore
 * import { fetchRuns } from "./fetch.ts";
 * const runs = await fetchRuns(client, {
 *   entity: "acme", project: "vision",
 *   candidates: { "config.github_sha": "abc1234" },
 *   baselines: { tags: { $in: ["baseline"] } },
 *   metricKeys: ["accuracy"], configKeys: [], pageSize: 100,
 * });
 * console.log(runs.candidates.length, runs.baselines.length);
 * ```
 */
export async function fetchRuns(
  client: WandbClient,
  request: FetchRunsRequest,
): Promise<FetchedRuns> {
  const log = request.log ?? (() => {});
  const configKeys = [...new Set([...request.configKeys, SHA_KEY, SECONDARY_SHA_KEY])];
  const candidates: Cursor = { after: null, done: false, runs: new Map() };
  const baselines: Cursor = { after: null, done: request.baselines === null, runs: new Map() };
  let projectKeys = true;
  let document = reportQuery({ projectKeys });

  while (!candidates.done || !baselines.done) {
    const variables: Record<string, unknown> = {
      entity: request.entity,
      project: request.project,
      order: request.order ?? "+created_at",
      perPage: request.pageSize,
      withCandidates: !candidates.done,
      candidateFilters: JSON.stringify(request.candidates),
      candidateCursor: candidates.after,
      withBaselines: !baselines.done,
      baselineFilters: JSON.stringify(request.baselines ?? {}),
      baselineCursor: baselines.after,
      ...(projectKeys ? { metricKeys: [...request.metricKeys], configKeys } : {}),
    };
    let data;
    try {
      data = await client.query(document, variables, ReportDataSchema);
    } catch (error) {
      if (
        projectKeys && error instanceof QueryError &&
        error.messages.some((m) => KEYS_REJECTED.test(m))
      ) {
        log(`the server rejects keys: projections (${error.messages[0]}); fetching full fields`);
        projectKeys = false;
        document = reportQuery({ projectKeys });
        continue;
      }
      throw error;
    }
    if (data.project === null) {
      throw new NotFoundError(
        `W&B project ${request.entity}/${request.project} not found, or not visible to this API key`,
      );
    }
    advance(candidates, data.project.candidates, "candidates", log);
    advance(baselines, data.project.baselines, "baselines", log);
  }

  // The server filter already excludes candidates; this guards against a
  // server whose filter semantics differ from ours.
  const baselineRuns = [...baselines.runs.values()].filter((run) => !candidates.runs.has(run.name));
  return {
    candidates: [...candidates.runs.values()],
    baselines: baselineRuns,
    fullFields: !projectKeys,
  };
}

function advance(
  cursor: Cursor,
  page: RunPage | null | undefined,
  what: string,
  log: (line: string) => void,
): void {
  if (cursor.done) return;
  if (!page) {
    cursor.done = true;
    return;
  }
  let added = 0;
  for (const edge of page.edges) {
    // Offset cursors can hand the same run out twice when runs are added mid-way.
    if (!cursor.runs.has(edge.node.name)) {
      cursor.runs.set(edge.node.name, edge.node);
      added++;
    }
  }
  const last = page.edges.at(-1)?.cursor ?? null;
  log(`${what}: page of ${page.edges.length} (${added} new), ${cursor.runs.size} so far`);
  // Stop on the server's word, and also if paging would not move forward.
  cursor.done = !page.pageInfo.hasNextPage || page.edges.length === 0 || last === null ||
    last === cursor.after;
  cursor.after = last;
}
