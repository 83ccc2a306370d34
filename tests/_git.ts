// A git repository made for a test: a fixed identity and clock, a first-parent
// main with a merged side branch, and a PR branch off main's tip.

/** Runs git in `cwd` with a fixed identity and clock. */
export async function git(cwd: string, args: string[], date?: string): Promise<string> {
  const out = await new Deno.Command("git", {
    args,
    cwd,
    env: {
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
      ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout).trim();
}

/**
 * A repository: main with `length` commits (oldest first in `main`, so
 * main.at(-1) is the tip), a side branch merged into main's second newest
 * commit (first-parent walks skip it), and a PR branch off main's tip.
 */
export async function repository(length: number) {
  const dir = await Deno.makeTempDir({ prefix: "wandb-history-" });
  await git(dir, ["init", "-q", "-b", "main"]);
  const main: string[] = [];
  let clock = Date.parse("2026-10-01T00:00:00Z");
  const commit = async (message: string) => {
    clock += 3_600_000;
    await git(dir, ["commit", "-q", "--allow-empty", "-m", message], new Date(clock).toISOString());
    return await git(dir, ["rev-parse", "HEAD"]);
  };
  for (let i = 0; i < length - 1; i++) main.push(await commit(`main ${i}`));
  await git(dir, ["checkout", "-q", "-b", "side", main.at(-2)!]);
  const side = await commit("side work");
  await git(dir, ["checkout", "-q", "main"]);
  clock += 3_600_000;
  await git(
    dir,
    ["merge", "-q", "--no-ff", "-m", "merge side", "side"],
    new Date(clock).toISOString(),
  );
  main.push(await git(dir, ["rev-parse", "HEAD"]));
  await git(dir, ["checkout", "-q", "-b", "pr"]);
  const head = await commit("the PR");
  return { dir, main, side, head };
}

/** Clones `dir` into `to`, `depth` commits deep on `branch` (file://, as a CI checkout's fetch-depth). */
export async function shallowClone(dir: string, to: string, depth: number, branch: string) {
  await git(dir, [
    "clone",
    "-q",
    "--depth",
    String(depth),
    "--branch",
    branch,
    `file://${dir}`,
    to,
  ]);
}
