/**
 * `--wait`: polling the candidates until training has ended, or the time is up.
 *
 * @module
 */
import { type Classification, classify, stepOutputs } from "../classify.ts";
import { durationText } from "../ground/model.ts";
import { withoutCandidates } from "../wandb/mod.ts";
import { fetchReportRuns } from "../wandb/mod.ts";
import { collect, redactRuns, runsRequest, staleRule, wandbClient } from "./collect.ts";
import { emptyNotes, stalledNotes } from "./notes.ts";
import { settleOptions } from "./options.ts";
import type { CollectDeps, ReportResult, WaitOptions, WaitSettings } from "./types.ts";

// Polls back off from --poll-interval by half again each time, up to 5 minutes.
const POLL_GROWTH = 1.5;
const MAX_POLL_MS = 300_000;

/** Training is over for these candidates: some exist, and none is running or pending. */
const trainingDone = (c: Classification) =>
  c.counts.candidates > 0 && c.counts.running + c.counts.pending === 0;

/** The result again with the candidates fetched anew (baselines do not change while a PR's runs train). */
async function pollCandidates(
  result: ReportResult,
  options: WaitSettings,
  deps: CollectDeps,
  client: ReturnType<typeof wandbClient>,
): Promise<ReportResult> {
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
  return {
    ...result,
    candidates,
    baselines,
    classification,
    outputs: { ...result.outputs, ...stepOutputs(classification, result.sha) },
    traffic: { ...client.stats },
  };
}

/**
 * The wait's clock: a monotonic deadline (the wall clock can jump) that
 * never runs behind the pauses taken, so a clock that stands still or goes
 * back cannot make the wait last for ever; pauses grow by half each poll.
 */
function waitClock(options: WaitSettings, deps: CollectDeps) {
  const clock = deps.now ?? (() => performance.now());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = clock();
  const limit = options.waitSeconds * 1000;
  let slept = 0;
  let pause = options.pollSeconds * 1000;
  const maxPause = Math.max(MAX_POLL_MS, pause);
  const elapsed = () => Math.max(clock() - started, slept);
  return {
    limit,
    elapsed,
    remaining: () => Math.max(0, limit - elapsed()),
    async pause() {
      const ms = Math.min(pause, limit - elapsed());
      await sleep(ms);
      slept += ms;
      pause = Math.min(pause * POLL_GROWTH, maxPause);
    },
  };
}

/**
 * `--wait`: fetches the report, then polls the candidates alone (baselines do
 * not change while a PR's runs train) until none is running, pending or
 * preempting and at least one exists, or until `waitSeconds` have passed. A
 * wait that runs out is not an error: the result says the candidates are not
 * complete, and a note how long was waited.
 *
 * @example
 * ```ts ignore
 * import { collectReport, waitForCandidates } from "../../mod.ts";
 * const result = await waitForCandidates({ ...options, waitSeconds: 1800, pollSeconds: 30 });
 * console.log(result.classification.complete);
 * ```
 */
export async function waitForCandidates(
  options: WaitOptions,
  deps: CollectDeps = {},
): Promise<ReportResult> {
  // A bad option is a rejected promise, as every failure here is.
  return await waitChecked(settleOptions(options), deps);
}

/** {@link waitForCandidates} on options already checked (where the library was entered). */
export async function waitChecked(
  options: WaitSettings,
  deps: CollectDeps,
): Promise<ReportResult> {
  const client = wandbClient(options, deps);
  let result = await collect(options, deps, client);
  // The notes about an empty answer and stalled runs are redone at the end, on the last poll's runs.
  const stale = new Set([
    ...emptyNotes(options, result.candidates, result.baselines),
    ...stalledNotes(result.classification, options),
  ]);
  const time = waitClock(options, deps);
  let polls = 0;
  // The wait's start is a poll too (number 0): the PR can show it at once.
  if (!trainingDone(result.classification) && time.limit > 0) {
    const counts = result.classification.counts;
    await deps.onPoll?.({ counts, complete: false, elapsedMs: 0, remainingMs: time.limit, polls });
  }
  while (!trainingDone(result.classification) && time.elapsed() < time.limit) {
    await time.pause();
    result = await pollCandidates(result, options, deps, client);
    await deps.onPoll?.({
      counts: result.classification.counts,
      complete: trainingDone(result.classification),
      elapsedMs: time.elapsed(),
      remainingMs: time.remaining(),
      polls: ++polls,
    });
  }
  result.notes = [
    ...result.notes.filter((note) => !stale.has(note)),
    ...stalledNotes(result.classification, options),
    ...emptyNotes(options, result.candidates, result.baselines),
  ];
  if (!trainingDone(result.classification)) {
    const { counts } = result.classification;
    const waited = durationText(Math.round(time.elapsed() / 1000));
    result.notes.push(
      `waited ${waited} (--wait ${durationText(options.waitSeconds)}): ` +
        (counts.candidates === 0
          ? "no candidate appeared"
          : `${counts.running + counts.pending} candidate(s) still running or pending`),
    );
  }
  return result;
}
