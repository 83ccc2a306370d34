/**
 * The emulator command's inputs: which fixture to serve, on which port.
 *
 * @module
 */
import { z } from "zod";
import {
  type Command,
  defineCommand,
  exitCodeLines,
  type Option,
  type OptionsOf,
} from "./command.ts";

const PORT = "a port number from 0 to 65535";

const SOURCES = {
  fixture: {
    flag: "fixture",
    kind: "string",
    value: "FILE",
    help: "Projects, runs, API keys and scripted faults (docs/emulator.md).",
    schema: z.string().min(1, "a file path").optional(),
  },
  port: {
    flag: "port",
    kind: "string",
    value: "N",
    help: "Port on 127.0.0.1; 0 picks a free one.",
    schema: z.string().regex(/^\d{1,5}$/, PORT).transform(Number).refine((n) => n <= 65535, PORT)
      .default(8080),
  },
  noKeysArgument: {
    flag: "no-keys-argument",
    kind: "boolean",
    help: "Behave like servers without keys: projections on config/summaryMetrics.",
    schema: z.boolean().default(false),
  },
  save: {
    flag: "save",
    kind: "string",
    value: "FILE",
    help: "On Ctrl-C, write every project and run (those logged to it included) as a fixture " +
      "--fixture can serve again.",
    schema: z.string().min(1, "a file path").optional(),
  },
  crashAfter: {
    flag: "crash-after",
    kind: "string",
    value: "SECONDS",
    help: "A run logged to it that stays running this long after its last heartbeat is " +
      "crashed; 0 never.",
    schema: z.string().regex(/^\d{1,7}$/, "whole seconds, 0 for never").transform(Number)
      .default(3600),
  },
} as const satisfies Record<string, Option>;

/** The emulator command's validated options. */
export type EmulatorCliOptions = OptionsOf<typeof SOURCES>;

/** The emulator command: its option table, schema and help. */
export const EMULATOR_COMMAND: Command<EmulatorCliOptions> = defineCommand({
  sources: SOURCES,
  paths: ["fixture", "save"],
  help: (program) => ({
    usage: `Usage: ${program} [--fixture FILE] [--port N] [--save FILE] [options]`,
    about: [
      "Serves a W&B-compatible GraphQL API on 127.0.0.1 from a fixture (default: the",
      "bundled demo project). Point the report at it with WANDB_BASE_URL=http://127.0.0.1:PORT",
      "and one of the fixture's apiKeys as WANDB_API_KEY. Training can log to it too: W&B's",
      "SDKs' upsertBucket and file_stream create runs and stream their metrics (docs/emulator.md).",
      "Ctrl-C stops it (--save writes what it holds first).",
    ],
    exits: exitCodeLines({
      0: "stopped (Ctrl-C)",
      2: "invalid input (the fixture cannot be read or is malformed, the port is taken)",
    }),
  }),
});

/**
 * Reads the emulator command's inputs.
 *
 * @throws {import("../ground/errors.ts").InvalidInputError} naming the first bad input
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { resolveEmulatorInputs } from "./emulator.ts";
 * const run = resolveEmulatorInputs(["--port", "0"], {});
 * assertEquals(run.kind === "run" && run.options.port, 0);
 * ```
 */
export const resolveEmulatorInputs: Command<EmulatorCliOptions>["resolve"] =
  EMULATOR_COMMAND.resolve;

/**
 * The emulator command's `--help`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { emulatorHelpText } from "./emulator.ts";
 * assertEquals(emulatorHelpText("deno task emulator").startsWith("Usage: deno task emulator "), true);
 * ```
 */
export const emulatorHelpText: Command<EmulatorCliOptions>["help"] = EMULATOR_COMMAND.help;
