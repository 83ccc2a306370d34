/**
 * The workflow's small steps: chatops (what to report on), the comment (post
 * a rendered report), the status (set the check), and the emulator.
 *
 * @module
 */
import { acceptanceFor, acceptanceOn, carryAcceptance } from "../accept.ts";
import { dirname } from "node:path";
import { chatopsOutputs, runChatops } from "../chatops.ts";
import { githubClientFor } from "../github/mod.ts";
import { parseRepo } from "../github/mod.ts";
import { commentMarker, isMarker } from "../ground/marker.ts";
import { pyBool } from "../ground/model.ts";
import { acceptedStatus } from "../report/acceptance.ts";
import { ExitCode, InvalidInputError } from "../ground/errors.ts";
import { readInputFile } from "../fs.ts";
import { contextNote } from "../github/mod.ts";
import type { ChatopsOptions } from "../inputs/chatops.ts";
import type { CommentOptions } from "../inputs/comment.ts";
import type { PublishOptions } from "../inputs/publish.ts";
import { parseSweep } from "../report/sweep_json.ts";
import type { Acceptance } from "../ground/marker.ts";
import type { CommentMode } from "../ground/model.ts";
import type { CliIo } from "../output.ts";
import type { EmulatorCliOptions } from "../inputs/emulator.ts";
import type { StatusOptions } from "../inputs/status.ts";
import type { Printer } from "../output.ts";
import { retryPolicy } from "../ground/retry.ts";
import { reportPosted, sendComment, sendStatus, statusSet } from "./pr.ts";
import { checkAppendable, writeOutputs } from "./runner.ts";
import type { Run } from "./_shell.ts";

export const chatops: Run<ChatopsOptions> = async (options, io, print) => {
  await checkAppendable("GITHUB_OUTPUT", io.env.GITHUB_OUTPUT);
  const log = print.debugLog(options.debug);
  const result = await runChatops(options, {
    env: io.env,
    log,
    http: io.deps?.http,
    baseDelayMs: io.deps?.baseDelayMs,
  });
  result.notes.forEach((text) => print.say("notice", "note", text));
  await writeOutputs(io, print, chatopsOutputs(result));
  // Comment text is shown JSON-quoted and never at the start of a line.
  print.err(
    result.triggered
      ? [
        `chatops: ${result.eventName} triggers a report`,
        result.prNumber === undefined ? "" : ` for pull request #${result.prNumber}`,
        result.user ? ` (asked by @${result.user})` : "",
        `\n  commit: ${JSON.stringify(result.sha)}${
          result.branch ? ` (branch ${JSON.stringify(result.branch)})` : ""
        }`,
        result.runId ? `\n  run id: ${JSON.stringify(result.runId)}` : "",
        "\n",
      ].join("")
      : `chatops: not triggered: ${result.reason}\n`,
  );
  return ExitCode.ok;
};

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
      githubClientFor({
        env: io.env,
        token: options.githubToken,
        retry: retryPolicy(options, io.deps?.baseDelayMs),
        log,
        http: io.deps?.http,
      }),
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

/** The emulator command: serves a fixture on 127.0.0.1 until `stop` resolves (default SIGINT). */
export async function emulator(
  options: EmulatorCliOptions,
  print: Printer,
  stop?: Promise<void>,
): Promise<number> {
  const { DEMO_FIXTURE, loadFixture } = await import("../emulator/fixtures.ts");
  const { startEmulator } = await import("../emulator/server.ts");
  const source = options.fixture ?? DEMO_FIXTURE;
  const fixture = await loadFixture(source);
  // Where --save writes must exist before anything is served: it is written at the end.
  if (options.save) {
    const folder = await Deno.stat(dirname(options.save)).catch(() => undefined);
    if (!folder?.isDirectory) {
      throw new InvalidInputError("--save", "a file path in an existing folder", options.save);
    }
  }
  const server = await startEmulator({
    fixture,
    port: options.port,
    keysArgument: !options.noKeysArgument,
    crashAfterSeconds: options.crashAfter,
  }).catch((error) => {
    throw new InvalidInputError(
      "--port",
      "a free port",
      String(options.port),
      error?.code ?? error?.name,
    );
  });
  const runs = fixture.projects.reduce((n, p) => n + p.runs.length, 0);
  // What a report needs to reach it: the URL, a key it accepts, a project.
  const projects = fixture.projects.map((p) => `${p.entity}/${p.name} (${p.runs.length} runs)`);
  print.err(
    `W&B emulator on ${server.url} serving ${fixture.projects.length} project(s), ${runs} run(s) ` +
      `from ${source}\n` +
      (projects.length ? `  projects: ${projects.join(", ")}\n` : "") +
      `  export WANDB_BASE_URL=${server.url} WANDB_API_KEY=${fixture.apiKeys[0]}\n` +
      `  then, in another terminal: ${reportCommand()} --project ${
        fixture.projects[0]
          ? `${fixture.projects[0].entity}/${fixture.projects[0].name}`
          : "ENTITY/PROJECT"
      } --sha SHA   (Ctrl-C to stop the emulator)\n`,
  );
  await (stop ?? new Promise<void>((resolve) => Deno.addSignalListener("SIGINT", resolve)));
  await server.close();
  if (options.save) {
    // All or nothing: a temporary file, then renamed over the destination.
    const text = `${JSON.stringify(server.store.toFixture(fixture.apiKeys), null, 2)}\n`;
    const temporary = `${options.save}.tmp-${crypto.randomUUID()}`;
    await Deno.writeTextFile(temporary, text);
    await Deno.rename(temporary, options.save);
    print.err(`saved what the emulator held to ${options.save}\n`);
  }
  return ExitCode.ok;
}

/**
 * How the user runs a report from anywhere: `deno task --config <this
 * tool's deno.json> report` from a clone (the plain `deno task report` works
 * only inside it), else the installed command's name.
 */
function reportCommand(): string {
  const config = new URL("../../deno.json", import.meta.url);
  return config.protocol === "file:"
    ? `deno task --config ${config.pathname} report`
    : "wandb-report";
}
