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

/**
 * Runs the demo with `report` (the report command) and returns its exit code:
 * the report shows its terminal view (`--format table`) and writes the CSV
 * and the markdown, as it would for W&B.
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
    const code = await report([...DEMO_ARGS, "--format", "table", ...argv], {
      ...io,
      env: { ...io.env, WANDB_API_KEY: fixture.apiKeys[0], WANDB_BASE_URL: emulator.url },
    });
    // Exit 1 is the gate's verdict: the report is complete and was shown.
    if (code === 0 || code === 1) {
      print.out(
        `\nThe runs came from the W&B emulator at ${emulator.url} (${emulator.stats.requests} ` +
          "GraphQL request(s)).\nThe CSV lists the finished candidates and every baseline: " +
          "wandb_report.csv.\nThe markdown report (what the PR comment and the job summary show) " +
          "is wandb_report.md.\n",
      );
    }
    return code;
  } finally {
    await emulator.close();
  }
}
