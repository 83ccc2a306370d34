/**
 * The commands, all of one shape: an option table and schema (`inputs/`)
 * resolve the inputs, a run does the work, this module writes what it
 * returns, and {@link exitCodeFor} is the one map from errors to exit codes.
 * Nothing is printed but through a {@link Printer}.
 *
 * @module
 */
import meta from "../deno.json" with { type: "json" };
import {
  ApiError,
  ExitCode,
  exitCodeFor,
  InvalidInputError,
  permissionError,
  WandbReportError,
} from "./errors.ts";
import {
  type Destination,
  destinationPath,
  fsReason,
  inspectPath,
  readInputFile,
  StagedFiles,
} from "./fs.ts";
import { appendOutputs } from "./github/actions.ts";
import { chatopsOutputs, runChatops } from "./chatops.ts";
import { type CommentMode, postComment, type PostCommentResult } from "./github/comment.ts";
import {
  contextNote,
  postStatus,
  type PostStatusResult,
  runUrlFromEnv,
  statusContext,
} from "./github/statuses.ts";
import { resolveStatusInputs, statusHelpText, type StatusOptions } from "./inputs/status.ts";
import { parseRepo } from "./github/pulls.ts";
import { githubApiUrl, GitHubClient, githubGraphqlUrl } from "./github/client.ts";
import { githubHistory } from "./history/github.ts";
import type { Resolved } from "./inputs/_sources.ts";
import { chatopsHelpText, type ChatopsOptions, resolveChatopsInputs } from "./inputs/chatops.ts";
import { commentHelpText, type CommentOptions, resolveCommentInputs } from "./inputs/comment.ts";
import {
  type EmulatorCliOptions,
  emulatorHelpText,
  resolveEmulatorInputs,
} from "./inputs/emulator.ts";
import { helpText, type ReportCliOptions, resolveInputs } from "./inputs/report.ts";
import { type CliIo, Printer } from "./output.ts";
import { isMarker, reportMarker } from "./marker.ts";
import { runReport, waitForCandidates, type WaitPoll } from "./pipeline/mod.ts";
import { stateList } from "./classify.ts";
import { renderProgress } from "./report/progress.ts";
import { waitingText } from "./report/summary.ts";
import { durationText } from "./model.ts";
import { renderTable } from "./report/table.ts";
import { Redactor } from "./redact.ts";
import { retryPolicy } from "./retry.ts";

export { type CliIo, processIo } from "./output.ts";

/** A command's run: its validated options in, an exit code out. */
type Run<T> = (options: T, io: CliIo, print: Printer) => Promise<number>;

/**
 * Every command: resolve the inputs (registering secrets with the printer's
 * redactor), answer `--help`/`--version`, run, and turn any error into its
 * one-line message and exit code.
 */
async function command<T>(
  argv: readonly string[],
  io: CliIo,
  resolve: (argv: readonly string[], env: CliIo["env"], redactor: Redactor) => Resolved<T>,
  help: () => string,
  run: Run<T>,
): Promise<number> {
  const print = new Printer(io, new Redactor());
  try {
    let resolved: Resolved<T>;
    try {
      resolved = resolve(argv, io.env, print.redactor);
    } catch (error) {
      // A bare call (no flags, no INPUT_* variables) gets the usage first.
      if (error instanceof InvalidInputError && argv.length === 0 && !hasInputs(io.env)) {
        print.err(`${help().split("\n", 1)[0]}\nRun with --help for every option.\n`);
      }
      throw error;
    }
    if (resolved.kind === "help") {
      print.out(`${help()}\n`);
      return ExitCode.ok;
    }
    if (resolved.kind === "version") {
      print.out(`${meta.name} ${meta.version}\n`);
      return ExitCode.ok;
    }
    return await run(resolved.options, io, print);
  } catch (error) {
    return failed(print, error);
  }
}

/** Whether any action input (`INPUT_*`) is set, as inside GitHub Actions. */
function hasInputs(env: CliIo["env"]): boolean {
  try {
    return Object.keys(env).some((name) => name.startsWith("INPUT_"));
  } catch {
    return false;
  }
}

/** Prints a failure as one line and returns its exit code (the one map in `errors.ts`). */
function failed(print: Printer, thrown: unknown): number {
  const error = thrown instanceof Deno.errors.NotCapable ? permissionError(thrown) : thrown;
  // Inside Actions an error is an ::error:: annotation: it shows on the run's page.
  if (error instanceof WandbReportError) print.say("error", "error", error.message);
  else print.err(`internal error (please report it): ${(error as Error)?.message ?? error}\n`);
  return exitCodeFor(error);
}

/**
 * Runs the report command and returns its exit code (0 done, 1 gate failed,
 * 2 invalid input, 3 W&B failed; see {@link ExitCode}).
 *
 * @param argv the arguments after the program name
 * @param program how the user called us, for `--help`
 *
 * @example
 * ```ts ignore
 * import { processIo, runReportCli } from "./cli.ts";
 * Deno.exit(await runReportCli(Deno.args, processIo(), "deno task report"));
 * ```
 */
export function runReportCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report",
): Promise<number> {
  return command(
    argv,
    io,
    (a, e, r) => {
      const resolved = resolveInputs(a, e, r);
      return resolved.kind === "report" ? { kind: "run", options: resolved.options } : resolved;
    },
    () => helpText(program),
    report,
  );
}

/**
 * Runs the chatops command and returns its exit code (0 whether or not the
 * event triggers, 2 invalid input, 3 GitHub failed).
 *
 * @example
 * ```ts ignore
 * import { processIo, runChatopsCli } from "./cli.ts";
 * Deno.exit(await runChatopsCli(Deno.args, processIo(), "deno task chatops"));
 * ```
 */
export function runChatopsCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report-chatops",
): Promise<number> {
  return command(
    argv,
    io,
    (a, e, r) => {
      const resolved = resolveChatopsInputs(a, e, r);
      return resolved.kind === "chatops" ? { kind: "run", options: resolved.options } : resolved;
    },
    () => chatopsHelpText(program),
    chatops,
  );
}

/**
 * Runs the comment command: posts a report rendered earlier (the body's first
 * line is its marker) as the sticky comment on a PR. The reusable workflow
 * runs it in a job of its own, the only one with `pull-requests: write`.
 *
 * @example
 * ```ts ignore
 * import { processIo, runCommentCli } from "./cli.ts";
 * Deno.exit(await runCommentCli(Deno.args, processIo(), "deno task comment"));
 * ```
 */
export function runCommentCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report-comment",
): Promise<number> {
  return command(argv, io, resolveCommentInputs, () => commentHelpText(program), comment);
}

/**
 * Runs the status command: sets the report's commit status
 * (`wandb-report/<report key>`) on a commit. The reusable workflow runs it in
 * the jobs that hold `statuses: write` and nothing else.
 *
 * @example
 * ```ts ignore
 * import { processIo, runStatusCli } from "./cli.ts";
 * Deno.exit(await runStatusCli(Deno.args, processIo(), "deno task status"));
 * ```
 */
export function runStatusCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report-status",
): Promise<number> {
  return command(argv, io, resolveStatusInputs, () => statusHelpText(program), status);
}

/**
 * Runs the W&B emulator command: serves a fixture on 127.0.0.1 until
 * `stop` resolves (by default, until SIGINT).
 *
 * @example
 * ```ts ignore
 * import { processIo, runEmulatorCli } from "./cli.ts";
 * Deno.exit(await runEmulatorCli(Deno.args, processIo(), "deno task emulator"));
 * ```
 */
export function runEmulatorCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report-emulator",
  stop?: Promise<void>,
): Promise<number> {
  return command(
    argv,
    io,
    resolveEmulatorInputs,
    () => emulatorHelpText(program),
    (options, _io, print) => emulator(options, print, stop),
  );
}

/**
 * Runs the demo: the report on the bundled demo project, served by an
 * in-process emulator; flags after the demo's own win. Shows the runs as a
 * table; writes the CSV and the markdown like a real run.
 *
 * @example
 * ```ts ignore
 * import { processIo, runDemoCli } from "./cli.ts";
 * Deno.exit(await runDemoCli(Deno.args, processIo()));
 * ```
 */
export async function runDemoCli(
  argv: readonly string[],
  io: CliIo,
  program = "deno task demo",
): Promise<number> {
  const { DEMO_ARGS, demoHelpText, runDemo } = await import("./demo.ts");
  const print = new Printer(io, new Redactor());
  try {
    // --help and --version are the demo's own: no emulator starts for them.
    let asked: ReturnType<typeof resolveInputs> | undefined;
    try {
      asked = resolveInputs([...DEMO_ARGS, ...argv], {});
    } catch { /* the report says what is wrong with the flags */ }
    if (asked?.kind === "help") {
      print.out(`${demoHelpText(program, helpText(program))}\n`);
      return ExitCode.ok;
    }
    if (asked?.kind === "version") {
      print.out(`${meta.name} ${meta.version}\n`);
      return ExitCode.ok;
    }
    return await runDemo(
      argv,
      io,
      print,
      (args, demoIo) => runReportCli(args, demoIo, program),
      (args) => writtenPaths(args, io),
    );
  } catch (error) {
    return failed(print, error);
  }
}

/** Where a report with these flags wrote its CSV and markdown (for the demo's closing note). */
async function writtenPaths(
  argv: readonly string[],
  io: CliIo,
): Promise<{ csv: string; markdown?: string } | undefined> {
  try {
    const run = resolveInputs(argv, { INIT_CWD: io.env.INIT_CWD, WANDB_API_KEY: "demo" });
    if (run.kind !== "report") return undefined;
    const { out, markdown } = run.options;
    return {
      csv: await destinationPath({ path: out, fallbackName: "wandb_report.csv", label: "--out" }),
      markdown: markdown === undefined ? undefined : await destinationPath({
        path: markdown,
        fallbackName: "wandb_report.md",
        label: "--markdown",
      }),
    };
  } catch {
    return undefined;
  }
}

/** Colours on a terminal, unless `NO_COLOR`; always with `FORCE_COLOR` (https://no-color.org). */
function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return io.terminal?.stdout ?? false;
}

/**
 * Progress on stderr while a report is fetched and while `--wait` polls: on
 * a terminal one line updated in place; elsewhere plain lines, at most every
 * 5 seconds (in Actions, a poll's line at most every minute); retries always
 * (they explain a pause); nothing with `--quiet`.
 */
function progressReporter(options: ReportCliOptions, io: CliIo, print: Printer) {
  if (options.quiet) return {};
  const now = io.deps?.now ?? Date.now;
  const live = (io.terminal?.stderr ?? false) && !print.inActions;
  // Plain lines start after 5 s: a quick fetch says nothing until its summary.
  let lastLine = now();
  let retries = 0;
  let waited = 0;
  let lastPoll = -Infinity;
  let lastCounts = "";
  const every = (ms: number, last: number) => live || now() - last >= ms;
  return {
    onPage: ({ runs, total, pages }: { runs: number; total?: number; pages: number }) => {
      if (!every(5000, lastLine)) return;
      lastLine = now();
      print.progress(
        `fetching: ${runs}${total === undefined ? "" : ` of ${total}`} runs, ${pages} page${
          pages === 1 ? "" : "s"
        }${
          retries
            ? `, ${retries} retr${retries === 1 ? "y" : "ies"} (waited ${
              (waited / 1000).toFixed(1)
            } s)`
            : ""
        }`,
      );
    },
    onRetry: (retry: { attempt: number; of: number; delayMs: number; reason: string }) => {
      retries++;
      waited += retry.delayMs;
      print.err(
        `retrying in ${(retry.delayMs / 1000).toFixed(1)} s: ${retry.reason} ` +
          `(attempt ${retry.attempt} of ${retry.of})\n`,
      );
    },
    onPoll: (poll: WaitPoll) => {
      const counts = stateList(poll.counts).join(", ") || "no candidates";
      const changed = counts !== lastCounts;
      lastCounts = counts;
      const due = print.inActions ? now() - lastPoll >= 60_000 : changed || live;
      if (!due && !poll.complete) return;
      lastPoll = now();
      const line = `waiting: ${counts} (poll ${poll.polls}, ${
        Math.round(poll.elapsedMs / 1000)
      } s waited, ${Math.round(poll.remainingMs / 1000)} s left)`;
      if (live) print.progress(line);
      else print.err(`${line}\n`);
    },
  };
}

/**
 * Where a report may read commit history: the checkout it runs in
 * (`GITHUB_WORKSPACE` inside Actions, else where the user typed the command),
 * and GitHub's API when a token and the repository are known.
 */
function historyPlaces(
  options: ReportCliOptions,
  io: CliIo,
  log: ((line: string) => void) | undefined,
) {
  const repository = io.env.GITHUB_REPOSITORY;
  const token = options.githubToken;
  return {
    cwd: io.env.GITHUB_WORKSPACE || io.env.INIT_CWD || Deno.cwd(),
    github: token && repository
      ? () =>
        githubHistory(
          new GitHubClient({
            token,
            url: githubGraphqlUrl(io.env),
            restUrl: githubApiUrl(io.env),
            retry: retryPolicy(options, io.deps?.baseDelayMs),
            log,
            deps: io.deps?.http,
          }),
          parseRepo(repository, "GITHUB_REPOSITORY"),
        )
      : undefined,
  };
}

/**
 * Posts a report's comment (or the wait's progress) on `--pr-number` with
 * `GITHUB_TOKEN`, retried as the user set for W&B.
 */
function postReportComment(
  options: ReportCliOptions,
  io: CliIo,
  log: ((line: string) => void) | undefined,
  comment: { marker: string; body: string; mode?: CommentMode },
): Promise<PostCommentResult> {
  return postComment({
    token: options.githubToken!,
    repository: io.env.GITHUB_REPOSITORY,
    prNumber: options.prNumber!,
    ...comment,
    env: io.env,
    retry: retryPolicy(options, io.deps?.baseDelayMs),
    http: io.deps?.http,
    log,
  });
}

/**
 * The wait, shown where the PR's people look: the sticky comment (in
 * comment-mode `always`; the other modes decide on the final report alone)
 * and the pending commit status say "waiting for training: 2 of 5 finished,
 * …", posted at the wait's start, then when the counts change, at most once a
 * minute. The report replaces both. A failure to post is one warning, and
 * the wait goes on without it.
 */
function waitShown(
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
  const statusing = options.status && token !== undefined && /^[0-9a-f]{40}$/.test(sha);
  if (!commenting && !statusing) return undefined;
  const now = io.deps?.now ?? Date.now;
  const marker = reportMarker(options, io.env.GITHUB_WORKFLOW);
  let shownCounts = "";
  let shownAt = -Infinity;
  const show = async (text: string) => {
    if (statusing) await setStatus(sha, "pending", text);
    if (!commenting) return;
    try {
      const posted = await postReportComment(options, io, log, {
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

/** Says what became of the PR comment. */
function reportPosted(print: Printer, posted: PostCommentResult): void {
  if (posted.action === "skipped") print.say("warning", "warning", posted.warning);
  else if (posted.action === "none") print.err(`no comment: ${posted.reason}\n`);
  else if (posted.action === "unchanged") {
    print.err(`comment left as it is: ${posted.url} (${posted.reason})\n`);
  } else print.err(`comment ${posted.action}: ${posted.url}\n`);
}

/** Says what became of the commit status. */
function statusSet(print: Printer, result: PostStatusResult): void {
  if (result.action === "skipped") print.say("warning", "warning", result.warning);
  else print.err(`status ${result.context}: ${result.state}\n`);
}

/**
 * Checks that a file the runner hands us for appending (`GITHUB_OUTPUT`,
 * `GITHUB_STEP_SUMMARY`) can be appended to, before anything is written.
 */
async function checkAppendable(label: string, path: string | undefined): Promise<void> {
  if (!path) return;
  const expected = "a file this step may append to";
  const fail = (reason: string) => new InvalidInputError(label, expected, path, reason);
  const info = await inspectPath(path, label, expected);
  if (info === undefined) {
    const parent = await inspectPath(path.replace(/[^/\\]*$/, "") || ".", label, expected);
    if (!parent?.isDirectory) throw fail("no such file or directory");
    return;
  }
  if (!info.isFile) throw fail("not a regular file");
  try {
    (await Deno.open(path, { append: true })).close();
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    throw fail(fsReason(error));
  }
}

/** Appends to a runner file, naming it when that fails. */
async function appendTo(label: string, path: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    throw new InvalidInputError(label, "a file this step may append to", path, fsReason(error));
  }
}

/** Appends step outputs (redacted) to `$GITHUB_OUTPUT`, when there is one. */
async function writeOutputs(
  io: CliIo,
  print: Printer,
  outputs: Record<string, string>,
): Promise<void> {
  const path = io.env.GITHUB_OUTPUT;
  if (!path) return;
  const values = Object.fromEntries(
    Object.entries(outputs).map(([k, v]) => [k, print.redactor.redact(v)]),
  );
  await appendTo("GITHUB_OUTPUT", path, () => appendOutputs(path, values));
}

const chatops: Run<ChatopsOptions> = async (options, io, print) => {
  await checkAppendable("GITHUB_OUTPUT", io.env.GITHUB_OUTPUT);
  const log = options.debug ? (line: string) => print.err(`debug: ${line}\n`) : undefined;
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

const comment: Run<CommentOptions> = async (options, io, print) => {
  const body = options.bodyFile === undefined ? options.body ?? "" : await readInputFile(
    options.bodyFile,
    "--body-file",
    "a readable file with the rendered report",
  );
  const marker = body.split("\n", 1)[0]!;
  if (!isMarker(marker)) {
    throw new InvalidInputError(
      options.bodyFile !== undefined ? "--body-file" : "INPUT_BODY",
      "a report rendered by wandb-report (its first line is the marker)",
    );
  }
  const posted = await postComment({
    token: options.githubToken,
    repository: options.repository,
    prNumber: options.prNumber,
    marker,
    body: print.redactor.redact(body),
    env: io.env,
    retry: retryPolicy(options, io.deps?.baseDelayMs),
    http: io.deps?.http,
    log: options.debug ? (line) => print.err(`debug: ${line}\n`) : undefined,
    mode: options.commentMode,
  });
  reportPosted(print, posted);
  return ExitCode.ok;
};

const status: Run<StatusOptions> = async (options, io, print) => {
  const caseNote = contextNote(options.reportKey);
  if (caseNote) print.say("notice", "note", caseNote);
  const result = await postStatus({
    token: options.githubToken,
    repository: options.repository,
    sha: options.sha,
    state: options.state,
    context: statusContext(options.reportKey),
    description: options.description,
    targetUrl: options.targetUrl ?? runUrlFromEnv(io.env),
    env: io.env,
    retry: retryPolicy(options, io.deps?.baseDelayMs),
    http: io.deps?.http,
    log: options.debug ? (line) => print.err(`debug: ${line}\n`) : undefined,
  });
  statusSet(print, result);
  return ExitCode.ok;
};

async function emulator(
  options: EmulatorCliOptions,
  print: Printer,
  stop?: Promise<void>,
): Promise<number> {
  const { DEMO_FIXTURE, loadFixture } = await import("./emulator/fixtures.ts");
  const { startEmulator } = await import("./emulator/server.ts");
  const source = options.fixture ?? DEMO_FIXTURE;
  const fixture = await loadFixture(source);
  const server = await startEmulator({
    fixture,
    port: options.port,
    keysArgument: !options.noKeysArgument,
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
      `  then: deno task report --project ${
        fixture.projects[0]
          ? `${fixture.projects[0].entity}/${fixture.projects[0].name}`
          : "ENTITY/PROJECT"
      } --sha SHA   (Ctrl-C to stop the emulator)\n`,
  );
  await (stop ?? new Promise<void>((resolve) => Deno.addSignalListener("SIGINT", resolve)));
  await server.close();
  return ExitCode.ok;
}

/**
 * The report command: check every destination, run the report, then write
 * every file and output together; print what was asked for; exit with the
 * gate's verdict.
 */
const report: Run<ReportCliOptions> = async (options, io, print) => {
  const log = options.debug ? (line: string) => print.err(`debug: ${line}\n`) : undefined;
  const note = (text: string) => print.say("notice", "note", text);
  options.notes.forEach(note);

  // Every destination is checked before anything is fetched or written: an
  // exit 2 or 3 leaves nothing behind.
  await checkAppendable("GITHUB_OUTPUT", io.env.GITHUB_OUTPUT);
  await checkAppendable("GITHUB_STEP_SUMMARY", io.env.GITHUB_STEP_SUMMARY);
  if (options.comment || options.status) {
    parseRepo(io.env.GITHUB_REPOSITORY, "GITHUB_REPOSITORY");
    // Checked before any request: a URL that is not http(s) is an input, not a server, error.
    githubGraphqlUrl(io.env);
    githubApiUrl(io.env);
  }
  const destinations: Destination[] = [
    options.outDefault
      ? { path: options.out, noFollow: true, label: "--out" }
      : { path: options.out, fallbackName: "wandb_report.csv", label: "--out" },
  ];
  if (options.markdown) {
    destinations.push({
      path: options.markdown,
      fallbackName: "wandb_report.md",
      label: "--markdown",
    });
  }
  const files = await StagedFiles.create(destinations);
  // The commit status (--status): set on the SHA the report is about, a
  // warning (never a failure) when it cannot be.
  const setStatus = async (sha: string, state: "pending" | "success" | "failure", text: string) => {
    if (!options.status || !options.githubToken) return;
    if (sha === "") return;
    if (!/^[0-9a-f]{40}$/.test(sha)) {
      print.say(
        "notice",
        "note",
        `no commit status: ${JSON.stringify(sha)} is not a full commit SHA`,
      );
      return;
    }
    try {
      statusSet(
        print,
        await postStatus({
          token: options.githubToken,
          repository: io.env.GITHUB_REPOSITORY,
          sha,
          state,
          context: statusContext(options.reportKey ?? `${options.entity}/${options.project}`),
          description: text,
          targetUrl: runUrlFromEnv(io.env),
          env: io.env,
          retry: retryPolicy(options, io.deps?.baseDelayMs),
          http: io.deps?.http,
          log,
        }),
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      print.say("warning", "warning", `the commit status was not set: ${error.message}`);
    }
  };
  try {
    const progress = progressReporter(options, io, print);
    const shown = waitShown(options, io, print, setStatus, log);
    let lastPoll: WaitPoll | undefined;
    const onPoll = async (poll: WaitPoll) => {
      lastPoll = poll;
      progress.onPoll?.(poll);
      await shown?.onPoll(poll);
    };
    if (options.progressOnly) {
      // The reusable workflow's wait job: the wait, shown; the report job follows.
      const result = await waitForCandidates(options, {
        ...io.deps,
        ...progress,
        onPoll,
        log,
        redactor: print.redactor,
      });
      print.endProgress();
      result.notes.forEach(note);
      // Shown only when there was a wait to show (no poll: it was over at once).
      if (lastPoll) {
        await shown?.over({ ...lastPoll, counts: result.classification.counts });
      }
      print.err(
        `wait over: ${
          stateList(result.classification.counts).join(", ") || "no candidate runs"
        } (no report written: --progress-only)\n`,
      );
      return ExitCode.ok;
    }
    const { result, judgement, rendered } = await runReport(options, {
      ...io.deps,
      ...progress,
      onPoll,
      log,
      history: historyPlaces(options, io, log),
      csvPath: files.targets[0]!,
      workflow: io.env.GITHUB_WORKFLOW,
      redactor: print.redactor,
    });
    print.endProgress();
    [...result.notes, ...judgement.notes].forEach(note);
    let redacted: string | undefined;
    const markdown = () => redacted ??= print.redactor.redact(rendered.markdown);

    // Everything is written before the gate decides the exit code.
    await files.write(0, print.redactor.redact(rendered.csv));
    if (options.markdown) await files.write(1, markdown());
    await files.commit();
    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      await appendTo(
        "GITHUB_STEP_SUMMARY",
        summaryFile,
        () => Deno.writeTextFile(summaryFile, `${markdown()}\n`, { append: true }),
      );
    }
    await writeOutputs(io, print, rendered.outputs);
    if (options.comment && options.prNumber !== undefined && options.githubToken) {
      // A comment that fails after a good report is a warning: the report,
      // its outputs and the job summary stand, and the exit code is the gate's.
      try {
        reportPosted(
          print,
          await postReportComment(options, io, log, {
            marker: rendered.marker,
            body: markdown(),
            mode: options.commentMode,
          }),
        );
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        print.say("warning", "warning", `the PR comment was not posted: ${error.message}`);
      }
    }
    const outputs = rendered.outputs;
    const caseNote = options.status
      ? contextNote(options.reportKey ?? `${options.entity}/${options.project}`)
      : undefined;
    if (caseNote) note(caseNote);
    // A status speaks for a commit's own runs: a run-id report judges one run, and sets none.
    if (options.status && options.match.by === "run-id") {
      note("no commit status: a --run-id report judges one run, not a commit's runs");
    }
    await setStatus(
      options.match.by === "sha" ? result.sha : "",
      outputs.STATUS_STATE as "success" | "failure",
      outputs.STATUS_DESCRIPTION!,
    );
    // On a terminal, with no format asked for, the report is shown as a table.
    const format = options.format ??
      (options.json ? "json" : io.terminal?.stdout ? "table" : undefined);
    if (format === "table") {
      print.table(renderTable(
        {
          ...result,
          comparisons: judgement.comparisons,
          groups: judgement.groups,
          trend: result.trend,
          stalled: new Set(result.classification.stalled.map((s) => s.run.name)),
        },
        { color: useColor(io), width: io.terminal?.stdout ? io.terminal.columns : undefined },
      ));
    } else if (format === "json") print.json(rendered.json);
    else if (format === "markdown") print.data(`${markdown()}\n`);
    else if (format === "csv") print.data(rendered.csv);

    const { gate } = judgement;
    for (const failure of gate.verdicts.filter((v) => v.failed)) {
      print.say("error", "gate", failure.message);
    }
    for (const unsure of gate.verdicts.filter((v) => !v.failed && v.status === "inconclusive")) {
      print.say("warning", "gate", unsure.message);
    }
    if (gate.complete && !gate.complete.passed) print.say("error", "gate", gate.complete.message);
    print.err(rendered.summary);
    return gate.passed ? ExitCode.ok : ExitCode.gateFailed;
  } finally {
    await files.discard();
  }
};
