/**
 * `deno task comment`: posts a rendered report as the sticky PR comment. See `--help`.
 *
 * @module
 */
import { processIo, runCommentCli } from "../lib/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runCommentCli(Deno.args, processIo(), "deno task comment"));
}
