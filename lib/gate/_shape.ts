/**
 * What the histories of a report's gated metrics say together about main's
 * noise (reference/statistics.md, "Beyond the textbook world"). A commit that
 * trains less stably is noisier in every metric, so ten metrics tell how σ
 * moves between commits ten times as well as one:
 *
 * - the **spread** of σ between commits: each metric's variance of its
 *   commits' log s² beyond what their seeds give (ψ′), pooled over metrics;
 * - a **change** of σ on main's newest commits: each commit's log s² (less
 *   its metric's mean) averaged over the metrics, and Welch's t of the newest
 *   commits' against the older's (the commits' own spread is the yardstick,
 *   so metrics that move together are not counted as more evidence).
 *
 * @module
 */
import { trigamma, tUpperTail, welchDf } from "../ground/inference.ts";
import { mean, summarize, variance } from "../ground/stats.ts";

/** Commits (newest first) whose spread counts as "recent". */
export const RECENT_COMMITS = 5;

/** One-sided levels at which the metrics together say the spread went up or down. */
const SHARED_UP = 0.05;
const SHARED_DOWN = 0.01;

/** How much the commits' log s² spread beyond what their seeds give, and from how many. */
export interface LogSpread {
  /** Var(log s²) less the mean ψ′((k−1)/2): the variance of the commits' own log σ². */
  excess: number;
  /** The square of its standard error. */
  se2: number;
  /** The commits it was told from. */
  commits: number;
}

/** One metric's history: its commits' values (newest first) and whose they are. */
export interface KeyedCells {
  /** Each commit's (and group's) values, newest first. */
  cells: readonly (readonly number[])[];
  /** Who each cell is (commit, and group), aligned with `cells`; metrics are matched by it. */
  keys?: readonly string[];
}

/** What the gated metrics' histories say together. */
export interface ReportShape {
  /** How σ varies between commits, pooled over the metrics. */
  spread?: LogSpread;
  /** σ moved on main's newest commits, in every metric at once. */
  change?: "up" | "down" | "none";
}

/**
 * One metric's {@link LogSpread}; `undefined` with fewer than five commits of
 * two seeds, or when a commit's seeds are all equal (no log to take).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { logSpread } from "./_shape.ts";
 * const alike = Array.from({ length: 8 }, () => [0, 1, 2]);
 * assertEquals(logSpread(alike)!.excess < 0, true); // no spread at all: less than seeds give
 * ```
 */
export function logSpread(cells: readonly (readonly number[])[]): LogSpread | undefined {
  const logs: number[] = [];
  let seedShare = 0;
  for (const cell of cells.filter((c) => c.length >= 2)) {
    const s2 = variance(cell);
    if (!(s2 > 0)) return undefined;
    logs.push(Math.log(s2));
    seedShare += trigamma((cell.length - 1) / 2);
  }
  if (logs.length < 5) return undefined;
  // How well the commits tell their log s²'s variance: Var(s²) ≈ (m₄ − s⁴) / N.
  const centre = mean(logs)!;
  const m4 = mean(logs.map((l) => (l - centre) ** 4))!;
  const s2 = variance(logs);
  const se2 = Math.max(0, m4 - s2 ** 2) / logs.length;
  return { excess: s2 - seedShare / logs.length, se2, commits: logs.length };
}

/**
 * Spreads told together, weighted by their commits; `undefined` when none
 * can tell.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { pooledSpread } from "./_shape.ts";
 * const pooled = pooledSpread([{ excess: 0.2, se2: 0.09, commits: 10 }, { excess: 0.5, se2: 0.09, commits: 20 }]);
 * assertEquals([pooled!.excess.toFixed(6), pooled!.se2.toFixed(6), pooled!.commits], ["0.400000", "0.050000", 30]);
 * ```
 */
export function pooledSpread(spreads: readonly (LogSpread | undefined)[]): LogSpread | undefined {
  const known = spreads.filter((s): s is LogSpread => s !== undefined);
  const commits = known.reduce((n, s) => n + s.commits, 0);
  if (!commits) return undefined;
  const weighted = (f: (s: LogSpread) => number, power: number) =>
    known.reduce((sum, s) => sum + f(s) * (s.commits / commits) ** power, 0);
  return { excess: weighted((s) => s.excess, 1), se2: weighted((s) => s.se2, 2), commits };
}

/** The metrics' joint say on σ moving on main's newest commits. */
export interface SharedChange {
  /** `up` (one-sided p below 0.05), `down` (below 0.01), or `none`. */
  change: "up" | "down" | "none";
  /** Welch's t of the newest commits' log s² against the older's. */
  t: number;
  /** Its Welch–Satterthwaite df. */
  df: number;
}

/**
 * Each commit's log s² less its metric's mean, averaged over the metrics that
 * have the commit (matched by key), newest first; `undefined` with fewer
 * than two keyed metrics.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { commitSeries } from "./_shape.ts";
 * const a = { cells: [[0, 2], [0, 1]], keys: ["c1", "c0"] };
 * const b = { cells: [[0, 1]], keys: ["c0"] }; // no c1: c1 is told by a alone
 * // a's log s² are log 2 and log ½ (mean 0); b's one is its own mean (0).
 * assertEquals(commitSeries([a, b]), [Math.log(2), Math.log(0.5) / 2]);
 * ```
 */
export function commitSeries(histories: readonly KeyedCells[]): number[] | undefined {
  const keyed = histories.filter((h) => h.keys && h.keys.length === h.cells.length);
  if (keyed.length < 2) return undefined;
  const byKey = new Map<string, number[]>();
  for (const { cells, keys } of keyed) {
    const logs = cells.map((c) => (variance(c) > 0 ? Math.log(variance(c)) : NaN));
    const centre = mean(logs.filter(Number.isFinite));
    if (centre === undefined) continue;
    logs.forEach((log, i) => {
      if (!Number.isFinite(log)) return;
      const key = keys![i]!;
      // A Map keeps first insertion: newest first, as the first metric that had the key.
      byKey.set(key, [...(byKey.get(key) ?? []), log - centre]);
    });
  }
  return [...byKey.values()].map((logs) => mean(logs)!);
}

/**
 * Whether σ moved on main's newest {@link RECENT_COMMITS} commits in the
 * metrics together: Welch's one-sided t of the newest commits'
 * {@link commitSeries} against the older's — the commits' own spread is the
 * yardstick, so σ that varies by commit is not taken for a change, nor
 * metrics that move together for more evidence. `undefined` (no joint say)
 * with fewer than two keyed metrics, or fewer than 3 newer or 5 older
 * commits.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { sharedChange } from "./_shape.ts";
 * const keys = Array.from({ length: 12 }, (_, i) => `c${i}`);
 * // Seeds 4 apart on the newest 5 commits, 1 to 1.3 apart on the older (both metrics).
 * const cells = keys.map((_, i) => i < 5 ? [0, 4] : [0, 1 + (i % 4) / 10]);
 * assertEquals(sharedChange([{ cells, keys }, { cells, keys }])!.change, "up");
 * assertEquals(sharedChange([{ cells, keys }]), undefined); // one metric: its own F-test decides
 * ```
 */
export function sharedChange(histories: readonly KeyedCells[]): SharedChange | undefined {
  const series = commitSeries(histories);
  if (!series) return undefined;
  const recent = summarize(series.slice(0, RECENT_COMMITS));
  const older = summarize(series.slice(RECENT_COMMITS));
  if (recent.n < 3 || older.n < 5) return undefined;
  const se = Math.sqrt(recent.sd! ** 2 / recent.n + older.sd! ** 2 / older.n);
  if (!(se > 0)) return undefined;
  const t = (recent.mean! - older.mean!) / se;
  const df = welchDf({ n: recent.n, sd: recent.sd! }, { n: older.n, sd: older.sd! });
  const change = tUpperTail(t, df) < SHARED_UP
    ? "up"
    : tUpperTail(-t, df) < SHARED_DOWN
    ? "down"
    : "none";
  return { change, t, df };
}

/**
 * The {@link ReportShape} of the gated metrics' histories (each already
 * cleaned of main's diverged seeds).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { reportShape } from "./_shape.ts";
 * assertEquals(reportShape([{ cells: [[1, 2], [1, 2]] }]), {}); // two commits tell nothing
 * ```
 */
export function reportShape(histories: readonly KeyedCells[]): ReportShape {
  const spread = pooledSpread(histories.map((h) => logSpread(h.cells)));
  const change = sharedChange(histories)?.change;
  return { ...(spread && { spread }), ...(change && { change }) };
}
