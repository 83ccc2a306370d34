/**
 * `deno task queue --report-key KEY`: a merge group's check from its pull requests' own verdicts.
 *
 * @module
 */
import { processIo, runQueueCli } from "../lib/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runQueueCli(Deno.args, processIo(), "deno task queue"));
}
