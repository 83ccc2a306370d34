// What a newcomer reads: each command's --help gives its own exit codes, the
// emulator's banner says how to reach it, a killed run reads `killed`
// everywhere, durations read as typed, and paths as typed.
import { runChatopsCli, runCommentCli, runEmulatorCli, runReportCli } from "../../lib/cli/mod.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { API_KEY, PROJECT, runCli, SHA, withEmulator } from "../_helpers.ts";

async function help(run: typeof runReportCli): Promise<string> {
  let out = "";
  await run(["--help"], { env: {}, stdout: (t) => (out += t), stderr: () => {} });
  return out;
}

Deno.test("--help: each command lists the exit codes it can give", async () => {
  const report = await help(runReportCli);
  assertStringIncludes(report, "1   a --gate rule or --require-complete failed");
  for (const run of [runChatopsCli, runCommentCli, runEmulatorCli]) {
    const text = await help(run as typeof runReportCli);
    const exits = text.slice(text.indexOf("Exit codes:"));
    assert(!exits.includes("--gate"), exits);
    assert(!/^ {2}1 /m.test(exits), exits);
    assertStringIncludes(exits, "70  a bug in wandb-report");
  }
  assertStringIncludes(
    await help(runChatopsCli as typeof runReportCli),
    "BOOL_TRIGGERED says which",
  );
  assertStringIncludes(await help(runEmulatorCli as typeof runReportCli), "0   stopped (Ctrl-C)");
});

Deno.test("emulator banner: the URL, a key it accepts and the project to ask for", async () => {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let banner = "";
  let shown!: () => void;
  const ready = new Promise<void>((resolve) => (shown = resolve));
  const running = runEmulatorCli(
    ["--port", "0"],
    {
      env: {},
      stdout: () => {},
      stderr: (t) => {
        banner += t;
        if (banner.includes("Ctrl-C")) shown();
      },
    },
    "wandb-report-emulator",
    stopped,
  );
  await ready;
  stop();
  assertEquals(await running, 0);
  assertMatch(banner, /^ {2}projects: demo-team\/image-classifier \(13 runs\)$/m);
  assertMatch(
    banner,
    /^ {2}export WANDB_BASE_URL=http:\/\/127\.0\.0\.1:\d+ WANDB_API_KEY=demo-local-key-0+$/m,
  );
  // A command that works from any folder: the clone's deno.json named in full.
  assertMatch(
    banner,
    /then, in another terminal: deno task --config \/\S+\/deno\.json report --project demo-team\/image-classifier --sha SHA/,
  );
});

Deno.test("words: killed reads killed in the markdown; durations and paths read as typed", async () => {
  await withEmulator({}, async (emulator) => {
    const md = await runCli(emulator, [...PROJECT, "--sha", SHA, "--format", "markdown"]);
    assertMatch(md.stdout, /\| \[run cand0004\]\([^)]*\) \| candidate \| killed \|/);
    const dir = await Deno.makeTempDir();
    try {
      const r = await runCli(emulator, [...PROJECT, "--sha", SHA, "--out", "nodir/"], {
        env: { INIT_CWD: dir },
      });
      assertEquals(r.code, 2);
      assertStringIncludes(r.stderr, `got "${dir}/nodir/" (no such directory)`);
    } finally {
      await Deno.remove(dir);
    }
  });
  const wait = await runCli({ url: "http://127.0.0.1:9" }, [
    ...PROJECT,
    "--sha",
    SHA,
    "--wait",
    "7h",
    "--max-wait",
    "90m",
    "--max-attempts",
    "1",
  ], { env: { WANDB_API_KEY: API_KEY } });
  assertMatch(wait.stderr, /^note: --wait 7h is longer than --max-wait 1h30m: waiting 1h30m$/m);
});
