/**
 * Decoding W&B's answer: zod schemas for run nodes and pages, with the
 * JSON-string fields (`config`, `summaryMetrics`) parsed leniently and config
 * values unwrapped from their `{"value": …}` envelopes.
 *
 * @module
 */
import { z } from "zod";
import { parseLenientJson } from "../ground/json.ts";
import type { Run } from "../ground/model.ts";

/**
 * Parses a JSON-string field holding an object; `null`, absent or `"null"`
 * decode to `{}`. Returns an error message instead of throwing.
 */
function jsonObject(text: string | null | undefined): Record<string, unknown> | string {
  if (text === null || text === undefined || text === "") return {};
  let value: unknown;
  try {
    value = parseLenientJson(text);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) return "not a JSON object";
  return value as Record<string, unknown>;
}

// Keys the SDK moves out of the user-facing config.
const INTERNAL_CONFIG_KEYS = new Set(["_wandb", "wandb_version"]);

/**
 * Unwraps W&B config entries: `{"lr": {"value": 0.1, "desc": null}}` becomes
 * `{"lr": 0.1}`; entries without a `value` envelope are kept as they are.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { unwrapConfig } from "./runs.ts";
 * assertEquals(unwrapConfig({ lr: { value: 0.1, desc: null }, _wandb: { value: {} } }), { lr: 0.1 });
 * ```
 */
export function unwrapConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // Keys, not entries: once per run, and entries allocate a pair per key.
  for (const key of Object.keys(config)) {
    if (INTERNAL_CONFIG_KEYS.has(key)) continue;
    const item = config[key];
    const wrapped = item !== null && typeof item === "object" && !Array.isArray(item) &&
      Object.hasOwn(item, "value");
    define(out, key, boundDepth(wrapped ? (item as { value: unknown }).value : item));
  }
  return out;
}

/** How deep a config or summary value may nest before its depths are cut. */
export const MAX_VALUE_DEPTH = 32;

/**
 * `value`, with anything nested deeper than {@link MAX_VALUE_DEPTH} levels
 * replaced by a short text: every later step (CSV, markdown, JSON) walks
 * values recursively, and data thousands of levels deep must not overflow the
 * stack. Bounded recursion itself.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { boundDepth } from "./runs.ts";
 * assertEquals(boundDepth({ a: [1] }), { a: [1] });
 * assertEquals(boundDepth([[["x"]]], 2), [["[nested too deep]"]]);
 * ```
 */
export function boundDepth(value: unknown, max = MAX_VALUE_DEPTH): unknown {
  // Most values are numbers or shallow: check first, copy only what is too deep.
  return tooDeep(value, max) ? cut(value, max) : value;
}

/** Whether `value` nests deeper than `max` levels (bounded recursion, no allocation). */
function tooDeep(value: unknown, max: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (max <= 0) return true;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (tooDeep(item, max - 1)) return true;
  }
  return false;
}

function cut(value: unknown, max: number): unknown {
  if (value === null || typeof value !== "object") return value;
  if (max <= 0) return "[nested too deep]";
  if (Array.isArray(value)) return value.map((item) => cut(item, max - 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) define(out, key, cut(item, max - 1));
  return out;
}

/** Sets an own property, even one named `__proto__` (plain assignment would set the prototype). */
function define(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key !== "__proto__") record[key] = value;
  else {Object.defineProperty(record, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });}
}

/** A decoded object with every value depth-bounded (the object itself when none is too deep). */
function bounded(record: Record<string, unknown>): Record<string, unknown> {
  for (const value of Object.values(record)) {
    if (tooDeep(value, MAX_VALUE_DEPTH)) {
      return cut(record, MAX_VALUE_DEPTH + 1) as Record<string, unknown>;
    }
  }
  return record;
}

/**
 * One run as the report query returns it. The fields are checked by one plain
 * object schema and the JSON strings decoded by one transform: per-field
 * transforms take zod off its compiled fast path (measured 5x slower).
 */
export const RunNodeSchema: z.ZodType<Run> = z
  .object({
    name: z.string(),
    displayName: z.string().nullish(),
    state: z.string().nullish(),
    tags: z.array(z.string()).nullish(),
    description: z.string().nullish(),
    createdAt: z.string().nullish(),
    heartbeatAt: z.string().nullish(),
    commit: z.string().nullish(),
    group: z.string().nullish(),
    config: z.string().nullish(),
    summaryMetrics: z.string().nullish(),
  })
  .transform(({ config, summaryMetrics, tags, ...run }, ctx) => {
    const decodedConfig = jsonObject(config);
    const summary = jsonObject(summaryMetrics);
    for (const [path, value] of [["config", decodedConfig], ["summaryMetrics", summary]] as const) {
      if (typeof value === "string") ctx.addIssue({ code: "custom", path: [path], message: value });
    }
    if (typeof decodedConfig === "string" || typeof summary === "string") return z.NEVER;
    return {
      ...run,
      tags: tags ?? [],
      config: unwrapConfig(decodedConfig),
      summary: bounded(summary),
    } satisfies Run;
  });

/** A decoded W&B run (the shared {@link Run} type). */
export type WandbRun = Run;

/**
 * One page of a `runs` connection, with the run nodes left for
 * {@link RunNodeSchema}: the pager needs only the cursors to ask for the next
 * page, and decodes the nodes while that request is in flight.
 */
export const RunPageSchema: z.ZodType<RunPage> = z.object({
  edges: z.array(z.object({ cursor: z.string().nullish(), node: z.unknown() })),
  pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
});

/** A page whose nodes are not decoded yet. */
export interface RunPage {
  /** The runs, undecoded, each with its cursor. */
  edges: { cursor?: string | null; node: unknown }[];
  /** Whether more pages follow. */
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** Decoded `data` of a report query. */
export interface ReportData {
  /** `null` when the project is unknown or not visible to the key. */
  project: {
    candidates?: RunPage | null;
    baselines?: RunPage | null;
    /** Matching runs, answered with the first page only. */
    candidateCount?: number | null;
    /** Matching baselines, answered with the first page only. */
    baselineCount?: number | null;
  } | null;
}

/** The `data` of a report query: `project` is `null` when it is unknown or not visible. */
export const ReportDataSchema: z.ZodType<ReportData> = z.object({
  project: z
    .object({
      candidates: RunPageSchema.nullish(),
      baselines: RunPageSchema.nullish(),
      /** Matching runs, answered with the first page only. */
      candidateCount: z.number().int().nullish(),
      /** Matching baselines, answered with the first page only. */
      baselineCount: z.number().int().nullish(),
    })
    .nullable(),
});

/** What zod's `z.string().nullish()` accepts. */
const nullishText = (value: unknown): value is string | null | undefined =>
  value === undefined || value === null || typeof value === "string";

/** What `z.array(z.string()).nullish()` accepts. */
function nullishTexts(value: unknown): value is string[] | null | undefined {
  if (value === undefined || value === null) return true;
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== "string") return false;
  return true;
}

/**
 * Decodes one run node as {@link RunNodeSchema} does, or returns `undefined`
 * exactly when that schema would reject it. This is the report's hot path
 * (once per run, 21,000 times in the benchmark): checking the fields by hand
 * and building the run once took 30-90 ms less client CPU there than zod's
 * parse-copy-transform. The schema stays the definition: a node this rejects
 * goes through it for the error that names the field, and
 * `tests/wandb/runs_test.ts` checks the two agree on random nodes.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { decodeRunNode } from "./runs.ts";
 * const run = decodeRunNode({ name: "a1", tags: null, config: '{"lr":{"value":0.1}}' });
 * assertEquals(run, { name: "a1", tags: [], config: { lr: 0.1 }, summary: {} });
 * assertEquals(decodeRunNode({ name: 7 }), undefined);
 * ```
 */
export function decodeRunNode(node: unknown): Run | undefined {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
  const {
    name,
    displayName,
    state,
    tags,
    description,
    createdAt,
    heartbeatAt,
    commit,
    group,
    config,
    summaryMetrics,
  } = node as Record<string, unknown>;
  if (
    typeof name !== "string" || !nullishText(displayName) || !nullishText(state) ||
    !nullishTexts(tags) || !nullishText(description) || !nullishText(createdAt) ||
    !nullishText(heartbeatAt) || !nullishText(commit) || !nullishText(group) ||
    !nullishText(config) ||
    !nullishText(summaryMetrics)
  ) return undefined;
  const decodedConfig = jsonObject(config);
  const summary = jsonObject(summaryMetrics);
  if (typeof decodedConfig === "string" || typeof summary === "string") return undefined;
  // The schema's key order (JSON output keeps it): its fields, then tags, config, summary.
  const run: Partial<Run> = { name };
  if (displayName !== undefined) run.displayName = displayName;
  if (state !== undefined) run.state = state;
  if (description !== undefined) run.description = description;
  if (createdAt !== undefined) run.createdAt = createdAt;
  if (heartbeatAt !== undefined) run.heartbeatAt = heartbeatAt;
  if (commit !== undefined) run.commit = commit;
  if (group !== undefined) run.group = group;
  run.tags = tags ?? [];
  run.config = unwrapConfig(decodedConfig);
  run.summary = bounded(summary);
  return run as Run;
}
