/**
 * The commands, all of one shape: an option table and schema (`inputs/`)
 * resolve the inputs, a run does the work, this module writes what it
 * returns, and `exitCodeFor` is the one map from errors to exit codes. The
 * doors are here; the shell (`_shell`), the report command (`report`), what
 * the PR shows (`pr`), the runner's files (`runner`) and the workflow's small
 * steps (`steps`) are files of their own.
 * Nothing is printed but through a `Printer`.
 *
 * @module
 */
import meta from "../../deno.json" with { type: "json" };
import { ExitCode } from "../ground/errors.ts";
import { destinationPath } from "../fs.ts";
import type { Invocation } from "../inputs/report.ts";
import { type CliIo, Printer } from "../output.ts";
import { Redactor } from "../ground/redact.ts";
import { command, failed, type Run } from "./_shell.ts";

export { type CliIo, processIo } from "../output.ts";

/**
 * Runs the report command and returns its exit code (0 done, 1 gate failed,
 * 2 invalid input, 3 W&B failed; see {@link ExitCode}).
 *
 * @param argv the arguments after the program name
 * @param program how the user called us, for `--help`
 *
 * @example
 * ```ts ignore
 * import { processIo, runReportCli } from "./mod.ts";
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
    () => import("../inputs/report.ts").then((m) => m.REPORT_COMMAND),
    program,
    later(() => import("./report.ts"), (m) => m.report),
  );
}

/**
 * Runs the chatops command and returns its exit code (0 whether or not the
 * event triggers, 2 invalid input, 3 GitHub failed).
 *
 * @example
 * ```ts ignore
 * import { processIo, runChatopsCli } from "./mod.ts";
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
    () => import("../inputs/chatops.ts").then((m) => m.CHATOPS_COMMAND),
    program,
    later(() => import("./chatops.ts"), (m) => m.chatops),
  );
}

/**
 * Runs the comment command: posts a report rendered earlier (the body's first
 * line is its marker) as the sticky comment on a PR. The reusable workflow
 * runs it in a job of its own, the only one with `pull-requests: write`.
 *
 * @example
 * ```ts ignore
 * import { processIo, runCommentCli } from "./mod.ts";
 * Deno.exit(await runCommentCli(Deno.args, processIo(), "deno task comment"));
 * ```
 */
export function runCommentCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report-comment",
): Promise<number> {
  return command(
    argv,
    io,
    () => import("../inputs/comment.ts").then((m) => m.COMMENT_COMMAND),
    program,
    later(() => import("./steps.ts"), (m) => m.comment),
  );
}

/**
 * Runs the status command: sets the report's commit status
 * (`wandb-report/<report key>`) on a commit. The reusable workflow runs it in
 * the jobs that hold `statuses: write` and nothing else.
 *
 * @example
 * ```ts ignore
 * import { processIo, runStatusCli } from "./mod.ts";
 * Deno.exit(await runStatusCli(Deno.args, processIo(), "deno task status"));
 * ```
 */
export function runStatusCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report-status",
): Promise<number> {
  return command(
    argv,
    io,
    () => import("../inputs/status.ts").then((m) => m.STATUS_COMMAND),
    program,
    later(() => import("./steps.ts"), (m) => m.status),
  );
}

/**
 * Runs the merge command: the JSON reports of a matrix's legs merged into one
 * report, one comment, one status (0 passed, 1 the merged gate failed, 2
 * invalid input, 3 GitHub failed).
 *
 * @example
 * ```ts ignore
 * import { processIo, runMergeCli } from "./mod.ts";
 * Deno.exit(await runMergeCli(Deno.args, processIo(), "deno task merge"));
 * ```
 */
export function runMergeCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report-merge",
): Promise<number> {
  return command(
    argv,
    io,
    () => import("../inputs/merge.ts").then((m) => m.MERGE_COMMAND),
    program,
    later(() => import("./merge.ts"), (m) => m.merge),
  );
}

/**
 * The accept command: an `/accept-regression REASON` comment turns the PR
 * head's check to success and records who, when and why; returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { processIo, runAcceptCli } from "./mod.ts";
 * Deno.exit(await runAcceptCli(["--report-key", "acme/vision"], processIo()));
 * ```
 */
export function runAcceptCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report-accept",
): Promise<number> {
  return command(
    argv,
    io,
    () => import("../inputs/accept.ts").then((m) => m.ACCEPT_COMMAND),
    program,
    later(() => import("./lifecycle.ts"), (m) => m.accept),
  );
}

/**
 * The publish command: a sweep's reports (`report --sweep N --format json`)
 * delivered by a job without the W&B key; returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { processIo, runPublishCli } from "./mod.ts";
 * Deno.exit(await runPublishCli(["--file", "sweep.json"], processIo()));
 * ```
 */
export function runPublishCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report-publish",
): Promise<number> {
  return command(
    argv,
    io,
    () => import("../inputs/publish.ts").then((m) => m.PUBLISH_COMMAND),
    program,
    later(() => import("./steps.ts"), (m) => m.publish),
  );
}

/**
 * The waiting command: the open pull requests whose head waits for this
 * report's check, for a sweep; returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { processIo, runWaitingCli } from "./mod.ts";
 * Deno.exit(await runWaitingCli(["--report-key", "acme/vision"], processIo()));
 * ```
 */
export function runWaitingCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report-waiting",
): Promise<number> {
  return command(
    argv,
    io,
    () => import("../inputs/waiting.ts").then((m) => m.WAITING_COMMAND),
    program,
    later(() => import("./sweep.ts"), (m) => m.waiting),
  );
}

/**
 * The merge queue command: a `merge_group` event's check from the verdicts
 * its pull requests already have; returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { processIo, runQueueCli } from "./mod.ts";
 * Deno.exit(await runQueueCli(["--report-key", "acme/vision"], processIo()));
 * ```
 */
export function runQueueCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report-queue",
): Promise<number> {
  return command(
    argv,
    io,
    () => import("../inputs/queue.ts").then((m) => m.QUEUE_COMMAND),
    program,
    later(() => import("./lifecycle.ts"), (m) => m.queue),
  );
}

/**
 * Runs the W&B emulator command: serves a fixture on 127.0.0.1 until
 * `stop` resolves (by default, until SIGINT).
 *
 * @example
 * ```ts ignore
 * import { processIo, runEmulatorCli } from "./mod.ts";
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
    () => import("../inputs/emulator.ts").then((m) => m.EMULATOR_COMMAND),
    program,
    async (options, _io, print) => (await import("./emulator.ts")).emulator(options, print, stop),
  );
}

/**
 * Runs the demo: the report on the bundled demo project, served by an
 * in-process emulator; flags after the demo's own win. Shows the runs as a
 * table; writes the CSV and the markdown like a real run.
 *
 * @example
 * ```ts ignore
 * import { processIo, runDemoCli } from "./mod.ts";
 * Deno.exit(await runDemoCli(Deno.args, processIo()));
 * ```
 */
export async function runDemoCli(
  argv: readonly string[],
  io: CliIo,
  program = "deno task demo",
): Promise<number> {
  const { DEMO_ARGS, demoHelpText, runDemo } = await import("../demo.ts");
  const { helpText, resolveInputs } = await import("../inputs/report.ts");
  const print = new Printer(io, new Redactor());
  try {
    // --help and --version are the demo's own: no emulator starts for them.
    let asked: Invocation | undefined;
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
    const { resolveInputs } = await import("../inputs/report.ts");
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

/**
 * A command's body, loaded when it runs: each task reads only the modules of
 * its own command (a workflow step starts a process per task, and loading
 * every command's modules was most of a step's start).
 */
function later<M, T>(load: () => Promise<M>, pick: (module: M) => Run<T>): Run<T> {
  return async (options, io, print) => pick(await load())(options, io, print);
}
