/**
 * The files the Actions runner hands a step (`GITHUB_OUTPUT`,
 * `GITHUB_STEP_SUMMARY`): checked before anything is written, appended to
 * with their names in any error, outputs redacted.
 *
 * @module
 */
import { InvalidInputError } from "../ground/errors.ts";
import { fsReason, inspectPath } from "../fs.ts";
import { appendOutputs } from "../ground/actions.ts";
import { githubApiUrl, githubGraphqlUrl } from "../github/mod.ts";
import { parseRepo } from "../github/mod.ts";
import type { CliIo, Printer } from "../output.ts";

/**
 * Checks that a file the runner hands us for appending (`GITHUB_OUTPUT`,
 * `GITHUB_STEP_SUMMARY`) can be appended to, before anything is written.
 */
export async function checkAppendable(label: string, path: string | undefined): Promise<void> {
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
export async function appendTo(
  label: string,
  path: string,
  write: () => Promise<void>,
): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    throw new InvalidInputError(label, "a file this step may append to", path, fsReason(error));
  }
}

/** Appends step outputs (redacted) to `$GITHUB_OUTPUT`, when there is one. */
export async function writeOutputs(
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

/**
 * Checks every destination a command writes to before anything is fetched
 * or written (an exit 2 or 3 leaves nothing behind): the runner's output and
 * summary files, and, when it talks to GitHub, the repository and GitHub's
 * URLs (a URL that is not http(s) is an input error, not a server's).
 */
export async function checkDestinations(io: CliIo, github: boolean): Promise<void> {
  await checkAppendable("GITHUB_OUTPUT", io.env.GITHUB_OUTPUT);
  await checkAppendable("GITHUB_STEP_SUMMARY", io.env.GITHUB_STEP_SUMMARY);
  if (!github) return;
  parseRepo(io.env.GITHUB_REPOSITORY, "GITHUB_REPOSITORY");
  githubGraphqlUrl(io.env);
  githubApiUrl(io.env);
}
