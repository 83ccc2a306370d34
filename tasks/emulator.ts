/**
 * `deno task emulator`: serves a W&B-compatible API from a fixture until interrupted. See `--help`.
 *
 * @module
 */
import { processIo, runEmulatorCli } from "../lib/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runEmulatorCli(Deno.args, processIo(), "deno task emulator"));
}
