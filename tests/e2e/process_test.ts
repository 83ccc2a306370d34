// The real processes: `deno run mod.ts` as JSR users run it, and the
// emulator task, with exit codes as a shell sees them.
import { API_KEY, childEnv, runProcess, SHA, withEmulator } from "../_helpers.ts";
import { assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

function deno(args: string[], env: Record<string, string>) {
  return runProcess(Deno.execPath(), [
    "run",
    "--quiet",
    "--allow-net=127.0.0.1",
    "--allow-env",
    "--allow-read",
    "--allow-write",
    ...args,
  ], { cwd: ROOT, env });
}

Deno.test("process: mod.ts --help and --version", async () => {
  const help = await deno(["mod.ts", "--help"], {});
  assertEquals(help.code, 0);
  assertStringIncludes(help.stdout, "Usage: wandb-report --project entity/project");
  const version = await deno(["mod.ts", "--version"], {});
  assertMatch(version.stdout, /^@org\/wandb-report \d+\.\d+\.\d+\n$/);
});

Deno.test("process: a report run writes the CSV and outputs, exit 0", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await withEmulator({}, async (emulator) => {
      const r = await deno(["mod.ts", "--project", "acme/vision", "--baseline-tags", "baseline"], {
        WANDB_API_KEY: API_KEY,
        WANDB_BASE_URL: emulator.url,
        INPUT_FILTER_GITHUB_SHA: SHA,
        GITHUB_WORKSPACE: dir,
        GITHUB_OUTPUT: `${dir}/out`,
      });
      assertEquals(r.code, 0, r.stderr);
      assertEquals(r.stdout, "");
      assertStringIncludes(r.stderr, `wrote ${dir}/wandb_report.csv: 3 rows`);
      assertStringIncludes(await Deno.readTextFile(`${dir}/out`), "NUM_FINISHED=2\n");
      assertEquals((await Deno.readTextFile(`${dir}/wandb_report.csv`)).split("\n").length, 5);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("process: exit 2 on invalid input, 3 when W&B fails", async () => {
  const invalid = await deno(["mod.ts", "--project", "acme"], { WANDB_API_KEY: API_KEY });
  assertEquals([invalid.code, invalid.stderr], [
    2,
    'error: --project: expected entity/project, got "acme"\n',
  ]);
  const down = await deno(["mod.ts", "--project", "a/b", "--sha", SHA, "--max-attempts", "1"], {
    WANDB_API_KEY: API_KEY,
    WANDB_BASE_URL: "http://127.0.0.1:9",
  });
  assertEquals(down.code, 3, down.stderr);
  assertMatch(
    down.stderr,
    /^error: W&B at 127\.0\.0\.1:9 could not be reached: .*after 1 attempt\n$/,
  );
});

Deno.test("process: the emulator task serves a fixture until interrupted, then --save writes it", async () => {
  const saveDir = await Deno.makeTempDir({ prefix: "wandb-emulator-save-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "tasks/emulator.ts",
      "--port",
      "0",
      "--save",
      `${saveDir}/saved.json`,
    ],
    cwd: ROOT,
    env: childEnv(),
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let banner = "";
  const deadline = setTimeout(() => child.kill("SIGKILL"), 20_000);
  try {
    while (!/export WANDB_BASE_URL=(\S+)/.test(banner)) {
      const { value, done } = await reader.read();
      if (done) break;
      banner += value;
    }
    const url = banner.match(/export WANDB_BASE_URL=(\S+)/)![1]!;
    assertStringIncludes(banner, "serving 1 project(s), 13 run(s)");
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa("api:demo-local-key-0000000000000000000000000000000000")}`,
      },
      body: JSON.stringify({
        query: `{ project(name: "image-classifier", entityName: "demo-team") { runCount } }`,
      }),
    });
    assertEquals(await response.json(), { data: { project: { runCount: 13 } } });
    child.kill("SIGINT");
    assertEquals((await child.status).code, 0);
    // What it held, as a fixture it can serve again: the demo's 13 runs.
    const saved = JSON.parse(await Deno.readTextFile(`${saveDir}/saved.json`));
    assertEquals(saved.projects[0].runs.length, 13);
    assertEquals([...Deno.readDirSync(saveDir)].map((e) => e.name), ["saved.json"]);
  } finally {
    clearTimeout(deadline);
    await reader.cancel().catch(() => {});
    await Deno.remove(saveDir, { recursive: true });
  }
});
