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
/** The PR's base: the tip of main when the PR was opened (it has no runs). */
const DEMO_BASE = "d1e2f3a4b5c6d7e8f90112233445566778899aab";
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
  "--baseline-sha",
  DEMO_BASE,
  "--baseline-search",
  "10",
  "--trend",
  "10",
  "--gate",
  "val_accuracy:max:alpha=0.05:rel=0.5%",
  "--gate",
  "val_loss:min:alpha=0.05:rel=2%",
];

/** Whether the user's flags choose a format themselves (`--format X`, `--format=X`, `--json`). */
function choosesFormat(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === "--json" || arg === "--format" || arg.startsWith("--format="));
}

/** A word as a POSIX shell reads it back unchanged: bare when safe, else single-quoted. */
function shellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,.\/-]+$/.test(word)) return word;
  if (!word.includes("'")) return `'${word}'`;
  // \x60 is the backtick: spelt out so that tools reading this do not take it for a template.
  if (!/["$\x60\\!]/.test(word)) return `"${word}"`;
  // Close the quote, an escaped quote, open again: 'it'\''s'.
  return "'" + word.replaceAll("'", "'\\''") + "'";
}

/** Flags one per line, each with its value, quoted for a shell. */
function flagLines(args: readonly string[]): string[] {
  const lines: string[] = [];
  for (const arg of args) {
    if (arg.startsWith("--") || lines.length === 0) lines.push(shellWord(arg));
    else lines[lines.length - 1] += ` ${shellWord(arg)}`;
  }
  return lines;
}

/** The demo's `--help`: what it is, then the report's options (any of which it takes). */
export function demoHelpText(program: string, reportHelp: string): string {
  return [
    `Usage: ${program} [report options]`,
    "",
    "Runs the whole report on the bundled demo project (fixtures/demo.json), served by a W&B",
    "emulator started on a free loopback port: the terminal view, the CSV, the markdown report",
    "and the gate, exactly as against W&B. Report options after the demo's own replace them",
    "(--gate and --direction add to the demo's rules instead), e.g.",
    `${program} --run-id c4nd1dt1, ${program} --format json, ${program} --out /tmp/r.csv.`,
    "",
    "The demo's own flags (as a shell takes them):",
    ...flagLines(DEMO_ARGS).map((line, i, all) => "  " + line + (i < all.length - 1 ? " \\" : "")),
    "",
    "The report's options:",
    reportHelp.split("\n").slice(1).join("\n").trimStart(),
  ].join("\n");
}

/**
 * Runs the demo with `report` (the report command) and returns its exit code:
 * the report shows its terminal view (`--format table`, unless the user's
 * flags choose a format) and writes the CSV and the markdown, as it would for
 * W&B. A closing note on stderr (stdout stays the report's own, parseable
 * with `--format json`) says where the runs came from and where the files went.
 *
 * @param paths where the CSV and the markdown go for these flags (as the report resolves them)
 * @throws {import("./ground/errors.ts").InvalidInputError} when the bundled fixture cannot be read
 */
export async function runDemo(
  argv: readonly string[],
  io: CliIo,
  print: Printer,
  report: (argv: readonly string[], io: CliIo) => Promise<number>,
  paths: (argv: readonly string[]) => Promise<{ csv: string; markdown?: string } | undefined>,
): Promise<number> {
  const fixture = await loadFixture(DEMO_FIXTURE);
  const emulator = await startEmulator({ fixture });
  try {
    const args = [...DEMO_ARGS, ...(choosesFormat(argv) ? [] : ["--format", "table"]), ...argv];
    const code = await report(args, {
      ...io,
      env: {
        ...io.env,
        WANDB_API_KEY: fixture.apiKeys[0],
        WANDB_BASE_URL: emulator.url,
        // The fixture's commit history, served by the emulator in GitHub's shape.
        GITHUB_GRAPHQL_URL: `${emulator.url}/github/graphql`,
        GITHUB_TOKEN: "demo-github-token",
        GITHUB_REPOSITORY: "demo-team/image-classifier",
      },
    });
    const written = await paths(args);
    // Exit 1 is the gate's verdict: the report is complete and was shown.
    if ((code === 0 || code === 1) && written) {
      print.err(
        `\nThe runs came from the W&B emulator at ${emulator.url} (${emulator.stats.requests} ` +
          `GraphQL request(s)).\nThe CSV lists the finished candidates and every baseline: ` +
          `${written.csv}.\n` +
          (written.markdown
            ? `The markdown report (what the PR comment and the job summary show) is ${written.markdown}.\n`
            : ""),
      );
    }
    return code;
  } finally {
    await emulator.close();
  }
}
