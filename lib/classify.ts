/**
 * Classification: what state each candidate is in, the counts, and the step
 * outputs with the old action's names and spellings.
 *
 * @module
 */
import { match } from "ts-pattern";
import { z } from "zod";
import { pyBool, type Run as WandbRun } from "./ground/model.ts";

/**
 * Every run state W&B reports (`aborted` is the old name of `killed`).
 * A state outside this list is reported as `unknown`, never dropped.
 */
export const RunStateSchema = z.enum([
  "running",
  "pending",
  "preempting",
  "finished",
  "failed",
  "crashed",
  "killed",
  "aborted",
  "preempted",
]);

/** A known W&B run state. */
export type RunState = z.output<typeof RunStateSchema>;

/** The buckets counted in the outputs. */
export type StateBucket =
  | "finished"
  | "running"
  | "pending"
  | "failed"
  | "crashed"
  | "aborted"
  | "preempted"
  | "unknown";

/**
 * The bucket a run state counts in. `preempting` is still alive, so it counts
 * as running; `killed` and the legacy `aborted` count as aborted.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { bucketOf } from "./classify.ts";
 * assertEquals(bucketOf("killed"), "aborted");
 * assertEquals(bucketOf("zombie"), "unknown");
 * assertEquals(bucketOf(null), "unknown");
 * ```
 */
export function bucketOf(state: string | null | undefined): StateBucket {
  return (state && BUCKETS.get(state)) || "unknown";
}

// Built once from an exhaustive match, so that adding a state to
// RunStateSchema without a bucket fails type checking.
const BUCKETS: ReadonlyMap<string, StateBucket> = new Map(
  RunStateSchema.options.map((state) => [
    state,
    match(state)
      .returnType<StateBucket>()
      .with("finished", () => "finished")
      .with("running", "preempting", () => "running")
      .with("pending", () => "pending")
      .with("failed", () => "failed")
      .with("crashed", () => "crashed")
      .with("killed", "aborted", () => "aborted")
      .with("preempted", () => "preempted")
      .exhaustive(),
  ]),
);

/**
 * Counts over the candidates (and the number of baselines). `stalled`
 * candidates are `running` runs whose heartbeat stopped: counted apart, not
 * in `running`.
 */
export type Counts = Record<StateBucket, number> & {
  stalled: number;
  candidates: number;
  baselines: number;
};

/** How far ahead of our clock a heartbeat may be (clock skew) before it is unreadable. */
const FUTURE_SLACK_MS = 5 * 60_000;

/** A candidate W&B still says is running, whose heartbeat stopped. */
export interface StalledRun {
  /** The run. */
  run: Pick<WandbRun, "name" | "displayName" | "state" | "heartbeatAt" | "createdAt">;
  /** Its last sign of life (the heartbeat, else its creation), ISO 8601. */
  lastSeen: string;
  /** How long ago, in ms. */
  ageMs: number;
}

/** The classification of one report. */
export interface Classification {
  /** Candidates per state bucket, and the number of baselines. */
  counts: Counts;
  /** At least one candidate finished and none is still alive or stalled (running, pending, preempting). */
  complete: boolean;
  /** Exactly one candidate. */
  singleRun: boolean;
  /** The stalled candidates (`--stale-after`). */
  stalled: StalledRun[];
  /** Candidates whose heartbeat is not a date (judged by their creation instead). */
  unreadableHeartbeats: string[];
}

/** When runs count as stalled. */
export interface StaleRule {
  /** The clock now, in epoch ms. */
  now: number;
  /** A running run whose last heartbeat is older than this (ms) has stalled; 0: never. */
  staleAfterMs: number;
}

/**
 * An ISO 8601 time as W&B writes it: without a zone it is UTC (JavaScript
 * would read it as local time). `undefined` when it is no date.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { wandbTime } from "./classify.ts";
 * assertEquals(wandbTime("2026-11-10T09:15:00"), Date.UTC(2026, 10, 10, 9, 15));
 * assertEquals(wandbTime("soon"), undefined);
 * ```
 */
export function wandbTime(text: string | null | undefined): number | undefined {
  if (!text || !/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  // "2026-12-05 10:00:00" is read as local time by Date.parse: make it ISO first.
  const iso = text.replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, "$1T");
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(iso) || !iso.includes("T") ? iso : `${iso}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Counts candidates by state.
 *
 * @example
 * ```ts
 * import { classify } from "./classify.ts";
 * const runs = [{ state: "finished" }, { state: "running" }];
 * classify(runs, []).complete; // false: one is still running
 * ```
 */
export function classify(
  candidates: readonly Partial<StalledRun["run"]>[],
  baselines: readonly unknown[],
  stale?: StaleRule,
): Classification {
  const counts: Counts = {
    candidates: candidates.length,
    baselines: baselines.length,
    finished: 0,
    running: 0,
    pending: 0,
    failed: 0,
    crashed: 0,
    aborted: 0,
    preempted: 0,
    unknown: 0,
    stalled: 0,
  };
  const stalled: StalledRun[] = [];
  const unreadableHeartbeats: string[] = [];
  for (const run of candidates) {
    const bucket = bucketOf(run.state);
    if (bucket === "running" && stale && stale.staleAfterMs > 0) {
      // A run with no readable heartbeat is judged by when it was created.
      // A heartbeat more than a few minutes ahead of now (a clock gone wrong,
      // 2099-…) would keep a run alive forever: it is unreadable too.
      const read = wandbTime(run.heartbeatAt);
      const beat = read !== undefined && read - stale.now > FUTURE_SLACK_MS ? undefined : read;
      if (run.heartbeatAt && beat === undefined) unreadableHeartbeats.push(run.name ?? "");
      const seen = run.heartbeatAt && beat !== undefined ? run.heartbeatAt : run.createdAt;
      const at = beat ?? wandbTime(run.createdAt);
      // Without a heartbeat for --stale-after ("for this long"): stalled at exactly the bound.
      if (at !== undefined && stale.now - at >= stale.staleAfterMs) {
        counts.stalled++;
        stalled.push({
          run: run as StalledRun["run"],
          lastSeen: seen ?? "",
          ageMs: stale.now - at,
        });
        continue;
      }
    }
    counts[bucket]++;
  }
  return {
    counts,
    complete: counts.finished > 0 && counts.running === 0 && counts.pending === 0 &&
      counts.stalled === 0,
    singleRun: candidates.length === 1,
    stalled,
    unreadableHeartbeats,
  };
}

/**
 * The step outputs, with the old action's names and Python-style booleans,
 * plus the newer counts and the SHA the report is about.
 *
 * @param sha the commit reported on ("" when unknown, e.g. run-id mode with no run)
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { classify, stepOutputs } from "./classify.ts";
 * const outputs = stepOutputs(classify([{ state: "finished" }], []), "abc1234");
 * assertEquals([outputs.BOOL_COMPLETE, outputs.NUM_FINISHED], ["True", "1"]);
 * ```
 */
export function stepOutputs(c: Classification, sha: string): Record<string, string> {
  const { counts } = c;
  return {
    BOOL_COMPLETE: pyBool(c.complete),
    BOOL_SINGLE_RUN: pyBool(c.singleRun),
    NUM_FINISHED: String(counts.finished),
    NUM_RUNNING: String(counts.running),
    NUM_CRASHED: String(counts.crashed),
    NUM_ABORTED: String(counts.aborted),
    NUM_BASELINES: String(counts.baselines),
    NUM_FAILED: String(counts.failed),
    NUM_PENDING: String(counts.pending),
    NUM_PREEMPTED: String(counts.preempted),
    NUM_UNKNOWN: String(counts.unknown),
    NUM_CANDIDATES: String(counts.candidates),
    NUM_STALLED: String(counts.stalled),
    SHA: sha,
  };
}

/**
 * "3 finished, 1 running": the non-zero state counts of the candidates, in
 * a fixed order, for summaries.
 *
 * @example
 * ```ts
 * import { classify, stateList } from "./classify.ts";
 * stateList(classify([{ state: "finished" }, { state: "running" }], []).counts);
 * // ["1 finished", "1 running"]
 * ```
 */
export function stateList(counts: Counts): string[] {
  return ([
    "finished",
    "running",
    "stalled",
    "pending",
    "failed",
    "crashed",
    "aborted",
    "preempted",
    "unknown",
  ] as const)
    .filter((bucket) => counts[bucket] > 0)
    // W&B calls it killed (the table says so too); NUM_ABORTED keeps the old action's name.
    .map((bucket) => `${counts[bucket]} ${bucket === "aborted" ? "killed" : bucket}`);
}
