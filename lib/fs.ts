/**
 * File writing that never leaves a half-written file behind: every
 * destination is checked (a temporary file is created beside it) before the
 * first byte of output, then all are renamed into place together; temporary
 * files are removed on failure and on SIGINT, SIGTERM and SIGHUP.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { InvalidInputError } from "./ground/errors.ts";

/**
 * Writes `text` to a temporary file beside `path`, then renames it over
 * `path`, so readers see the old file or the whole new one, never a part.
 * When `path` is an existing directory, writes `fallbackName` inside it.
 *
 * @returns the path written
 *
 * @example
 * ```ts ignore
 * import { writeFileAtomic } from "./fs.ts";
 * await writeFileAtomic("wandb_report.csv", "run.url,run.name\n");
 * ```
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  fallbackName?: string,
): Promise<string> {
  const files = await StagedFiles.create([{ path, fallbackName, label: path }]);
  try {
    await files.write(0, text);
    return (await files.commit())[0]!;
  } finally {
    await files.discard();
  }
}

/** One destination of a {@link StagedFiles} set. */
export interface Destination {
  /** Where the file goes. */
  path: string;
  /**
   * When `path` names an existing directory (or ends with `/`), the file is
   * written inside it under this name; without it, a directory is an error.
   */
  fallbackName?: string;
  /**
   * Replace a symbolic link at `path` rather than follow it (for default
   * paths, which the user did not choose: a link planted in a checkout must
   * not send the report elsewhere).
   */
  noFollow?: boolean;
  /** The input that named the path, for error messages (`--out`). */
  label: string;
}

// SIGHUP too: a closed terminal or an SSH session that drops ends a --wait.
const SIGNALS: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const SIGNAL_EXIT: Partial<Record<Deno.Signal, number>> = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
};

/**
 * A set of files written all or nothing: {@link StagedFiles.create} checks
 * every destination by creating its temporary file, {@link StagedFiles.write}
 * fills one, {@link StagedFiles.commit} renames them all into place, and
 * {@link StagedFiles.discard} removes what is left. Until then a SIGINT or
 * SIGTERM (or SIGHUP) removes the temporary files and ends the process
 * (exit 130 / 143 / 129).
 *
 * @example
 * ```ts ignore
 * import { StagedFiles } from "./fs.ts";
 * const files = await StagedFiles.create([{ path: "a.csv", label: "--out" }]);
 * try {
 *   await files.write(0, "x\n");
 *   await files.commit();
 * } finally {
 *   await files.discard();
 * }
 * ```
 */
export class StagedFiles {
  /** The final paths, in the order given. */
  readonly targets: readonly string[];
  readonly #temps: string[];
  #onSignal: (() => void) | undefined;

  private constructor(targets: string[], temps: string[]) {
    this.targets = targets;
    this.#temps = temps;
  }

  /**
   * Checks every destination by creating an empty temporary file beside it.
   *
   * @throws {InvalidInputError} naming the input whose path cannot be written; nothing is left behind
   */
  static async create(destinations: readonly Destination[]): Promise<StagedFiles> {
    const targets: string[] = [];
    const temps: string[] = [];
    try {
      for (const destination of destinations) {
        const target = await destinationPath(destination);
        const other = targets.indexOf(target);
        if (other >= 0) {
          throw new InvalidInputError(
            destination.label,
            `a path of its own, not the one ${destinations[other]!.label} writes`,
            destination.path,
          );
        }
        // The temporary name stays within the file system's 255 bytes a name.
        const temp = join(
          dirname(target),
          `.${basename(target).slice(0, 64)}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`,
        );
        try {
          await Deno.writeTextFile(temp, "", { createNew: true });
        } catch (error) {
          if (error instanceof Deno.errors.NotCapable) throw error;
          throw new InvalidInputError(
            destination.label,
            "a writable file path",
            destination.path,
            fsReason(error),
          );
        }
        targets.push(target);
        temps.push(temp);
      }
    } catch (error) {
      await Promise.all(temps.map((temp) => Deno.remove(temp).catch(() => {})));
      throw error;
    }
    const files = new StagedFiles(targets, temps);
    files.#listen();
    return files;
  }

  /** Writes the whole content of destination `index` (to its temporary file). */
  async write(index: number, text: string): Promise<void> {
    await Deno.writeTextFile(this.#temps[index]!, text);
  }

  /** Renames every temporary file into place; returns the final paths. */
  async commit(): Promise<string[]> {
    for (const [i, temp] of this.#temps.entries()) await Deno.rename(temp, this.targets[i]!);
    this.#temps.length = 0;
    this.#unlisten();
    return [...this.targets];
  }

  /** Removes the temporary files not committed (safe to call twice). */
  async discard(): Promise<void> {
    this.#unlisten();
    const temps = this.#temps.splice(0);
    await Promise.all(temps.map((temp) => Deno.remove(temp).catch(() => {})));
  }

  #listen(): void {
    const handler = (signal: Deno.Signal) => () => {
      for (const temp of this.#temps) {
        try {
          Deno.removeSync(temp);
        } catch { /* already gone */ }
      }
      Deno.exit(SIGNAL_EXIT[signal]!);
    };
    const handlers = SIGNALS.map((signal) => [signal, handler(signal)] as const);
    for (const [signal, fn] of handlers) {
      try {
        Deno.addSignalListener(signal, fn);
      } catch { /* no signals here (e.g. Windows SIGTERM) */ }
    }
    this.#onSignal = () => {
      for (const [signal, fn] of handlers) {
        try {
          Deno.removeSignalListener(signal, fn);
        } catch { /* never added */ }
      }
    };
  }

  #unlisten(): void {
    this.#onSignal?.();
    this.#onSignal = undefined;
  }
}

/**
 * Reads a file named by an input (`--body-file`, `GITHUB_EVENT_PATH`); one
 * that cannot be read is an input error naming that input and why.
 *
 * @param input the input's name, as the user wrote it
 * @param expected what the file should be, for the message
 * @throws {InvalidInputError} when the file cannot be read
 *
 * @example
 * ```ts
 * import { rejects } from "node:assert";
 * import { readInputFile } from "./fs.ts";
 * await rejects(
 *   readInputFile("/nonexistent/event.json", "GITHUB_EVENT_PATH", "a readable event payload file"),
 *   /^InvalidInputError: GITHUB_EVENT_PATH: expected a readable event payload file, got "\/nonexistent\/event.json" \(NotFound\)$/,
 * );
 * ```
 */
export async function readInputFile(
  path: string,
  input: string,
  expected: string,
): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    throw new InvalidInputError(input, expected, path, (error as Error).name);
  }
}

/**
 * `Deno.stat`/`Deno.lstat` of a path, or `undefined` when nothing is there.
 * Other failures (a permission Deno refused) are thrown, not taken for "missing".
 */
export async function statIfExists(path: string, link = false): Promise<Deno.FileInfo | undefined> {
  try {
    return await (link ? Deno.lstat(path) : Deno.stat(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
}

/**
 * {@link statIfExists} for a path an input named: a path the file system
 * cannot follow (a symbolic link loop, a name too long, a folder it may not
 * enter) is that input's error, not ours.
 *
 * @throws {InvalidInputError} naming `label` and why the path cannot be used
 */
export async function inspectPath(
  path: string,
  label: string,
  expected: string,
  link = false,
): Promise<Deno.FileInfo | undefined> {
  try {
    return await statIfExists(path, link);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    throw new InvalidInputError(label, expected, path, fsReason(error));
  }
}

/**
 * Why the file system refused, in its own words without the error number and
 * path: "Too many levels of symbolic links", "File name too long".
 */
export function fsReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/ \(os error \d+\)[\s\S]*$/, "") || (error as Error)?.name || "error";
}

/**
 * The absolute path a destination's file goes to (inside it, under the
 * fallback name, when the path is a directory): what the summary and the
 * JSON say was written.
 *
 * @throws {InvalidInputError} naming the input whose path cannot be written
 *
 * @example
 * ```ts ignore
 * import { destinationPath } from "./fs.ts";
 * await destinationPath({ path: "out/", fallbackName: "wandb_report.csv", label: "--out" });
 * ```
 */
export async function destinationPath(destination: Destination): Promise<string> {
  return resolve(await resolveTarget(destination));
}

/** Where a destination's file really goes, or an input error saying why it cannot. */
async function resolveTarget(destination: Destination): Promise<string> {
  const { path, fallbackName, label, noFollow } = destination;
  const expected = "a writable file path";
  const fail = (reason: string) => new InvalidInputError(label, expected, path, reason);
  const info = await inspectPath(path, label, expected, noFollow);
  const wantsDirectory = /[/\\]$/.test(path);
  let target = path;
  if (info?.isDirectory || wantsDirectory) {
    if (!info?.isDirectory) throw fail("no such directory");
    if (fallbackName === undefined) throw fail("it is a directory");
    target = join(path, fallbackName);
    // What is already there under the fallback name counts as much as `path` itself.
    const inside = await inspectPath(target, label, expected, noFollow);
    if (inside?.isDirectory) throw fail(`${target} is a directory`);
    checkReplaceable(inside, fail);
    return target;
  }
  checkReplaceable(info, fail);
  const parent = await inspectPath(dirname(path), label, expected);
  if (!parent?.isDirectory) throw fail(`no such directory: ${dirname(path)}`);
  return target;
}

/**
 * A device, pipe or socket would be replaced by the rename (as root, even
 * /dev/null): only regular files (or a link, replaced whole) are written over.
 */
function checkReplaceable(
  info: Deno.FileInfo | undefined,
  fail: (reason: string) => InvalidInputError,
): void {
  if (info && !info.isFile && !info.isDirectory && !info.isSymlink) {
    throw fail("not a regular file");
  }
}
