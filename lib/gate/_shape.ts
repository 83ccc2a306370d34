/**
 * What the histories of a report's gated metrics say together about main's
 * noise (reference/statistics.md, "Beyond the textbook world"). A commit that
 * trains less stably is noisier in every metric, so ten metrics tell how σ
 * moves between commits ten times as well as one:
 *
 * - the **spread** of σ between commits: each metric's variance of its
 *   commits' log s² beyond what their seeds give (ψ′), pooled over metrics;
 * - **where σ moved** on main: each commit's log s² (less its metric's mean)
 *   averaged over the metrics, scanned over every split into newest and
 *   older commits, the largest shift's p by permutation (the commits' own
 *   spread is the yardstick, so metrics that move together are not counted
 *   as more evidence); one metric alone is scanned on its own series.
 *
 * @module
 */
import { trigamma } from "../ground/inference.ts";
import { seededRandom } from "../ground/random.ts";
import { mean, variance } from "../ground/stats.ts";

/** Commits (newest first) whose values tell main's level. */
export const RECENT_COMMITS = 5;

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
  /**
   * The metrics' joint say on σ moving on main (two or more keyed metrics):
   * where it moved, or `none`; absent when they cannot say together.
   */
  change?: (ChangePoint & { recent: string[] }) | "none";
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
    const log = logVariance(cell);
    if (log === undefined) return undefined;
    logs.push(log);
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

/**
 * Each commit's log s² less its metric's mean, averaged over the metrics that
 * have the commit (matched by key), newest first, with the keys; `undefined`
 * with fewer than two keyed metrics.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { commitSeries } from "./_shape.ts";
 * const a = { cells: [[0, 2], [0, 1]], keys: ["c1", "c0"] };
 * const b = { cells: [[0, 1]], keys: ["c0"] }; // no c1: c1 is told by a alone
 * // a's log s² are log 2 and log ½ (mean 0); b's one is its own mean (0).
 * assertEquals(commitSeries([a, b]), { keys: ["c1", "c0"], values: [Math.log(2), Math.log(0.5) / 2] });
 * ```
 */
export function commitSeries(
  histories: readonly KeyedCells[],
): { keys: string[]; values: number[] } | undefined {
  const keyed = histories.filter((h) => h.keys && h.keys.length === h.cells.length);
  if (keyed.length < 2) return undefined;
  const byKey = new Map<string, number[]>();
  for (const { cells, keys } of keyed) {
    const { index, values } = logSeries(cells);
    const centre = mean(values);
    if (centre === undefined) continue;
    index.forEach((i, j) =>
      byKey.set(keys![i]!, [...(byKey.get(keys![i]!) ?? []), values[j]! - centre])
    );
  }
  const order = chainOrder(keyed.map((h) => h.keys!)).filter((key) => byKey.has(key));
  return { keys: order, values: order.map((key) => mean(byKey.get(key)!)!) };
}

/**
 * One newest-first order of every key, each list being newest first along
 * one chain of commits (a metric may miss some): each key not yet placed goes
 * right after the last placed key before it in its own list.
 */
function chainOrder(lists: readonly (readonly string[])[]): string[] {
  const order: string[] = [];
  for (const list of lists) {
    let cursor = -1;
    for (const key of list) {
      const at = order.indexOf(key);
      if (at >= 0) cursor = at;
      else order.splice(++cursor, 0, key);
    }
  }
  return order;
}

/** Where σ moved on main, and which way: the newest `at` commits have the new σ. */
export interface ChangePoint {
  /** `up`: a less stable training; `down`: a steadier one. */
  direction: "up" | "down";
  /** How many of the newest commits have the new σ. */
  at: number;
  /** The permutation p-value of the largest shift, one-sided. */
  p: number;
  /** That shift: the pooled two-sample t of the newest `at` against the older (its sign the direction's). */
  t: number;
  /** Told by the report's metrics together (this metric alone may not see it). */
  jointly?: boolean;
}

/** One-sided levels at which a scan names a change up or down. */
export interface ChangeLevels {
  /** σ grew. */
  up: number;
  /** σ shrank. */
  down: number;
}

/** The metrics together, and one metric alone. */
export const JOINT_LEVELS: ChangeLevels = { up: 0.05, down: 0.01 };
export const ALONE_LEVELS: ChangeLevels = { up: 0.10, down: 0.01 };
/** One metric beside the metrics' joint say must be far out to switch alone. */
export const BESIDE_LEVELS: ChangeLevels = { up: 0.01, down: 0.001 };

const PERMUTATIONS = 999;
const MIN_RECENT = 2;
const MIN_OLDER = 4;

/**
 * The largest pooled two-sample t over the splits of `series` (newest first)
 * into its newest k values and the rest, each way, and where.
 */
function largestShifts(series: readonly number[]) {
  const n = series.length;
  let [sum, squares] = [0, 0];
  for (const x of series) (sum += x, squares += x * x);
  let [headSum, headSquares] = [0, 0];
  const best = { up: -Infinity, upAt: 0, down: -Infinity, downAt: 0 };
  for (let k = 1; k <= n - MIN_OLDER; k++) {
    headSum += series[k - 1]!;
    headSquares += series[k - 1]! ** 2;
    if (k < MIN_RECENT) continue;
    const [tailSum, tailSquares] = [sum - headSum, squares - headSquares];
    const within = headSquares - headSum ** 2 / k + tailSquares - tailSum ** 2 / (n - k);
    const se = Math.sqrt((Math.max(within, 0) / (n - 2)) * (1 / k + 1 / (n - k)));
    const t = se > 0 ? (headSum / k - tailSum / (n - k)) / se : 0;
    if (t > best.up) (best.up = t, best.upAt = k);
    if (-t > best.down) (best.down = -t, best.downAt = k);
  }
  return best;
}

/**
 * Where σ moved on main, if it did: every split of `series` (commits' log s²,
 * newest first) into its newest k (at least 2) and the older (at least 4),
 * the pooled two-sample t of each, and the largest, each way; its p-value by
 * 999 permutations of the series (seeded, so a report is reproducible),
 * which calibrates the scan over every split. A change up is named below
 * `levels.up`, down below `levels.down`; `undefined` otherwise, or with fewer
 * than 6 commits.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { changePoint, JOINT_LEVELS } from "./_shape.ts";
 * // σ² four times larger on the newest 3 commits.
 * const series = [1.4, 1.3, 1.5, 0.1, -0.1, 0, 0.2, -0.2, 0.1, 0, -0.1, 0.05];
 * const found = changePoint(series, JOINT_LEVELS)!;
 * assertEquals([found.direction, found.at, found.p < 0.01], ["up", 3, true]);
 * assertEquals(changePoint([0, 0.1, -0.1, 0.05, 0, -0.05, 0.1, 0], JOINT_LEVELS), undefined);
 * ```
 */
export function changePoint(
  series: readonly number[],
  levels: ChangeLevels,
): ChangePoint | undefined {
  if (series.length < MIN_RECENT + MIN_OLDER) return undefined;
  const seen = largestShifts(series);
  const { uniform } = seededRandom(0x5ca1ab1e ^ series.length);
  const shuffled = [...series];
  let [upAbove, downAbove] = [0, 0];
  // Counts only grow: once neither p can reach its level, the answer is known (no change).
  const [upMost, downMost] = [levels.up, levels.down].map((l) => l * (PERMUTATIONS + 1) - 1);
  for (let i = 0; i < PERMUTATIONS && (upAbove <= upMost! || downAbove <= downMost!); i++) {
    for (let j = shuffled.length - 1; j > 0; j--) {
      const k = Math.floor(uniform() * (j + 1));
      const swap = shuffled[j]!;
      shuffled[j] = shuffled[k]!;
      shuffled[k] = swap;
    }
    const drawn = largestShifts(shuffled);
    if (drawn.up >= seen.up) upAbove++;
    if (drawn.down >= seen.down) downAbove++;
  }
  const [pUp, pDown] = [(upAbove + 1) / (PERMUTATIONS + 1), (downAbove + 1) / (PERMUTATIONS + 1)];
  if (pUp <= levels.up) return { direction: "up", at: seen.upAt, p: pUp, t: seen.up };
  if (pDown <= levels.down) return { direction: "down", at: seen.downAt, p: pDown, t: -seen.down };
  return undefined;
}

/**
 * A metric's commits' log s², newest first, with each one's index among
 * `cells` (commits whose seeds are all equal left out): the series one metric
 * alone is scanned on.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { logSeries } from "./_shape.ts";
 * const { index, values } = logSeries([[0, 2], [1, 1], [0, 1]]);
 * assertEquals(index, [0, 2]);
 * assertEquals(values.map((l) => l.toFixed(12)), [Math.log(2).toFixed(12), Math.log(0.5).toFixed(12)]);
 * ```
 */
export function logSeries(
  cells: readonly (readonly number[])[],
): { index: number[]; values: number[] } {
  const logs = cells.map(logVariance);
  const index = logs.flatMap((log, i) => (log === undefined ? [] : [i]));
  return { index, values: index.map((i) => logs[i]!) };
}

/** A commit's log s²; `undefined` when its seeds are all equal, or fewer than two. */
function logVariance(cell: readonly number[]): number | undefined {
  const s2 = variance(cell);
  return s2 > 0 ? Math.log(s2) : undefined;
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
  const series = commitSeries(histories);
  if (!series) return { ...(spread && { spread }) };
  const found = changePoint(series.values, JOINT_LEVELS);
  const change = found
    ? { ...found, jointly: true, recent: series.keys.slice(0, found.at) }
    : "none" as const;
  return { ...(spread && { spread }), change };
}
