/**
 * What the pull request shows of a report: the sticky comment, the commit
 * status, and the wait's progress in both while training runs (sent the one
 * way every command delivers, deliver.ts).
 *
 * @module
 */
import { acceptanceFor, acceptanceOn, acceptedOutputs, carryAcceptance } from "../accept.ts";
import type { Acceptance } from "../ground/marker.ts";
import { ApiError } from "../ground/errors.ts";
import { contextNote, parseRepo } from "../github/mod.ts";
import type { ReportCliOptions } from "../inputs/report.ts";
import { reportKeyOf, reportMarker } from "../ground/marker.ts";
import { durationText, isFullSha } from "../ground/model.ts";
import type { CliIo, Printer } from "../output.ts";
import type { WaitPoll } from "../pipeline/mod.ts";
import { renderProgress } from "../report/progress.ts";
import { waitingText } from "../report/summary.ts";
import {
  commandClient,
  deliverComment,
  deliverStatus,
  sendComment,
  sendStatus,
} from "./deliver.ts";

/**
 * The wait, shown where the PR's people look: the sticky comment (in
 * comment-mode `always`; the other modes decide on the final report alone)
 * and the pending commit status say "waiting for training: 2 of 5 finished,
 * …", posted at the wait's start, then when the counts change, at most once a
 * minute. The report replaces both. A failure to post is one warning, and
 * the wait goes on without it.
 */
export function waitShown(
  options: ReportCliOptions,
  io: CliIo,
  print: Printer,
  setStatus: (sha: string, state: "pending", text: string) => Promise<void>,
  log: ((line: string) => void) | undefined,
):
  | { onPoll: (poll: WaitPoll) => Promise<void>; over: (poll: WaitPoll) => Promise<void> }
  | undefined {
  const token = options.githubToken;
  let commenting = options.comment && options.prNumber !== undefined && token !== undefined &&
    options.commentMode === "always";
  const sha = options.match.by === "sha" ? options.match.sha : "";
  const statusing = options.status && token !== undefined && isFullSha(sha);
  if (!commenting && !statusing) return undefined;
  const now = io.deps?.now ?? Date.now;
  const marker = reportMarker(options, io.env.GITHUB_WORKFLOW);
  let shownCounts = "";
  let shownAt = -Infinity;
  const show = async (text: string) => {
    if (statusing) await setStatus(sha, "pending", text);
    if (!commenting) return;
    try {
      const posted = await sendComment(io, print, options, {
        marker,
        body: renderProgress({
          marker,
          project: `${options.entity}/${options.project}`,
          sha,
          text,
          waitText: durationText(options.waitSeconds),
        }),
      });
      // A fork PR's read-only token: the report's own post will say so.
      if (posted.action === "skipped") commenting = false;
      else log?.(`progress comment ${posted.action}: ${text}`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      commenting = false;
      print.say("warning", "warning", `the wait's progress was not posted: ${error.message}`);
    }
  };
  return {
    onPoll: async (poll) => {
      // A complete poll is the last: the report follows at once.
      if (poll.complete) return;
      const counts = JSON.stringify(poll.counts);
      if (counts === shownCounts || now() - shownAt < 60_000) return;
      shownCounts = counts;
      shownAt = now();
      await show(waitingText(poll.counts, poll.elapsedMs));
    },
    // --progress-only: the wait's end, shown until the report job replaces it.
    over: (poll) => show(waitingText(poll.counts, poll.elapsedMs, true)),
  };
}

/**
 * The acceptance a report on `sha` keeps (the PR's sticky comment records
 * one for that commit): looked up only for a commit's report on a PR; a
 * failure to look is one warning, and nothing is kept.
 */
export async function keptAcceptance(
  options: ReportCliOptions,
  io: CliIo,
  print: Printer,
  log: ((line: string) => void) | undefined,
  marker: string,
  sha: string,
): Promise<Acceptance | undefined> {
  const token = options.githubToken;
  if (!token || options.prNumber === undefined || options.match.by !== "sha") return undefined;
  if (!(options.comment || options.status) || !isFullSha(sha)) return undefined;
  try {
    const client = commandClient(io, options, token, log);
    return await acceptanceOn(
      client,
      parseRepo(io.env.GITHUB_REPOSITORY, "GITHUB_REPOSITORY"),
      options.prNumber,
      marker,
      sha,
    );
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    print.say(
      "warning",
      "warning",
      `an accepted regression could not be looked up: ${error.message}`,
    );
    return undefined;
  }
}

/**
 * The commit status of a report (`--status`): set on a full SHA, a warning
 * (never a failure) when it cannot be; nothing without `--status` and a token.
 */
export function statusSetter(
  options: ReportCliOptions,
  io: CliIo,
  print: Printer,
): (sha: string, state: "pending" | "success" | "failure", text: string) => Promise<void> {
  return async (sha, state, text) => {
    if (!options.status || !options.githubToken || sha === "") return;
    if (!isFullSha(sha)) {
      print.say(
        "notice",
        "note",
        `no commit status: ${JSON.stringify(sha)} is not a full commit SHA`,
      );
      return;
    }
    await deliverStatus(print, () =>
      sendStatus(io, print, options, {
        token: options.githubToken!,
        sha,
        state,
        key: reportKeyOf(options),
        description: text,
      }));
  };
}

/**
 * A report's step outputs as its PR sees them: a failing verdict on a commit
 * whose regression was accepted on purpose (the PR's comment records it)
 * becomes `accepted`, the check success.
 */
export async function verdictOnPr(
  options: ReportCliOptions,
  io: CliIo,
  print: Printer,
  log: ((line: string) => void) | undefined,
  rendered: { marker: string; outputs: Record<string, string> },
  sha: string,
): Promise<Record<string, string>> {
  // Only a failure can be accepted: nothing else asks GitHub anything.
  if (rendered.outputs.STATUS_STATE !== "failure") return rendered.outputs;
  const accepted = await keptAcceptance(options, io, print, log, rendered.marker, sha);
  return acceptedOutputs(rendered.outputs, accepted);
}

/**
 * Delivers a report to its PR: the sticky comment (`--comment`, keeping an
 * acceptance of this very commit) and the commit status (`--status`, on
 * `sha` only: "" sets none).
 */
export async function publishOnPr(
  options: ReportCliOptions,
  io: CliIo,
  print: Printer,
  setStatus: ReturnType<typeof statusSetter>,
  report: { marker: string; body: () => string; sha: string; outputs: Record<string, string> },
): Promise<void> {
  if (options.comment && options.prNumber !== undefined && options.githubToken) {
    await deliverComment(print, () =>
      sendComment(io, print, options, {
        marker: report.marker,
        body: report.body(),
        mode: options.commentMode,
        amend: (earlier) => carryAcceptance(report.body(), acceptanceFor(earlier, report.sha)),
      }));
  }
  if (options.status) {
    const caseNote = contextNote(reportKeyOf(options));
    if (caseNote) print.say("notice", "note", caseNote);
  }
  await setStatus(
    report.sha,
    report.outputs.STATUS_STATE as "success" | "failure" | "pending",
    report.outputs.STATUS_DESCRIPTION!,
  );
}
