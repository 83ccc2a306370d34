/**
 * Emulator fixtures: JSON files describing API keys, projects, runs and
 * scripted faults. The format is documented in docs/emulator.md ("Emulator
 * fixtures"); `NaN` and `Infinity` are allowed in metric values, as W&B
 * itself emits them.
 *
 * @module
 */
import { resolve } from "node:path";
import { z } from "zod";
import { InvalidInputError } from "../ground/errors.ts";
import { parseLenientJson } from "../ground/json.ts";
import { parseWith } from "../ground/parse.ts";
import { FULL_SHA } from "../ground/model.ts";

/** A scripted failure, as written (`times` may be omitted). */
export interface FaultInput {
  /** Answer with this status instead of executing the query. */
  status?: number;
  /** Headers on that answer (e.g. `RateLimit-Reset`, `Retry-After`). */
  headers?: Record<string, string>;
  /** Body of that answer; default a GraphQL `errors` document naming the status. */
  body?: string;
  /** Wait this long before answering (or before dropping). */
  delayMs?: number;
  /** Close the connection without answering. */
  drop?: boolean;
  /** How many requests this fault applies to. Default 1. */
  times?: number;
  /** Only requests for this GraphQL operation name. */
  operation?: string;
  /** Let this many matching requests through first (a refusal on the second page). Default 0. */
  after?: number;
}

/** A scripted failure, applied to the next matching requests. */
export interface Fault extends FaultInput {
  /** How many requests this fault still applies to. */
  times: number;
  /** How many matching requests still pass before it applies. */
  after: number;
}

/** The schema of a {@link Fault}. */
export const FaultSchema: z.ZodType<Fault, FaultInput> = z.strictObject({
  status: z.number().int().min(100).max(599).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  drop: z.boolean().optional(),
  times: z.number().int().min(1).default(1),
  operation: z.string().optional(),
  after: z.number().int().min(0).default(0),
});

/** One run as written. `config` holds plain values; the emulator wraps them as `{"value": …}`. */
export interface FixtureRunInput {
  /** The run id. */
  name: string;
  /** The human-readable name. */
  displayName?: string | null;
  /** Default `finished`. */
  state?: string;
  /** Default none. */
  tags?: string[];
  /** ISO 8601; default `2026-01-01T00:00:00`. */
  createdAt?: string;
  /** Last heartbeat. */
  heartbeatAt?: string | null;
  /** W&B's own commit field. */
  commit?: string | null;
  /** The description. */
  description?: string | null;
  /** Notes. */
  notes?: string | null;
  /** Group. */
  group?: string | null;
  /** Job type. */
  jobType?: string | null;
  /** Sweep. */
  sweepName?: string | null;
  /** Host. */
  host?: string | null;
  /** Who ran it. */
  user?: { name: string; username?: string | null } | null;
  /** Config values (plain). */
  config?: Record<string, unknown>;
  /** Summary metrics. */
  summaryMetrics?: Record<string, unknown>;
  /** System metrics. */
  systemMetrics?: Record<string, unknown>;
  /**
   * The run changes state while the emulator serves: to `state` once it has
   * answered `afterRequests` GraphQL requests (a training job finishing).
   */
  becomes?: { state: string; afterRequests: number; summaryMetrics?: Record<string, unknown> };
  /**
   * A running run's process dies: its heartbeat stops once the emulator has
   * answered `afterRequests` GraphQL requests (and then ages with the clock).
   */
  heartbeatStops?: { afterRequests: number };
}

/** A fixture run, defaults applied. */
export interface FixtureRun extends FixtureRunInput {
  /** The state. */
  state: string;
  /** The tags. */
  tags: string[];
  /** When it was created. */
  createdAt: string;
  /** Config values. */
  config: Record<string, unknown>;
  /** Summary metrics. */
  summaryMetrics: Record<string, unknown>;
  /** System metrics. */
  systemMetrics: Record<string, unknown>;
}

/**
 * A JSON object kept as it is: `z.record` copies an object key by key and
 * drops a `__proto__` key, which is data here (a config key W&B would store).
 */
const DATA_OBJECT: z.ZodType<Record<string, unknown>, Record<string, unknown>> = z.custom<
  Record<string, unknown>
>(
  (value) => value !== null && typeof value === "object" && !Array.isArray(value),
  "an object",
);

/** The schema of a {@link FixtureRun}. */
export const FixtureRunSchema: z.ZodType<FixtureRun, FixtureRunInput> = z.strictObject({
  name: z.string().min(1),
  displayName: z.string().nullish(),
  state: z.string().default("finished"),
  tags: z.array(z.string()).default([]),
  createdAt: z.string().default("2026-01-01T00:00:00"),
  heartbeatAt: z.string().nullish(),
  commit: z.string().nullish(),
  description: z.string().nullish(),
  notes: z.string().nullish(),
  group: z.string().nullish(),
  jobType: z.string().nullish(),
  sweepName: z.string().nullish(),
  host: z.string().nullish(),
  user: z.object({ name: z.string(), username: z.string().nullish() }).nullish(),
  config: DATA_OBJECT.default({}),
  summaryMetrics: DATA_OBJECT.default({}),
  systemMetrics: DATA_OBJECT.default({}),
  becomes: z.strictObject({
    state: z.string().min(1),
    afterRequests: z.number().int().min(1),
    summaryMetrics: DATA_OBJECT.optional(),
  }).optional(),
  heartbeatStops: z.strictObject({ afterRequests: z.number().int().min(0) }).optional(),
});

/** A commit of the fixture's history: its SHA, its parents (first parent first), its date. */
export interface FixtureCommit {
  /** The full SHA (40 hex characters). */
  sha: string;
  /** Its parents, the first parent first (none for a root commit). */
  parents: string[];
  /** When it was committed (ISO 8601). */
  date: string;
}

/** The schema of a {@link FixtureCommit}. */
const FixtureCommitSchema: z.ZodType<FixtureCommit, Partial<FixtureCommit> & { sha: string }> = z
  .strictObject({
    sha: z.string().regex(FULL_SHA, "a 40-character lower-case hex SHA"),
    parents: z.array(z.string().regex(FULL_SHA)).default([]),
    date: z.string().default("2026-01-01T00:00:00Z"),
  });

/** A whole fixture, as written (defaults may be omitted). */
export interface FixtureInput {
  /** API keys the emulator accepts. */
  apiKeys: string[];
  /** Who the keys belong to. */
  viewer?: { username: string; entity: string; email?: string };
  /** Projects and their runs. */
  projects?: { entity: string; name: string; runs?: FixtureRunInput[] }[];
  /** Scripted faults, applied in order. */
  faults?: FaultInput[];
  /**
   * Filter fields accepted beyond W&B's documented ones, e.g. `["commit"]`
   * for a server that filters on `commit`. Others get HTTP 400, as W&B answers.
   */
  filterFields?: string[];
  /**
   * How a filter on any other field is answered: `400` (W&B's answer, the
   * default), `422`, `graphql-error` (an error in a 200 answer), or `ignore`
   * (the condition is dropped, so the filter selects more: a server that
   * ignores fields it does not know).
   */
  unknownFilter?: "400" | "422" | "500" | "graphql-error" | "ignore";
  /**
   * A commit history (newest first, each naming its parents), served in
   * GitHub's shape at `/github/graphql` for baseline searches and trends.
   */
  commits?: (Partial<FixtureCommit> & { sha: string })[];
}

/** A validated fixture. */
export interface Fixture {
  /** API keys the emulator accepts. */
  apiKeys: string[];
  /** Who the keys belong to. */
  viewer: { username: string; entity: string; email?: string };
  /** Projects and their runs. */
  projects: { entity: string; name: string; runs: FixtureRun[] }[];
  /** Scripted faults. */
  faults: Fault[];
  /** Extra filterable fields. */
  filterFields: string[];
  /** How a filter on another field is answered. */
  unknownFilter: "400" | "422" | "500" | "graphql-error" | "ignore";
  /** The commit history served at `/github/graphql`. */
  commits: FixtureCommit[];
}

/** The schema of a {@link Fixture}. */
export const FixtureSchema: z.ZodType<Fixture, FixtureInput> = z.strictObject({
  apiKeys: z.array(z.string().min(1)).min(1),
  viewer: z
    .object({ username: z.string(), entity: z.string(), email: z.string().optional() })
    .default({ username: "emulator", entity: "emulator" }),
  projects: z.array(z.strictObject({
    entity: z.string().min(1),
    name: z.string().min(1),
    runs: z.array(FixtureRunSchema).default([]),
  })).default([]),
  faults: z.array(FaultSchema).default([]),
  filterFields: z.array(z.string().min(1)).default([]),
  unknownFilter: z.enum(["400", "422", "500", "graphql-error", "ignore"]).default("400"),
  commits: z.array(FixtureCommitSchema).default([]),
});

/**
 * Validates a fixture object.
 *
 * @param source names the fixture in error messages
 * @throws {InvalidInputError} naming the first bad field
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseFixture } from "./fixtures.ts";
 * const fixture = parseFixture({ apiKeys: ["k"], projects: [] }, "inline");
 * assertEquals(fixture.viewer.username, "emulator");
 * ```
 */
export function parseFixture(value: unknown, source: string): Fixture {
  return parseWith(FixtureSchema, value, (problem) =>
    new InvalidInputError(
      `${source}: ${problem.path || "(top level)"}`,
      'a fixture as described in docs/emulator.md ("Emulator fixtures")',
      undefined,
      problem.message,
    ));
}

/** The bundled demo project (a URL, so it loads from a checkout and from the published package alike). */
export const DEMO_FIXTURE: URL = new URL("../../fixtures/demo.json", import.meta.url);

/**
 * Reads and validates a fixture: a file path, or a URL (`file:`, or the
 * `https:` of a published package, read with `fetch`).
 *
 * @example
 * ```ts ignore
 * import { DEMO_FIXTURE, loadFixture } from "./fixtures.ts";
 * const fixture = await loadFixture(DEMO_FIXTURE);
 * ```
 */
export async function loadFixture(source: string | URL): Promise<Fixture> {
  let text: string;
  try {
    text = typeof source === "string"
      ? await Deno.readTextFile(source)
      : await fetch(source).then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.text();
      });
  } catch (error) {
    throw new InvalidInputError(
      "--fixture",
      "a readable fixture file",
      // The absolute path looked at: a relative one says nothing of where.
      typeof source === "string" ? resolve(source) : String(source),
      (error as Error).name === "Error" ? (error as Error).message : (error as Error).name,
    );
  }
  let value: unknown;
  try {
    value = parseLenientJson(text);
  } catch (error) {
    throw new InvalidInputError(
      "--fixture",
      "a JSON file",
      String(source),
      (error as Error).message,
    );
  }
  return parseFixture(value, String(source));
}
