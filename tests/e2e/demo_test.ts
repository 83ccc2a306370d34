// The demo as a newcomer meets it: its --help is its own, any format it is
// asked for is parseable on stdout, and its closing note names the files the
// report really wrote.
import { parse as parseCsv } from "csv-parse/sync";
import { runDemoCli } from "../../lib/cli/mod.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";

async function demo(args: string[]) {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "wandb-demo-" }));
  let stdout = "";
  let stderr = "";
  try {
    // INIT_CWD: relative paths are where the user typed them, here a fresh folder.
    const code = await runDemoCli(args, {
      env: { INIT_CWD: dir },
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    return { code, stdout, stderr, dir, files };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("demo: --format json and csv are parseable on stdout; the note goes to stderr", async () => {
  for (const args of [["--format", "json"], ["--json"]]) {
    const r = await demo(args);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(JSON.parse(r.stdout).candidates.length, 5, args.join(" "));
    assertStringIncludes(r.stderr, "The runs came from the W&B emulator");
  }
  const csv = await demo(["--format", "csv"]);
  assertEquals(parseCsv(csv.stdout, { columns: true }).length, 8);
});

Deno.test("demo: contradicting formats are one input error; --help is the demo's own", async () => {
  const both = await demo(["--json", "--format", "table"]);
  assertEquals(both.code, 2);
  assertEquals(
    both.stderr,
    "error: --json: expected one format: --json is --format json, and --format table was also given\n",
  );
  const help = await demo(["--help"]);
  assertEquals(help.code, 0);
  assertMatch(help.stdout, /^Usage: deno task demo \[report options\]\n/);
  assertStringIncludes(help.stdout, "--baseline-tags LIST");
  assertEquals([help.stderr, help.files], ["", []], "nothing ran, nothing was written");
});

Deno.test("demo: the closing note names the files written, wherever --out and --markdown put them", async () => {
  const r = await demo(["--out", "custom.csv", "--markdown", "custom.md"]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.files, ["custom.csv", "custom.md"]);
  assertStringIncludes(r.stderr, `every baseline: ${r.dir}/custom.csv.`);
  assertStringIncludes(r.stderr, `show) is ${r.dir}/custom.md.`);
  assert(!r.stderr.includes("wandb_report.csv"), r.stderr);
});

Deno.test("demo: --help prints the demo's own flags as a shell takes them back, word for word", async () => {
  const { DEMO_ARGS } = await import("../../lib/demo.ts");
  const help = await demo(["--help"]);
  const block = help.stdout.split("The demo's own flags (as a shell takes them):\n")[1]!
    .split("\n\n")[0]!;
  // A POSIX shell reads the block (one flag a line, continued) and prints each word it got.
  const sh = await new Deno.Command("sh", {
    args: ["-c", `printf '%s\\0' ${block}`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(sh.code, 0, new TextDecoder().decode(sh.stderr));
  const words = new TextDecoder().decode(sh.stdout).split("\0").slice(0, -1);
  assertEquals(words, [...DEMO_ARGS]);
  // The words say which flags add to the demo's rather than replace them.
  assertStringIncludes(help.stdout, "--gate and --direction add to the demo's rules");
});
