/**
 * The workflow's delivery steps: the comment (post a rendered report), the
 * status (set the check, keeping an accepted regression) and a sweep's
 * publish (both, for every pull request it reported on).
 *
 * @module
 */
import { acceptanceFor, acceptanceOn, carryAcceptance } from "../accept.ts";
import { contextNote, parseRepo } from "../github/mod.ts";
import { type Acceptance, commentMarker, isMarker } from "../ground/marker.ts";
import { type CommentMode, pyBool } from "../ground/model.ts";
import { acceptedStatus } from "../report/acceptance.ts";
import { ExitCode, InvalidInputError } from "../ground/errors.ts";
import { readInputFile } from "../fs.ts";
import type { CommentOptions } from "../inputs/comment.ts";
import type { PublishOptions } from "../inputs/publish.ts";
import type { StatusOptions } from "../inputs/status.ts";
import { parseSweep } from "../report/sweep_json.ts";
import type { CliIo, Printer } from "../output.ts";
import { commandClient, reportPosted, sendComment, sendStatus, statusSet } from "./deliver.ts";
import { checkAppendable, writeOutputs } from "./runner.ts";
import type { Run } from "./_shell.ts";

/** What a GitHub step needs to post: its token, repository, retries and debug switch. */
type StepGitHub = Pick<
  CommentOptions,
  "githubToken" | "repository" | "timeoutSeconds" | "maxAttempts" | "maxRetrySeconds" | "debug"
>;

/**
 * Posts a rendered report as the PR's sticky comment, as `mode` says; with
 * `sha`, a regression accepted on that very commit stays recorded.
 */
async function commentOn(
  options: StepGitHub,
  io: CliIo,
  print: Printer,
  report: { prNumber: number; body: string; sha?: string; mode: CommentMode; source: string },
): Promise<void> {
  const marker = report.body.split("\n", 1)[0]!;
  if (!isMarker(marker)) {
    throw new InvalidInputError(
      report.source,
      "a report rendered by wandb-report (its first line is the marker)",
    );
  }
  const body = print.redactor.redact(report.body);
  const posted = await sendComment(io, print, options, {
    repository: options.repository,
    prNumber: report.prNumber,
    marker,
    body,
    mode: report.mode,
    amend: report.sha === undefined
      ? undefined
      : (earlier) => carryAcceptance(body, acceptanceFor(earlier, report.sha!)),
  });
  reportPosted(print, posted);
}

/**
 * Sets a report's commit status; a failure on a commit whose regression
 * was accepted on purpose (the PR's comment records it) stays success.
 * Returns the acceptance kept, if any.
 */
async function statusOn(
  options: StepGitHub,
  io: CliIo,
  print: Printer,
  check: {
    sha: string;
    state: StatusOptions["state"];
    description: string;
    reportKey: string;
    workflow: string;
    prNumber?: number;
    targetUrl?: string;
  },
): Promise<Acceptance | undefined> {
  const caseNote = contextNote(check.reportKey);
  if (caseNote) print.say("notice", "note", caseNote);
  const log = print.debugLog(options.debug);
  const accepted = check.state === "failure" && check.prNumber !== undefined
    ? await acceptanceOn(
      commandClient(io, options, options.githubToken, log),
      parseRepo(options.repository ?? io.env.GITHUB_REPOSITORY, "GITHUB_REPOSITORY"),
      check.prNumber,
      commentMarker(check.reportKey, check.workflow),
      check.sha,
    )
    : undefined;
  if (accepted) {
    print.say("notice", "note", `regression accepted by @${accepted.by}: the check stays success`);
  }
  const result = await sendStatus(io, print, options, {
    token: options.githubToken,
    repository: options.repository,
    sha: check.sha,
    state: accepted ? "success" : check.state,
    key: check.reportKey,
    description: accepted ? acceptedStatus(accepted) : check.description,
    targetUrl: check.targetUrl,
  });
  statusSet(print, result);
  return accepted;
}

export const comment: Run<CommentOptions> = async (options, io, print) => {
  const source = options.bodyFile !== undefined ? "--body-file" : "INPUT_BODY";
  const body = options.bodyFile === undefined ? options.body ?? "" : await readInputFile(
    options.bodyFile,
    "--body-file",
    "a readable file with the rendered report",
  );
  await commentOn(options, io, print, {
    prNumber: options.prNumber,
    body,
    sha: options.sha,
    mode: options.commentMode,
    source,
  });
  return ExitCode.ok;
};

export const status: Run<StatusOptions> = async (options, io, print) => {
  await checkAppendable("GITHUB_OUTPUT", io.env.GITHUB_OUTPUT);
  const accepted = await statusOn(options, io, print, options);
  await writeOutputs(io, print, {
    BOOL_ACCEPTED: pyBool(accepted !== undefined),
    ACCEPTED_BY: accepted?.by ?? "",
  });
  return ExitCode.ok;
};

/**
 * The sweep's reports, delivered by a job that holds no W&B key: each
 * pull request's comment (as `--comment-mode` says) and status, an
 * acceptance on its head kept.
 */
export const publish: Run<PublishOptions> = async (options, io, print) => {
  const sweep = parseSweep(
    await readInputFile(options.file, "--file", "a readable file with the sweep's JSON"),
    options.file,
  );
  for (const report of sweep.reports) {
    if (options.comment) {
      await commentOn(options, io, print, {
        prNumber: report.pr,
        body: report.markdown,
        sha: report.sha,
        mode: options.commentMode,
        source: options.file,
      });
    }
    if (options.status) {
      await statusOn(options, io, print, {
        sha: report.sha,
        state: report.outputs.STATUS_STATE,
        description: report.outputs.STATUS_DESCRIPTION,
        reportKey: sweep.reportKey,
        workflow: options.workflow,
        prNumber: report.pr,
      });
    }
  }
  print.err(`publish: ${sweep.reports.length} pull request report(s) delivered\n`);
  return ExitCode.ok;
};
