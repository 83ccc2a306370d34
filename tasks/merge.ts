/**
 * `deno task merge`: the legs of a matrix merged into one report. See `--help`.
 *
 * @module
 */
import { processIo, runMergeCli } from "../lib/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runMergeCli(Deno.args, processIo(), "deno task merge"));
}
