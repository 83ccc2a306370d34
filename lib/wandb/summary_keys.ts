/**
 * The metric names a run logged (its summary's keys): what a report without
 * `--metrics` lists, so that a new user sees what to ask for.
 *
 * @module
 */
import { z } from "zod";
import { parseLenientJson } from "../ground/json.ts";
import type { WandbClient } from "./client.ts";

/** One run's full summary, by its id. */
export const SUMMARY_KEYS_QUERY =
  `query WandbReportSummaryKeys($entity: String!, $project: String!, $filters: JSONString) {
  project(name: $project, entityName: $entity) {
    runs(filters: $filters, first: 1) { edges { node { name summaryMetrics } } }
  }
}`;

const SummarySchema = z.object({
  project: z.object({
    runs: z.object({
      edges: z.array(z.object({
        node: z.object({ name: z.string(), summaryMetrics: z.string().nullish() }),
      })),
    }),
  }).nullable(),
});

/**
 * The metric names in one run's summary, sorted; W&B's own (`_runtime`,
 * `_step`, `_wandb`, …) left out. Empty when the run has none.
 *
 * @example
 * ```ts ignore
 * import { summaryKeys } from "./summary_keys.ts";
 * console.log(await summaryKeys(client, "acme", "vision", "a1b2c3d4"));
 * ```
 */
export async function summaryKeys(
  client: WandbClient,
  entity: string,
  project: string,
  runId: string,
): Promise<string[]> {
  const data = await client.query(
    SUMMARY_KEYS_QUERY,
    { entity, project, filters: JSON.stringify({ name: runId }) },
    SummarySchema,
  );
  const text = data.project?.runs.edges[0]?.node.summaryMetrics;
  if (!text) return [];
  let summary: unknown;
  try {
    summary = parseLenientJson(text);
  } catch {
    return [];
  }
  if (summary === null || typeof summary !== "object" || Array.isArray(summary)) return [];
  return Object.keys(summary).filter((key) => !key.startsWith("_")).sort();
}
