/**
 * Where main's σ moved and the σ a rule then uses (reference/statistics.md,
 * "Beyond the textbook world"): the commits since the change (the report's
 * metrics' joint say, or this metric's own scan) and the PR's own seeds, or
 * all of history pooled.
 *
 * @module
 */
import { variance } from "../ground/stats.ts";
import {
  ALONE_LEVELS,
  BESIDE_LEVELS,
  type ChangeLevels,
  type ChangePoint,
  changePoint,
  logSeries,
  type ReportShape,
} from "./_shape.ts";

/** The σ a rule uses, and where from. */
export interface ChangeAwareSd {
  /** One seed's σ. */
  sd: number;
  /** Its degrees of freedom. */
  df: number;
  /** `recent`: the newest commits and the PR's seeds, the spread having changed; `pooled`: all. */
  from: "recent" | "pooled";
  /** Where the spread changed, with `from: "recent"`; `commits` of main's newest used. */
  change?: ChangePoint & { commits: number };
}

/** s² pooled over cells, with Σ (n − 1) df. */
export function pooled(cells: readonly (readonly number[])[]): { s2: number; df: number } {
  let squares = 0;
  let df = 0;
  for (const c of cells) {
    if (c.length < 2) continue;
    squares += variance(c) * (c.length - 1);
    df += c.length - 1;
  }
  return { s2: df ? squares / df : 0, df };
}

/**
 * The σ from history when the noise may have changed: where main's σ moved
 * (`changePoint` on the commits' log s²: the report's metrics' joint say when
 * there is one, matched by `keys`, else this metric's own scan, one-sided
 * 0.10 up and 0.01 down, or 0.01 and 0.001 beside a joint say that saw
 * nothing), σ from the commits since and the PR's own seeds; else
 * everything pooled, the PR's seeds included. `undefined` with no df at all.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { changeAwareSd } from "./_change.ts";
 * const calm = (i: number) => [1, 2 + (i % 3) / 10];
 * const wild = (i: number) => [0, 10 + (i % 3)];
 * const cells = Array.from({ length: 15 }, (_, i) => (i < 3 ? wild(i) : calm(i)));
 * const sigma = changeAwareSd(cells, [0, 10])!;
 * assertEquals([sigma.from, sigma.change?.commits], ["recent", 3]);
 * assertEquals(changeAwareSd(cells.slice(3), [1, 2])!.from, "pooled");
 * ```
 */
export function changeAwareSd(
  cells: readonly (readonly number[])[],
  own: readonly number[],
  options: ChangeOptions & { since?: Since | null } = {},
): ChangeAwareSd | undefined {
  const all = pooled([...cells, own]);
  if (all.df === 0) return undefined;
  const moved = options.since === undefined ? sinceChange(cells, options) : options.since;
  const recent = moved && pooled([...moved.indices.map((i) => cells[i]!), own]);
  if (!moved || !recent || recent.df === 0) {
    return { sd: Math.sqrt(all.s2), df: all.df, from: "pooled" };
  }
  const change = { ...moved.point, commits: moved.indices.length };
  return { sd: Math.sqrt(recent.s2), df: recent.df, from: "recent", change };
}

/** Who the commits are, and the report's metrics' joint say on where σ moved. */
export interface ChangeOptions {
  /** Each cell's key (commit and group), to match the joint say's commits. */
  keys?: readonly string[];
  /** The report's metrics' joint say (`reportShape`). */
  shared?: ReportShape["change"];
}

/** The commits since main's σ moved (their indexes, newest first), and where it did. */
export interface Since {
  /** Indexes of the cells since the change. */
  indices: number[];
  /** Where and how σ moved. */
  point: ChangePoint;
}

/** {@link Since} for `cells`: the joint say when it names commits, else this metric's scan. */
export function sinceChange(
  cells: readonly (readonly number[])[],
  options: ChangeOptions,
): Since | null {
  const { keys, shared } = options;
  if (shared && shared !== "none" && keys?.length === cells.length) {
    const since = new Set(shared.recent);
    const indices = cells.flatMap((_, i) => (since.has(keys[i]!) ? [i] : []));
    if (indices.length) return { indices, point: shared };
  }
  const own = ownChange(cells, shared === undefined ? ALONE_LEVELS : BESIDE_LEVELS);
  return own
    ? { indices: Array.from({ length: own.through + 1 }, (_, i) => i), point: own.point }
    : null;
}

const OWN_CHANGES = new WeakMap<
  object,
  Map<ChangeLevels, { point: ChangePoint; through: number } | null>
>();

/**
 * One metric's own change point, and the index of the oldest commit since
 * (its scan is 999 permutations: the answer is kept per history, which every
 * group of a report shares).
 */
function ownChange(
  cells: readonly (readonly number[])[],
  levels: ChangeLevels,
): { point: ChangePoint; through: number } | undefined {
  const byLevels = OWN_CHANGES.get(cells) ?? new Map();
  OWN_CHANGES.set(cells, byLevels);
  const known = byLevels.get(levels);
  if (known !== undefined) return known ?? undefined;
  const { index, values } = logSeries(cells);
  const point = changePoint(values, levels);
  const found = point ? { point, through: index[point.at - 1]! } : undefined;
  byLevels.set(levels, found ?? null);
  return found;
}
