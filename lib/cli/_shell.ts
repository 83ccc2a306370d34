/**
 * The shape every command has: resolve the inputs, answer `--help` and
 * `--version`, run, and turn any error into one line and its exit code.
 *
 * @module
 */
import meta from "../../deno.json" with { type: "json" };
import {
  ExitCode,
  exitCodeFor,
  InvalidInputError,
  permissionError,
  WandbReportError,
} from "../ground/errors.ts";
import type { Command, Resolved } from "../inputs/command.ts";
import { type CliIo, Printer } from "../output.ts";
import { Redactor } from "../ground/redact.ts";

/** A command's run: its validated options in, an exit code out. */
export type Run<T> = (options: T, io: CliIo, print: Printer) => Promise<number>;

/**
 * Every command: load its definition (a process loads only its own
 * command's), resolve the inputs (registering secrets with the printer's
 * redactor), answer `--help`/`--version`, run, and turn any error into its
 * one-line message and exit code.
 */
export async function command<T>(
  argv: readonly string[],
  io: CliIo,
  load: () => Promise<Command<T>>,
  program: string,
  run: Run<T>,
): Promise<number> {
  const print = new Printer(io, new Redactor());
  try {
    const definition = await load();
    let resolved: Resolved<T>;
    try {
      resolved = definition.resolve(argv, io.env, print.redactor);
    } catch (error) {
      // A bare call (no flags, no INPUT_* variables) gets the usage first.
      if (error instanceof InvalidInputError && argv.length === 0 && !hasInputs(io.env)) {
        print.err(
          `${definition.help(program).split("\n", 1)[0]}\nRun with --help for every option.\n`,
        );
      }
      throw error;
    }
    if (resolved.kind === "help") {
      print.out(`${definition.help(program)}\n`);
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
export function failed(print: Printer, thrown: unknown): number {
  const error = thrown instanceof Deno.errors.NotCapable ? permissionError(thrown) : thrown;
  // Inside Actions an error is an ::error:: annotation: it shows on the run's page.
  if (error instanceof WandbReportError) print.say("error", "error", error.message);
  else print.err(`internal error (please report it): ${(error as Error)?.message ?? error}\n`);
  return exitCodeFor(error);
}
