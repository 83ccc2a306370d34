// Ordinary path problems are input errors: exit 2, one line naming the input,
// found before any request, and nothing written (not even one of two files).
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { PROJECT, runCli, SHA, withEmulator } from "../_helpers.ts";

Deno.test("paths the file system refuses: exit 2 before any request, nothing written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wandb-report-paths-" });
  try {
    await Deno.mkdir(`${dir}/d/wandb_report.csv`, { recursive: true });
    await Deno.mkdir(`${dir}/m/wandb_report.md`, { recursive: true });
    await Deno.symlink(`${dir}/loop`, `${dir}/loop`);
    await Deno.writeTextFile(`${dir}/summary.md`, "");
    const loop = `${dir}/loop`;
    const cases: [string, string[], Record<string, string>, RegExp][] = [
      [
        "--out DIR whose wandb_report.csv is a directory",
        ["--out", `${dir}/d`],
        {},
        /^error: --out: expected a writable file path, got ".*" \(.*wandb_report\.csv is a directory\)$/,
      ],
      [
        "a name over the file system's limit",
        ["--out", `${dir}/${"a".repeat(300)}.csv`],
        {},
        /^error: --out: expected a writable file path, got ".*\.\.\." \(File name too long\)$/,
      ],
      [
        "--out through a symbolic link loop",
        ["--out", `${loop}/x.csv`],
        {},
        /^error: --out: .* \(Too many levels of symbolic links\)$/,
      ],
      [
        "GITHUB_OUTPUT through a loop",
        [],
        { GITHUB_OUTPUT: `${loop}/out` },
        /^error: GITHUB_OUTPUT: expected a file this step may append to, .* \(Too many levels of symbolic links\)$/,
      ],
      [
        "GITHUB_STEP_SUMMARY is a loop",
        [],
        { GITHUB_STEP_SUMMARY: loop },
        /^error: GITHUB_STEP_SUMMARY: .* \(Too many levels of symbolic links\)$/,
      ],
      [
        "INIT_CWD is a loop",
        ["--out", "rel.csv"],
        { INIT_CWD: loop },
        /^error: --out: .* \(Too many levels of symbolic links\)$/,
      ],
      [
        "--markdown DIR/ whose wandb_report.md is a directory, after a good --out",
        ["--out", `${dir}/ok.csv`, "--markdown", `${dir}/m/`],
        {},
        /^error: --markdown: .*wandb_report\.md is a directory\)$/,
      ],
      [
        "--out and --markdown the same file",
        ["--out", `${dir}/same`, "--markdown", `${dir}/same`],
        {},
        /^error: --markdown: expected a path of its own, not the one --out writes, got ".*same"$/,
      ],
    ];
    const locked = await lockedDirectory(`${dir}/locked`);
    if (locked) {
      cases.push([
        "a directory this user may not write",
        ["--out", `${locked}/r.csv`],
        {},
        /^error: --out: expected a writable file path, got ".*\/locked\/r\.csv" \((Permission denied|Operation not permitted)\)$/,
      ]);
    } else {
      console.warn("paths_test: no directory could be made unwritable here; that case is skipped");
    }
    await withEmulator({}, async (emulator) => {
      for (const [name, args, env, message] of cases) {
        const before = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
        const r = await runCli(emulator, [...PROJECT, "--sha", SHA, ...args], { env });
        assertEquals(r.code, 2, `${name}: ${r.stderr}`);
        assertEquals(r.stderr.trim().split("\n").length, 1, `${name}: one line: ${r.stderr}`);
        assertMatch(r.stderr.trim(), message, name);
        assertEquals(emulator.stats.requests, 0, `${name}: nothing fetched`);
        assertEquals(r.githubOutput, "", `${name}: no outputs`);
        const after = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
        assertEquals(after, before, `${name}: nothing written`);
      }
    });
    assert((await Deno.lstat(`${dir}/d/wandb_report.csv`)).isDirectory);
  } finally {
    await unlock(`${dir}/locked`);
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * A directory that refuses new files to this user: read-only for others,
 * immutable (`chattr +i`) for root, who ignores modes. `undefined` when
 * neither holds here.
 */
async function lockedDirectory(path: string): Promise<string | undefined> {
  await Deno.mkdir(path);
  await Deno.chmod(path, 0o555);
  const writable = async () => {
    try {
      await Deno.writeTextFile(`${path}/probe`, "", { createNew: true });
      await Deno.remove(`${path}/probe`);
      return true;
    } catch {
      return false;
    }
  };
  if (!(await writable())) return path;
  await new Deno.Command("chattr", { args: ["+i", path], stderr: "null" }).output().catch(() => {});
  return (await writable()) ? undefined : path;
}

async function unlock(path: string): Promise<void> {
  await new Deno.Command("chattr", { args: ["-i", path], stderr: "null" }).output().catch(() => {});
  await Deno.chmod(path, 0o755).catch(() => {});
}
