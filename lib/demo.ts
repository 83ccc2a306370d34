/**
 * The demo: the whole report job on the bundled demo project, against an
 * emulator started in-process on a free loopback port. The report runs
 * exactly as it would against W&B (the demo's flags first, the user's after
 * and winning), then the runs are shown as a table.
 *
 * @module
 */
import { DEMO_FIXTURE, loadFixture } from "./emulator/fixtures.ts";
import { startEmulator } from "./emulator/server.ts";
import type { CliIo, Printer } from "./output.ts";
import { textTable } from "./report/table.ts";

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

/**
 * Runs the demo with `report` (the report command) and returns its exit code.
 *
 * @throws {import("./errors.ts").InvalidInputError} when the bundled fixture cannot be read
 */
export async function runDemo(
  argv: readonly string[],
  io: CliIo,
  print: Printer,
  report: (argv: readonly string[], io: CliIo) => Promise<number>,
): Promise<number> {
  const fixture = await loadFixture(DEMO_FIXTURE);
  const emulator = await startEmulator({ fixture });
  try {
    let json = "";
    const code = await report([...DEMO_ARGS, "--json", ...argv], {
      ...io,
      env: { ...io.env, WANDB_API_KEY: fixture.apiKeys[0], WANDB_BASE_URL: emulator.url },
      stdout: (text) => (json += text),
    });
    // Exit 1 is the gate's verdict: the report is complete and still shown.
    if ((code !== 0 && code !== 1) || !json.trim().startsWith("{")) {
      io.stdout(json);
      return code;
    }
    const result = JSON.parse(json) as { candidates: JsonRun[]; baselines: JsonRun[] };
    const metrics = [
      ...new Set(
        [...result.candidates, ...result.baselines].flatMap((r) => Object.keys(r.metrics)),
      ),
    ];
    const row = (run: JsonRun, role: string) => [
      role,
      run.id,
      run.name ?? "",
      run.state ?? "",
      ...metrics.map((m) => (run.metrics[m] === undefined ? "" : String(run.metrics[m]))),
    ];
    print.out(
      `\nRuns from the emulator at ${emulator.url} (${emulator.stats.requests} GraphQL ` +
        `request(s)):\n\n${
          textTable(["role", "run id", "name", "state", ...metrics], [
            ...result.candidates.map((r) => row(r, "candidate")),
            ...result.baselines.map((r) => row(r, "baseline")),
          ])
        }\n\nThe CSV lists the finished candidates and every baseline; open wandb_report.csv.` +
        "\nThe markdown report (what the PR comment and job summary show) is wandb_report.md.\n",
    );
    return code;
  } finally {
    await emulator.close();
  }
}
