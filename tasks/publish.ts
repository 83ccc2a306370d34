/**
 * `deno task publish --file SWEEP.json`: a sweep's reports delivered (comments and checks) without the W&B key.
 *
 * @module
 */
import { processIo, runPublishCli } from "../lib/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runPublishCli(Deno.args, processIo(), "deno task publish"));
}
