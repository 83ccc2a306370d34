/**
 * The emulator command: the W&B emulator serving a fixture on 127.0.0.1.
 *
 * @module
 */
import { dirname } from "node:path";
import { ExitCode, InvalidInputError } from "../ground/errors.ts";
import type { EmulatorCliOptions } from "../inputs/emulator.ts";
import type { Printer } from "../output.ts";

/** The emulator command: serves a fixture on 127.0.0.1 until `stop` resolves (default SIGINT). */
export async function emulator(
  options: EmulatorCliOptions,
  print: Printer,
  stop?: Promise<void>,
): Promise<number> {
  const { DEMO_FIXTURE, loadFixture } = await import("../emulator/fixtures.ts");
  const { startEmulator } = await import("../emulator/server.ts");
  const source = options.fixture ?? DEMO_FIXTURE;
  const fixture = await loadFixture(source);
  // Where --save writes must exist before anything is served: it is written at the end.
  if (options.save) {
    const folder = await Deno.stat(dirname(options.save)).catch(() => undefined);
    if (!folder?.isDirectory) {
      throw new InvalidInputError("--save", "a file path in an existing folder", options.save);
    }
  }
  const server = await startEmulator({
    fixture,
    port: options.port,
    keysArgument: !options.noKeysArgument,
    crashAfterSeconds: options.crashAfter,
  }).catch((error) => {
    throw new InvalidInputError(
      "--port",
      "a free port",
      String(options.port),
      error?.code ?? error?.name,
    );
  });
  const runs = fixture.projects.reduce((n, p) => n + p.runs.length, 0);
  // What a report needs to reach it: the URL, a key it accepts, a project.
  const projects = fixture.projects.map((p) => `${p.entity}/${p.name} (${p.runs.length} runs)`);
  print.err(
    `W&B emulator on ${server.url} serving ${fixture.projects.length} project(s), ${runs} run(s) ` +
      `from ${source}\n` +
      (projects.length ? `  projects: ${projects.join(", ")}\n` : "") +
      `  export WANDB_BASE_URL=${server.url} WANDB_API_KEY=${fixture.apiKeys[0]}\n` +
      `  then, in another terminal: ${reportCommand()} --project ${
        fixture.projects[0]
          ? `${fixture.projects[0].entity}/${fixture.projects[0].name}`
          : "ENTITY/PROJECT"
      } --sha SHA   (Ctrl-C to stop the emulator)\n`,
  );
  await (stop ?? new Promise<void>((resolve) => Deno.addSignalListener("SIGINT", resolve)));
  await server.close();
  if (options.save) {
    // All or nothing: a temporary file, then renamed over the destination.
    const text = `${JSON.stringify(server.store.toFixture(fixture.apiKeys), null, 2)}\n`;
    const temporary = `${options.save}.tmp-${crypto.randomUUID()}`;
    await Deno.writeTextFile(temporary, text);
    await Deno.rename(temporary, options.save);
    print.err(`saved what the emulator held to ${options.save}\n`);
  }
  return ExitCode.ok;
}

/**
 * How the user runs a report from anywhere: `deno task --config <this
 * tool's deno.json> report` from a clone (the plain `deno task report` works
 * only inside it), else the installed command's name.
 */
function reportCommand(): string {
  const config = new URL("../../deno.json", import.meta.url);
  return config.protocol === "file:"
    ? `deno task --config ${config.pathname} report`
    : "wandb-report";
}
