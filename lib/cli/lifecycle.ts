/**
 * A PR check's life after the report: accepting a regression on purpose
 * (`/accept-regression`) and the merge queue's verdict on a merge group.
 * Neither asks W&B anything.
 *
 * @module
 */
import { acceptRegression } from "../accept.ts";
import { ExitCode, InvalidInputError } from "../ground/errors.ts";
import { readEventFile } from "../github/mod.ts";
import { parseRepo } from "../github/mod.ts";
import { runUrlFromEnv, setCommitStatus, statusContext } from "../github/mod.ts";
import type { AcceptOptions } from "../inputs/accept.ts";
import type { QueueOptions } from "../inputs/queue.ts";
import { pyBool } from "../ground/model.ts";
import type { CliIo } from "../output.ts";
import { judgeMergeGroup, readMergeGroup } from "../queue.ts";
import { checkAppendable, writeOutputs } from "./runner.ts";
import type { Run } from "./_shell.ts";
import { commandClient } from "./deliver.ts";

/** The GitHub client and repository of a step, from its options and environment. */
function githubOf(options: AcceptOptions | QueueOptions, io: CliIo, log?: (line: string) => void) {
  return {
    client: commandClient(io, options, options.githubToken, log),
    repo: parseRepo(options.repository ?? io.env.GITHUB_REPOSITORY, "GITHUB_REPOSITORY"),
  };
}

/** `deno task accept`: an `/accept-regression REASON` comment, carried out or refused. */
export const accept: Run<AcceptOptions> = async (options, io, print) => {
  await checkAppendable("GITHUB_OUTPUT", io.env.GITHUB_OUTPUT);
  if (options.eventName !== "issue_comment") {
    throw new InvalidInputError("GITHUB_EVENT_NAME", "issue_comment", options.eventName);
  }
  const log = print.debugLog(options.debug);
  const payload = await readEventFile(options.eventPath);
  const { client, repo } = githubOf(options, io, log);
  const outcome = await acceptRegression(
    client,
    repo,
    payload,
    {
      phrase: options.acceptPhrase,
      allowed: options.allowedAssociations,
      allowAuthor: options.allowAuthor,
    },
    { reportKey: options.reportKey, workflow: options.workflow, targetUrl: runUrlFromEnv(io.env) },
    new Date((io.deps?.now ?? Date.now)()),
  );
  const accepted = outcome.kind === "accepted" ? outcome.acceptance : undefined;
  await writeOutputs(io, print, {
    BOOL_ACCEPTED: pyBool(accepted !== undefined),
    GATE_VERDICT: accepted ? "accepted" : "",
    ACCEPTED_BY: accepted?.by ?? "",
    ACCEPTED_SHA: accepted?.sha ?? "",
    PULL_REQUEST_NUMBER: outcome.kind === "ignored" ? "" : String(outcome.prNumber),
  });
  // Logins are GitHub's (letters, digits, hyphens); the reason is never printed.
  if (outcome.kind === "ignored") print.err(`accept: not an accept comment: ${outcome.reason}\n`);
  else if (outcome.kind === "refused") {
    print.say("notice", "note", `@${outcome.user}'s accept on #${outcome.prNumber} was refused`);
  } else {
    print.say(
      "notice",
      "note",
      `regression accepted by @${outcome.acceptance.by} on #${outcome.prNumber} for ${
        outcome.acceptance.sha.slice(0, 12)
      }: ${statusContext(options.reportKey)} is success`,
    );
  }
  return ExitCode.ok;
};

/** `deno task queue`: the merge group's check from its pull requests' own verdicts. */
export const queue: Run<QueueOptions> = async (options, io, print) => {
  await checkAppendable("GITHUB_OUTPUT", io.env.GITHUB_OUTPUT);
  const group = await readMergeGroup(options.eventName, options.eventPath);
  const log = print.debugLog(options.debug);
  const { client, repo } = githubOf(options, io, log);
  const context = statusContext(options.reportKey);
  const verdict = await judgeMergeGroup(client, repo, group, context);
  verdict.notes.forEach((text) => print.say("notice", "note", text));
  await setCommitStatus(client, repo, verdict.sha, {
    state: verdict.state,
    context,
    description: verdict.description,
    targetUrl: options.targetUrl ?? runUrlFromEnv(io.env),
  });
  await writeOutputs(io, print, {
    STATUS_STATE: verdict.state,
    STATUS_DESCRIPTION: verdict.description,
    PULL_REQUESTS: verdict.members.map((m) => m.number).join(","),
    SHA: verdict.sha,
  });
  for (const member of verdict.members.filter((m) => !m.ok)) {
    print.say("error", "queue", member.words);
  }
  print.err(`queue: ${context} on ${verdict.sha.slice(0, 12)}: ${verdict.state}\n`);
  return verdict.state === "success" ? ExitCode.ok : ExitCode.gateFailed;
};
