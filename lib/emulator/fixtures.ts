/**
 * Emulator fixtures: JSON files describing API keys, projects, runs and
 * scripted faults. The format is documented in the README ("Emulator
 * fixtures"); `NaN` and `Infinity` are allowed in metric values, as W&B
 * itself emits them.
 *
 * @module
 */
import { z } from "zod";
import { InvalidInputError } from "../errors.ts";
import { parseLenientJson } from "../json.ts";

/** A scripted failure, applied to the next matching requests. */
export const FaultSchema = z.strictObject({
  /** Answer with this status instead of executing the query. */
  status: z.number().int().min(100).max(599).optional(),
  /** Headers on that answer (e.g. `RateLimit-Reset`, `Retry-After`). */
  headers: z.record(z.string(), z.string()).optional(),
  /** Body of that answer; default a GraphQL `errors` document naming the status. */
  body: z.string().optional(),
  /** Wait this long before answering (or before dropping). */
  delayMs: z.number().int().min(0).max(600_000).optional(),
  /** Close the connection without answering. */
  drop: z.boolean().optional(),
  /** How many requests this fault applies to. Default 1. */
  times: z.number().int().min(1).default(1),
  /** Only requests for this GraphQL operation name. */
  operation: z.string().optional(),
});

/** A scripted failure (input form: `times` may be omitted). */
export type FaultInput = z.input<typeof FaultSchema>;
/** A scripted failure. */
export type Fault = z.output<typeof FaultSchema>;

/** One run. `config` holds plain values; the emulator wraps them as `{"value": …}`. */
export const FixtureRunSchema = z.strictObject({
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
  config: z.record(z.string(), z.unknown()).default({}),
  summaryMetrics: z.record(z.string(), z.unknown()).default({}),
  systemMetrics: z.record(z.string(), z.unknown()).default({}),
});

/** A fixture run (output form, defaults applied). */
export type FixtureRun = z.output<typeof FixtureRunSchema>;

/** A project and its runs. */
export const FixtureProjectSchema = z.strictObject({
  entity: z.string().min(1),
  name: z.string().min(1),
  runs: z.array(FixtureRunSchema).default([]),
});

/** A whole fixture. */
export const FixtureSchema = z.strictObject({
  /** API keys the emulator accepts. */
  apiKeys: z.array(z.string().min(1)).min(1),
  viewer: z
    .object({ username: z.string(), entity: z.string(), email: z.string().optional() })
    .default({ username: "emulator", entity: "emulator" }),
  projects: z.array(FixtureProjectSchema).default([]),
  faults: z.array(FaultSchema).default([]),
  /**
   * Filter fields accepted beyond W&B's documented ones, e.g. `["commit"]`
   * for a server that filters on `commit`. Others get HTTP 400, as W&B answers.
   */
  filterFields: z.array(z.string().min(1)).default([]),
});

/** A fixture as written (defaults may be omitted). */
export type FixtureInput = z.input<typeof FixtureSchema>;
/** A validated fixture. */
export type Fixture = z.output<typeof FixtureSchema>;

/**
 * Validates a fixture object.
 *
 * @param source names the fixture in error messages
 * @throws {InvalidInputError} naming the first bad field
 *
 * @example
 * ```ts
 * import { parseFixture } from "./fixtures.ts";
 * const fixture = parseFixture({ apiKeys: ["k"], projects: [] }, "inline");
 * console.log(fixture.viewer.username); // "emulator"
 * ```
 */
export function parseFixture(value: unknown, source: string): Fixture {
  const parsed = FixtureSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new InvalidInputError(
    `${source}: ${issue.path.join(".") || "(top level)"}`,
    "a fixture as described in the README",
    undefined,
    issue.message,
  );
}

/**
 * Reads and validates a fixture file.
 *
 * @example
 * ```ts ignore
 * import { loadFixture } from "./fixtures.ts";
 * const fixture = await loadFixture("fixtures/demo.json");
 * ```
 */
export async function loadFixture(path: string): Promise<Fixture> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new InvalidInputError(
      "--fixture",
      "a readable fixture file",
      path,
      (error as Error).name,
    );
  }
  let value: unknown;
  try {
    value = parseLenientJson(text);
  } catch (error) {
    throw new InvalidInputError("--fixture", "a JSON file", path, (error as Error).message);
  }
  return parseFixture(value, path);
}
