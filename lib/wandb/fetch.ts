/**
 * Paging runs: candidates and baselines paged together, one
 * HTTP request per page pair, each connection following its last edge's
 * cursor until done, de-duplicated by run id. Pages stream out as they
 * arrive, and the next request is already in flight while the caller works
 * on the current page.
 *
 * @module
 */
import { NotFoundError, QueryError, ServerError } from "../ground/errors.ts";
import type { WandbClient } from "./client.ts";
import { type Filter, reportQuery } from "./queries.ts";
import { SECONDARY_SHA_KEY, SHA_KEY } from "../ground/model.ts";
import {
  decodeRunNode,
  ReportDataSchema,
  RunNodeSchema,
  type RunPage,
  type WandbRun,
} from "./runs.ts";

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
  /** Also fetch W&B's `group` field (`--group-by group`). */
  group?: boolean;
  /**
   * Candidates the server returned are kept only when this holds (for rules
   * the server cannot apply); baselines only when it does not.
   */
  isCandidate?: (run: WandbRun) => boolean;
  /** Debug log. */
  log?: (line: string) => void;
  /** Told after each page: runs so far, the server's total (when it said), pages. */
  onPage?: (progress: { runs: number; total?: number; pages: number }) => void;
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
  /** Run ids seen so far. */
  seen: Set<string>;
  /** Every cursor the server has handed out on this connection. */
  cursors: Set<string>;
  /** Pages received. */
  pages: number;
  /** Most pages this connection may take (from the server's run count); set by the first page. */
  maxPages: number;
}

/**
 * Pages a connection may take for `count` matching runs: twice what the
 * count needs (runs may be added while paging) plus 10. Without a count, what
 * W&B's largest advised project (100,000 runs) would need twice over.
 */
function pageBound(count: number | null | undefined, pageSize: number): number {
  const runs = typeof count === "number" && count >= 0 ? count : 200_000;
  return 2 * Math.ceil(runs / pageSize) + 10;
}

// A server that rejects projections says so in its validation message.
const KEYS_REJECTED = /argument "keys"|"keys" argument|Unknown argument.*keys/i;

/** A fresh connection's paging state. */
function newCursor(name: Cursor["name"], done: boolean): Cursor {
  return {
    name,
    after: null,
    done,
    seen: new Set(),
    cursors: new Set(),
    pages: 0,
    maxPages: Infinity,
  };
}

/**
 * The two connections' paging: the query document (with `keys:`
 * projections until the server rejects them), the next request, and the
 * bounds and totals the first page tells.
 */
class Paging {
  readonly candidates: Cursor;
  readonly baselines: Cursor;
  firstPage = true;
  projectKeys = true;
  pages = 0;
  total: number | undefined;
  #document: string;
  readonly #configKeys: string[];

  constructor(readonly client: WandbClient, readonly request: FetchRunsRequest) {
    this.candidates = newCursor("candidates", false);
    this.baselines = newCursor("baselines", request.baselines === null);
    this.#configKeys = [...new Set([...request.configKeys, SHA_KEY, SECONDARY_SHA_KEY])];
    this.#document = this.#query();
  }

  #query(): string {
    const { commit = false, group = false } = this.request;
    return reportQuery({ projectKeys: this.projectKeys, commit, group });
  }

  /** Sends the next page's request (both connections' pages, as far as each has any). */
  send() {
    const { request, candidates, baselines, firstPage } = this;
    const pending = this.client.query(this.#document, {
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
      withCounts: firstPage,
      countBaselines: firstPage && !baselines.done,
      ...(this.projectKeys
        ? { metricKeys: [...request.metricKeys], configKeys: this.#configKeys }
        : {}),
    }, ReportDataSchema);
    // Awaited by the caller; this only keeps a failure that lands while the
    // caller is busy from counting as unhandled.
    pending.catch(() => {});
    return pending;
  }

  /** True when the error is the server rejecting `keys:` projections: full fields from now on. */
  rejectsKeys(error: unknown, log: (line: string) => void): boolean {
    if (
      !this.projectKeys || !(error instanceof QueryError) ||
      !error.messages.some((m) => KEYS_REJECTED.test(m))
    ) return false;
    log(`the server rejects keys: projections (${error.messages[0]}); fetching full fields`);
    this.projectKeys = false;
    this.#document = this.#query();
    return true;
  }

  /** The first page's counts: each connection's page bound, and the total for progress. */
  takeCounts(project: { candidateCount?: number | null; baselineCount?: number | null }) {
    if (!this.firstPage) return;
    const size = this.request.pageSize;
    this.candidates.maxPages = pageBound(project.candidateCount, size);
    this.baselines.maxPages = pageBound(project.baselineCount, size);
    const counts = [project.candidateCount, project.baselineCount];
    if (counts.some((n) => typeof n === "number")) {
      this.total = counts.reduce<number>((sum, n) => sum + (typeof n === "number" ? n : 0), 0);
    }
    this.firstPage = false;
  }
}

/**
 * Streams every candidate and baseline run, one batch per response. The
 * request for the next page is sent before a batch is handed out, so
 * decoding and the caller's work overlap the server's.
 *
 * @throws {NotFoundError} when the project is unknown or not visible to the key
 * @throws {import("../ground/errors.ts").ApiError} on any other API failure
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
  const paging = new Paging(client, request);
  const { candidates, baselines } = paging;
  let pending: ReturnType<Paging["send"]> | undefined = paging.send();
  while (pending) {
    let data;
    try {
      data = await pending;
    } catch (error) {
      if (!paging.rejectsKeys(error, log)) throw error;
      pending = paging.send();
      continue;
    }
    if (data.project === null) {
      throw new NotFoundError(
        `W&B project ${request.entity}/${request.project} not found, or not visible to this API key`,
      );
    }
    paging.takeCounts(data.project);
    const candidatePage = advance(candidates, data.project.candidates, client.host);
    const baselinePage = advance(baselines, data.project.baselines, client.host);
    pending = candidates.done && baselines.done ? undefined : paging.send();
    // Deno's fetch puts a request on the wire only after a macrotask turn
    // (measured: a 50 ms synchronous task after fetch() delayed the server's
    // receipt by 51 ms; after a setTimeout(0), by 0.8 ms). Give it that turn
    // so the decoding below really overlaps the server's work.
    if (pending) await new Promise((resolve) => setTimeout(resolve, 0));
    const test = request.isCandidate;
    const newCandidates = decodeNew(candidates, candidatePage, client, log);
    const newBaselines = decodeNew(baselines, baselinePage, client, log);
    const runs = candidates.seen.size + baselines.seen.size;
    request.onPage?.({ runs, total: paging.total, pages: ++paging.pages });
    yield {
      candidates: test ? newCandidates.filter(test) : newCandidates,
      baselines: test ? newBaselines.filter((run) => !test(run)) : newBaselines,
      fullFields: !paging.projectKeys,
    };
  }
}

/**
 * Fetches every candidate and baseline run at once.
 *
 * @throws {NotFoundError} when the project is unknown or not visible to the key
 * @throws {import("../ground/errors.ts").ApiError} on any other API failure
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
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { withoutCandidates } from "./fetch.ts";
 * assertEquals(withoutCandidates([{ name: "a" }, { name: "b" }], [{ name: "a" }]), [{ name: "b" }]);
 * ```
 */
export function withoutCandidates<T extends { name: string }>(
  baselines: readonly T[],
  candidates: readonly { name: string }[],
): T[] {
  const names = new Set(candidates.map((run) => run.name));
  return baselines.filter((run) => !names.has(run.name));
}

/**
 * Moves a connection's cursor past `page`; returns the page's edges, if any.
 * A server that would page forever is stopped here: a cursor it handed out
 * before (any earlier one), a page with no run id not seen before, or more
 * pages than its own run count can explain is a {@link ServerError}.
 */
function advance(cursor: Cursor, page: RunPage | null | undefined, host: string): RunPage["edges"] {
  if (cursor.done) return [];
  if (!page) {
    cursor.done = true;
    return [];
  }
  cursor.pages++;
  const last = page.edges.at(-1)?.cursor ?? null;
  const more = page.pageInfo.hasNextPage && page.edges.length > 0 && last !== null;
  const stop = (what: string) =>
    new ServerError(
      `W&B at ${host} kept paging the ${cursor.name}: ${what} (page ${cursor.pages}, ` +
        `${cursor.seen.size} runs); stopped rather than loop`,
      200,
    );
  if (more) {
    if (cursor.cursors.has(last)) {
      throw stop(`it handed out cursor ${JSON.stringify(last.slice(0, 40))} again`);
    }
    const fresh = page.edges.some((edge) => {
      const name = (edge.node as { name?: unknown } | null)?.name;
      return typeof name !== "string" || !cursor.seen.has(name);
    });
    if (!fresh) throw stop("a page held only runs it had already sent");
    if (cursor.pages >= cursor.maxPages) {
      throw stop(`more pages than its run count allows (${cursor.maxPages})`);
    }
    cursor.cursors.add(last);
  }
  cursor.done = !more;
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
  for (let i = 0; i < edges.length; i++) {
    const node = edges[i]!.node;
    // The schema only for a node the quick decoder rejects: its error names the field.
    const run = decodeRunNode(node) ??
      client.decode(node, RunNodeSchema, `data.project.${cursor.name}.edges.${i}.node`);
    // Offset cursors can hand the same run out twice when runs are added mid-way.
    if (!cursor.seen.has(run.name)) {
      cursor.seen.add(run.name);
      fresh.push(run);
    }
  }
  if (edges.length) {
    log(
      `${cursor.name}: page of ${edges.length} (${fresh.length} new), ${cursor.seen.size} so far`,
    );
  }
  return fresh;
}
