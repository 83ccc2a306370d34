/**
 * `deno task status --sha SHA --state STATE --report-key KEY`: sets the report's commit status.
 *
 * @module
 */
import { processIo, runStatusCli } from "../lib/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runStatusCli(Deno.args, processIo(), "deno task status"));
}
