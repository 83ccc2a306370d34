/**
 * The chatops step: whether the event (a `/get-runs` comment, a schedule, a
 * dispatch, …) asks for a report, on which commit, as step outputs.
 *
 * @module
 */
import { chatopsOutputs, runChatops } from "../chatops.ts";
import { ExitCode } from "../ground/errors.ts";
import type { ChatopsOptions } from "../inputs/chatops.ts";
import { checkAppendable, writeOutputs } from "./runner.ts";
import type { Run } from "./_shell.ts";

export const chatops: Run<ChatopsOptions> = async (options, io, print) => {
  await checkAppendable("GITHUB_OUTPUT", io.env.GITHUB_OUTPUT);
  const log = print.debugLog(options.debug);
  const result = await runChatops(options, {
    env: io.env,
    log,
    http: io.deps?.http,
    baseDelayMs: io.deps?.baseDelayMs,
  });
  result.notes.forEach((text) => print.say("notice", "note", text));
  await writeOutputs(io, print, chatopsOutputs(result));
  // Comment text is shown JSON-quoted and never at the start of a line.
  print.err(
    result.triggered
      ? [
        `chatops: ${result.eventName} triggers a report`,
        result.prNumber === undefined ? "" : ` for pull request #${result.prNumber}`,
        result.user ? ` (asked by @${result.user})` : "",
        `\n  commit: ${JSON.stringify(result.sha)}${
          result.branch ? ` (branch ${JSON.stringify(result.branch)})` : ""
        }`,
        result.runId ? `\n  run id: ${JSON.stringify(result.runId)}` : "",
        "\n",
      ].join("")
      : `chatops: not triggered: ${result.reason}\n`,
  );
  return ExitCode.ok;
};
