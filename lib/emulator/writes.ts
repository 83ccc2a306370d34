/**
 * What a training job writes, as W&B's SDKs send it: `upsertBucket` (create
 * or update a run: only the fields given change) and `file_stream` posts
 * (history rows by offset, the summary, the final exit code). Parsed here,
 * never cast; a malformed field is named in the error. Applying them to a
 * run is pure: the store keeps the result.
 *
 * @module
 */
import { z } from "zod";
import type { FixtureRun } from "./fixtures.ts";

/** A write the emulator refuses: HTTP `status`, a message naming the field. */
export class WriteError extends Error {
  /**
   * @param message what is wrong, naming the field
   * @param status the HTTP status it answers with (400, or 404 for an unknown run)
   */
  constructor(message: string, readonly status = 400) {
    super(message);
    this.name = "WriteError";
  }
}

/** A JSON object (W&B's JSONString fields), parsed. */
function jsonObject(text: string, field: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new WriteError(`${field}: expected a JSON object, got text that is not JSON`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new WriteError(`${field}: expected a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * A config as W&B stores it, unwrapped: the Python SDK sends every entry as
 * `{value, desc}`, the JS SDK plain values; both are the same config.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { unwrapConfig } from "./writes.ts";
 * assertEquals(unwrapConfig({ lr: { value: 0.1, desc: null }, _wandb: { value: {} } }), { lr: 0.1, _wandb: {} });
 * assertEquals(unwrapConfig({ lr: 0.1, model: { depth: 4 } }), { lr: 0.1, model: { depth: 4 } });
 * ```
 */
export function unwrapConfig(config: Record<string, unknown>): Record<string, unknown> {
  const entries = Object.entries(config);
  const wrapped = entries.length > 0 &&
    entries.every(([, v]) =>
      v !== null && typeof v === "object" && !Array.isArray(v) && "value" in v &&
      Object.keys(v).every((k) => k === "value" || k === "desc")
    );
  return wrapped
    ? Object.fromEntries(entries.map(([k, v]) => [k, (v as { value: unknown }).value]))
    : config;
}

const TEXT = z.string().nullish();

/** The `upsertBucket` input the emulator reads (W&B's names). */
const UpsertSchema = z.object({
  name: TEXT,
  modelName: TEXT,
  entityName: TEXT,
  displayName: TEXT,
  description: TEXT,
  notes: TEXT,
  commit: TEXT,
  config: TEXT,
  host: TEXT,
  groupName: TEXT,
  jobType: TEXT,
  state: TEXT,
  sweep: TEXT,
  tags: z.array(z.string()).nullish(),
  summaryMetrics: TEXT,
}).loose();

/** One `upsertBucket`, checked: where the run is, and the fields given. */
export interface Upsert {
  /** The entity (`undefined`: the viewer's). */
  entity?: string;
  /** The project (created if missing). */
  project: string;
  /** The run's id (W&B's `name`). */
  name: string;
  /** Only the fields given: they overwrite. */
  fields: Partial<FixtureRun>;
}

/**
 * Reads an `upsertBucket` input: a run name and a project are needed; config
 * and summary must be JSON objects.
 *
 * @throws {WriteError} naming the field that is wrong
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseUpsert } from "./writes.ts";
 * const upsert = parseUpsert({ name: "r1", modelName: "vision", config: '{"lr": 0.1}' });
 * assertEquals([upsert.project, upsert.name, upsert.fields.config], ["vision", "r1", { lr: 0.1 }]);
 * ```
 */
export function parseUpsert(input: unknown): Upsert {
  const parsed = UpsertSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WriteError(`upsertBucket: input.${issue.path.join(".")}: ${issue.message}`);
  }
  const i = parsed.data;
  if (!i.name) throw new WriteError("upsertBucket: input.name: expected the run's id");
  if (!i.modelName) throw new WriteError("upsertBucket: input.modelName: expected the project");
  const fields: Partial<FixtureRun> = {};
  const text = (value: string | null | undefined) => (value === undefined ? undefined : value);
  const copy: [keyof FixtureRun, string | null | undefined][] = [
    ["displayName", text(i.displayName)],
    ["description", text(i.description)],
    ["notes", text(i.notes)],
    ["commit", text(i.commit)],
    ["host", text(i.host)],
    ["group", text(i.groupName)],
    ["jobType", text(i.jobType)],
    ["sweepName", text(i.sweep)],
  ];
  for (const [key, value] of copy) if (value !== undefined) Object.assign(fields, { [key]: value });
  if (i.state) fields.state = i.state;
  if (i.tags) fields.tags = i.tags;
  if (i.config) fields.config = unwrapConfig(jsonObject(i.config, "upsertBucket: input.config"));
  if (i.summaryMetrics) {
    fields.summaryMetrics = jsonObject(i.summaryMetrics, "upsertBucket: input.summaryMetrics");
  }
  return { entity: i.entityName ?? undefined, project: i.modelName, name: i.name, fields };
}

/** One file's chunk in a `file_stream` post. */
const ChunkSchema = z.object({
  offset: z.number().int().nonnegative().default(0),
  content: z.array(z.string()),
});

/** A `file_stream` post, as the SDKs send it. */
const StreamSchema = z.object({
  files: z.record(z.string(), ChunkSchema).default({}),
  complete: z.boolean().optional(),
  exitcode: z.number().int().nullish(),
}).loose();

/** A `file_stream` post, checked. */
export interface Stream {
  /** History rows by their line number. */
  history: Map<number, Record<string, unknown>>;
  /** The summary, from the last `wandb-summary.json` line, when sent. */
  summary?: Record<string, unknown>;
  /** The run ended: its exit code. */
  exitcode?: number;
}

/**
 * Reads a `file_stream` post: history rows keep their offsets (a resend
 * rewrites the same lines), the last summary line replaces the summary, and
 * `complete` carries the exit code. Other files (output.log, config.yaml)
 * and empty heartbeats are accepted and ignored.
 *
 * @throws {WriteError} naming the field that is wrong
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseStream } from "./writes.ts";
 * const s = parseStream({
 *   files: { "wandb-history.jsonl": { offset: 3, content: ['{"loss": 1}'] } },
 *   complete: true, exitcode: 0,
 * });
 * assertEquals([[...s.history.keys()], s.exitcode], [[3], 0]);
 * ```
 */
export function parseStream(body: unknown): Stream {
  const parsed = StreamSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WriteError(`file_stream: ${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  const { files, complete, exitcode } = parsed.data;
  const history = new Map<number, Record<string, unknown>>();
  const rows = files["wandb-history.jsonl"];
  rows?.content.forEach((line, i) => {
    history.set(
      rows.offset + i,
      jsonObject(line, `file_stream: files.wandb-history.jsonl.content.${i}`),
    );
  });
  const summaryLines = files["wandb-summary.json"]?.content ?? [];
  const summary = summaryLines.length
    ? jsonObject(
      summaryLines.at(-1)!,
      `file_stream: files.wandb-summary.json.content.${summaryLines.length - 1}`,
    )
    : undefined;
  if (complete && (exitcode === undefined || exitcode === null)) {
    throw new WriteError("file_stream: exitcode: expected the run's exit code with complete");
  }
  return { history, summary, exitcode: complete ? exitcode! : undefined };
}

/**
 * The state a run ends in, by its exit code: 0 finished; a signal's
 * (128 + n, or the 255 Python's SDK sends on an interrupt) killed; any
 * other failed.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { endState } from "./writes.ts";
 * assertEquals([endState(0), endState(1), endState(130), endState(255)], ["finished", "failed", "killed", "killed"]);
 * ```
 */
export function endState(exitcode: number): "finished" | "failed" | "killed" {
  if (exitcode === 0) return "finished";
  return exitcode > 128 && exitcode <= 255 ? "killed" : "failed";
}
