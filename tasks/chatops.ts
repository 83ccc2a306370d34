/**
 * `deno task chatops`: decides whether the event asks for a report, and on which commit. See `--help`.
 *
 * @module
 */
import { processIo, runChatopsCli } from "../lib/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runChatopsCli(Deno.args, processIo(), "deno task chatops"));
}
