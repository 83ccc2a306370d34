/**
 * The waiting command's inputs: whose check, and how many pull requests to
 * take.
 *
 * @module
 */
import {
  GITHUB_STEP_SOURCES,
  githubTokenSource,
  REPORT_KEY,
  reportKeySource,
  TOKEN,
  wholeNumber,
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
      "Token that may read pull requests and statuses (environment only). Required.",
    ),
    schema: TOKEN,
  },
  reportKey: {
    ...reportKeySource(
      "The report's key (default: the project): the check wandb-report/KEY. Required.",
    ),
    schema: REPORT_KEY,
  },
  max: {
    flag: "max",
    input: "SWEEP",
    kind: "string",
    value: "N",
    help: "Take at most N pull requests (1-100), oldest first.",
    schema: wholeNumber(1, 100).default(10),
  },
  ...GITHUB_STEP_SOURCES,
} as const satisfies Record<string, Option>;

/** The waiting command's validated options. */
export type WaitingOptions = OptionsOf<typeof SOURCES>;

/** The waiting command: its option table, schema and help. */
export const WAITING_COMMAND: Command<WaitingOptions> = defineCommand({
  sources: SOURCES,
  help: (program) => ({
    usage: `Usage: ${program} --report-key KEY [--max N]`,
    about: [
      "Lists the open pull requests whose head has the check wandb-report/KEY pending or",
      "none, oldest first, at most N: PULLS (NUMBER=HEAD_SHA, comma-separated) for",
      "`report --sweep N --pulls` in a job that may not read GitHub; SWEPT and REMAINING.",
    ],
    exits: exitCodeLines({
      0: "listed (PULLS may be empty)",
      2: "invalid input (the report key, --max, no token); one line names it",
      3: "GitHub failed for good (token, not found, rate limit, server)",
    }),
  }),
});
