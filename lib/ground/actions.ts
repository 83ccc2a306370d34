/**
 * Talking to the GitHub Actions runner: step outputs in `$GITHUB_OUTPUT`
 * (not the removed `::set-output`), `::add-mask::` for secrets, and
 * annotations. A text protocol on the runner's log, not GitHub's API: it
 * stands on the ground floor so that every printer speaks it without loading
 * the API adapter (each workflow step is a process of its own).
 *
 * @module
 */
import { visible } from "./visible.ts";

/**
 * Formats step outputs in the `$GITHUB_OUTPUT` file syntax: `name=value`, or
 * a heredoc with a random delimiter when a value spans lines.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { formatOutputs } from "./actions.ts";
 * assertEquals(formatOutputs({ NUM_FINISHED: "2" }), "NUM_FINISHED=2\n");
 * ```
 */
export function formatOutputs(outputs: Readonly<Record<string, string>>): string {
  let text = "";
  for (const [name, value] of Object.entries(outputs)) {
    if (!/[\r\n]/.test(value)) {
      text += `${name}=${value}\n`;
      continue;
    }
    let delimiter: string;
    do delimiter = `ghadelimiter_${crypto.randomUUID()}`; while (value.includes(delimiter));
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  return text;
}

/**
 * Appends step outputs to the file named by `$GITHUB_OUTPUT`.
 *
 * @param path the value of `GITHUB_OUTPUT`
 *
 * @example
 * ```ts ignore
 * import { appendOutputs } from "./actions.ts";
 * await appendOutputs(Deno.env.get("GITHUB_OUTPUT")!, { BOOL_COMPLETE: "True" });
 * ```
 */
export async function appendOutputs(
  path: string,
  outputs: Readonly<Record<string, string>>,
): Promise<void> {
  await Deno.writeTextFile(path, formatOutputs(outputs), { append: true });
}

/** Escapes a command's data as the runner unescapes it (`%`, CR, LF). */
function escapeData(value: string): string {
  return value.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/**
 * The workflow command that makes the runner mask `value` in every later log
 * line, with the value %-escaped as the runner expects (`%25`, `%0D`,
 * `%0A`), so a secret with a line break is masked whole. Only meaningful
 * inside GitHub Actions; the runner consumes the line and never shows it.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { maskCommand } from "./actions.ts";
 * assertEquals(maskCommand("derived-token"), "::add-mask::derived-token");
 * assertEquals(maskCommand("50%\nnext"), "::add-mask::50%25%0Anext");
 * ```
 */
export function maskCommand(value: string): string {
  return `::add-mask::${escapeData(value)}`;
}

/**
 * A workflow command that shows `message` as an annotation on the run
 * (`notice`, `warning` or `error`). Control and invisible characters are
 * made visible (ESC or BEL from data reach no terminal), then the message is
 * escaped as the Actions toolkit does (`%`, CR, LF), so it stays one command
 * whatever it contains, and the legacy `##[` form is broken up.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { annotation } from "./actions.ts";
 * assertEquals(annotation("warning", "two\nlines"), "::warning::two%0Alines");
 * ```
 */
export function annotation(kind: "notice" | "warning" | "error", message: string): string {
  return `::${kind}::${escapeData(visible(message)).replaceAll("##[", "##\\[")}`;
}

// The runner reads a line as a command when, after leading whitespace, it
// starts with `::`, or when it holds `##[` anywhere (the legacy form); it
// splits lines at LF, CR and CRLF.
const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Text for the log that the Actions runner cannot read as a workflow
 * command and a terminal cannot obey, whatever data it holds: carriage
 * returns, escape sequences and other control or invisible characters
 * become visible escapes (`visible`, so data cannot start a line of its own
 * or drive the terminal), a `::` that starts a line gets a backslash before
 * it, and `##[` becomes `##\[`. Line feeds we wrote ourselves stay.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { logSafe } from "./actions.ts";
 * assertEquals(logSafe("run ok\n::error::pwned"), "run ok\n\\::error::pwned");
 * assertEquals(logSafe("a\r::warning::x ##[group]"), "a\\r::warning::x ##\\[group]");
 * ```
 */
export function logSafe(text: string): string {
  return commandFree(visible(text));
}

/**
 * Text of ours whose lines the runner cannot read as workflow commands,
 * its escape sequences (a table's colours) kept: a `::` that starts a line
 * gets a backslash before it, and `##[` becomes `##\[` ({@link logSafe}
 * makes data visible first).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { commandFree } from "./actions.ts";
 * assertEquals(commandFree("\x1b[1mrun\x1b[0m\n  ::error::x ##[y]"), "\x1b[1mrun\x1b[0m\n  \\::error::x ##\\[y]");
 * ```
 */
export function commandFree(text: string): string {
  return text
    .split(LINE_BREAK)
    .map((line) => line.replace(/^(\s*)::/u, "$1\\::").replaceAll("##[", "##\\["))
    .join("\n");
}

/**
 * Whether a line would be read by the runner as a workflow command.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { isCommandLine } from "./actions.ts";
 * assertEquals(isCommandLine("  ::error::x"), true);
 * assertEquals(isCommandLine("text ##[group]x"), true);
 * assertEquals(isCommandLine("note: ::x"), false);
 * ```
 */
export function isCommandLine(line: string): boolean {
  return /^\s*::/u.test(line) || line.includes("##[");
}

/**
 * Wraps raw data (CSV, markdown) for stdout inside Actions between
 * `::stop-commands::TOKEN` and `::TOKEN::`, the documented way to print data
 * the runner must not read as commands. The token is random, so the data
 * cannot end the block early.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { stopCommands } from "./actions.ts";
 * const lines = stopCommands("::error::x\n").split("\n");
 * assertEquals(lines[1], "::error::x");
 * assertEquals(lines[2], `::${lines[0]!.slice("::stop-commands::".length)}::`);
 * ```
 */
export function stopCommands(text: string): string {
  const token = `wandb-report-${crypto.randomUUID().replaceAll("-", "")}`;
  return `::stop-commands::${token}\n${text}${text.endsWith("\n") ? "" : "\n"}::${token}::\n`;
}
