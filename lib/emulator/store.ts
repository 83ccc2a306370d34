/**
 * The emulator's data: projects and runs from a fixture, the resolvers that
 * expose them through the schema, offset cursors like W&B's
 * (`base64("arrayconnection:<index>")`), and a cache of filter results so
 * that paging through a large project filters it once, not once per page.
 *
 * @module
 */
import { GraphQLError } from "graphql";
import { stringifyLenientJson } from "../ground/json.ts";
import type { Fixture, FixtureInput, FixtureRun } from "./fixtures.ts";
import { FixtureRunSchema } from "./fixtures.ts";
import { DOCUMENTED_FILTER_FIELDS, selectRuns, undocumentedField } from "./filter.ts";
import { endState, parseStream, parseUpsert, type Upsert, WriteError } from "./writes.ts";

/**
 * A filter on a field W&B does not filter on: the server answers HTTP 400
 * (not a GraphQL error in a 200), as W&B does.
 */
export class FilterFieldError extends GraphQLError {
  /** The HTTP status to answer with. */
  readonly status: number;
  /** Creates the error, answered with `status` (400 as W&B does, or 422). */
  constructor(message: string, status = 400) {
    super(message);
    this.status = status;
  }
}

/**
 * The filter with every condition on an undocumented field dropped (each
 * becomes `{}`, true for every run): what a server that ignores unknown
 * fields evaluates.
 */
function withoutFields(filter: unknown, extra: readonly string[]): unknown {
  if (Array.isArray(filter)) return filter.map((item) => withoutFields(item, extra));
  if (filter === null || typeof filter !== "object") return filter;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (!key.startsWith("$") && undocumentedField({ [key]: 0 }, extra) !== undefined) continue;
    out[key] = key.startsWith("$") ? withoutFields(value, extra) : value;
  }
  return out;
}

/** How long a written run may stay silent before it is crashed: W&B names no timeout. */
export const DEFAULT_CRASH_AFTER_SECONDS = 3600;

/** An ISO time to the second, without a zone (as W&B writes run times). */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** A run's fields changed: the fixture run and the document filtered on, together. */
function setRun(doc: RunDoc, fields: Partial<FixtureRun>): void {
  Object.assign(doc, toDoc({ ...doc.run, ...fields }));
}

/** The document a run is filtered and sorted as (its fields as W&B's filters name them). */
export interface RunDoc {
  /** The run id. */
  name: string;
  /** The display name. */
  displayName: string | null;
  /** The state. */
  state: string;
  /** The tags. */
  tags: string[];
  /** The group. */
  group: string | null;
  /** The job type. */
  jobType: string | null;
  /** W&B's commit field. */
  commit: string | null;
  /** Creation time (ISO 8601). */
  createdAt: string;
  /** Last heartbeat. */
  heartbeatAt: string | null;
  /** The description. */
  description: string | null;
  /** The host. */
  host: string | null;
  /** Who ran it. */
  username: string | null;
  /** The sweep. */
  sweepName: string | null;
  /** Config values, unwrapped. */
  config: Record<string, unknown>;
  /** Summary metrics. */
  summary_metrics: Record<string, unknown>;
  /** The fixture run behind the document. */
  run: FixtureRun;
}

interface ProjectData {
  id: number;
  entity: string;
  name: string;
  docs: RunDoc[];
}

const CACHE_LIMIT = 64;

/** Base64 of UTF-8 text (`btoa` alone fails on anything past Latin-1, e.g. a run name in CJK). */
function base64(text: string): string {
  return btoa(Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join(""));
}

/** Encodes an offset as W&B's cursors do. */
export function encodeCursor(index: number): string {
  return btoa(`arrayconnection:${index}`);
}

function decodeCursor(cursor: string): number {
  let text = "";
  try {
    text = atob(cursor);
  } catch { /* reported below */ }
  const match = /^arrayconnection:(\d+)$/.exec(text);
  if (!match) throw new GraphQLError(`invalid cursor ${JSON.stringify(cursor)}`);
  return Number(match[1]);
}

function parseFilters(filters: unknown): Record<string, unknown> {
  if (filters === null || filters === undefined || filters === "") return {};
  let value = filters;
  if (typeof filters === "string") {
    try {
      value = JSON.parse(filters);
    } catch {
      throw new GraphQLError(`filters is not valid JSON: ${filters.slice(0, 80)}`);
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new GraphQLError("filters must be a JSON object");
  }
  return value as Record<string, unknown>;
}

function pick(source: Record<string, unknown>, keys: readonly string[] | null | undefined) {
  if (!keys) return source;
  // Own keys only: "toString" is a key a run may have, not a lookup.
  return Object.fromEntries(
    keys.filter((k) => Object.hasOwn(source, k)).map((k) => [k, source[k]]),
  );
}

function toDoc(run: FixtureRun): RunDoc {
  return {
    name: run.name,
    displayName: run.displayName ?? null,
    state: run.state,
    tags: run.tags,
    group: run.group ?? null,
    jobType: run.jobType ?? null,
    commit: run.commit ?? null,
    createdAt: run.createdAt,
    heartbeatAt: run.heartbeatAt ?? null,
    description: run.description ?? null,
    host: run.host ?? null,
    username: run.user?.username ?? null,
    sweepName: run.sweepName ?? null,
    config: run.config,
    summary_metrics: run.summaryMetrics,
    run,
  };
}

/**
 * Projects and runs, and the GraphQL root value that serves them.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { EmulatorStore } from "./store.ts";
 * import { parseFixture } from "./fixtures.ts";
 * const store = new EmulatorStore(parseFixture({
 *   apiKeys: ["k"],
 *   projects: [{ entity: "acme", name: "vision", runs: [{ name: "r1" }] }],
 * }, "inline"));
 * assertEquals(store.select("acme", "vision", "{}", "+created_at").length, 1);
 * ```
 */
export class EmulatorStore {
  readonly #projects = new Map<string, ProjectData>();
  readonly #cache = new Map<string, RunDoc[]>();
  readonly #viewer: Fixture["viewer"];
  readonly #maxPageSize: number;
  readonly #filterFields: readonly string[];
  readonly #unknownFilter: Fixture["unknownFilter"];

  /** The emulator's clock (epoch ms): a running run's heartbeat is "now" while it lives. */
  readonly #now: () => number;
  /** When each run's heartbeat stopped (its `heartbeatStops` rule came due). */
  readonly #stopped = new Map<string, number>();
  /** Runs a client writes (upsertBucket, file_stream): their history rows by line. */
  readonly #history = new Map<RunDoc, Map<number, Record<string, unknown>>>();
  /** A written run still `running` this long after its last heartbeat is crashed (0: never). */
  readonly #crashAfterMs: number;

  /**
   * Loads a fixture's projects and runs.
   *
   * @param fixture the data to serve
   * @param maxPageSize the most runs one page returns, whatever `first` asks
   * @param now the clock heartbeats follow (epoch ms)
   */
  constructor(
    fixture: Fixture,
    maxPageSize = 1000,
    now: () => number = Date.now,
    crashAfterSeconds = DEFAULT_CRASH_AFTER_SECONDS,
  ) {
    this.#now = now;
    this.#crashAfterMs = crashAfterSeconds * 1000;
    this.#viewer = fixture.viewer;
    this.#maxPageSize = maxPageSize;
    this.#filterFields = fixture.filterFields;
    this.#unknownFilter = fixture.unknownFilter;
    fixture.projects.forEach((p, i) => {
      this.#projects.set(`${p.entity}/${p.name}`, {
        id: i + 1,
        entity: p.entity,
        name: p.name,
        docs: p.runs.map(toDoc),
      });
    });
  }

  /**
   * Adds a run to a project (creating the project if needed), as a training
   * job would while a client is paging.
   */
  addRun(entity: string, project: string, run: unknown): void {
    this.#projectFor(entity, project).docs.push(toDoc(FixtureRunSchema.parse(run)));
    this.#cache.clear();
  }

  /**
   * Tells the store a request arrived: runs whose `becomes` rule is due change
   * state now (and the filter cache, which saw the old states, is dropped).
   */
  tick(requests: number): void {
    let changed = this.#crashSilent();
    for (const data of this.#projects.values()) {
      for (const doc of data.docs) {
        const stops = doc.run.heartbeatStops;
        if (stops && requests >= stops.afterRequests && !this.#stopped.has(doc.name)) {
          this.#stopped.set(doc.name, this.#now());
        }
        const rule = doc.run.becomes;
        if (!rule || requests < rule.afterRequests || doc.state === rule.state) continue;
        doc.state = rule.state;
        doc.run = {
          ...doc.run,
          state: rule.state,
          summaryMetrics: { ...doc.run.summaryMetrics, ...rule.summaryMetrics },
        };
        doc.summary_metrics = doc.run.summaryMetrics;
        changed = true;
      }
    }
    if (changed) this.#cache.clear();
  }

  /**
   * Written runs still `running` whose heartbeat is older than the crash
   * timeout become `crashed`, on the emulator's clock, as W&B marks a run
   * whose process went silent. Fixture runs keep their scripted states.
   */
  #crashSilent(): boolean {
    if (this.#crashAfterMs <= 0) return false;
    let changed = false;
    for (const doc of this.#history.keys()) {
      const beat = Date.parse(`${doc.run.heartbeatAt}Z`);
      if (doc.state !== "running" || !(this.#now() - beat > this.#crashAfterMs)) continue;
      setRun(doc, { state: "crashed" });
      changed = true;
    }
    if (changed) this.#cache.clear();
    return changed;
  }

  /**
   * Creates or updates a run as `upsertBucket` does: missing entity, the
   * viewer's; project created if missing; on insert `createdAt` and the
   * heartbeat now and the state `running`; only the fields given change.
   */
  #upsert(write: Upsert): { data: ProjectData; doc: RunDoc; inserted: boolean } {
    const entity = write.entity || this.#viewer.entity;
    const data = this.#projectFor(entity, write.project);
    const now = isoSeconds(this.#now());
    let doc = data.docs.find((d) => d.name === write.name);
    const inserted = doc === undefined;
    if (!doc) {
      doc = toDoc(FixtureRunSchema.parse({ name: write.name, state: "running", createdAt: now }));
      data.docs.push(doc);
      this.#history.set(doc, new Map());
    }
    setRun(doc, { ...write.fields, heartbeatAt: now });
    this.#cache.clear();
    return { data, doc, inserted };
  }

  /**
   * A `file_stream` post to a written run: the heartbeat now, history rows
   * by line (a resend is harmless), the summary replaced, and the end state
   * by its exit code.
   *
   * @throws {WriteError} 400 for a malformed body (naming the field), 404 for a run nobody created
   */
  stream(entity: string, project: string, name: string, body: unknown): void {
    // Parsed first: a malformed post changes nothing.
    const stream = parseStream(body);
    const doc = this.#projects.get(`${entity}/${project}`)?.docs.find((d) => d.name === name);
    if (!doc) throw new WriteError(`file_stream: no run ${entity}/${project}/${name}`, 404);
    const rows = this.#history.get(doc) ?? new Map();
    this.#history.set(doc, rows);
    for (const [line, row] of stream.history) rows.set(line, row);
    setRun(doc, {
      heartbeatAt: isoSeconds(this.#now()),
      ...(stream.summary ? { summaryMetrics: stream.summary } : {}),
      ...(stream.exitcode !== undefined ? { state: endState(stream.exitcode) } : {}),
    });
    this.#cache.clear();
  }

  /** Every project and run as a fixture (`--save`): what was logged, served again as it is. */
  toFixture(keys: readonly string[]): FixtureInput {
    return {
      apiKeys: [...keys],
      viewer: this.#viewer,
      projects: [...this.#projects.values()].map((p) => ({
        entity: p.entity,
        name: p.name,
        runs: p.docs.map((d) => d.run),
      })),
    };
  }

  #projectFor(entity: string, name: string): ProjectData {
    const key = `${entity}/${name}`;
    const data = this.#projects.get(key) ??
      { id: this.#projects.size + 1, entity, name, docs: [] };
    this.#projects.set(key, data);
    return data;
  }

  /** The runs of a project that match `filters`, in `order` (cached). */
  select(entity: string, project: string, filters: unknown, order: unknown): RunDoc[] {
    const data = this.#projects.get(`${entity}/${project}`);
    if (!data) return [];
    let filterObject = parseFilters(filters);
    const field = undocumentedField(filterObject, this.#filterFields);
    if (field !== undefined) {
      const message = `invalid filter field ${JSON.stringify(field)}: runs can be filtered on ${
        [...DOCUMENTED_FILTER_FIELDS, ...this.#filterFields].join(", ")
      }, config.* and summary_metrics.*`;
      const how = this.#unknownFilter;
      if (how === "400" || how === "422" || how === "500") {
        throw new FilterFieldError(message, Number(how));
      }
      if (how === "graphql-error") throw new GraphQLError(message);
      filterObject = withoutFields(filterObject, this.#filterFields) as typeof filterObject;
    }
    const orderText = typeof order === "string" ? order : "";
    const key = `${data.id}\u0000${JSON.stringify(filterObject)}\u0000${orderText}`;
    let hit = this.#cache.get(key);
    if (!hit) {
      try {
        hit = selectRuns(data.docs, filterObject, orderText);
      } catch (error) {
        throw new GraphQLError(`invalid filters: ${(error as Error).message}`);
      }
      if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
      this.#cache.set(key, hit);
    }
    return hit;
  }

  /** The GraphQL root value: `viewer` and `project`. */
  rootValue(): Record<string, unknown> {
    return {
      viewer: () => this.#user(),
      project: ({ name, entityName }: { name: string; entityName?: string }) => {
        const entity = entityName ?? this.#viewer.entity;
        const data = this.#projects.get(`${entity}/${name}`);
        return data ? this.#project(data) : null;
      },
      upsertBucket: ({ input }: { input: unknown }) => {
        const { data, doc, inserted } = this.#upsert(parseUpsert(input));
        return { bucket: this.#run(data, doc), inserted };
      },
    };
  }

  #user() {
    const { username, entity, email } = this.#viewer;
    return {
      id: base64(`User:${username}`),
      name: username,
      username,
      email: email ?? null,
      entity,
      flags: "{}",
      teams: { edges: [{ node: { id: base64(`Entity:${entity}`), name: entity } }] },
    };
  }

  #project(data: ProjectData) {
    type RunsArgs = { filters?: unknown; after?: string | null; first?: number; order?: string };
    return {
      id: base64(`Project:${data.id}`),
      internalId: base64(`Project:${data.id}`),
      name: data.name,
      entityName: data.entity,
      entity: { id: base64(`Entity:${data.entity}`), name: data.entity },
      readOnly: false,
      runCount: ({ filters }: { filters?: unknown }) =>
        this.select(data.entity, data.name, filters, "+created_at").length,
      runs: ({ filters, after, first, order }: RunsArgs) => {
        const all = this.select(data.entity, data.name, filters, order);
        const start = after ? decodeCursor(after) + 1 : 0;
        const size = Math.max(0, Math.min(first ?? 50, this.#maxPageSize));
        const page = all.slice(start, start + size);
        const edges = page.map((doc, i) => ({
          node: this.#run(data, doc),
          cursor: encodeCursor(start + i),
        }));
        return {
          edges,
          totalCount: all.length,
          pageInfo: {
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
            hasNextPage: start + size < all.length,
            hasPreviousPage: start > 0,
          },
        };
      },
      run: ({ name }: { name: string }) => {
        const doc = data.docs.find((d) => d.name === name);
        return doc ? this.#run(data, doc) : null;
      },
    };
  }

  /**
   * A run's last heartbeat: the fixture's when it gives one; a running run's
   * is the clock's "now" until its heartbeat stops, then the time it stopped
   * (which ages as the clock moves on); any other run's, its creation. A
   * fixture's explicit `null` is served as W&B would: no heartbeat.
   */
  #heartbeat(doc: RunDoc): string | null {
    if (doc.run.heartbeatAt !== undefined) return doc.run.heartbeatAt;
    if (doc.state !== "running" && doc.state !== "preempting") return doc.run.createdAt;
    const at = this.#stopped.get(doc.name) ?? this.#now();
    return new Date(at).toISOString().slice(0, 19);
  }

  #run(data: ProjectData, doc: RunDoc) {
    const { run } = doc;
    type Keys = { keys?: string[] | null };
    return {
      id: base64(`Run:v1:${run.name}:${data.name}:${data.entity}`),
      projectId: String(data.id),
      name: run.name,
      displayName: run.displayName ?? null,
      sweepName: run.sweepName ?? null,
      state: run.state,
      group: run.group ?? null,
      jobType: run.jobType ?? null,
      commit: run.commit ?? null,
      readOnly: false,
      createdAt: run.createdAt,
      heartbeatAt: this.#heartbeat(doc),
      updatedAt: this.#heartbeat(doc) ?? run.createdAt,
      description: run.description ?? null,
      notes: run.notes ?? null,
      host: run.host ?? null,
      historyLineCount: this.#history.get(doc)?.size ?? 0,
      computeSeconds: 0,
      tags: run.tags,
      user: run.user ?? null,
      // W&B stores config entries wrapped; keys: projections keep the wrappers.
      config: ({ keys }: Keys = {}) =>
        stringifyLenientJson(
          Object.fromEntries(
            Object.entries(pick(run.config, keys)).map(([k, v]) => [k, { value: v, desc: null }]),
          ),
        ),
      summaryMetrics: ({ keys }: Keys = {}) => stringifyLenientJson(pick(run.summaryMetrics, keys)),
      systemMetrics: () => stringifyLenientJson(run.systemMetrics),
      historyKeys: () => JSON.stringify({ lastStep: 0, keys: {} }),
      project: () => this.#project(data),
    };
  }
}
