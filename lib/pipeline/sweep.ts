/**
 * Collecting the reports of several commits at once (a sweep over the open
 * pull requests that wait for a verdict): one W&B query for all their
 * candidates and the tagged baselines, then each commit's result as
 * `collectReport` would have made it.
 *
 * @module
 */
import { classify, stepOutputs } from "../classify.ts";
import { withoutCandidates } from "../wandb/mod.ts";
import { fetchCommitsRuns } from "../wandb/mod.ts";
import { appUrlFor } from "../ground/urls.ts";
import { redactRuns, runsRequest, staleRule, wandbClient } from "./collect.ts";
import { emptyNotes, stalledNotes } from "./notes.ts";
import { settleOptions } from "./options.ts";
import type { CollectDeps, CollectOptions, CollectSettings, ReportResult } from "./types.ts";

/**
 * One result per commit, from one query for all of them (paged: one request
 * per page of candidates, one more per page of baselines). Baselines come
 * from tags only: history options are a single commit's (`collectReport`).
 *
 * @throws {import("../ground/errors.ts").ApiError} when W&B fails for good
 *
 * @example
 * ```ts ignore
 * import { collectCommits } from "./sweep.ts";
 * const results = await collectCommits(options, [sha1, sha2]);
 * console.log(results.get(sha1)!.outputs.NUM_FINISHED);
 * ```
 */
export async function collectCommits(
  options: CollectOptions,
  shas: readonly string[],
  deps: CollectDeps = {},
): Promise<Map<string, ReportResult>> {
  const settled = settleOptions(options);
  const client = wandbClient(settled, deps);
  const request = runsRequest(settled, deps);
  const fetched = await fetchCommitsRuns(client, { ...request, shas });
  const results = new Map<string, ReportResult>();
  const tagged = redactRuns({ candidates: [], baselines: fetched.baselines }, settled, deps)
    .baselines;
  for (const sha of shas) {
    const one: CollectSettings = { ...settled, match: { by: "sha", sha, matchCommit: false } };
    const { candidates } = redactRuns(
      { candidates: fetched.byCommit.get(sha) ?? [], baselines: [] },
      settled,
      deps,
    );
    // A tagged run is a baseline of every commit but its own.
    const baselines = withoutCandidates(tagged, candidates);
    const classification = classify(candidates, baselines, staleRule(settled, deps));
    results.set(sha, {
      entity: settled.entity,
      project: settled.project,
      appUrl: settled.appUrl ?? appUrlFor(settled.baseUrl),
      sha,
      candidates,
      baselines,
      classification,
      outputs: stepOutputs(classification, sha),
      // The one query's traffic, shared by every commit it served.
      traffic: { ...client.stats },
      notes: [
        ...fetched.notes,
        ...stalledNotes(classification, one),
        ...emptyNotes(one, candidates, baselines),
      ],
    });
  }
  return results;
}
