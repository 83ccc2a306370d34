/**
 * `deno task comment`: posts a rendered report (INPUT_BODY) as the sticky
 * comment on pull request INPUT_PR_NUMBER.
 *
 * @module
 */
import { processIo, runCommentCli } from "../lib/cli.ts";

if (import.meta.main) {
  Deno.exit(await runCommentCli(Deno.args, processIo()));
}
