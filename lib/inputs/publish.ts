/**
 * The publish command's inputs: the sweep's JSON document to deliver, and
 * how (comments, statuses).
 *
 * @module
 */
import { z } from "zod";
import {
  COMMENT_MODE_SOURCE,
  GITHUB_STEP_SOURCES,
  githubTokenSource,
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
  file: {
    flag: "file",
    input: "FILE",
    kind: "string",
    value: "FILE",
    help: "The sweep's JSON (report --sweep N --format json). Required.",
    schema: z.string("the sweep's JSON file (--file)").min(1, "a file path"),
  },
  comment: {
    flag: "comment",
    input: "COMMENT",
    kind: "boolean",
    help: "Post each pull request's report as its sticky comment.",
    schema: z.boolean().default(true),
  },
  status: {
    flag: "status",
    input: "STATUS",
    kind: "boolean",
    help: "Set each pull request head's check wandb-report/KEY.",
    schema: z.boolean().default(true),
  },
  commentMode: COMMENT_MODE_SOURCE,
  workflow: { ...WORKFLOW_SOURCE, schema: WORKFLOW },
  ...GITHUB_STEP_SOURCES,
} as const satisfies Record<string, Option>;

/** The publish command's validated options. */
export type PublishOptions = OptionsOf<typeof SOURCES>;

/** The publish command: its option table, schema and help. */
export const PUBLISH_COMMAND: Command<PublishOptions> = defineCommand({
  sources: SOURCES,
  paths: ["file"],
  help: (program) => ({
    usage: `Usage: ${program} --file SWEEP.json [--comment-mode MODE]`,
    about: [
      "Delivers a sweep's reports (report --sweep N --format json) from a job that holds no",
      "W&B key: each pull request's sticky comment and its head's check wandb-report/KEY, a",
      "regression accepted on that very head kept.",
    ],
    exits: exitCodeLines({
      0: "delivered (a token that may not write gives a warning per pull request)",
      2: "invalid input (the file, the comment mode, no token); one line names it",
      3: "GitHub failed for good (token, not found, rate limit, server)",
    }),
  }),
});
