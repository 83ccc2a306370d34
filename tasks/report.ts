/**
 * `deno task report`: the report CLI. See `--help`.
 *
 * @module
 */
import { processIo, runReportCli } from "../lib/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runReportCli(Deno.args, processIo(), "deno task report"));
}
