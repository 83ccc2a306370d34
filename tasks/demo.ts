/**
 * `deno task demo [report flags]`: the whole job on the bundled demo project.
 * Starts the W&B emulator in-process on a free loopback port, runs the report
 * CLI against it (extra flags override the demo's), writes the CSV and prints
 * the runs as a table.
 *
 * @module
 */
import { runReportCli } from "../lib/cli.ts";
import { loadFixture } from "../lib/emulator/fixtures.ts";
import { startEmulator } from "../lib/emulator/server.ts";
import { textTable } from "../lib/report/table.ts";

const DEMO_SHA = "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345";
const METRICS = ["accuracy", "loss", "val_accuracy", "val_loss"];

/** The demo's report flags; a user's flags come after and win. */
export const DEMO_ARGS: readonly string[] = [
  "--project",
  "demo-team/image-classifier",
  "--sha",
  DEMO_SHA,
  "--baseline-tags",
  "['baseline', 'reference']",
  "--metrics",
  JSON.stringify(METRICS),
  "--config-vars",
  "lr, batch_size, optimizer",
  "--out",
  "wandb_report.csv",
  "--markdown",
  "wandb_report.md",
  "--chart",
  "--gate",
  "val_accuracy:max:abs=0.01",
  "--gate",
  "val_loss:min:rel=5%",
];

interface JsonRun {
  id: string;
  name: string | null;
  state: string | null;
  metrics: Record<string, unknown>;
}

async function main(argv: string[]): Promise<number> {
  const fixture = await loadFixture(new URL("../fixtures/demo.json", import.meta.url).pathname);
  const emulator = await startEmulator({ fixture });
  try {
    let stdout = "";
    const encoder = new TextEncoder();
    const code = await runReportCli(
      [...DEMO_ARGS, "--json", ...argv],
      {
        env: {
          ...Deno.env.toObject(),
          WANDB_API_KEY: fixture.apiKeys[0],
          WANDB_BASE_URL: emulator.url,
        },
        stdout: (text) => (stdout += text),
        stderr: (text) => Deno.stderr.writeSync(encoder.encode(text)),
      },
      "deno task demo",
    );
    // Exit 1 is the gate's verdict: the report is complete and still shown.
    if ((code !== 0 && code !== 1) || !stdout.trim().startsWith("{")) {
      console.log(stdout);
      return code;
    }
    const result = JSON.parse(stdout) as { candidates: JsonRun[]; baselines: JsonRun[] };
    const metrics = Object.keys(
      Object.assign({}, ...[...result.candidates, ...result.baselines].map((r) => r.metrics)),
    );
    const row = (run: JsonRun, role: string) => [
      role,
      run.id,
      run.name ?? "",
      run.state ?? "",
      ...metrics.map((m) => (run.metrics[m] === undefined ? "" : String(run.metrics[m]))),
    ];
    console.log(
      `\nRuns from the emulator at ${emulator.url} (${emulator.stats.requests} GraphQL request(s)):\n`,
    );
    console.log(textTable(["role", "run id", "name", "state", ...metrics], [
      ...result.candidates.map((r) => row(r, "candidate")),
      ...result.baselines.map((r) => row(r, "baseline")),
    ]));
    console.log(
      "\nThe CSV lists the finished candidates and every baseline; open wandb_report.csv." +
        "\nThe markdown report (what the PR comment and job summary show) is wandb_report.md.",
    );
    return code;
  } finally {
    await emulator.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
