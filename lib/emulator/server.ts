/**
 * The W&B emulator's HTTP server, a route table: `POST /graphql` with Basic
 * auth, executed by graphql-js against {@link EmulatorStore} (reads, and the
 * `upsertBucket` a training job creates runs with); `POST
 * /files/{entity}/{project}/{run}/file_stream`, where the SDKs stream
 * history, summary and the exit code; scripted faults (status codes with
 * headers, delays, dropped connections) on both; and the fixture's commit
 * history at `POST /github/graphql`, in GitHub's shape.
 *
 * It answers the way W&B does: 401 for a bad key, 400 with `errors` for a
 * query the schema rejects or a malformed write (naming the field), 404 for
 * a stream to a run nobody created, `project: null` for an unknown project.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { execute, type GraphQLSchema, parse, validate } from "graphql";
import {
  type Fault,
  type FaultInput,
  FaultSchema,
  type Fixture,
  type FixtureInput,
  parseFixture,
} from "./fixtures.ts";
import { answerGithub } from "./github.ts";
import { wandbSchema } from "./schema.ts";
import { DEFAULT_CRASH_AFTER_SECONDS, EmulatorStore } from "./store.ts";
import { WriteError } from "./writes.ts";

export { DEFAULT_CRASH_AFTER_SECONDS } from "./store.ts";

/** How to start an emulator. */
export interface EmulatorOptions {
  /** The data to serve (a validated fixture or its input form). */
  fixture: Fixture | FixtureInput;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  hostname?: string;
  /** Offer `keys:` projections (default true); false mimics older servers. */
  keysArgument?: boolean;
  /** The most runs one page returns. Default 1000. */
  maxPageSize?: number;
  /** Called before each GraphQL request is handled (tests use it to add runs mid-paging). */
  onRequest?: (count: number) => void;
  /** The clock (epoch ms) running runs' heartbeats follow. Default `Date.now`. */
  now?: () => number;
  /**
   * A run a client writes that stays `running` this long after its last
   * heartbeat is served (and filtered) as `crashed`; 0 never. Default
   * {@link DEFAULT_CRASH_AFTER_SECONDS} (an hour: W&B names no timeout).
   */
  crashAfterSeconds?: number;
}

/** What the emulator has served. */
export interface EmulatorStats {
  /** Requests to `/graphql`, faults included. */
  requests: number;
  /** Requests per operation name. */
  operations: Record<string, number>;
  /** Response body bytes sent. */
  bytesSent: number;
  /** Faults applied. */
  faultsApplied: number;
  /** Requests to `/github/graphql` (the fixture's commit history). */
  githubRequests: number;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL to use as `WANDB_BASE_URL`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** What it has served so far. */
  stats: EmulatorStats;
  /** Its data; `store.addRun` adds a run, as a training job would. */
  store: EmulatorStore;
  /** Queues faults, applied in order to the next matching requests. */
  injectFaults(faults: FaultInput[]): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;

function send(
  res: ServerResponse,
  stats: EmulatorStats,
  status: number,
  body: string,
  headers: Record<string, string> = {},
) {
  const bytes = new TextEncoder().encode(body);
  stats.bytesSent += bytes.byteLength;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(bytes);
}

const errorsBody = (...messages: string[]) =>
  JSON.stringify({ errors: messages.map((message) => ({ message })), data: null });

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on("data", (chunk: Uint8Array) => {
      size += chunk.byteLength;
      if (size > MAX_BODY) resolve(undefined);
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(new TextDecoder().decode(concat(chunks))));
    req.on("error", reject);
  });
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function keyFrom(header: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match) return undefined;
  try {
    const decoded = atob(match[1]!);
    const colon = decoded.indexOf(":");
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  } catch {
    return undefined;
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse, match: RegExpExecArray) => Promise<void>;

/** The emulator's state and its route table: W&B's GraphQL, file_stream, GitHub, health. */
class Routes {
  readonly stats: EmulatorStats = {
    requests: 0,
    operations: {},
    bytesSent: 0,
    faultsApplied: 0,
    githubRequests: 0,
  };
  readonly faults: Fault[];
  readonly #keys: Set<string>;
  readonly #schema: GraphQLSchema;
  readonly table: [string, RegExp, Handler][] = [
    ["GET", /^\/(healthz)?$/, (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("W&B emulator (wandb-report): POST /graphql, POST /files/…/file_stream\n");
      return Promise.resolve();
    }],
    ["POST", /^\/github\/graphql$/, (req, res) => this.#github(req, res)],
    ["POST", /^\/graphql\/?$/, (req, res) => this.#graphql(req, res)],
    [
      "POST",
      /^\/files\/([^/]+)\/([^/]+)\/([^/]+)\/file_stream$/,
      (req, res, match) => this.#fileStream(req, res, match),
    ],
  ];

  constructor(
    readonly fixture: Fixture,
    readonly store: EmulatorStore,
    readonly options: EmulatorOptions,
  ) {
    this.faults = [...fixture.faults];
    this.#keys = new Set(fixture.apiKeys);
    this.#schema = wandbSchema({ keysArgument: options.keysArgument ?? true });
  }

  /** Answers one request by the table: 405 for a known path's other method, else 404. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0]!;
    const found = this.table.map(([method, pattern, handler]) =>
      [method, pattern.exec(path), handler] as const
    ).filter(([, match]) => match);
    const route = found.find(([method]) => method === req.method);
    if (route) return await route[2](req, res, route[1]!);
    if (found.length) return this.#send(res, 405, errorsBody(`use ${found[0]![0]}`));
    this.#send(res, 404, errorsBody(`no route ${req.method} ${path}`));
  }

  #send(res: ServerResponse, status: number, body: string, headers?: Record<string, string>) {
    send(res, this.stats, status, body, headers);
  }

  #takeFault(operation: string | undefined): Fault | undefined {
    const faults = this.faults;
    const index = faults.findIndex((f) => f.operation === undefined || f.operation === operation);
    if (index < 0) return undefined;
    const fault = faults[index]!;
    // Not yet: this request passes (and no later fault jumps ahead of this one).
    if (fault.after > 0) {
      fault.after--;
      return undefined;
    }
    if (--fault.times <= 0) faults.splice(index, 1);
    this.stats.faultsApplied++;
    return fault;
  }

  /** A fault for this operation, applied: true when it answered (or dropped) the request. */
  async #faulted(req: IncomingMessage, res: ServerResponse, operation?: string) {
    const fault = this.#takeFault(operation);
    if (!fault) return false;
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault.drop) {
      req.socket.destroy();
      return true;
    }
    if (fault.status === undefined) return false;
    const message = fault.status === 429 ? "Rate limit exceeded" : `injected HTTP ${fault.status}`;
    this.#send(res, fault.status, fault.body ?? errorsBody(message), fault.headers);
    return true;
  }

  #authorized(req: IncomingMessage, res: ServerResponse) {
    const key = keyFrom(req.headers.authorization);
    if (key !== undefined && this.#keys.has(key)) return true;
    this.#send(res, 401, errorsBody("user is not logged in"));
    return false;
  }

  /** A request's JSON body, or `undefined` once an error was answered. */
  async #jsonBody(req: IncomingMessage, res: ServerResponse) {
    const text = await readBody(req);
    if (text === undefined) return void this.#send(res, 413, errorsBody("request body too large"));
    try {
      return { value: JSON.parse(text) as unknown };
    } catch {
      return void this.#send(res, 400, errorsBody("request body is not JSON"));
    }
  }

  async #graphql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests++;
    this.store.tick(this.stats.requests);
    this.options.onRequest?.(this.stats.requests);
    const parsed = await this.#jsonBody(req, res);
    if (!parsed) return;
    const body = parsed.value as { query?: unknown; variables?: unknown; operationName?: unknown };
    if (typeof body?.query !== "string") {
      return this.#send(res, 400, errorsBody("request has no query string"));
    }
    let document;
    try {
      document = parse(body.query);
    } catch (error) {
      return this.#send(res, 400, errorsBody((error as Error).message));
    }
    // genqlient sends operationName "", so the document decides.
    const operationName = (typeof body.operationName === "string" && body.operationName) ||
      document.definitions.find((d) => d.kind === "OperationDefinition")?.name?.value;
    const counted = operationName ?? "(anonymous)";
    this.stats.operations[counted] = (this.stats.operations[counted] ?? 0) + 1;
    if (await this.#faulted(req, res, operationName)) return;
    if (!this.#authorized(req, res)) return;
    // What it does not serve (another mutation, a subscription) is refused with 400.
    const invalid = validate(this.#schema, document);
    if (invalid.length) {
      return this.#send(res, 400, JSON.stringify({ errors: invalid.map((e) => e.toJSON()) }));
    }
    const result = await execute({
      schema: this.#schema,
      document,
      rootValue: this.store.rootValue(),
      variableValues: body.variables && typeof body.variables === "object"
        ? body.variables as Record<string, unknown>
        : undefined,
      operationName: operationName ?? undefined,
    });
    if (result.errors?.length && !result.data) return this.#send(res, 400, JSON.stringify(result));
    // A refused filter (W&B answers 400) or write (400, naming the field) sets the status.
    const refused = result.errors?.map((e) => e.originalError ?? e).find((e) =>
      typeof (e as { status?: unknown }).status === "number"
    ) as { status: number } | undefined;
    this.#send(res, refused?.status ?? 200, JSON.stringify(result));
  }

  async #fileStream(req: IncomingMessage, res: ServerResponse, match: RegExpExecArray) {
    const stats = this.stats;
    stats.operations.file_stream = (stats.operations.file_stream ?? 0) + 1;
    this.store.tick(stats.requests);
    if (await this.#faulted(req, res, "file_stream")) return;
    if (!this.#authorized(req, res)) return;
    const parsed = await this.#jsonBody(req, res);
    if (!parsed) return;
    const [entity, project, run] = [match[1]!, match[2]!, match[3]!].map(decodeURIComponent);
    try {
      this.store.stream(entity!, project!, run!, parsed.value);
    } catch (error) {
      if (!(error instanceof WriteError)) throw error;
      return this.#send(res, error.status, errorsBody(error.message));
    }
    this.#send(res, 200, JSON.stringify({ exitcode: null, limits: {} }));
  }

  async #github(req: IncomingMessage, res: ServerResponse) {
    const text = await readBody(req);
    if (text === undefined) return this.#send(res, 413, errorsBody("request body too large"));
    this.stats.githubRequests++;
    const [status, body] = await answerGithub(this.fixture.commits, text);
    this.#send(res, status, body);
  }
}

/**
 * Starts an emulator on loopback.
 *
 * @example
 * ```ts ignore
 * import { startEmulator } from "./server.ts";
 * const emulator = await startEmulator({
 *   fixture: { apiKeys: ["local-key"], projects: [{ entity: "acme", name: "vision", runs: [] }] },
 * });
 * console.log(emulator.url); // http://127.0.0.1:<port>
 * await emulator.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const fixture = parseFixture(options.fixture, "fixture");
  const store = new EmulatorStore(
    fixture,
    options.maxPageSize,
    options.now,
    options.crashAfterSeconds ?? DEFAULT_CRASH_AFTER_SECONDS,
  );
  const routes = new Routes(fixture, store, options);
  const server = createServer((req, res) => {
    routes.handle(req, res).catch((error) => {
      if (!res.headersSent) {
        send(res, routes.stats, 500, errorsBody(`emulator: ${error?.message}`));
      }
    });
  });
  const hostname = options.hostname ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, hostname, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${hostname}:${port}`,
    port,
    stats: routes.stats,
    store,
    injectFaults(more) {
      routes.faults.push(...more.map((f) => FaultSchema.parse(f)));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
