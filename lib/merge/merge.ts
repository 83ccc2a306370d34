/**
 * One verdict for a matrix of legs: every leg's gate, the legs that are
 * missing or disagree (said, not hidden), the counts summed, and the step
 * outputs a single report would give.
 *
 * @module
 */
import picomatchModule from "picomatch";
import { InvalidInputError } from "../ground/errors.ts";
import { overall, verdictWord } from "../gate/mod.ts";
import { pyBool } from "../ground/model.ts";
import type { Leg, LegReport, ReadLegs } from "./read.ts";

/** How a merge judges legs that are missing or disagree. */
export interface MergeOptions {
  /** The legs expected (report keys or projects): one not found failed before reporting. */
  expect?: readonly string[];
  /**
   * Only the legs whose report key matches this glob (`*` within a `/`-part,
   * `**` across, `?`, `{a,b}`): another matrix's legs in the same folder are
   * left out with a note. Every expected leg must match it.
   */
  legs?: string;
  /** The matrix job's result (`needs.<job>.result`): not `success` means a leg may be missing. */
  legsResult?: string;
  /** Missing, repeated or unreadable legs do not fail the gate (they are still said). */
  allowIncomplete?: boolean;
  /** The commit the legs were to report on, for a merge where none reported (the PR's head). */
  sha?: string;
}

/** One leg, summarised for the merged report. */
export interface LegSummary {
  /** Its name (report key, else project). */
  name: string;
  /** The file it came from. */
  file: string;
  /** Its verdict: its gate's, or `none` without a gate. */
  verdict: "passed" | "failed" | "inconclusive" | "pending" | "none";
  /** Whether its gate passed. */
  passed: boolean;
  /** Its failing verdicts, worst first. */
  failing: LegReport["gate"]["verdicts"];
  /** Its report. */
  report: LegReport;
}

/** The merged report. */
export interface MergedReport {
  /** The commit every leg reported on. */
  sha: string;
  /** Every leg, failing first, then by name. */
  legs: LegSummary[];
  /** Expected legs that did not report. */
  missing: string[];
  /** Legs not merged because their report contradicts itself: never a verdict taken on trust. */
  refused: { name: string; file: string; reason: string }[];
  /** What disagrees: repeated legs, other versions, a matrix job that did not succeed. */
  problems: string[];
  /** What was left out and why, without failing: another merge's legs. */
  notes: string[];
  /**
   * `failed` when a leg failed (or a problem counts), else `pending` when a
   * leg waits for training, else `inconclusive` when one could not tell,
   * else `passed`.
   */
  verdict: "passed" | "failed" | "inconclusive" | "pending";
  /** Whether the gate passes. */
  passed: boolean;
  /** Every leg complete, none missing or refused, and the matrix job (when given) succeeded. */
  complete: boolean;
  /** The step outputs, summed over the legs. */
  outputs: Record<string, string>;
}

/**
 * Every leg the matrix has: merged, refused or missing.
 *
 * @example
 * ```ts ignore
 * import { legCount, mergeReports, readLegs } from "./mod.ts";
 * console.log(legCount(mergeReports(await readLegs(["legs/"]))));
 * ```
 */
export function legCount(merged: Pick<MergedReport, "legs" | "refused" | "missing">): number {
  return merged.legs.length + merged.refused.length + merged.missing.length;
}

const COUNT_OUTPUTS = [
  ["NUM_CANDIDATES", "candidates"],
  ["NUM_BASELINES", "baselines"],
  ["NUM_FINISHED", "finished"],
  ["NUM_RUNNING", "running"],
  ["NUM_PENDING", "pending"],
  ["NUM_FAILED", "failed"],
  ["NUM_CRASHED", "crashed"],
  ["NUM_ABORTED", "aborted"],
  ["NUM_PREEMPTED", "preempted"],
  ["NUM_UNKNOWN", "unknown"],
  ["NUM_STALLED", "stalled"],
] as const;

/**
 * The legs this merge reads (another matrix's, downloaded by the same
 * pattern, are not ours: said in `notes`), and their one commit.
 */
function ourLegs(read: ReadLegs, options: MergeOptions) {
  const notOurs = legFilter(options);
  const notes: string[] = [];
  const legs = read.legs.filter((leg) => {
    const why = notOurs(leg.name);
    if (why) notes.push(`${leg.file} (leg ${leg.name}) ${why}: left out, as another merge's`);
    return !why;
  });
  const sha = legs[0]?.report.sha ?? options.sha ?? "";
  const other = legs.find((leg) => leg.report.sha !== sha);
  if (other) {
    throw new InvalidInputError(
      "--reports",
      `reports of one commit (${legs[0]!.file} is of ${sha || "no commit"})`,
      other.file,
      `of ${other.report.sha || "no commit"}`,
    );
  }
  return { legs, notes, sha };
}

/** Each leg once (a repeat is said), and a leg that contradicts itself refused. */
function screenLegs(legs: readonly Leg[]) {
  const problems: string[] = [];
  const seen = new Map<string, Leg>();
  const unique: Leg[] = [];
  const refused: MergedReport["refused"] = [];
  for (const leg of legs) {
    const first = seen.get(leg.name);
    if (first) {
      problems.push(
        `leg ${leg.name} reported twice (${first.file}, ${leg.file}); the first is used`,
      );
      continue;
    }
    seen.set(leg.name, leg);
    const reason = contradiction(leg.report);
    if (!reason) unique.push(leg);
    else {
      refused.push({ name: leg.name, file: leg.file, reason });
      problems.push(`${leg.file} (leg ${leg.name}) contradicts itself: ${reason}; not merged`);
    }
  }
  return { problems, seen, unique, refused };
}

/** What a leg that never reported leaves to say, first among the problems. */
function absentLegs(seen: ReadonlyMap<string, Leg>, options: MergeOptions, problems: string[]) {
  const missing = (options.expect ?? []).filter((name) => !seen.has(name));
  if (missing.length) {
    problems.unshift(
      `${seen.size} of ${seen.size + missing.length} legs reported; ${
        missing.join(", ")
      } failed before reporting`,
    );
  } else if (options.legsResult && options.legsResult !== "success") {
    problems.unshift(
      `the matrix job ended ${options.legsResult}: a leg may have failed before reporting`,
    );
  }
  // No leg at all is never a pass, even when missing legs are allowed.
  if (seen.size === 0 && !missing.length) problems.unshift("no leg reported");
  return missing;
}

/** The merged verdict: failed when counted against, else the worst of the legs'. */
function mergedVerdict(
  summaries: readonly LegSummary[],
  counted: boolean,
): MergedReport["verdict"] {
  const any = (verdict: LegSummary["verdict"]) => summaries.some((leg) => leg.verdict === verdict);
  if (counted || any("failed")) return "failed";
  if (any("pending")) return "pending";
  return any("inconclusive") ? "inconclusive" : "passed";
}

/**
 * Merges the legs: one verdict, the problems said, the counts summed.
 *
 * @throws {InvalidInputError} when the legs report on different commits (naming the file)
 *
 * @example
 * ```ts ignore
 * import { mergeReports, readLegs } from "./mod.ts";
 * const merged = mergeReports(await readLegs(["legs/"]), { expect: ["vision", "nlp"] });
 * console.log(merged.verdict);
 * ```
 */
export function mergeReports(read: ReadLegs, options: MergeOptions = {}): MergedReport {
  checkArtifactNames(options.expect ?? []);
  const { legs, notes, sha } = ourLegs(read, options);
  const { problems, seen, unique, refused } = screenLegs(legs);
  for (const { file, version } of read.incompatible) {
    problems.push(
      `${file} is a report of JSON version ${version ?? "before 1"}; this merge reads version 1`,
    );
  }
  const missing = absentLegs(seen, options, problems);
  const summaries = unique.map(summarise).sort((a, b) =>
    rank(a) - rank(b) || a.name.localeCompare(b.name)
  );
  // A refused leg always counts: its verdict cannot be known, and may have been forged.
  const counted = seen.size === 0 || refused.length > 0 ||
    (problems.length > 0 && !options.allowIncomplete);
  const verdict = mergedVerdict(summaries, counted);
  // An inconclusive leg blocks when its own report said so (--on-inconclusive fail).
  const passed = !counted && summaries.every((leg) => leg.passed);
  // A matrix that did not succeed may have lost a leg nobody named: not complete.
  const matrixDone = options.legsResult === undefined || options.legsResult === "success";
  const complete = matrixDone && missing.length === 0 && refused.length === 0 &&
    unique.every((leg) => leg.report.complete);
  const outputs: Record<string, string> = {};
  for (const [output, key] of COUNT_OUTPUTS) {
    outputs[output] = String(unique.reduce((n, leg) => n + (leg.report.counts[key] ?? 0), 0));
  }
  Object.assign(outputs, {
    BOOL_COMPLETE: pyBool(complete),
    GATE_PASSED: pyBool(passed),
    GATE_VERDICT: verdict,
    SHA: sha,
    NUM_LEGS: String(seen.size + missing.length),
    NUM_LEGS_REPORTED: String(unique.length),
  });
  return {
    sha,
    legs: summaries,
    missing,
    refused,
    problems,
    notes,
    verdict,
    passed,
    complete,
    outputs,
  };
}

/**
 * The artifact (and file) name a leg's report travels under, as the
 * workflow and the action make it: `wandb-report-leg-` and the key with
 * every byte outside `A-Za-z0-9._-` made `-` (`tr -c`).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { legArtifactName } from "./merge.ts";
 * assertEquals(legArtifactName("tasks/ner"), "wandb-report-leg-tasks-ner");
 * ```
 */
export function legArtifactName(key: string): string {
  const bytes = new TextEncoder().encode(key);
  const safe = Array.from(
    bytes,
    (b) => /[A-Za-z0-9._-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : "-",
  );
  return `wandb-report-leg-${safe.join("")}`;
}

// picomatch ships no types: the one call used here, typed once.
type Picomatch = (glob: string, options: { dot: boolean }) => (key: string) => boolean;
const picomatch = picomatchModule as unknown as Picomatch;

/**
 * Why a leg is another merge's (not among `--expect`, or not matching
 * `--legs`), or undefined when it is ours.
 *
 * @throws {InvalidInputError} when an expected leg does not match `--legs`: it could never be read
 */
function legFilter(options: MergeOptions): (key: string) => string | undefined {
  const expected = options.expect?.length ? new Set(options.expect) : undefined;
  const glob = options.legs;
  const matches = glob === undefined ? () => true : picomatch(glob, { dot: true });
  const outside = options.expect?.find((key) => !matches(key));
  if (outside !== undefined) {
    throw new InvalidInputError(
      "--expect",
      `legs that --legs ${glob} takes`,
      outside,
      "so it could never be read: widen --legs or drop the leg",
    );
  }
  return (key) => {
    if (!matches(key)) return `does not match --legs ${glob}`;
    if (expected && !expected.has(key)) return "is not among --expect";
    return undefined;
  };
}

/** Two expected legs whose artifacts would share a name: one upload replaces the other. */
function checkArtifactNames(expect: readonly string[]): void {
  const byName = new Map<string, string>();
  for (const key of expect) {
    const name = legArtifactName(key);
    const first = byName.get(name);
    if (first !== undefined && first !== key) {
      throw new InvalidInputError(
        "--expect",
        "report keys that stay apart as artifact names (every character outside " +
          "A-Za-z0-9._- becomes -)",
        `${first} and ${key}`,
        `both travel as ${name}, so one leg's upload replaces the other's: rename one`,
      );
    }
    byName.set(name, key);
  }
}

/**
 * What makes a leg's report contradict itself, if anything: its verdict is
 * re-derived from its rules (as the report derived it), never taken on trust.
 */
function contradiction(report: LegReport): string | undefined {
  const { gate } = report;
  for (const v of gate.verdicts) {
    if ((v.status === "fail" && !v.failed) || (v.status === "pass" && v.failed)) {
      return `rule ${v.rule} has status ${v.status} but failed=${v.failed}`;
    }
  }
  if (!gate.enabled) {
    return gate.verdicts.length || !gate.passed
      ? "its gate is off but has verdicts or did not pass"
      : undefined;
  }
  if (gate.verdict === "pending") {
    return gate.verdicts.length || !gate.passed
      ? "it waits for training but has verdicts or did not pass"
      : undefined;
  }
  // Whether a blocking inconclusive rule fails is in its own `failed` (--on-inconclusive).
  const rules = overall(gate.verdicts, gate.complete ?? undefined, "pass");
  const passed = gate.complete?.passed !== false && !gate.verdicts.some((v) => v.failed);
  if (gate.passed !== passed) {
    const failed = gate.verdicts.find((v) => v.failed);
    return `gate.passed is ${gate.passed} but ${
      failed
        ? `rule ${failed.rule} failed`
        : gate.complete?.passed === false
        ? "its completeness check failed"
        : "no rule failed"
    }`;
  }
  if (gate.verdict !== undefined && gate.verdict !== rules.verdict) {
    return `its verdict is ${gate.verdict} but its rules say ${rules.verdict}`;
  }
  return undefined;
}

function summarise(leg: Leg): LegSummary {
  const { gate } = leg.report;
  const worse = (v: { worse?: unknown; allowed?: unknown }) =>
    (typeof v.worse === "number" ? v.worse : 0) - (typeof v.allowed === "number" ? v.allowed : 0);
  const failing = gate.verdicts.filter((v) => v.failed).sort((a, b) => worse(b) - worse(a));
  const verdict = verdictWord(gate);
  return {
    name: leg.name,
    file: leg.file,
    verdict,
    passed: gate.passed,
    failing,
    report: leg.report,
  };
}

/** Failing legs first, then pending, then inconclusive, then the rest. */
function rank(leg: LegSummary): number {
  return !leg.passed ? 0 : leg.verdict === "pending" ? 1 : leg.verdict === "inconclusive" ? 2 : 3;
}
