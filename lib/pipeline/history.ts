/**
 * The history a report reads: the merge base, the first-parent chain for a
 * baseline search, a trend and the seed noise, all from one chain (and so
 * one W&B query); then the baselines, the trend and the noise from the
 * runs of its commits.
 *
 * @module
 */
import {
  type BaselineCommit,
  historyNoise,
  pickBaselineCommit,
  runsByCommit,
  trendOf,
  type TrendPoint,
} from "../history/baseline.ts";
import { readChain, readMergeBase } from "../history/read.ts";
import type { Commit } from "../history/source.ts";
import type { PooledNoise } from "../ground/inference.ts";
import { field, type Run, SHA_KEY } from "../ground/model.ts";
import type { CollectDeps, CollectSettings } from "./types.ts";

/** The commits a report reads history for, and what it learned reading it. */
export interface HistoryPlan {
  /** The first-parent chain from the baseline commit (the merge base, when asked), newest first. */
  chain: Commit[];
  /** Where it came from. */
  source: string;
  /** Notes: a shallow clone, the merge base found. */
  notes: string[];
  /** The commit a search starts from when none was given (the candidates' first parent). */
  baselineSha?: string;
}

/**
 * Reads the history a report needs: the merge base (`--merge-base`), then
 * the first-parent chain long enough for the baseline search and the trend
 * (one chain, and so one W&B query, for both). `undefined` when neither is asked.
 */
export async function historyPlan(
  options: CollectSettings,
  deps: CollectDeps,
): Promise<HistoryPlan | undefined> {
  const { baselineSearch = 0, trend = 0, mergeBase = false, noiseHistory = 0, match } = options;
  if (baselineSearch === 0 && trend === 0 && noiseHistory === 0 && !mergeBase) return undefined;
  const input = baselineSearch > 0
    ? "--baseline-search"
    : mergeBase
    ? "--merge-base"
    : trend > 0
    ? "--trend"
    : "--noise-history";
  const commitInput = options.baselineSha !== undefined
    ? "--baseline-sha"
    : options.historyBase !== undefined
    ? "--history-base"
    : "--sha";
  const places = {
    cwd: deps.history?.cwd ?? Deno.cwd(),
    github: deps.history?.github,
    input,
    commitInput,
  };
  const notes: string[] = [];
  // The base branch's history: from the baseline commit, else the PR's base, else the candidates'.
  let start = options.baselineSha ?? options.historyBase ?? (match.by === "sha" ? match.sha : "");
  if (mergeBase && match.by === "sha" && options.baselineSha !== undefined) {
    const found = await readMergeBase(options.baselineSha, match.sha, places);
    notes.push(
      `the merge base of ${options.baselineSha.slice(0, 12)} and ${match.sha.slice(0, 12)} is ` +
        `${found.sha.slice(0, 12)} (from ${found.source})`,
    );
    start = found.sha;
  }
  // A search without --baseline-sha starts at the candidates' commit's first parent.
  const fromParent = baselineSearch > 0 && options.baselineSha === undefined && match.by === "sha";
  const chain = await readChain(
    start,
    Math.max(baselineSearch, trend - 1, noiseHistory - 1, 0) + 1 + (fromParent ? 1 : 0),
    places,
  );
  const commits = fromParent ? chain.commits.slice(1) : chain.commits;
  if (fromParent && commits[0]) {
    notes.push(
      `--baseline-search without --baseline-sha: searching from ${
        commits[0].sha.slice(0, 12)
      }, the first parent of ${match.sha.slice(0, 12)}`,
    );
  }
  return {
    chain: commits,
    source: chain.source,
    notes: [...notes, ...chain.notes],
    baselineSha: fromParent ? commits[0]?.sha : undefined,
  };
}

/**
 * The baselines and the trend from the runs of the chain's commits: the tagged
 * baselines stay; the runs of the nearest commit with enough finished runs
 * join them; the trend takes each metric's mean per commit.
 */
export function fromHistory(
  plan: HistoryPlan,
  fetched: readonly Run[],
  options: CollectSettings,
): {
  baselines: Run[];
  commit?: BaselineCommit;
  trend?: TrendPoint[];
  noise?: Record<string, PooledNoise>;
  notes: string[];
} {
  const onChain = new Set(plan.chain.map((c) => c.sha));
  const byCommit = runsByCommit(fetched.filter((run) => {
    const sha = field(run.config, SHA_KEY);
    return typeof sha === "string" && onChain.has(sha.toLowerCase());
  }));
  // A trend alone (no --baseline-sha) walks back from the candidates' commit: no commit baseline.
  const minRuns = options.minBaselineRuns ?? 1;
  const searched = options.baselineSha === undefined
    ? []
    : plan.chain.slice(0, (options.baselineSearch ?? 0) + 1);
  const commit = {
    ...pickBaselineCommit(searched, byCommit, minRuns),
    source: plan.source,
  };
  const chosen = new Set(commit.sha ? byCommit.get(commit.sha) ?? [] : []);
  const tags = new Set(options.baselineTags);
  const baselines = fetched.filter((run) => chosen.has(run) || run.tags.some((t) => tags.has(t)));
  const notes: string[] = [];
  const range = `${searched[0]?.sha.slice(0, 12) ?? "?"}${
    searched.length > 1 ? `..${searched.at(-1)!.sha.slice(0, 12)}` : ""
  }`;
  if (commit.sha === undefined && searched.length) {
    notes.push(
      `no commit of the ${searched.length} first-parent commit${
        searched.length === 1 ? "" : "s"
      } searched (${range}) has ${minRuns} finished run${
        minRuns === 1 ? "" : "s"
      } logged: no baselines from a commit`,
    );
  } else if (commit.distance! > 0) {
    notes.push(
      `baselines: the runs of ${commit.sha!.slice(0, 12)}, ${commit.distance} first-parent ` +
        `commit${commit.distance === 1 ? "" : "s"} back from ${commit.requested.slice(0, 12)} ` +
        `(${commit.skipped} ${
          minRuns === 1 ? "without finished runs" : `with fewer than ${minRuns} finished runs`
        } passed over)`,
    );
  }
  const trend = (options.trend ?? 0) > 0
    ? trendOf(plan.chain.slice(0, options.trend), byCommit, options.metrics)
    : undefined;
  // Seed noise from every commit walked but the candidates' own (the
  // history σ of alpha= and noise= rules): one query served both.
  const own = options.match.by === "sha" ? options.match.sha : undefined;
  const noise = historyNoise(plan.chain, byCommit, options.metrics, {
    exclude: new Set(plan.chain.map((c) => c.sha).filter((sha) => own && sha.startsWith(own))),
    groupBy: options.groupBy,
  });
  return { baselines, commit: searched.length ? commit : undefined, trend, noise, notes };
}
