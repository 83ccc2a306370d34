/**
 * Collecting a report: the history it needs, one W&B query for the
 * candidates and the baselines, secrets taken out of the runs, the
 * classification and the step outputs.
 *
 * @module
 */
import { classify, stepOutputs } from "../classify.ts";
import type { BaselineCommit } from "../history/baseline.ts";
import { field, isShaToken, type Run, SHA_EXPECTED, SHA_KEY, shaMatch } from "../ground/model.ts";
import { Redactor } from "../ground/redact.ts";
import { retryPolicy } from "../ground/retry.ts";
import { WandbClient } from "../wandb/mod.ts";
import { fetchReportRuns, type ReportRunsRequest } from "../wandb/mod.ts";
import { summaryKeys } from "../wandb/mod.ts";
import { appUrlFor } from "../ground/urls.ts";
import { fromHistory, historyPlan } from "./history.ts";
import { emptyNotes, stalledNotes } from "./notes.ts";
import { settleOptions } from "./options.ts";
import type { CollectDeps, CollectOptions, CollectSettings, ReportResult } from "./types.ts";

/**
 * Fetches and classifies one report's runs.
 *
 * @throws {import("./errors.ts").InvalidInputError} for options the CLI would refuse
 * @throws {import("./errors.ts").ApiError} when W&B fails for good
 *
 * @example
 * ```ts ignore
 * import { collectReport, resolveInputs } from "../../mod.ts";
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
  const settled = settleOptions(options);
  return await collect(settled, deps, wandbClient(settled, deps));
}

/** {@link collectReport} with a given client (the polls of `--wait` reuse one). */
export async function collect(
  options: CollectSettings,
  deps: CollectDeps,
  client: WandbClient,
): Promise<ReportResult> {
  const { match } = options;
  // The commits a baseline search and a trend walk, read before W&B is asked.
  const plan = await historyPlan(options, deps);
  // A search without --baseline-sha starts at the candidates' first parent: that is its commit.
  if (plan?.baselineSha) options = { ...options, baselineSha: plan.baselineSha };
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
    notes: [
      ...notes,
      ...emptyNotes(options, candidates, baselines),
      ...await metricsHint(options, client, candidates),
    ],
    baselineCommit: history?.commit,
    trend: history?.trend,
    noise: history?.noise,
  };
}

/**
 * Without `--metrics` no metric is shown, and a misspelt name shows nothing:
 * the names the first candidate logged, so the user sees what to ask for
 * (one small request; nothing when it fails, as a hint must not fail a report).
 */
async function metricsHint(
  options: CollectSettings,
  client: WandbClient,
  candidates: readonly Run[],
): Promise<string[]> {
  if (candidates.length === 0) return [];
  const absent = options.metrics.filter((metric) =>
    !candidates.some((run) => Object.hasOwn(run.summary, metric))
  );
  if (options.metrics.length > 0 && absent.length === 0) return [];
  const run = candidates[0]!;
  const keys = await summaryKeys(client, options.entity, options.project, run.name)
    .catch(() => [] as string[]);
  if (keys.length === 0) return [];
  const shown = keys.slice(0, 12);
  const logged = `run ${run.name} logged ${shown.join(", ")}${
    keys.length > shown.length ? ` and ${keys.length - shown.length} more` : ""
  }`;
  return [
    absent.length
      ? `${logged}: no candidate has ${absent.map((m) => JSON.stringify(m)).join(", ")}`
      : `${logged}: pass --metrics ${shown.slice(0, 2).join(",")} (or any of them) to compare them`,
  ];
}

/** When a running candidate counts as stalled: no heartbeat for `--stale-after`, on the wall clock. */
export function staleRule(options: CollectSettings, deps: CollectDeps) {
  return { now: (deps.now ?? Date.now)(), staleAfterMs: (options.staleAfterSeconds ?? 900) * 1000 };
}

/** The step outputs, with `BASELINE_SHA` when the baselines came from a commit. */
function baselineOutputs(
  outputs: Record<string, string>,
  options: Pick<CollectSettings, "baselineSha">,
  commit: BaselineCommit | undefined,
): Record<string, string> {
  if (options.baselineSha === undefined) return outputs;
  return { ...outputs, BASELINE_SHA: commit ? commit.sha ?? "" : options.baselineSha };
}

/**
 * The runs with every secret taken out of their data (a key logged in a
 * config value, a run named after a token), before anything compares, cuts,
 * escapes or renders them: a view that escapes `local-…` as `local\-…` or
 * cuts it to 40 characters can no longer hide it from the redactor.
 */
export function redactRuns<T extends { candidates: Run[]; baselines: Run[] }>(
  runs: T,
  options: Pick<CollectSettings, "apiKey">,
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
export function runsRequest(options: CollectSettings, deps: CollectDeps): ReportRunsRequest {
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
export function wandbClient(options: CollectSettings, deps: CollectDeps): WandbClient {
  return new WandbClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    retry: retryPolicy(options, deps.baseDelayMs),
    log: deps.log,
    deps: { ...deps.http, onRetry: deps.onRetry },
    userAgent: "wandb-report",
  });
}
