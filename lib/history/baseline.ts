/**
 * The baseline that exists, and the trend: from a first-parent chain and the
 * runs logged for its commits (fetched in one query), the nearest commit with
 * enough finished runs, and each metric's mean per commit. Pure: no I/O.
 *
 * @module
 */
import { bucketOf } from "../classify.ts";
import { field, type Run, SHA_KEY } from "../ground/model.ts";
import { type PooledNoise, pooledNoise } from "../ground/inference.ts";
import { type GroupBy, groupRuns, mean } from "../ground/stats.ts";
import type { Commit } from "./source.ts";

/** The commit whose runs became the baselines, and how it was found. */
export interface BaselineCommit {
  /** The commit asked for (`--baseline-sha`, or the merge base found for it). */
  requested: string;
  /** The commit used: the nearest with enough finished runs; none when no commit searched had them. */
  sha?: string;
  /** How many first-parent commits back from `requested` it is (0: the commit itself). */
  distance?: number;
  /** Commits passed over for having too few finished runs. */
  skipped: number;
  /** Commits searched. */
  searched: number;
  /** Where the history came from. */
  source?: string;
}

/** One commit of the trend: each metric's mean over its finished runs. */
export interface TrendPoint {
  /** The commit. */
  sha: string;
  /** When it was committed, when known. */
  date?: string;
  /** Its finished runs. */
  n: number;
  /** Per metric, the mean of its finished runs' finite values (absent when none had one). */
  means: Record<string, number>;
}

/** Runs grouped by the full commit SHA they logged (`config.github_sha`). */
export function runsByCommit(runs: readonly Run[]): Map<string, Run[]> {
  const byCommit = new Map<string, Run[]>();
  for (const run of runs) {
    const sha = field(run.config, SHA_KEY);
    if (typeof sha !== "string") continue;
    const key = sha.toLowerCase();
    const list = byCommit.get(key);
    if (list) list.push(run);
    else byCommit.set(key, [run]);
  }
  return byCommit;
}

const finishedOf = (runs: readonly Run[] | undefined) =>
  (runs ?? []).filter((run) => bucketOf(run.state) === "finished");

/**
 * The nearest commit of `chain` (newest first) with at least `minRuns`
 * finished runs.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { pickBaselineCommit } from "./baseline.ts";
 * const run = (sha: string) => ({ name: sha, state: "finished", tags: [], config: { github_sha: sha }, summary: {} });
 * const chain = [{ sha: "c3" }, { sha: "c2" }, { sha: "c1" }];
 * const found = pickBaselineCommit(chain, new Map([["c1", [run("c1")]]]), 1);
 * assertEquals(found, { requested: "c3", sha: "c1", distance: 2, skipped: 2, searched: 3 });
 * ```
 */
export function pickBaselineCommit(
  chain: readonly Commit[],
  byCommit: ReadonlyMap<string, readonly Run[]>,
  minRuns: number,
): BaselineCommit {
  const requested = chain[0]?.sha ?? "";
  for (const [distance, commit] of chain.entries()) {
    if (finishedOf(byCommit.get(commit.sha) as Run[]).length >= minRuns) {
      return { requested, sha: commit.sha, distance, skipped: distance, searched: chain.length };
    }
  }
  return { requested, skipped: chain.length, searched: chain.length };
}

/**
 * The trend over `chain`'s commits (newest first) that have finished runs,
 * oldest to newest: per commit, n and each metric's mean.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { trendOf } from "./baseline.ts";
 * const run = (sha: string, acc: number) => ({ name: `${sha}${acc}`, state: "finished", tags: [], config: { github_sha: sha }, summary: { acc } });
 * const byCommit = new Map([["c2", [run("c2", 0.75), run("c2", 0.85)]], ["c1", [run("c1", 0.7)]]]);
 * const trend = trendOf([{ sha: "c3" }, { sha: "c2" }, { sha: "c1" }], byCommit, ["acc"]);
 * assertEquals(trend.map((p) => [p.sha, p.n, p.means.acc]), [["c1", 1, 0.7], ["c2", 2, 0.8]]);
 * ```
 */
export function trendOf(
  chain: readonly Commit[],
  byCommit: ReadonlyMap<string, readonly Run[]>,
  metrics: readonly string[],
): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (const commit of chain) {
    const finished = finishedOf(byCommit.get(commit.sha) as Run[]);
    if (!finished.length) continue;
    const means: Record<string, number> = {};
    for (const metric of metrics) {
      const values = finished.flatMap((run) => {
        const value = field(run.summary, metric);
        return typeof value === "number" && Number.isFinite(value) ? [value] : [];
      });
      const m = mean(values);
      if (m !== undefined) means[metric] = m;
    }
    points.push({ sha: commit.sha, date: commit.date, n: finished.length, means });
  }
  return points.reverse();
}

/**
 * Each metric's seed noise pooled over `chain`'s commits: the within-commit
 * spread of the finished runs of every commit with two or more values
 * (within each group of a `--group-by` too, so a sweep's spread between
 * learning rates is not taken for seed noise). Commits in `exclude` (the
 * candidates' own) are left out. Metrics without such a commit are absent.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { historyNoise } from "./baseline.ts";
 * const run = (sha: string, acc: number) => ({ name: `${sha}${acc}`, state: "finished", tags: [], config: { github_sha: sha }, summary: { acc } });
 * const byCommit = new Map([["c2", [run("c2", 0.7), run("c2", 0.8)]], ["c1", [run("c1", 0.5), run("c1", 0.7)]]]);
 * const noise = historyNoise([{ sha: "c2" }, { sha: "c1" }], byCommit, ["acc"]);
 * assertEquals([noise.acc?.commits, noise.acc?.df, noise.acc?.sd.toFixed(4)], [2, 2, "0.1118"]);
 * assertEquals(noise.acc?.keys, ["c2#0", "c1#0"]); // who each cell is, to match metrics by
 * ```
 */
export function historyNoise(
  chain: readonly Commit[],
  byCommit: ReadonlyMap<string, readonly Run[]>,
  metrics: readonly string[],
  options: { exclude?: ReadonlySet<string>; groupBy?: GroupBy } = {},
): Record<string, PooledNoise> {
  // One cell per commit (and group): σ is pooled within cells, never across them.
  const cells: { sha: string; key: string; runs: Run[] }[] = [];
  for (const commit of chain) {
    if (options.exclude?.has(commit.sha)) continue;
    const finished = finishedOf(byCommit.get(commit.sha) as Run[]);
    if (finished.length < 2) continue;
    groupRuns(finished, options.groupBy).groups.forEach((group, g) => {
      cells.push({ sha: commit.sha, key: `${commit.sha}#${g}`, runs: group.runs });
    });
  }
  const noise: Record<string, PooledNoise> = {};
  for (const metric of metrics) {
    const values = cells.map((cell) =>
      cell.runs.flatMap((run) => {
        const value = field(run.summary, metric);
        return typeof value === "number" && Number.isFinite(value) ? [value] : [];
      })
    );
    const pooled = pooledNoise(values);
    // Commits are counted as commits: several groups of one commit are one.
    const commits = new Set(cells.filter((_, i) => values[i]!.length >= 2).map((c) => c.sha));
    if (pooled) {
      noise[metric] = {
        ...pooled,
        commits: commits.size,
        cells: values.filter((v) => v.length >= 2),
        keys: cells.flatMap((cell, i) => (values[i]!.length >= 2 ? [cell.key] : [])),
      };
    }
  }
  return noise;
}
