/**
 * What a report tells the user in words: stalled runs, why an answer came
 * out empty, where the baselines came from, and when a report is not the
 * PR head's.
 *
 * @module
 */
import type { Classification } from "../classify.ts";
import type { BaselineCommit } from "../history/baseline.ts";
import { durationText, type Run, SHA_KEY, shaMatch } from "../ground/model.ts";
import type { CollectSettings, RenderOptions } from "./types.ts";

/** One note per stalled candidate (naming it and its last heartbeat), and per unreadable heartbeat. */
export function stalledNotes(classification: Classification, options: CollectSettings): string[] {
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

/**
 * Says why a report came out empty where it did: no candidates, no baselines
 * for the tags, or a metric or config key that no fetched run has.
 */
export function emptyNotes(
  options: CollectSettings,
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
  if (options.metrics.length === 0) {
    notes.push(
      "no --metrics: no metric is shown or compared; pass the summary keys your runs log " +
        "(wandb.log / run.summary), e.g. --metrics val_acc,val_loss",
    );
  }
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
  options: Pick<CollectSettings, "baselineTags" | "baselineSha">,
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
export function baselineWords(
  options: Pick<CollectSettings, "baselineTags" | "baselineSha" | "minBaselineRuns">,
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

/**
 * When the PR's head is known and this report is not on its own runs (a run
 * id, or `/get-runs sha=OTHER`), what the comment must say: it is not the
 * PR's check.
 */
export function headNotice(
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
