/**
 * The report from end to end. {@link runReport} reads top to bottom as one
 * run goes: fetch → classify → compare (once) → gate (fed the comparisons) →
 * render every format. Each step is also a library call of its own
 * ({@link collectReport}, {@link judgeReport}, {@link renderReport}). Nothing
 * here writes a file or prints; the CLI does.
 *
 * @module
 */
import { type Classification, classify, stepOutputs } from "./classify.ts";
import { compareRuns, type MetricComparison } from "./compare.ts";
import { evaluateGate, type GateResult, overall, ruleReference } from "./gate.ts";
import { groupRuns } from "./stats.ts";
import type { PooledNoise } from "./inference.ts";
import {
  type BaselineCommit,
  historyNoise,
  pickBaselineCommit,
  runsByCommit,
  trendOf,
  type TrendPoint,
} from "./history/baseline.ts";
import { type HistoryPlaces, readChain, readMergeBase } from "./history/read.ts";
import type { Commit } from "./history/source.ts";
import { checkLibraryOptions, type ReportOptions } from "./inputs/report.ts";
import {
  durationText,
  field,
  isShaToken,
  pyBool,
  type Run,
  SHA_EXPECTED,
  shaMatch,
} from "./model.ts";
import { renderCsv } from "./report/csv.ts";
import { jsonText, reportJson } from "./report/json.ts";
import { reportMarker } from "./marker.ts";
import { renderMarkdown } from "./report/markdown.ts";
import { statusText, summaryText } from "./report/summary.ts";
import { Redactor } from "./redact.ts";
import { type RetryDeps, retryPolicy } from "./retry.ts";
import { WandbClient } from "./wandb/client.ts";
import { fetchReportRuns, type ReportRunsRequest, withoutCandidates } from "./wandb/fetch.ts";
import { SHA_KEY } from "./wandb/queries.ts";
import { appUrlFor } from "./wandb/urls.ts";

/** The options {@link collectReport} needs (the output of `resolveInputs`, minus CLI-only ones). */
export type CollectOptions =
  & Pick<
    ReportOptions,
    | "apiKey"
    | "entity"
    | "project"
    | "match"
    | "baselineTags"
    | "metrics"
    | "configVars"
    | "baseUrl"
    | "appUrl"
    | "pageSize"
    | "timeoutSeconds"
    | "maxAttempts"
    | "maxRetrySeconds"
    | "maxResponseMb"
    | "commitScanDays"
    | "baselineSha"
  >
  & Partial<
    Pick<
      ReportOptions,
      | "groupBy"
      | "baselineSearch"
      | "minBaselineRuns"
      | "mergeBase"
      | "trend"
      | "noiseHistory"
      | "staleAfterSeconds"
    >
  >;

/** Everything a report found. */
export interface ReportResult {
  /** The W&B entity (team or user) of the project. */
  entity: string;
  /** The W&B project name. */
  project: string;
  /** The web app URL run links point at. */
  appUrl: string;
  /** The commit reported on; in run-id mode, the run's `github_sha` when it is a valid SHA. */
  sha: string;
  /** Every candidate run, in W&B's `+created_at` order. */
  candidates: Run[];
  /** Every baseline run, none of them a candidate. */
  baselines: Run[];
  /** State counts and the completeness verdict. */
  classification: Classification;
  /** Step outputs (`BOOL_COMPLETE`, `NUM_FINISHED`, …). */
  outputs: Record<string, string>;
  /** HTTP requests made and bytes received. */
  traffic: { requests: number; responseBytes: number };
  /** Things the user should know (fallbacks taken, why an answer is empty). */
  notes: string[];
  /** The commit whose runs became baselines, when a history was read for it. */
  baselineCommit?: BaselineCommit;
  /** Each metric's mean per commit of the baseline's branch (`--trend`), oldest first. */
  trend?: TrendPoint[];
  /** Each metric's seed noise pooled from the base branch's history (`--noise-history`, `--baseline-search`, `--trend`). */
  noise?: Record<string, PooledNoise>;
}

/** Extras for {@link collectReport}. */
export interface CollectDeps {
  /** Debug log (no secrets ever reach it). */
  log?: (line: string) => void;
  /** Swap the HTTP layer or the clock (tests, benchmarks). */
  http?: RetryDeps;
  /** Backoff base, in ms (tests shorten it). */
  baseDelayMs?: number;
  /**
   * The clock in ms: the `--match-commit` window (default `Date.now`) and
   * `--wait`'s deadline (default `performance.now`, which cannot jump).
   */
  now?: () => number;
  /** Waits between polls with `--wait`. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Told after each page (progress lines). */
  onPage?: (progress: { runs: number; total?: number; pages: number }) => void;
  /** Told of each retry before its wait. */
  onRetry?: (retry: { attempt: number; of: number; delayMs: number; reason: string }) => void;
  /** Told after each poll of `--wait`. */
  onPoll?: (poll: WaitPoll) => void | Promise<void>;
  /**
   * Holds the secrets to keep out of the runs' data (the CLI's, with every
   * secret it read). Default: one that knows `options.apiKey`.
   */
  redactor?: Redactor;
  /**
   * Where commit history may be read (`--baseline-search`, `--merge-base`,
   * `--trend`): a checkout, and GitHub's API. Default: the current directory
   * only.
   */
  history?: Omit<HistoryPlaces, "input">;
}

/** One poll of `--wait`: the candidates' counts now, and the time spent and left. */
export interface WaitPoll {
  /** The candidates' state counts. */
  counts: Classification["counts"];
  /** Whether every candidate has ended and one finished. */
  complete: boolean;
  /** Milliseconds since the wait began. */
  elapsedMs: number;
  /** Milliseconds left. */
  remainingMs: number;
  /** Polls so far. */
  polls: number;
}

/**
 * Fetches and classifies one report's runs.
 *
 * @throws {import("./errors.ts").InvalidInputError} for options the CLI would refuse
 * @throws {import("./errors.ts").ApiError} when W&B fails for good
 *
 * @example
 * ```ts ignore
 * import { collectReport, resolveInputs } from "../mod.ts";
 * const run = resolveInputs(["--project", "acme/vision", "--sha", "abc1234"], Deno.env.toObject());
 * if (run.kind === "report") {
 *   const result = await collectReport(run.options);
 *   console.log(result.outputs.NUM_FINISHED);
 * }
 * ```
 */
export async function collectReport(
  options: CollectOptions,
  deps: CollectDeps = {},
): Promise<ReportResult> {
  checkLibraryOptions(options);
  return await collect(options, deps, wandbClient(options, deps));
}

/** {@link collectReport} with a given client (the polls of `--wait` reuse one). */
async function collect(
  options: CollectOptions,
  deps: CollectDeps,
  client: WandbClient,
): Promise<ReportResult> {
  const { match } = options;
  // The commits a baseline search and a trend walk, read before W&B is asked.
  const plan = await historyPlan(options, deps);
  const fetched = await fetchReportRuns(client, {
    ...runsRequest(options, deps),
    baselineSha: plan?.chain.map((c) => c.sha) ?? options.baselineSha,
  });
  const { candidates, baselines: fetchedBaselines } = redactRuns(fetched, options, deps);
  const history = plan && fromHistory(plan, fetchedBaselines, options);
  const baselines = history?.baselines ?? fetchedBaselines;

  // In run-id mode the SHA is data from the run: it becomes an output only if
  // it is what a SHA input could have been.
  const logged = candidates[0] && field(candidates[0].config, SHA_KEY);
  const sha = match.by === "sha" ? match.sha : isShaToken(logged) ? shaMatch(logged).value : "";
  const notes = [...fetched.notes, ...(plan?.notes ?? []), ...(history?.notes ?? [])];
  if (match.by === "run-id" && logged !== undefined && logged !== null && sha === "") {
    notes.push(
      `run ${match.runId}'s config ${SHA_KEY} is not a commit SHA (${SHA_EXPECTED}); SHA left empty`,
    );
  }
  const classification = classify(candidates, baselines, staleRule(options, deps));
  notes.push(...stalledNotes(classification, options));
  return {
    entity: options.entity,
    project: options.project,
    appUrl: options.appUrl ?? appUrlFor(options.baseUrl),
    sha,
    candidates,
    baselines,
    classification,
    outputs: baselineOutputs(stepOutputs(classification, sha), options, history?.commit),
    traffic: { ...client.stats },
    notes: [...notes, ...emptyNotes(options, candidates, baselines)],
    baselineCommit: history?.commit,
    trend: history?.trend,
    noise: history?.noise,
  };
}

/** When a running candidate counts as stalled: no heartbeat for `--stale-after`, on the wall clock. */
function staleRule(options: CollectOptions, deps: CollectDeps) {
  return { now: (deps.now ?? Date.now)(), staleAfterMs: (options.staleAfterSeconds ?? 900) * 1000 };
}

/** One note per stalled candidate (naming it and its last heartbeat), and per unreadable heartbeat. */
function stalledNotes(classification: Classification, options: CollectOptions): string[] {
  const after = durationText(options.staleAfterSeconds ?? 900);
  return [
    ...classification.stalled.map(({ run, lastSeen, ageMs }) =>
      `run ${run.name}${
        run.displayName ? ` (${run.displayName})` : ""
      } is ${run.state} but its last heartbeat was at ${lastSeen} (${
        durationText(Math.round(ageMs / 60_000) * 60)
      } ago): counted as stalled (--stale-after ${after}), not waited for, and not complete`
    ),
    ...classification.unreadableHeartbeats.map((name) =>
      `run ${name}'s heartbeatAt is not a date, or is more than 5 minutes in the future: ` +
      "judged by when it was created"
    ),
  ];
}

/** The step outputs, with `BASELINE_SHA` when the baselines came from a commit. */
function baselineOutputs(
  outputs: Record<string, string>,
  options: Pick<CollectOptions, "baselineSha">,
  commit: BaselineCommit | undefined,
): Record<string, string> {
  if (options.baselineSha === undefined) return outputs;
  return { ...outputs, BASELINE_SHA: commit ? commit.sha ?? "" : options.baselineSha };
}

/** The commits a report reads history for, and what it learned reading it. */
interface HistoryPlan {
  /** The first-parent chain from the baseline commit (the merge base, when asked), newest first. */
  chain: Commit[];
  /** Where it came from. */
  source: string;
  /** Notes: a shallow clone, the merge base found. */
  notes: string[];
}

/**
 * Reads the history a report needs: the merge base (`--merge-base`), then
 * the first-parent chain long enough for the baseline search and the trend
 * (one chain, and so one W&B query, for both). `undefined` when neither is asked.
 */
async function historyPlan(
  options: CollectOptions,
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
  const places = { cwd: deps.history?.cwd ?? Deno.cwd(), github: deps.history?.github, input };
  const notes: string[] = [];
  let start = options.baselineSha ?? (match.by === "sha" ? match.sha : "");
  if (mergeBase && match.by === "sha" && options.baselineSha !== undefined) {
    const found = await readMergeBase(options.baselineSha, match.sha, places);
    notes.push(
      `the merge base of ${options.baselineSha.slice(0, 12)} and ${match.sha.slice(0, 12)} is ` +
        `${found.sha.slice(0, 12)} (from ${found.source})`,
    );
    start = found.sha;
  }
  const chain = await readChain(
    start,
    Math.max(baselineSearch, trend - 1, noiseHistory - 1, 0) + 1,
    places,
  );
  return { chain: chain.commits, source: chain.source, notes: [...notes, ...chain.notes] };
}

/**
 * The baselines and the trend from the runs of the chain's commits: the tagged
 * baselines stay; the runs of the nearest commit with enough finished runs
 * join them; the trend takes each metric's mean per commit.
 */
function fromHistory(
  plan: HistoryPlan,
  fetched: readonly Run[],
  options: CollectOptions,
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

/**
 * The runs with every secret taken out of their data (a key logged in a
 * config value, a run named after a token), before anything compares, cuts,
 * escapes or renders them: a view that escapes `local-…` as `local\-…` or
 * cuts it to 40 characters can no longer hide it from the redactor.
 */
function redactRuns<T extends { candidates: Run[]; baselines: Run[] }>(
  runs: T,
  options: Pick<CollectOptions, "apiKey">,
  deps: CollectDeps,
): T {
  const redactor = deps.redactor ?? new Redactor();
  if (!deps.redactor) redactor.registerApiKey(options.apiKey);
  return {
    ...runs,
    candidates: runs.candidates.map((run) => redactor.redactValue(run)),
    baselines: runs.baselines.map((run) => redactor.redactValue(run)),
  };
}

/** What a report asks W&B for, from its options. */
function runsRequest(options: CollectOptions, deps: CollectDeps): ReportRunsRequest {
  return {
    entity: options.entity,
    project: options.project,
    match: options.match,
    baselineTags: options.baselineTags,
    baselineSha: options.baselineSha,
    metricKeys: options.metrics,
    // The --group-by config key is fetched too (it is no CSV column).
    configKeys: options.groupBy?.kind === "config"
      ? [...new Set([...options.configVars, options.groupBy.key])]
      : options.configVars,
    group: options.groupBy?.kind === "group",
    pageSize: options.pageSize,
    commitScanDays: options.commitScanDays,
    now: deps.now,
    log: deps.log,
    onPage: deps.onPage,
  };
}

/** The W&B client of one report (polls of `--wait` reuse it, and its traffic counts). */
function wandbClient(options: CollectOptions, deps: CollectDeps): WandbClient {
  return new WandbClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    retry: retryPolicy(options, deps.baseDelayMs),
    log: deps.log,
    deps: { ...deps.http, onRetry: deps.onRetry },
    userAgent: "wandb-report",
  });
}

/** The options {@link waitForCandidates} needs. */
export type WaitOptions = CollectOptions & Pick<ReportOptions, "waitSeconds" | "pollSeconds">;

// Polls back off from --poll-interval by half again each time, up to 5 minutes.
const POLL_GROWTH = 1.5;
const MAX_POLL_MS = 300_000;

/**
 * `--wait`: fetches the report, then polls the candidates alone (baselines do
 * not change while a PR's runs train) until none is running, pending or
 * preempting and at least one exists, or until `waitSeconds` have passed. A
 * wait that runs out is not an error: the result says the candidates are not
 * complete, and a note how long was waited.
 *
 * @example
 * ```ts ignore
 * import { collectReport, waitForCandidates } from "../mod.ts";
 * const result = await waitForCandidates({ ...options, waitSeconds: 1800, pollSeconds: 30 });
 * console.log(result.classification.complete);
 * ```
 */
export async function waitForCandidates(
  options: WaitOptions,
  deps: CollectDeps = {},
): Promise<ReportResult> {
  checkLibraryOptions(options);
  const client = wandbClient(options, deps);
  let result = await collect(options, deps, client);
  // The notes about an empty answer and stalled runs are redone at the end, on the last poll's runs.
  const stale = new Set([
    ...emptyNotes(options, result.candidates, result.baselines),
    ...stalledNotes(result.classification, options),
  ]);
  // The deadline runs on a monotonic clock (the wall clock can jump), and
  // never behind the pauses taken: a clock that stands still or goes back
  // cannot make the wait last for ever.
  const clock = deps.now ?? (() => performance.now());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = clock();
  let slept = 0;
  const elapsed = () => Math.max(clock() - started, slept);
  const limit = options.waitSeconds * 1000;
  const done = (c: Classification) =>
    c.counts.candidates > 0 && c.counts.running + c.counts.pending === 0;
  let pause = options.pollSeconds * 1000;
  const maxPause = Math.max(MAX_POLL_MS, pause);
  let polls = 0;
  // The wait's start is a poll too (number 0): the PR can show it at once.
  if (!done(result.classification) && limit > 0) {
    await deps.onPoll?.({
      counts: result.classification.counts,
      complete: false,
      elapsedMs: 0,
      remainingMs: limit,
      polls,
    });
  }
  while (!done(result.classification) && elapsed() < limit) {
    const ms = Math.min(pause, limit - elapsed());
    await sleep(ms);
    slept += ms;
    pause = Math.min(pause * POLL_GROWTH, maxPause);
    // Only the candidates: baselines do not change while a PR's runs train.
    const fetched = redactRuns(
      await fetchReportRuns(client, {
        ...runsRequest(options, deps),
        baselineTags: [],
        baselineSha: undefined,
      }),
      options,
      deps,
    );
    const candidates = fetched.candidates;
    const baselines = withoutCandidates(result.baselines, candidates);
    const classification = classify(candidates, baselines, staleRule(options, deps));
    result = {
      ...result,
      candidates,
      baselines,
      classification,
      outputs: { ...result.outputs, ...stepOutputs(classification, result.sha) },
      traffic: { ...client.stats },
    };
    await deps.onPoll?.({
      counts: classification.counts,
      complete: done(classification),
      elapsedMs: elapsed(),
      remainingMs: Math.max(0, limit - elapsed()),
      polls: ++polls,
    });
  }
  result.notes = [
    ...result.notes.filter((note) => !stale.has(note)),
    ...stalledNotes(result.classification, options),
    ...emptyNotes(options, result.candidates, result.baselines),
  ];
  if (!done(result.classification)) {
    const { counts } = result.classification;
    result.notes.push(
      `waited ${durationText(Math.round(elapsed() / 1000))} (--wait ${
        durationText(options.waitSeconds)
      }): ` +
        (counts.candidates === 0
          ? "no candidate appeared"
          : `${counts.running + counts.pending} candidate(s) still running or pending`),
    );
  }
  return result;
}

/**
 * Says why a report came out empty where it did: no candidates, no baselines
 * for the tags, or a metric or config key that no fetched run has.
 */
function emptyNotes(
  options: CollectOptions,
  candidates: readonly Run[],
  baselines: readonly Run[],
): string[] {
  const notes: string[] = [];
  const { match } = options;
  const where = `${options.entity}/${options.project}`;
  if (candidates.length === 0) {
    notes.push(
      match.by === "run-id"
        ? `no run with id "${match.runId}" in ${where}`
        : `no run in ${where} has config.${SHA_KEY} ${
          shaMatch(match.sha).mode === "prefix" ? "starting with" : "equal to"
        } "${match.sha}"${
          match.secondarySha ? ` and config.secondary_sha "${match.secondarySha}"` : ""
        }: check that the training job logs the commit it ran on as config.${SHA_KEY}`,
    );
  }
  if ((options.baselineTags.length || options.baselineSha) && baselines.length === 0) {
    notes.push(`no baseline runs: no other run in ${where} ${baselineSource(options)}`);
  }
  const runs = [...candidates, ...baselines];
  if (runs.length === 0) return notes;
  const missing = (keys: readonly string[], of: (run: Run) => Record<string, unknown>) =>
    keys.filter((key) => !runs.some((run) => Object.hasOwn(of(run), key)));
  const list = (keys: string[]) => keys.map((k) => `"${k}"`).join(", ");
  const metrics = missing(options.metrics, (run) => run.summary);
  const configs = missing(options.configVars, (run) => run.config);
  if (metrics.length) {
    notes.push(
      `no fetched run has the metric${metrics.length > 1 ? "s" : ""} ${list(metrics)} in its ` +
        "summary: check the name as logged (wandb.log / run.summary)",
    );
  }
  if (configs.length) {
    notes.push(
      `no fetched run has the config key${configs.length > 1 ? "s" : ""} ${list(configs)}: ` +
        "check the name as logged in wandb.config",
    );
  }
  return notes;
}

/**
 * Where the baselines come from, in words, for one run ("carries any of the
 * tags "a", "b" or is logged for commit abc1234") or for runs ("runs that
 * carry any of the tags "a", "b" or that are logged for commit abc1234").
 */
export function baselineSource(
  options: Pick<CollectOptions, "baselineTags" | "baselineSha">,
  form: "one" | "runs" = "one",
): string {
  const one = form === "one";
  const parts: string[] = [];
  if (options.baselineTags.length) {
    parts.push(
      `${one ? "carries" : "carry"} any of the tags ${
        options.baselineTags.map((t) => `"${t}"`).join(", ")
      }`,
    );
  }
  if (options.baselineSha) {
    parts.push(`${one ? "is" : "are"} logged for commit ${options.baselineSha}`);
  }
  if (!parts.length) {
    return one
      ? "is a baseline (no --baseline-tags or --baseline-sha given)"
      : "none (no --baseline-tags or --baseline-sha given)";
  }
  return one ? parts.join(" or ") : `runs that ${parts.join(" or that ")}`;
}

/**
 * Where the baselines came from, in words, with the commit a search found:
 * "runs logged for commit 1a2b3c4d5e6f, 3 first-parent commits back from
 * 9f8e7d6c5b4a (2 without finished runs passed over)".
 */
function baselineWords(
  options: Pick<CollectOptions, "baselineTags" | "baselineSha" | "minBaselineRuns">,
  commit: BaselineCommit | undefined,
): string {
  const minRuns = options.minBaselineRuns ?? 1;
  if (!commit) return baselineSource(options, "runs");
  const tags = options.baselineTags.length
    ? `runs that carry any of the tags ${options.baselineTags.map((t) => `"${t}"`).join(", ")}`
    : "";
  const found = commit.sha === undefined
    ? `no commit runs (none of the ${commit.searched} first-parent commits from ${
      commit.requested.slice(0, 12)
    } has ${minRuns} finished run${minRuns === 1 ? "" : "s"})`
    : `runs logged for commit ${commit.sha.slice(0, 12)}${
      commit.distance
        ? `, ${commit.distance} first-parent commit${commit.distance === 1 ? "" : "s"} back from ${
          commit.requested.slice(0, 12)
        } (${commit.skipped} without finished runs passed over)`
        : ""
    }`;
  return tags ? `${tags}, and ${found}` : found;
}

/** The options {@link judgeReport} needs. */
export type JudgeOptions =
  & Pick<
    ReportOptions,
    "metrics" | "directions" | "reference" | "gate" | "requireComplete"
  >
  & Partial<Pick<ReportOptions, "groupBy" | "onInconclusive">>;

/** The candidates of one group (`--group-by`), compared and judged on their own. */
export interface GroupJudgement {
  /** `lr=0.01`; none when the candidates are not grouped. */
  name?: string;
  /** The group's candidates. */
  candidates: Run[];
  /** One comparison per metric, for this group against all the baselines. */
  comparisons: MetricComparison[];
}

/** The comparisons and the gate's verdicts. */
export interface Judgement {
  /** One comparison per metric asked for (and per gated metric), over every candidate. */
  comparisons: MetricComparison[];
  /** The groups judged (one, unnamed, without `--group-by`). */
  groups: GroupJudgement[];
  /** The gate, fed the groups' comparisons. */
  gate: GateResult;
  /** What the user should know about the judging (groups, references, noise). */
  notes: string[];
}

/**
 * Compares the candidates with the baselines for every metric asked for (and
 * every metric a gate rule names), once per group (`--group-by`; one group
 * without it), and applies the gate to those comparisons: a sweep in one
 * commit is several experiments, each judged against the same reference.
 *
 * @example
 * ```ts ignore
 * import { collectReport, judgeReport } from "../mod.ts";
 * const result = await collectReport(options);
 * const { comparisons, gate } = judgeReport(result, options);
 * if (!gate.passed) Deno.exitCode = 1;
 * ```
 */
export function judgeReport(
  result: Pick<ReportResult, "candidates" | "baselines" | "classification" | "noise">,
  options: JudgeOptions,
): Judgement {
  const metrics = [...new Set([...options.metrics, ...options.gate.map((rule) => rule.metric)])];
  const compareOptions = {
    metrics,
    directions: {
      ...Object.fromEntries(options.gate.map((rule) => [rule.metric, rule.direction])),
      ...options.directions,
    },
    reference: options.reference,
    // A rule's reference for its metric: its ref=, or the mean for noise= and alpha=.
    references: Object.fromEntries(
      options.gate.flatMap((rule) => {
        const reference = ruleReference(rule, options.reference);
        return reference === options.reference ? [] : [[rule.metric, reference]];
      }),
    ),
  };
  const comparisons = compareRuns(result.candidates, result.baselines, compareOptions);
  const split = groupRuns(result.candidates, options.groupBy);
  const notes = split.note ? [split.note] : [];
  const grouped = options.groupBy !== undefined && split.groups.length > 0 && !split.note;
  const groups: GroupJudgement[] = grouped
    ? split.groups.map((g) => ({
      name: g.name,
      candidates: g.runs,
      comparisons: compareRuns(g.runs, result.baselines, compareOptions),
    }))
    : [{ candidates: [...result.candidates], comparisons }];
  // Each group is judged on its own; completeness once, over every candidate.
  const verdicts = [];
  const gateNotes: string[] = [];
  for (const group of groups) {
    const judged = evaluateGate(group.candidates, result.baselines, result.classification, {
      rules: options.gate,
      requireComplete: false,
      reference: options.reference,
      comparisons: group.comparisons,
      group: group.name,
      history: result.noise,
      onInconclusive: options.onInconclusive,
    });
    verdicts.push(...judged.verdicts);
    gateNotes.push(...(judged.notes ?? []));
  }
  const complete = evaluateGate(result.candidates, result.baselines, result.classification, {
    rules: [],
    requireComplete: options.requireComplete,
    reference: options.reference,
  }).complete;
  const gate: GateResult = {
    enabled: options.gate.length > 0 || options.requireComplete,
    ...overall(verdicts, complete, options.onInconclusive ?? "pass"),
    verdicts,
    complete,
    notes: [...new Set(gateNotes)],
  };
  const referenceNotes = comparisons.flatMap((c) => (c.reference.note ? [c.reference.note] : []));
  return {
    comparisons,
    groups,
    gate,
    notes: [...new Set([...notes, ...referenceNotes, ...gate.notes!])],
  };
}

/** The options {@link renderReport} needs. */
export type RenderOptions =
  & Pick<
    ReportOptions,
    | "match"
    | "metrics"
    | "configVars"
    | "chart"
    | "reportKey"
    | "notes"
    | "baselineTags"
    | "baselineSha"
  >
  & Partial<Pick<ReportOptions, "minBaselineRuns" | "prHeadSha">>;

/** Where the report goes, for what the renderings say about it. */
export interface RenderContext {
  /** The path the CSV is written to (shown in the summary and the JSON). */
  csvPath: string;
  /** The workflow's name, in the sticky comment's marker. Default `wandb-report`. */
  workflow?: string;
  /** Holds the secrets; the markdown masks the start of one a cut leaves in a cell. */
  redactor?: Redactor;
}

/** Every rendering of one report. */
export interface RenderedReport {
  /** The step outputs, `GATE_PASSED` and the commit status (`STATUS_STATE`, `STATUS_DESCRIPTION`) included. */
  outputs: Record<string, string>;
  /** `wandb_report.csv`. */
  csv: string;
  /** Its data rows. */
  rows: number;
  /** The markdown report (PR comment, job summary), rendered when first read. */
  readonly markdown: string;
  /** The sticky comment's marker (the markdown's first line). */
  marker: string;
  /** The `--json` document, as text, rendered when first read. */
  readonly json: string;
  /** The terminal summary. */
  summary: string;
}

/**
 * Renders a report in every format: CSV, markdown, JSON and the terminal
 * summary, plus the step outputs.
 *
 * @example
 * ```ts ignore
 * import { collectReport, judgeReport, renderReport } from "../mod.ts";
 * const result = await collectReport(options);
 * const rendered = renderReport(result, judgeReport(result, options), options, {
 *   csvPath: "wandb_report.csv",
 * });
 * await Deno.writeTextFile("wandb_report.csv", rendered.csv);
 * ```
 */
export function renderReport(
  result: ReportResult,
  judgement: Judgement,
  options: RenderOptions,
  context: RenderContext,
): RenderedReport {
  const { comparisons, gate } = judgement;
  const project = `${result.entity}/${result.project}`;
  // Said where it matters: baselines from a commit are not the usual tagged ones.
  const baselineFrom = options.baselineSha
    ? baselineWords(options, result.baselineCommit)
    : undefined;
  const marker = reportMarker({ ...result, reportKey: options.reportKey }, context.workflow);
  const csv = renderCsv(result.candidates, result.baselines, {
    appUrl: result.appUrl,
    entity: result.entity,
    project: result.project,
    metrics: options.metrics,
    configVars: options.configVars,
  });
  // The markdown and the JSON document are rendered when first read: a run
  // that prints neither (a plain CI step) does not pay for them.
  let markdown: string | undefined;
  let json: string | undefined;
  const status = statusText(result.classification, gate);
  return {
    outputs: {
      ...result.outputs,
      GATE_PASSED: pyBool(gate.passed),
      GATE_VERDICT: gate.verdict ?? (gate.passed ? "passed" : "failed"),
      STATUS_STATE: status.state,
      STATUS_DESCRIPTION: status.description,
    },
    csv: csv.text,
    rows: csv.rows,
    marker,
    get markdown() {
      return markdown ??= renderMarkdown({
        project,
        appUrl: result.appUrl,
        entity: result.entity,
        projectName: result.project,
        sha: result.sha,
        candidates: result.candidates,
        baselines: result.baselines,
        classification: result.classification,
        comparisons,
        groups: judgement.groups,
        trend: result.trend,
        gate,
        configVars: options.configVars,
        chart: options.chart,
        marker,
        baselineFrom,
        notices: headNotice(options, result.sha),
        redact: context.redactor && ((text) => context.redactor!.redact(text)),
      });
    },
    get json() {
      return json ??= jsonText(reportJson({
        entity: result.entity,
        project: result.project,
        appUrl: result.appUrl,
        match: options.match,
        sha: result.sha,
        candidates: result.candidates,
        baselines: result.baselines,
        classification: result.classification,
        outputs: result.outputs,
        baselineSource: baselineWords(options, result.baselineCommit),
        baselineCommit: result.baselineCommit,
        trend: result.trend,
        csvPath: context.csvPath,
        metrics: options.metrics,
        configVars: options.configVars,
        comparisons,
        groups: judgement.groups,
        gate,
        notes: [...options.notes, ...result.notes, ...judgement.notes],
      }));
    },
    summary: summaryText({
      project,
      sha: result.sha,
      classification: result.classification,
      csv: { path: context.csvPath, rows: csv.rows },
      traffic: result.traffic,
      gate,
      baselineFrom,
    }),
  };
}

/**
 * When the PR's head is known and this report is not on its own runs (a run
 * id, or `/get-runs sha=OTHER`), what the comment must say: it is not the
 * PR's check.
 */
function headNotice(
  options: Pick<RenderOptions, "match" | "prHeadSha">,
  sha: string,
): string[] {
  const head = options.prHeadSha;
  if (head === undefined) return [];
  const { match } = options;
  if (match.by === "sha" && head.startsWith(match.sha) && sha !== "") return [];
  return [
    `This report is on ${
      match.by === "run-id" ? `run ${match.runId}` : `commit ${match.sha}`
    }, not on the pull request's head ${
      head.slice(0, 12)
    }: it sets no commit status, so the PR's check speaks only for its head's own runs.`,
  ];
}

/** One whole report: what was found, how it was judged, and every rendering. */
export interface Report {
  /** What was found. */
  result: ReportResult;
  /** The comparisons and the gate. */
  judgement: Judgement;
  /** Every format. */
  rendered: RenderedReport;
}

/**
 * One report, top to bottom: fetch and classify, compare once, gate on those
 * comparisons, render every format. The CLI writes what this returns.
 *
 * @throws {import("./errors.ts").ApiError} when W&B fails for good
 *
 * @example
 * ```ts ignore
 * import { resolveInputs, runReport } from "../mod.ts";
 * const run = resolveInputs(["--project", "acme/vision", "--sha", "abc1234"], Deno.env.toObject());
 * if (run.kind === "report") {
 *   const { rendered } = await runReport(run.options, { csvPath: run.options.out });
 *   await Deno.writeTextFile(run.options.out, rendered.csv);
 * }
 * ```
 */
export async function runReport(
  options: ReportOptions,
  deps: CollectDeps & RenderContext,
): Promise<Report> {
  checkLibraryOptions(options);
  const result = options.waitSeconds > 0
    ? await waitForCandidates(options, deps)
    : await collectReport(options, deps);
  const judgement = judgeReport(result, options);
  const rendered = renderReport(result, judgement, options, deps);
  return { result, judgement, rendered };
}
