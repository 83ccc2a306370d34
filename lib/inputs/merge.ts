/**
 * The merge command's inputs: the legs' JSON reports, which legs are
 * expected, and where the one merged report goes (a file, the job summary,
 * the sticky comment, the commit status).
 *
 * @module
 */
import { z } from "zod";
import { ShaSchema } from "../ground/model.ts";
import {
  COMMENT_MODE_SOURCE,
  GITHUB_STEP_SOURCES,
  githubTokenSource,
  REPORT_KEY,
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
  reports: {
    flag: "reports",
    input: "REPORTS",
    kind: "list",
    repeat: true,
    value: "PATHS",
    help: "The legs' JSON reports (deno task report --json): files, or folders of .json files; " +
      "paths after the flags count too (legs/*.json). Required.",
    schema: z.array(
      z.string().trim().min(1, "paths that are not empty"),
      "the legs' JSON reports (files or folders)",
    ).min(
      1,
      "the legs' JSON reports (files or folders)",
    ),
  },
  expect: {
    flag: "expect",
    input: "EXPECT_LEGS",
    kind: "list",
    value: "LIST",
    help: "The legs expected (report keys or projects); one not found failed before reporting.",
    schema: z.array(z.string().trim().min(1, "leg names that are not empty")).default([]),
  },
  legs: {
    flag: "legs",
    input: "LEGS",
    kind: "string",
    value: "GLOB",
    help: "Only the legs whose report key matches GLOB (* within a /-part, ** across, ?, {a,b}), " +
      "e.g. 'vision/*': the others (another matrix of the same run) are left out with a note.",
    schema: z.string().trim().min(1, "a glob over the legs' report keys, e.g. vision/*").optional(),
  },
  legsResult: {
    flag: "legs-result",
    input: "LEGS_RESULT",
    kind: "string",
    value: "RESULT",
    help: "The matrix job's result (needs.<job>.result): other than success, a leg may be missing.",
    schema: z.enum(
      ["success", "failure", "cancelled", "skipped"],
      "success, failure, cancelled or skipped",
    ).optional(),
  },
  allowIncomplete: {
    flag: "allow-incomplete",
    input: "ALLOW_INCOMPLETE",
    kind: "boolean",
    help: "Missing, repeated or unreadable legs are said but do not fail the gate.",
    schema: z.boolean().default(false),
  },
  reportKey: {
    flag: "report-key",
    input: "REPORT_KEY",
    kind: "string",
    value: "KEY",
    help: "The merged report's key: its comment and status wandb-report/KEY.",
    schema: REPORT_KEY.default("matrix"),
  },
  markdown: {
    flag: "markdown",
    input: "MARKDOWN",
    kind: "string",
    value: "FILE",
    help: "Also write the merged markdown report to FILE.",
    schema: z.string().min(1, "a file path").optional(),
  },
  json: {
    ...{ flag: "json", kind: "boolean", help: "Print the merged report as JSON on stdout." },
    schema: z.boolean().default(false),
  },
  comment: {
    flag: "comment",
    input: "COMMENT",
    kind: "boolean",
    help: "Post the merged report as one sticky comment on --pr-number (needs GITHUB_TOKEN).",
    schema: z.boolean().default(false),
  },
  prNumber: {
    flag: "pr-number",
    input: "PR_NUMBER",
    kind: "string",
    value: "N",
    help: "The pull request to comment on.",
    schema: wholeNumber(1, 1e9).optional(),
  },
  commentMode: COMMENT_MODE_SOURCE,
  status: {
    flag: "status",
    input: "STATUS",
    kind: "boolean",
    help: "Set the commit status wandb-report/KEY on the legs' commit (needs GITHUB_TOKEN).",
    schema: z.boolean().default(false),
  },
  prHeadSha: {
    flag: "pr-head-sha",
    input: "PR_HEAD_SHA",
    kind: "string",
    value: "SHA",
    help: "The PR's head: a status is set only when the legs report on it.",
    schema: ShaSchema.optional(),
  },
  githubToken: {
    ...githubTokenSource("Token for --comment and --status (environment only)."),
    schema: TOKEN.optional(),
  },
  ...GITHUB_STEP_SOURCES,
} as const satisfies Record<string, Option>;

/** The merge command's validated options. */
export type MergeCliOptions = OptionsOf<typeof SOURCES>;

/** The merge command: its option table, schema and help. */
export const MERGE_COMMAND: Command<MergeCliOptions> = defineCommand({
  sources: SOURCES,
  refine: (options) =>
    options.superRefine(
      (o, ctx) => {
        if (o.comment && o.prNumber === undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["prNumber"],
            message: "a pull request for --comment",
          });
        }
        if ((o.comment || o.status) && o.githubToken === undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["githubToken"],
            message: "a token for --comment and --status (pass github.token as GITHUB_TOKEN)",
          });
        }
      },
    ),
  paths: ["reports", "markdown"],
  positional: "reports",
  help: (program) => ({
    usage:
      `Usage: ${program} [--reports PATHS] [PATH ...] [--expect LIST] [--legs GLOB] [--comment --pr-number N] [--status]`,
    about: [
      "Merges the JSON reports of a matrix's legs (each a deno task report --json) into one",
      "report: a verdict for the whole PR, a row per leg, each leg's section; one sticky",
      "comment, one commit status, the step outputs summed over the legs. The gate fails when",
      "a leg failed, or a leg is missing, repeated or of another JSON version (unless",
      "--allow-incomplete).",
    ],
    exits: exitCodeLines({
      0: "done, and the merged gate passed",
      1: "a leg's gate failed, or a leg is missing or disagrees; outputs and summary are written",
      2: "invalid input: no report, a file that is not a report, legs of different commits",
      3: "GitHub failed for good (token, not found, rate limit, server)",
    }),
  }),
});
