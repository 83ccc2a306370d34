/**
 * The sweep's JSON document (`report --sweep N --format json`): each pull
 * request's rendered report and check, for a job that holds no W&B key to
 * deliver (`deno task publish`). Written here and read back here, parsed
 * (never cast): it crosses from one job to another as an artifact.
 *
 * @module
 */
import { z } from "zod";
import { InvalidInputError } from "../ground/errors.ts";
import { parseWith } from "../ground/parse.ts";
import { FULL_SHA } from "../ground/model.ts";

/** One pull request's report in a sweep. */
const SweepReportSchema = z.object({
  pr: z.number().int().positive(),
  sha: z.string().regex(FULL_SHA, "a 40-character commit SHA"),
  markdown: z.string().max(65_536, "a comment GitHub takes (65,536 characters)"),
  outputs: z.object({
    STATUS_STATE: z.enum(["success", "failure", "pending"]),
    STATUS_DESCRIPTION: z.string(),
    GATE_VERDICT: z.string(),
  }).loose(),
});

/** The sweep's document. */
export const SweepJsonSchema = z.object({
  version: z.literal(1),
  sweep: z.literal(true),
  reportKey: z.string().regex(/^[A-Za-z0-9._\/-]{1,100}$/, "a report key"),
  swept: z.number().int().nonnegative(),
  remaining: z.number().int().nonnegative(),
  reports: z.array(SweepReportSchema),
});

/** The sweep's document, parsed. */
export type SweepJson = z.infer<typeof SweepJsonSchema>;

/**
 * The sweep's document as text.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseSweep, sweepJson } from "./sweep_json.ts";
 * const text = sweepJson({ reportKey: "acme/vision", swept: 0, remaining: 0, reports: [] });
 * assertEquals(parseSweep(text, "sweep.json").reportKey, "acme/vision");
 * ```
 */
export function sweepJson(sweep: Omit<SweepJson, "version" | "sweep">): string {
  return `${JSON.stringify({ version: 1, sweep: true, ...sweep }, null, 2)}\n`;
}

/**
 * Parses a sweep's document.
 *
 * @throws {InvalidInputError} naming the file and the first field that is wrong
 */
export function parseSweep(text: string, source: string): SweepJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidInputError(source, "the JSON of a sweep (report --sweep N --format json)");
  }
  return parseWith(SweepJsonSchema, value, (problem) =>
    new InvalidInputError(
      source,
      "the JSON of a sweep (report --sweep N --format json)",
      undefined,
      `${problem.path || "document"}: ${problem.message}`,
    ));
}
