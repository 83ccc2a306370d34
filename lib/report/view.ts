/**
 * One report as every renderer reads it (the markdown, the JSON document,
 * the terminal table and summary): what was fetched and how it was judged,
 * built once by the pipeline and handed to each.
 *
 * @module
 */
import type { Classification } from "../classify.ts";
import type { MetricComparison } from "../compare.ts";
import type { GateResult } from "../gate/mod.ts";
import type { Run } from "../ground/model.ts";
import type { TrendPoint } from "../history/baseline.ts";

/** A group judged with `--group-by`: its candidates and their comparisons. */
export interface GroupView {
  /** The group's name (the config value), or none for the runs without one. */
  name?: string;
  /** Its candidates. */
  candidates: readonly Run[];
  /** Its comparisons with the baselines. */
  comparisons: readonly MetricComparison[];
}

/** One report, as every renderer reads it. */
export interface ReportView {
  /** The W&B entity. */
  entity: string;
  /** The W&B project's name (without the entity). */
  project: string;
  /** The web app URL run links start with. */
  appUrl: string;
  /** The commit reported on ("" in run-id mode without one). */
  sha: string;
  /** Every candidate, every state. */
  candidates: readonly Run[];
  /** Every baseline. */
  baselines: readonly Run[];
  /** State counts and completeness. */
  classification: Classification;
  /** One comparison per metric (their order is the columns'). */
  comparisons: readonly MetricComparison[];
  /** The groups judged (`--group-by`). */
  groups?: readonly GroupView[];
  /** Each metric's mean per commit of the base branch, oldest first (`--trend`). */
  trend?: readonly TrendPoint[];
  /** The gate's result. */
  gate: GateResult;
}

/**
 * `entity/project`, as the report's title and summary name it.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { projectPath } from "./view.ts";
 * assertEquals(projectPath({ entity: "acme", project: "vision" }), "acme/vision");
 * ```
 */
export function projectPath(view: Pick<ReportView, "entity" | "project">): string {
  return `${view.entity}/${view.project}`;
}
