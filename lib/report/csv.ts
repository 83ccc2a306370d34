/**
 * `wandb_report.csv`: the old action's columns in the old order, one row per
 * finished candidate, then one per baseline. Written with csv-stringify.
 *
 * Columns: `run.url`, `run.name` (display name), `run.tags` (JSON array),
 * `run.id`, `run.entity`, `run.project`, `github_sha`, `run.description`, one
 * column per metric (named as the metric), one per config key (`_<key>`),
 * then `__eval.category` (`candidate` or `baseline`).
 *
 * @module
 */
import { stringify } from "csv-stringify/sync";
import { bucketOf } from "../classify.ts";
import { stringifyLenientJson } from "../json.ts";
import { SHA_KEY } from "../wandb/queries.ts";
import type { WandbRun } from "../wandb/runs.ts";
import { runUrl } from "../wandb/urls.ts";

/** Where the runs come from, for `run.url`, `run.entity` and `run.project`. */
export interface CsvContext {
  appUrl: string;
  entity: string;
  project: string;
  metrics: readonly string[];
  configVars: readonly string[];
}

const FIXED = [
  "run.url",
  "run.name",
  "run.tags",
  "run.id",
  "run.entity",
  "run.project",
  "github_sha",
  "run.description",
] as const;

/**
 * The header row.
 *
 * @example
 * ```ts
 * import { csvColumns } from "./csv.ts";
 * csvColumns(["loss"], ["lr"]).slice(-3); // ["loss", "_lr", "__eval.category"]
 * ```
 */
export function csvColumns(metrics: readonly string[], configVars: readonly string[]): string[] {
  return [...FIXED, ...metrics, ...configVars.map((key) => `_${key}`), "__eval.category"];
}

/**
 * One cell: strings as they are, numbers in full (`NaN`, `Infinity` kept),
 * lists and objects as JSON, missing as empty.
 *
 * @example
 * ```ts
 * import { cell } from "./csv.ts";
 * cell(undefined); // ""
 * cell(NaN);       // "NaN"
 * cell({ a: 1 });  // '{"a":1}'
 * ```
 */
export function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return stringifyLenientJson(value);
}

/**
 * The rows: finished candidates first, then every baseline (any state), each
 * in the order W&B returned them.
 *
 * @example
 * ```ts
 * import { csvRows } from "./csv.ts";
 * const rows = csvRows([], [], {
 *   appUrl: "https://wandb.ai", entity: "acme", project: "vision", metrics: [], configVars: [],
 * });
 * console.log(rows.length); // 0
 * ```
 */
export function csvRows(
  candidates: readonly WandbRun[],
  baselines: readonly WandbRun[],
  ctx: CsvContext,
): string[][] {
  const row = (run: WandbRun, category: "candidate" | "baseline") => [
    runUrl(ctx.appUrl, ctx.entity, ctx.project, run.name),
    cell(run.displayName),
    stringifyLenientJson(run.tags),
    run.name,
    ctx.entity,
    ctx.project,
    cell(run.config[SHA_KEY]),
    cell(run.description),
    ...ctx.metrics.map((metric) => cell(run.summary[metric])),
    ...ctx.configVars.map((key) => cell(run.config[key])),
    category,
  ];
  return [
    ...candidates.filter((run) => bucketOf(run.state) === "finished").map((run) =>
      row(run, "candidate")
    ),
    ...baselines.map((run) => row(run, "baseline")),
  ];
}

/**
 * The whole CSV text: header, then rows (header only when there are none).
 *
 * @example
 * ```ts
 * import { csvColumns, toCsv } from "./csv.ts";
 * toCsv(csvColumns([], []), []).split("\n")[0]; // "run.url,run.name,…,__eval.category"
 * ```
 */
export function toCsv(columns: readonly string[], rows: readonly string[][]): string {
  return stringify([[...columns], ...rows]);
}
