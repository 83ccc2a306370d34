/**
 * History from the local git checkout (`git` in the working directory,
 * `GITHUB_WORKSPACE` inside Actions): first-parent chains with `git log
 * --first-parent`, merge bases with `git merge-base`, and a note naming the
 * `fetch-depth` that would do when the clone is too shallow.
 *
 * @module
 */
import { InvalidInputError } from "../ground/errors.ts";
import type { Chain, Commit, HistorySource } from "./source.ts";
import { isFullSha } from "../ground/model.ts";

/** A (short or full) hexadecimal commit SHA: all that reaches git's command line. */
export const HEX = /^[0-9a-f]{4,40}$/;

/** What a git command answered. */
interface GitResult {
  code: number;
  stdout: string;
}

/** Runs `git` (no prompt, no pager) in `cwd`; `undefined` when git cannot run here. */
async function runGit(cwd: string, args: string[]): Promise<GitResult | undefined> {
  try {
    const out = await new Deno.Command("git", {
      args: ["-C", cwd, ...args],
      env: { GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", LC_ALL: "C" },
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
  } catch (error) {
    // No git here, or Deno may not run it (no --allow-run=git): not a history source.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotCapable) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The local checkout in `cwd` as a history source, or `undefined` (and why)
 * when it cannot be one: no git, no permission to run it, not a repository,
 * or it does not hold `sha`.
 *
 * @example
 * ```ts ignore
 * import { gitHistory } from "./git.ts";
 * const found = await gitHistory(Deno.cwd(), "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345");
 * if ("source" in found) console.log((await found.source.firstParents(sha, 10)).commits.length);
 * ```
 */
export async function gitHistory(
  cwd: string,
  sha: string,
): Promise<{ source: HistorySource; shallow: boolean } | { reason: string }> {
  // Only hex reaches git's command line: nothing an input holds can be read as an option.
  if (!HEX.test(sha)) return { reason: `${JSON.stringify(sha)} is not a hexadecimal commit SHA` };
  // Never a permission prompt (the demo on a terminal asked for git): not granted is "no git".
  const allowed = await Deno.permissions.query({ name: "run", command: "git" });
  if (allowed.state !== "granted") {
    return { reason: "git cannot run here (not installed, or no --allow-run=git)" };
  }
  const inside = await runGit(cwd, ["rev-parse", "--is-inside-work-tree"]);
  if (inside === undefined) {
    return { reason: "git cannot run here (not installed, or no --allow-run=git)" };
  }
  if (inside.code !== 0 || inside.stdout.trim() !== "true") {
    return { reason: `${cwd} is not a git checkout` };
  }
  const has = await runGit(cwd, ["cat-file", "-e", `${sha}^{commit}`]);
  const shallow = (await runGit(cwd, ["rev-parse", "--is-shallow-repository"]))?.stdout.trim() ===
    "true";
  if (has?.code !== 0) {
    return {
      reason: `the git checkout in ${cwd} does not hold commit ${sha}${
        shallow ? " (the clone is shallow: fetch-depth: 0 in actions/checkout fetches it all)" : ""
      }`,
    };
  }
  return { source: new GitSource(cwd, shallow), shallow };
}

class GitSource implements HistorySource {
  readonly name: string;
  readonly #cwd: string;
  readonly #shallow: boolean;

  constructor(cwd: string, shallow: boolean) {
    this.#cwd = cwd;
    this.#shallow = shallow;
    this.name = `the git checkout in ${cwd}`;
  }

  async firstParents(sha: string, count: number): Promise<Chain> {
    if (!HEX.test(sha)) {
      throw new InvalidInputError("--baseline-sha", "a hexadecimal commit SHA", sha);
    }
    const log = await runGit(this.#cwd, [
      "log",
      "--first-parent",
      `--max-count=${count}`,
      "--format=%H %cI %P",
      sha,
      "--",
    ]);
    if (!log || log.code !== 0) {
      throw new InvalidInputError("--baseline-sha", `a commit in ${this.name}`, sha);
    }
    const lines = log.stdout.trim().split("\n").filter(Boolean);
    const commits: Commit[] = lines.map((line) => {
      const [hash, date] = line.split(" ");
      return { sha: hash!, date };
    });
    // A shallow clone ends at a boundary commit, listed in .git/shallow, whose parents it lacks.
    if (
      this.#shallow && commits.length < count &&
      (await this.#boundaries()).has(commits.at(-1)?.sha ?? "")
    ) {
      return {
        commits,
        note:
          `the clone is shallow: its history stops ${commits.length} commit${
            commits.length === 1 ? "" : "s"
          } back from ${sha.slice(0, 12)}; fetch-depth: ${count} (or 0 for all) in ` +
          "actions/checkout would hold what was asked",
      };
    }
    return { commits };
  }

  /** The commits where a shallow clone's history is cut (`.git/shallow`). */
  async #boundaries(): Promise<Set<string>> {
    const path = (await runGit(this.#cwd, ["rev-parse", "--git-path", "shallow"]))?.stdout.trim();
    if (!path) return new Set();
    const file = path.startsWith("/") ? path : `${this.#cwd}/${path}`;
    const text = await Deno.readTextFile(file).catch(() => "");
    return new Set(text.split("\n").map((line) => line.trim()).filter(Boolean));
  }

  async mergeBase(base: string, head: string): Promise<string> {
    if (!HEX.test(base) || !HEX.test(head)) {
      throw new InvalidInputError("--merge-base", "hexadecimal commit SHAs", `${base}...${head}`);
    }
    const found = await runGit(this.#cwd, ["merge-base", base, head]);
    const sha = found?.stdout.trim() ?? "";
    if (!found || found.code !== 0 || !isFullSha(sha)) {
      throw new InvalidInputError(
        "--merge-base",
        `two commits with a common ancestor in ${this.name}`,
        `${base}...${head}`,
      );
    }
    return sha;
  }
}
