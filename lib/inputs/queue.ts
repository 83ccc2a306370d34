/**
 * The merge queue command's inputs: the `merge_group` event and the report
 * whose check each pull request of the group must have passed.
 *
 * @module
 */
import { z } from "zod";
import {
  eventSources,
  GITHUB_STEP_SOURCES,
  githubTokenSource,
  REPORT_KEY,
  reportKeySource,
  TOKEN,
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
      "Token that may read pull requests and write statuses (environment only). Required.",
    ),
    schema: TOKEN,
  },
  reportKey: {
    ...reportKeySource(
      "The report's key (default: the project): the check wandb-report/KEY. Required.",
    ),
    schema: REPORT_KEY,
  },
  targetUrl: {
    flag: "target-url",
    input: "TARGET_URL",
    kind: "string",
    value: "URL",
    help: "Where the check links to. Default this workflow run's page.",
    schema: z.url({ protocol: /^https?$/, error: "an http(s) URL" }).optional(),
  },
  ...eventSources("merge_group"),
  ...GITHUB_STEP_SOURCES,
} as const satisfies Record<string, Option>;

/** The merge queue command's validated options. */
export type QueueOptions = OptionsOf<typeof SOURCES>;

/** The merge queue command: its option table, schema and help. */
export const QUEUE_COMMAND: Command<QueueOptions> = defineCommand({
  sources: SOURCES,
  paths: ["eventPath"],
  help: (program) => ({
    usage: `Usage: ${program} --report-key KEY`,
    about: [
      "Gives a merge group (the merge_group event of GitHub's merge queue) the check",
      "wandb-report/KEY on its commit, with no W&B query and no training: each pull",
      "request in the group is judged by our check on its own head (success: passed, or a",
      "regression accepted on purpose). The group gets success when every one has it,",
      "else failure naming the pull request (failed, pending, no verdict, not found).",
    ],
    exits: exitCodeLines({
      0: "every pull request of the group has our success (the group's check: success)",
      1: "the group's check is failure (a pull request failed, waits, or has no verdict)",
      2: "invalid input (not a merge_group event, the report key, no token); one line names it",
      3: "GitHub failed for good (token, not found, rate limit, server)",
    }),
  }),
});
