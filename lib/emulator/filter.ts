/**
 * W&B's run filter and order language, mapped onto mingo (a MongoDB query
 * engine). W&B paths are rewritten to the emulator's run documents:
 * snake_case columns to camelCase, `config.k.value` to `config.k` (config is
 * stored unwrapped, and W&B accepts both spellings), `summaryMetrics.*` to
 * `summary_metrics.*`. `tags` keeps Mongo's array semantics, which are W&B's:
 * `{"tags": "x"}` means "has x", `$in` "has any", `$nin` "has none".
 *
 * @module
 */
import { Query } from "mingo";

const COLUMN_ALIASES: Record<string, string> = {
  display_name: "displayName",
  created_at: "createdAt",
  heartbeat_at: "heartbeatAt",
  updated_at: "updatedAt",
  job_type: "jobType",
  sweep_name: "sweepName",
  summaryMetrics: "summary_metrics",
  summary: "summary_metrics",
};

/**
 * Rewrites one W&B field path to the emulator's document path.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { mapPath } from "./filter.ts";
 * assertEquals(mapPath("config.lr.value"), "config.lr");
 * assertEquals(mapPath("created_at"), "createdAt");
 * assertEquals(mapPath("summaryMetrics.loss"), "summary_metrics.loss");
 * ```
 */
export function mapPath(path: string): string {
  const [head, ...rest] = path.split(".");
  const mapped = [COLUMN_ALIASES[head!] ?? head!, ...rest];
  if (mapped[0] === "config" && mapped[2] === "value") mapped.splice(2, 1);
  return mapped.join(".");
}

/**
 * The run fields W&B documents as filterable (the SDK's `Api.runs`
 * docstring), with the snake_case spellings its docs also use. `config.*` and
 * `summary_metrics.*` are filterable too. The real server answers HTTP 400 for
 * any other field; `commit` is not among them.
 */
export const DOCUMENTED_FILTER_FIELDS: readonly string[] = [
  "createdAt",
  "created_at",
  "displayName",
  "display_name",
  "duration",
  "group",
  "host",
  "jobType",
  "job_type",
  "name",
  "state",
  "tags",
  "username",
];

/**
 * The first field path in a filter that W&B does not document as filterable
 * (and is not in `extra`), or `undefined` when every path is.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { undocumentedField } from "./filter.ts";
 * assertEquals(undocumentedField({ $or: [{ "config.a": 1 }, { commit: "x" }] }, []), "commit");
 * assertEquals(undocumentedField({ commit: "x" }, ["commit"]), undefined);
 * ```
 */
export function undocumentedField(filter: unknown, extra: readonly string[]): string | undefined {
  if (Array.isArray(filter)) {
    for (const item of filter) {
      const found = undocumentedField(item, extra);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (filter === null || typeof filter !== "object") return undefined;
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith("$")) {
      if (["$and", "$or", "$nor"].includes(key)) {
        const found = undocumentedField(value, extra);
        if (found !== undefined) return found;
      }
      continue;
    }
    const head = key.split(".")[0]!;
    const nested = head === "config" || head === "summary_metrics";
    if (
      !(nested && key.includes(".")) && !DOCUMENTED_FILTER_FIELDS.includes(key) &&
      !extra.includes(key)
    ) {
      return key;
    }
  }
  return undefined;
}

/**
 * Rewrites every field path in a W&B filter, leaving operators and values as
 * they are.
 *
 * @example
 * ```ts
 * import { mapFilter } from "./filter.ts";
 * mapFilter({ $or: [{ "config.sha.value": "abc" }, { display_name: { $regex: "^a" } }] });
 * // { $or: [{ "config.sha": "abc" }, { displayName: { $regex: "^a" } }] }
 * ```
 */
export function mapFilter(filter: unknown): unknown {
  if (Array.isArray(filter)) return filter.map(mapFilter);
  if (filter === null || typeof filter !== "object") return filter;
  return Object.fromEntries(
    Object.entries(filter).map(([key, value]) =>
      key.startsWith("$")
        ? [key, ["$and", "$or", "$nor"].includes(key) ? mapFilter(value) : value]
        : [mapPath(key), value]
    ),
  );
}

/**
 * Parses a W&B order string (`+created_at`, `-summary_metrics.loss`) into a
 * sort spec. With no sign W&B sorts descending (newest first).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseOrder } from "./filter.ts";
 * assertEquals(parseOrder("+created_at"), { createdAt: 1 });
 * assertEquals(parseOrder("-summary_metrics.loss"), { "summary_metrics.loss": -1 });
 * ```
 */
export function parseOrder(order: string | null | undefined): Record<string, 1 | -1> {
  const text = (order ?? "").trim() || "+created_at";
  const sign = text[0] === "+" ? 1 : -1;
  const path = /^[+-]/.test(text) ? text.slice(1) : text;
  return { [mapPath(path)]: sign };
}

/**
 * The documents matching a W&B filter, in the order a W&B order string asks
 * for (ties keep their original order).
 *
 * @throws {Error} with mingo's message for unsupported operators
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { selectRuns } from "./filter.ts";
 * const docs = [{ name: "a", tags: ["baseline"] }, { name: "b", tags: [] }];
 * assertEquals(selectRuns(docs, { tags: "baseline" }, "+name").map((d) => d.name), ["a"]);
 * ```
 */
export function selectRuns<T extends object>(
  docs: readonly T[],
  filter: Record<string, unknown>,
  order: string | null | undefined,
): T[] {
  const query = new Query(mapFilter(filter) as Record<string, unknown>);
  return query.find<T>(docs as T[]).sort(parseOrder(order)).all() as T[];
}
