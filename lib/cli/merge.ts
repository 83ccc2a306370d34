/**
 * The merge command: read the legs' JSON reports, merge them, then write the
 * merged markdown, the job summary and the outputs together, post the one
 * comment and the one status, and exit with the merged gate's verdict.
 *
 * @module
 */
import { ExitCode } from "../ground/errors.ts";
import { StagedFiles } from "../fs.ts";
import { contextNote } from "../github/mod.ts";
import type { MergeCliOptions } from "../inputs/merge.ts";
import { commentMarker } from "../ground/marker.ts";
import {
  legCount,
  MAX_SUMMARY_BYTES,
  mergedJson,
  type MergedReport,
  mergedStatus,
  mergeReports,
  readLegs,
  renderMerged,
} from "../merge/mod.ts";
import { jsonText } from "../report/json.ts";
import { deliverComment, deliverStatus, sendComment, sendStatus } from "./deliver.ts";
import type { CliIo, Printer } from "../output.ts";
import { appendTo, checkDestinations, writeOutputs } from "./runner.ts";
import type { Run } from "./_shell.ts";
import { isFullSha } from "../ground/model.ts";

/** The merged comment and status posted (each when asked, with its token). */
async function deliverMerged(
  options: MergeCliOptions,
  io: CliIo,
  print: Printer,
  merged: MergedReport,
  comment: { marker: string; body: string },
): Promise<void> {
  const token = options.githubToken;
  if (!token) return;
  if (options.comment && options.prNumber !== undefined) {
    await deliverComment(
      print,
      () => sendComment(io, print, options, { ...comment, mode: options.commentMode }),
    );
  }
  if (!options.status) return;
  const caseNote = contextNote(options.reportKey);
  if (caseNote) print.say("notice", "note", caseNote);
  const withheld = statusWithheld(merged, options.prHeadSha, io.env.GITHUB_EVENT_NAME);
  if (withheld) return print.say("notice", "note", `no commit status: ${withheld}`);
  const status = mergedStatus(merged);
  await deliverStatus(print, () =>
    sendStatus(io, print, options, {
      token,
      sha: merged.sha,
      state: status.state,
      key: options.reportKey,
      description: status.description,
    }));
}

/** Every leg that failed, and the one summary line. */
function sayMerged(print: Printer, merged: MergedReport): void {
  for (const leg of merged.legs.filter((l) => !l.passed)) {
    print.say(
      "error",
      "gate",
      `leg ${leg.name} failed${leg.failing[0] ? `: ${leg.failing[0].message}` : ""}`,
    );
  }
  const counted = merged.passed || merged.verdict === "failed" ? "" : " (counted as a failure)";
  print.err(
    `merged ${merged.legs.length} of ${legCount(merged)} legs @ ${
      merged.sha || "no commit"
    }: gate ${merged.verdict}${counted}\n`,
  );
}

/** The merge command's run. */
export const merge: Run<MergeCliOptions> = async (options, io, print) => {
  await checkDestinations(io, options.comment || options.status);
  const files = await StagedFiles.create(
    options.markdown
      ? [{ path: options.markdown, fallbackName: "wandb_report.md", label: "--markdown" }]
      : [],
  );
  try {
    // With legs expected or named, or a matrix that did not succeed, no leg at all is a report to give.
    const allowNone = options.expect.length > 0 || options.legs !== undefined ||
      (options.legsResult !== undefined && options.legsResult !== "success");
    const merged = mergeReports(await readLegs(options.reports, "--reports", { allowNone }), {
      expect: options.expect,
      legs: options.legs,
      legsResult: options.legsResult,
      allowIncomplete: options.allowIncomplete,
      sha: options.prHeadSha,
    });
    for (const problem of merged.problems) print.say("warning", "warning", problem);
    for (const note of merged.notes) print.say("notice", "note", note);
    const marker = commentMarker(options.reportKey, io.env.GITHUB_WORKFLOW ?? "wandb-report");
    const redact = (text: string) => print.redactor.redact(text);
    const comment = redact(renderMerged(merged, { marker }));
    if (options.markdown) await files.write(0, comment);
    await files.commit();
    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      const full = redact(renderMerged(merged, {
        maxBytes: MAX_SUMMARY_BYTES,
        elsewhere: "the legs' artifacts",
      }));
      await appendTo(
        "GITHUB_STEP_SUMMARY",
        summaryFile,
        () => Deno.writeTextFile(summaryFile, `${full}\n`, { append: true }),
      );
    }
    const status = mergedStatus(merged);
    await writeOutputs(io, print, {
      ...merged.outputs,
      STATUS_STATE: status.state,
      STATUS_DESCRIPTION: status.description,
    });
    await deliverMerged(options, io, print, merged, { marker, body: comment });
    if (options.json) print.json(jsonText(mergedJson(merged)));
    sayMerged(print, merged);
    return merged.passed ? ExitCode.ok : ExitCode.gateFailed;
  } finally {
    await files.discard();
  }
};

/**
 * Why the merged verdict gets no commit status, if it does not: only the
 * commit whose runs the legs judged gets it, and only the PR's head.
 */
function statusWithheld(
  merged: MergedReport,
  prHeadSha: string | undefined,
  eventName: string | undefined,
): string | undefined {
  const byRun = merged.legs.find((leg) => leg.report.match?.by === "run-id");
  if (byRun) return `leg ${byRun.name} judged one run (--run-id), not a commit's runs`;
  if (eventName === "issue_comment" && prHeadSha === undefined) {
    return "on a PR comment the legs' commit is only the PR's check when it is its head " +
      "(pass the head as INPUT_PR_HEAD_SHA, the workflow's head-sha)";
  }
  if (!isFullSha(merged.sha)) {
    return `the legs' commit ${JSON.stringify(merged.sha)} is not a full SHA`;
  }
  if (prHeadSha !== undefined && prHeadSha !== merged.sha) {
    return `the legs report on ${merged.sha}, not the PR's head ${prHeadSha}`;
  }
  return undefined;
}
