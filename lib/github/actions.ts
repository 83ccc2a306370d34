/**
 * Talking to the GitHub Actions runner: step outputs in `$GITHUB_OUTPUT`
 * (not the removed `::set-output`), `::add-mask::` for secrets, and
 * annotations.
 *
 * @module
 */

/**
 * Formats step outputs in the `$GITHUB_OUTPUT` file syntax: `name=value`, or
 * a heredoc with a random delimiter when a value spans lines.
 *
 * @example
 * ```ts
 * import { formatOutputs } from "./actions.ts";
 * formatOutputs({ NUM_FINISHED: "2" }); // "NUM_FINISHED=2\n"
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

/**
 * The workflow command that makes the runner mask `value` in every later log
 * line. Only meaningful inside GitHub Actions; the runner consumes the line
 * and never shows it.
 *
 * @example
 * ```ts
 * import { maskCommand } from "./actions.ts";
 * maskCommand("derived-token"); // "::add-mask::derived-token"
 * ```
 */
export function maskCommand(value: string): string {
  return `::add-mask::${value}`;
}

/**
 * A workflow command that shows `message` as an annotation on the run
 * (`notice`, `warning` or `error`). The message is escaped as the Actions
 * toolkit does (`%`, CR, LF), so it stays one command whatever it contains.
 *
 * @example
 * ```ts
 * import { annotation } from "./actions.ts";
 * annotation("warning", "two\nlines"); // "::warning::two%0Alines"
 * ```
 */
export function annotation(kind: "notice" | "warning" | "error", message: string): string {
  const escaped = message.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
  return `::${kind}::${escaped}`;
}
