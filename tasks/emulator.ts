/**
 * `deno task emulator --fixture FILE [--port N]`: serves a fixture on
 * 127.0.0.1 until interrupted.
 *
 * @module
 */
import { parseFlags } from "../lib/inputs/args.ts";
import { exitCodeFor, InvalidInputError, WandbReportError } from "../lib/errors.ts";
import { loadFixture } from "../lib/emulator/fixtures.ts";
import { startEmulator } from "../lib/emulator/server.ts";

const HELP = `Usage: deno task emulator [--fixture FILE] [--port N] [--no-keys-argument]

Serves a W&B-compatible GraphQL API on 127.0.0.1 from a fixture file
(default: fixtures/demo.json). Point the report at it with
WANDB_BASE_URL=http://127.0.0.1:PORT and one of the fixture's apiKeys.

  --fixture FILE        projects, runs, API keys and scripted faults (README: "Emulator fixtures")
  --port N              port to listen on (default 8080; 0 picks a free one)
  --no-keys-argument    behave like servers without keys: projections on config/summaryMetrics
`;

async function main(argv: string[]): Promise<number> {
  try {
    const flags = parseFlags(argv, {
      fixture: { type: "string" },
      port: { type: "string" },
      "no-keys-argument": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (flags.help) {
      console.log(HELP);
      return 0;
    }
    const portText = String(flags.port ?? "8080");
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) {
      throw new InvalidInputError("--port", "a port number from 0 to 65535", portText);
    }
    const fixturePath = String(
      flags.fixture ?? new URL("../fixtures/demo.json", import.meta.url).pathname,
    );
    const fixture = await loadFixture(fixturePath);
    const emulator = await startEmulator({
      fixture,
      port,
      keysArgument: !flags["no-keys-argument"],
    }).catch((error) => {
      throw new InvalidInputError("--port", "a free port", portText, error?.code ?? error?.name);
    });
    const runs = fixture.projects.reduce((n, p) => n + p.runs.length, 0);
    console.error(
      `W&B emulator on ${emulator.url} serving ${fixture.projects.length} project(s), ${runs} run(s) from ${fixturePath}`,
    );
    console.error(`  export WANDB_BASE_URL=${emulator.url}   (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => Deno.addSignalListener("SIGINT", () => resolve()));
    await emulator.close();
    return 0;
  } catch (error) {
    const message = error instanceof WandbReportError ? error.message : String(error);
    console.error(`error: ${message}`);
    return exitCodeFor(error);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
