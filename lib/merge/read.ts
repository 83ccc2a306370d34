/**
 * Reading the legs of a matrix: the JSON reports (`deno task report --json`)
 * named as files or folders, each parsed (not cast), each problem said with
 * the file it is in.
 *
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { InvalidInputError } from "../ground/errors.ts";
import { parseWith } from "../ground/parse.ts";
import { JSON_VERSION } from "../report/json.ts";

// Non-finite numbers travel as strings ("NaN", "Infinity") in the report's JSON.
const num = z.union([z.number(), z.string()]).nullish();
const SideSchema = z.object({ n: z.number(), mean: num, sd: num }).loose();

/** The part of a report's JSON document a merge reads. */
export const LegReportSchema = z.object({
  version: z.number().int().optional(),
  project: z.string(),
  reportKey: z.string().optional(),
  sha: z.string(),
  complete: z.boolean(),
  counts: z.object({
    candidates: z.number(),
    baselines: z.number(),
    finished: z.number(),
    running: z.number(),
    pending: z.number(),
    failed: z.number(),
    crashed: z.number(),
    aborted: z.number(),
    preempted: z.number(),
    unknown: z.number(),
    stalled: z.number().default(0),
  }).loose(),
  outputs: z.record(z.string(), z.string()).default({}),
  // How the leg found its candidates: a run id judges one run, not a commit's runs.
  match: z.object({ by: z.enum(["sha", "run-id"]) }).loose().optional(),
  gate: z.object({
    enabled: z.boolean(),
    passed: z.boolean(),
    verdict: z.enum(["passed", "failed", "inconclusive", "pending", "none"]).optional(),
    complete: z.object({ passed: z.boolean(), message: z.string() }).nullish(),
    verdicts: z.array(
      z.object({
        rule: z.string(),
        group: z.string().nullish(),
        run: z.string().nullish(),
        status: z.enum(["pass", "fail", "missing", "inconclusive"]),
        failed: z.boolean(),
        value: num,
        reference: num,
        worse: num,
        allowed: num,
        message: z.string(),
      }).loose(),
    ),
  }).loose(),
  comparisons: z.array(
    z.object({
      metric: z.string(),
      direction: z.string().nullish(),
      reference: z.object({ kind: z.string() }).loose(),
      stats: z.object({ candidates: SideSchema, baselines: SideSchema }).loose(),
    }).loose(),
  ).default([]),
  notes: z.array(z.string()).default([]),
}).loose();

/** One leg's report, as read. */
export type LegReport = z.infer<typeof LegReportSchema>;

/** One leg: its report and where it came from. */
export interface Leg {
  /** The leg's name: its report key, else its project. */
  name: string;
  /** The file it was read from. */
  file: string;
  /** Its report. */
  report: LegReport;
}

/** What reading found: the legs, and the files that are reports of a version this cannot read. */
export interface ReadLegs {
  /** The legs read, in the order of the paths (a folder's files sorted by name). */
  legs: Leg[];
  /** Reports of another version: said in the verdict, not merged. */
  incompatible: { file: string; version?: number }[];
}

/** How reading treats finding nothing. */
export interface ReadLegsOptions {
  /**
   * No leg at all (a path absent, a folder empty) is a matrix whose every leg
   * failed before reporting, for the merge to say: not an input error.
   */
  allowNone?: boolean;
}

/**
 * Reads the legs' JSON reports: each path a file, or a folder whose `.json`
 * files (at any depth, sorted) are read.
 *
 * @throws {InvalidInputError} for a path that cannot be read, a file that is
 * not a report's JSON, or no report at all, naming the file
 *
 * @example
 * ```ts ignore
 * import { readLegs } from "./read.ts";
 * const { legs } = await readLegs(["legs/"]);
 * console.log(legs.map((leg) => leg.name));
 * ```
 */
export async function readLegs(
  paths: readonly string[],
  input = "--reports",
  options: ReadLegsOptions = {},
): Promise<ReadLegs> {
  const files: string[] = [];
  for (const path of paths) files.push(...await jsonFiles(path, input, options.allowNone));
  const legs: Leg[] = [];
  const incompatible: ReadLegs["incompatible"] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (error) {
      throw new InvalidInputError(input, "readable report files", file, (error as Error).name);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InvalidInputError(
        input,
        "a report's JSON (deno task report --json)",
        file,
        "not JSON",
      );
    }
    const version = (value as { version?: unknown } | null)?.version;
    if (typeof version === "number" && version !== JSON_VERSION) {
      incompatible.push({ file, version });
      continue;
    }
    const report = parseWith(LegReportSchema, value, (problem) =>
      new InvalidInputError(
        input,
        "a report's JSON (deno task report --json)",
        file,
        `${problem.path || "the document"}: ${problem.message}`,
      ));
    if (report.version === undefined) {
      incompatible.push({ file });
      continue;
    }
    legs.push({ name: report.reportKey ?? report.project, file, report });
  }
  if (legs.length === 0 && incompatible.length === 0 && !options.allowNone) {
    throw new InvalidInputError(
      input,
      "at least one report's JSON",
      paths.join(", "),
      "none found",
    );
  }
  return { legs, incompatible };
}

/** A path's JSON files: the file itself, or a folder's `.json` files at any depth, sorted. */
async function jsonFiles(path: string, input: string, allowNone = false): Promise<string[]> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    // No artifact downloaded: the download step creates no folder.
    if (allowNone && error instanceof Deno.errors.NotFound) return [];
    throw new InvalidInputError(input, "report files or folders", path, (error as Error).name);
  }
  if (!info.isDirectory) return [path];
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(path)) {
      const child = join(path, entry.name);
      if (entry.isDirectory) found.push(...await jsonFiles(child, input));
      else if (entry.name.endsWith(".json")) found.push(child);
    }
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw new InvalidInputError(input, "a readable folder", path, (error as Error).name);
  }
  return found.sort();
}
