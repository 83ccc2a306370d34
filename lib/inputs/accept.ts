/**
 * The accept command's inputs: the comment event, who may accept, and which
 * report's check and comment an acceptance is recorded on.
 *
 * @module
 */
import { z } from "zod";
import {
  allowedAssociationsSource,
  eventSources,
  GITHUB_STEP_SOURCES,
  githubTokenSource,
  REPORT_KEY,
  reportKeySource,
  TOKEN,
  WORKFLOW,
  WORKFLOW_SOURCE,
} from "./_fields.ts";
import {
  type Command,
  defineCommand,
  exitCodeLines,
  type Option,
  type OptionsOf,
} from "./command.ts";

const SOURCES = {
  githubToken: {
    ...githubTokenSource(
      "Token that may write pull requests and statuses (environment only). Required.",
    ),
    schema: TOKEN,
  },
  acceptPhrase: {
    flag: "accept-phrase",
    input: "ACCEPT_PHRASE",
    kind: "string",
    value: "TEXT",
    help: "The command that must start a line of the comment.",
    schema: z.string().trim().min(1, "a phrase that is not empty")
      .regex(/^\S+$/, "one word, e.g. /accept-regression").default("/accept-regression"),
  },
  allowedAssociations: allowedAssociationsSource("Author associations that may accept."),
  allowAuthor: {
    flag: "allow-author",
    input: "ACCEPT_OWN",
    kind: "boolean",
    help: "Let a pull request's author accept a regression on their own pull request " +
      "(by default someone else decides).",
    schema: z.boolean().default(false),
  },
  reportKey: {
    ...reportKeySource(
      "The report's key (default: the project): its check wandb-report/KEY and its " +
        "comment. Required.",
    ),
    schema: REPORT_KEY,
  },
  workflow: { ...WORKFLOW_SOURCE, schema: WORKFLOW },
  ...eventSources("issue_comment"),
  ...GITHUB_STEP_SOURCES,
} as const satisfies Record<string, Option>;

/** The accept command's validated options. */
export type AcceptOptions = OptionsOf<typeof SOURCES>;

/** The accept command: its option table, schema and help. */
export const ACCEPT_COMMAND: Command<AcceptOptions> = defineCommand({
  sources: SOURCES,
  paths: ["eventPath"],
  help: (program) => ({
    usage: `Usage: ${program} --report-key KEY [--allow-author]`,
    about: [
      "Accepts a regression on purpose, from a PR comment whose line starts with",
      "/accept-regression REASON, by an allowed author (never the PR's own author unless",
      "--allow-author): the check wandb-report/KEY on the PR's current head becomes",
      'success ("regression accepted by @login"), and the sticky comment records who,',
      "when, which commit and why; a later report on that commit keeps it, a new push",
      "does not. Anyone else, or an accept without a reason, gets one short reply.",
      "Outputs GATE_VERDICT=accepted, ACCEPTED_BY, ACCEPTED_SHA and PULL_REQUEST_NUMBER.",
    ],
    exits: exitCodeLines({
      0: "accepted, refused with a reply, or not an accept comment (BOOL_ACCEPTED says which)",
      2: "invalid input (the event, the report key, no token); one line names it",
      3: "GitHub failed for good (token, not found, rate limit, server)",
    }),
  }),
});
