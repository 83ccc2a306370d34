/**
 * The W&B emulator's HTTP server: `POST /graphql` with Basic auth, executed
 * by graphql-js against {@link EmulatorStore}, with scripted faults (status
 * codes with headers, delays, dropped connections) for rehearsing failures;
 * and the fixture's commit history at `POST /github/graphql`, in GitHub's
 * shape, for baseline searches and trends.
 *
 * It answers the way W&B does: 401 for a bad key, 400 with `errors` for a
 * query the schema rejects, `project: null` for an unknown project.
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
import { EmulatorStore, FilterFieldError } from "./store.ts";

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
  const store = new EmulatorStore(fixture, options.maxPageSize, options.now);
  const schema: GraphQLSchema = wandbSchema({ keysArgument: options.keysArgument ?? true });
  const keys = new Set(fixture.apiKeys);
  const faults: Fault[] = [...fixture.faults];
  const stats: EmulatorStats = {
    requests: 0,
    operations: {},
    bytesSent: 0,
    faultsApplied: 0,
    githubRequests: 0,
  };

  const takeFault = (operation: string | undefined): Fault | undefined => {
    const index = faults.findIndex((f) => f.operation === undefined || f.operation === operation);
    if (index < 0) return undefined;
    const fault = faults[index]!;
    if (--fault.times <= 0) faults.splice(index, 1);
    stats.faultsApplied++;
    return fault;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && (path === "/" || path === "/healthz")) {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("W&B emulator (wandb-report): POST /graphql\n");
      return;
    }
    // The fixture's commit history, as GitHub's GraphQL API answers it.
    if (req.method === "POST" && path === "/github/graphql") {
      const text = await readBody(req);
      if (text === undefined) return send(res, stats, 413, errorsBody("request body too large"));
      stats.githubRequests++;
      const [status, body] = await answerGithub(fixture.commits, text);
      return send(res, stats, status, body);
    }
    if (path !== "/graphql" && path !== "/graphql/") {
      return send(res, stats, 404, errorsBody(`no route ${req.method} ${path}`));
    }
    if (req.method !== "POST") return send(res, stats, 405, errorsBody("use POST"));
    stats.requests++;
    store.tick(stats.requests);
    options.onRequest?.(stats.requests);

    const text = await readBody(req);
    if (text === undefined) return send(res, stats, 413, errorsBody("request body too large"));
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(text);
    } catch {
      return send(res, stats, 400, errorsBody("request body is not JSON"));
    }
    if (typeof body?.query !== "string") {
      return send(res, stats, 400, errorsBody("request has no query string"));
    }
    let document;
    try {
      document = parse(body.query);
    } catch (error) {
      return send(res, stats, 400, errorsBody((error as Error).message));
    }
    // genqlient sends operationName "", so the document decides.
    const operationName = (typeof body.operationName === "string" && body.operationName) ||
      document.definitions.find((d) => d.kind === "OperationDefinition")?.name?.value;
    stats.operations[operationName ?? "(anonymous)"] =
      (stats.operations[operationName ?? "(anonymous)"] ?? 0) + 1;

    const fault = takeFault(operationName);
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined) {
        const message = fault.status === 429
          ? "Rate limit exceeded"
          : `injected HTTP ${fault.status}`;
        return send(res, stats, fault.status, fault.body ?? errorsBody(message), fault.headers);
      }
    }

    const key = keyFrom(req.headers.authorization);
    if (key === undefined || !keys.has(key)) {
      return send(res, stats, 401, errorsBody("user is not logged in"));
    }
    const invalid = validate(schema, document);
    if (invalid.length) {
      return send(res, stats, 400, JSON.stringify({ errors: invalid.map((e) => e.toJSON()) }));
    }
    const variables = body.variables && typeof body.variables === "object"
      ? body.variables as Record<string, unknown>
      : undefined;
    const result = await execute({
      schema,
      document,
      rootValue: store.rootValue(),
      variableValues: variables,
      operationName: operationName ?? undefined,
    });
    // W&B refuses a filter on an undocumented field with HTTP 400.
    const refused = result.errors?.map((e) =>
      e instanceof FilterFieldError
        ? e
        : e.originalError instanceof FilterFieldError
        ? e.originalError
        : undefined
    ).find((e) => e !== undefined);
    const status = refused?.status ?? 200;
    send(res, stats, status, JSON.stringify(result));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) send(res, stats, 500, errorsBody(`emulator: ${error?.message}`));
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
    stats,
    store,
    injectFaults(more) {
      faults.push(...more.map((f) => FaultSchema.parse(f)));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
