/**
 * `deno task waiting --report-key KEY [--max N]`: the open pull requests whose head waits for this report's check.
 *
 * @module
 */
import { processIo, runWaitingCli } from "../lib/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runWaitingCli(Deno.args, processIo(), "deno task waiting"));
}
