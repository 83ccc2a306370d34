/**
 * Fetching the report's runs: candidates and baselines paged together, one
 * HTTP request per page pair, each connection following its last edge's
 * cursor until done, de-duplicated by run id. Pages stream out as they
 * arrive, and the next request is already in flight while the caller works
 * on the current page.
 *
 * @module
 */
import { NotFoundError, QueryError } from "../errors.ts";
import type { WandbClient } from "./client.ts";
import { type Filter, reportQuery, SECONDARY_SHA_KEY, SHA_KEY } from "./queries.ts";
import { ReportDataSchema, RunNodeSchema, type RunPage, type WandbRun } from "./runs.ts";

/** What to fetch. */
export interface FetchRunsRequest {
  /** The project's entity. */
  entity: string;
  /** The project's name. */
  project: string;
  /** The filter selecting candidates. */
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
  /** Also fetch W&B's `commit` field (for matching it on our side). */
  commit?: boolean;
  /**
   * Candidates the server returned are kept only when this holds (for rules
   * the server cannot apply); baselines only when it does not.
   */
  isCandidate?: (run: WandbRun) => boolean;
  /** Debug log. */
  log?: (line: string) => void;
}

/** One page's worth of new runs (never a run seen on an earlier page). */
export interface RunBatch {
  /** Candidates first seen in this response. */
  candidates: WandbRun[];
  /** May still hold a candidate the server did not exclude; see {@link withoutCandidates}. */
  baselines: WandbRun[];
  /** True once the server rejected `keys:` projections and full fields are fetched. */
  fullFields: boolean;
}

/** The fetched runs. */
export interface FetchedRuns {
  /** Every candidate. */
  candidates: WandbRun[];
  /** Baselines, never containing a candidate. */
  baselines: WandbRun[];
  /** True when the server rejected `keys:` projections and full fields were fetched. */
  fullFields: boolean;
}

/** One connection's paging state. */
interface Cursor {
  name: "candidates" | "baselines";
  after: string | null;
  done: boolean;
  seen: Set<string>;
}

// A server that rejects projections says so in its validation message.
const KEYS_REJECTED = /argument "keys"|"keys" argument|Unknown argument.*keys/i;

/**
 * Streams every candidate and baseline run, one batch per response. The
 * request for the next page is sent before a batch is handed out, so
 * decoding and the caller's work overlap the server's.
 *
 * @throws {NotFoundError} when the project is unknown or not visible to the key
 * @throws {import("../errors.ts").ApiError} on any other API failure
 *
 * @example
 * ```ts ignore
 * import { fetchRunPages } from "./fetch.ts";
 * for await (const batch of fetchRunPages(client, request)) {
 *   console.log(batch.candidates.length, batch.baselines.length);
 * }
 * ```
 */
export async function* fetchRunPages(
  client: WandbClient,
  request: FetchRunsRequest,
): AsyncGenerator<RunBatch, void, undefined> {
  const log = request.log ?? (() => {});
  const configKeys = [...new Set([...request.configKeys, SHA_KEY, SECONDARY_SHA_KEY])];
  const candidates: Cursor = { name: "candidates", after: null, done: false, seen: new Set() };
  const baselines: Cursor = {
    name: "baselines",
    after: null,
    done: request.baselines === null,
    seen: new Set(),
  };
  let projectKeys = true;
  const commit = request.commit ?? false;
  let document = reportQuery({ projectKeys, commit });
  const send = () => {
    const pending = client.query(document, {
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
    }, ReportDataSchema);
    // Awaited below; this only keeps a failure that lands while the caller is
    // busy from counting as unhandled.
    pending.catch(() => {});
    return pending;
  };

  let pending: ReturnType<typeof send> | undefined = send();
  while (pending) {
    let data;
    try {
      data = await pending;
    } catch (error) {
      if (
        projectKeys && error instanceof QueryError &&
        error.messages.some((m) => KEYS_REJECTED.test(m))
      ) {
        log(`the server rejects keys: projections (${error.messages[0]}); fetching full fields`);
        projectKeys = false;
        document = reportQuery({ projectKeys, commit });
        pending = send();
        continue;
      }
      throw error;
    }
    if (data.project === null) {
      throw new NotFoundError(
        `W&B project ${request.entity}/${request.project} not found, or not visible to this API key`,
      );
    }
    const candidatePage = advance(candidates, data.project.candidates);
    const baselinePage = advance(baselines, data.project.baselines);
    pending = candidates.done && baselines.done ? undefined : send();
    // Deno's fetch puts a request on the wire only after a macrotask turn
    // (measured: a 50 ms synchronous task after fetch() delayed the server's
    // receipt by 51 ms; after a setTimeout(0), by 0.8 ms). Give it that turn
    // so the decoding below really overlaps the server's work.
    if (pending) await new Promise((resolve) => setTimeout(resolve, 0));
    const test = request.isCandidate;
    const newCandidates = decodeNew(candidates, candidatePage, client, log);
    const newBaselines = decodeNew(baselines, baselinePage, client, log);
    yield {
      candidates: test ? newCandidates.filter(test) : newCandidates,
      baselines: test ? newBaselines.filter((run) => !test(run)) : newBaselines,
      fullFields: !projectKeys,
    };
  }
}

/**
 * Fetches every candidate and baseline run at once.
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
  const candidates: WandbRun[] = [];
  const baselines: WandbRun[] = [];
  let fullFields = false;
  for await (const batch of fetchRunPages(client, request)) {
    candidates.push(...batch.candidates);
    baselines.push(...batch.baselines);
    fullFields ||= batch.fullFields;
  }
  return { candidates, baselines: withoutCandidates(baselines, candidates), fullFields };
}

/**
 * Drops baselines that are also candidates. The server filter already
 * excludes them; this guards against a server whose filter semantics differ.
 *
 * @example
 * ```ts
 * import { withoutCandidates } from "./fetch.ts";
 * withoutCandidates([{ name: "a" }, { name: "b" }], [{ name: "a" }]); // [{ name: "b" }]
 * ```
 */
export function withoutCandidates<T extends { name: string }>(
  baselines: readonly T[],
  candidates: readonly { name: string }[],
): T[] {
  const names = new Set(candidates.map((run) => run.name));
  return baselines.filter((run) => !names.has(run.name));
}

/** Moves a connection's cursor past `page`; returns the page's edges, if any. */
function advance(cursor: Cursor, page: RunPage | null | undefined): RunPage["edges"] {
  if (cursor.done) return [];
  if (!page) {
    cursor.done = true;
    return [];
  }
  const last = page.edges.at(-1)?.cursor ?? null;
  // Stop on the server's word, and also if paging would not move forward.
  cursor.done = !page.pageInfo.hasNextPage || page.edges.length === 0 || last === null ||
    last === cursor.after;
  cursor.after = last;
  return page.edges;
}

/** Decodes a page's runs, keeping only those not seen before on this connection. */
function decodeNew(
  cursor: Cursor,
  edges: RunPage["edges"],
  client: WandbClient,
  log: (line: string) => void,
): WandbRun[] {
  const fresh: WandbRun[] = [];
  edges.forEach((edge, i) => {
    const run = client.decode(
      edge.node,
      RunNodeSchema,
      `data.project.${cursor.name}.edges.${i}.node`,
    );
    // Offset cursors can hand the same run out twice when runs are added mid-way.
    if (!cursor.seen.has(run.name)) {
      cursor.seen.add(run.name);
      fresh.push(run);
    }
  });
  if (edges.length) {
    log(
      `${cursor.name}: page of ${edges.length} (${fresh.length} new), ${cursor.seen.size} so far`,
    );
  }
  return fresh;
}
