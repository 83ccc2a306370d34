/**
 * `deno task demo [report flags]`: the whole job on the bundled demo project, against an in-process emulator.
 *
 * @module
 */
import { processIo, runDemoCli } from "../lib/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runDemoCli(Deno.args, processIo(), "deno task demo"));
}
