/**
 * `deno task accept --report-key KEY`: an `/accept-regression REASON` PR comment, carried out or refused.
 *
 * @module
 */
import { processIo, runAcceptCli } from "../lib/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runAcceptCli(Deno.args, processIo(), "deno task accept"));
}
