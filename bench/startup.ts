/**
 * How long each task takes to start: every step of the reusable workflow is a
 * process of its own (`deno task X …`), so what a task loads before it works
 * is paid on every step of every run. Runs `deno task <name> --help` (the
 * task's own command definition) and three whole commands that fail at their
 * first request (a refused port, one attempt: everything a real step loads,
 * no network time) `--runs` times each and prints the median wall time and
 * CPU time (user + system, the process and its children, as bash's `times`
 * reports them), beside Deno starting on an empty program.
 *
 *     deno task bench:startup [--runs 15]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { median } from "./_table.ts";

const TASKS = [
  "report",
  "chatops",
  "status",
  "comment",
  "merge",
  "accept",
  "queue",
  "waiting",
  "publish",
  "emulator",
];

const ROOT = new URL("../", import.meta.url).pathname;

const SHA = "0123456789abcdef0123456789abcdef01234567";
/** Whole commands, each stopped by a refused port (9) at its first request. */
const STEPS: [string, string][] = [
  [
    "status: set a check",
    `GITHUB_API_URL=http://127.0.0.1:9 GITHUB_REPOSITORY=o/r GITHUB_TOKEN=x deno task status --sha ${SHA} --state success --description ok --report-key a/b --max-attempts 1`,
  ],
  [
    "comment: post a report",
    `GITHUB_API_URL=http://127.0.0.1:9 GITHUB_REPOSITORY=o/r GITHUB_TOKEN=x INPUT_BODY='<!-- wandb-report key=a/b -->' deno task comment --pr-number 7 --max-attempts 1`,
  ],
  [
    "report: fetch the runs",
    `WANDB_API_KEY=${
      "k".repeat(40)
    } deno task report --project a/b --sha ${SHA} --base-url http://127.0.0.1:9 --max-attempts 1`,
  ],
];

/** One timed run: wall and CPU seconds of `script` under bash. */
async function timed(script: string): Promise<{ wall: number; cpu: number }> {
  const started = performance.now();
  const out = await new Deno.Command("bash", {
    args: ["-c", `${script} >/dev/null 2>&1; times`],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const wall = (performance.now() - started) / 1000;
  // `times` prints the shell's own user/sys, then its children's.
  const children = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)]
    .map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wall, cpu: seconds.reduce((a, b) => a + b, 0) };
}

async function measure(script: string, runs: number): Promise<string> {
  await timed(script); // warm the caches once
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await timed(script));
  const ms = (s: number) => `${Math.round(s * 1000)}`;
  return `${ms(median(samples.map((s) => s.wall)))} | ${ms(median(samples.map((s) => s.cpu)))}`;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "15" } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`--runs: expected a whole number of runs ≥ 1, got "${values.runs}"`);
    Deno.exit(2);
  }
  const empty = await Deno.makeTempFile({ suffix: ".ts" });
  console.log(`median of ${runs} runs, milliseconds\n`);
  console.log("| what | wall | CPU |\n| --- | ---: | ---: |");
  console.log(`| deno run (an empty program) | ${await measure(`deno run ${empty}`, runs)} |`);
  for (const task of TASKS) {
    console.log(
      `| deno task ${task} --help | ${await measure(`deno task ${task} --help`, runs)} |`,
    );
  }
  for (const [what, script] of STEPS) console.log(`| ${what} | ${await measure(script, runs)} |`);
  await Deno.remove(empty);
}
