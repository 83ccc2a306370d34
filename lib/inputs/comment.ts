/**
 * The comment command's inputs: which rendered report to post, on which pull
 * request, with which token.
 *
 * @module
 */
import { z } from "zod";
import { COMMENT_MODE_SOURCE, GITHUB_STEP_SOURCES, githubTokenSource } from "./_fields.ts";
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
      "Token that may write to pull requests (environment only). Required.",
    ),
    schema: z.string("a token (pass github.token)").regex(
      /^[\x21-\x7e]+$/,
      "a token without spaces or line breaks",
    ),
  },
  bodyFile: {
    flag: "body-file",
    input: "BODY_FILE",
    kind: "string",
    value: "FILE",
    help: "The rendered report to post (the report's --markdown file).",
    schema: z.string().min(1, "a file path").optional(),
  },
  body: {
    input: "BODY",
    kind: "string",
    help: "The report's text itself, when no file is given (environment only).",
    schema: z.string().optional(),
  },
  prNumber: {
    flag: "pr-number",
    input: "PR_NUMBER",
    kind: "string",
    value: "N",
    help: "The pull request to comment on. Required.",
    schema: z.coerce.number("a pull request number").int("a pull request number")
      .min(1, "a pull request number"),
  },
  commentMode: COMMENT_MODE_SOURCE,
  sha: {
    flag: "sha",
    input: "SHA",
    kind: "string",
    value: "SHA",
    help: "The commit the report is on: a regression accepted on that very commit is kept " +
      "in the comment it replaces.",
    schema: z.string().regex(/^[0-9a-fA-F]{40}$/, "a 40-character commit SHA")
      .transform((sha) => sha.toLowerCase()).optional(),
  },
  ...GITHUB_STEP_SOURCES,
} as const satisfies Record<string, Option>;

/** The comment command's validated options. */
export type CommentOptions = OptionsOf<typeof SOURCES>;

/** The comment command: its option table, schema and help. */
export const COMMENT_COMMAND: Command<CommentOptions> = defineCommand({
  sources: SOURCES,
  paths: ["bodyFile"],
  refine: (options) =>
    options.superRefine(
      (o, ctx) => {
        if (o.bodyFile === undefined && o.body === undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["bodyFile"],
            message: "the rendered report: a file (INPUT_BODY_FILE) or its text (INPUT_BODY)",
          });
        }
      },
    ),
  help: (program) => ({
    usage: `Usage: ${program} --pr-number N --body-file FILE`,
    about: [
      "Posts a report rendered by the report command (its first line is the hidden",
      "marker) as the one sticky comment on a pull request, updating the comment it",
      "wrote before, as --comment-mode says. The reusable workflow runs it in the only job",
      "that may write to the pull request.",
    ],
    exits: exitCodeLines({
      0: "done: created, updated, left as it was (--comment-mode), or a warning (read-only token)",
      2: "invalid input (no body, not a rendered report, no PR number or token); one line names it",
      3: "GitHub failed for good (token, not found, rate limit, server)",
    }),
  }),
});

/**
 * Reads the comment command's inputs.
 *
 * @throws {import("../ground/errors.ts").InvalidInputError} naming the first bad input
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { resolveCommentInputs } from "./comment.ts";
 * const run = resolveCommentInputs(["--pr-number", "7", "--body-file", "r.md"], {
 *   GITHUB_TOKEN: "ghs_example",
 * });
 * assertEquals(run.kind === "run" && run.options.prNumber, 7);
 * ```
 */
export const resolveCommentInputs: Command<CommentOptions>["resolve"] = COMMENT_COMMAND.resolve;

/**
 * The comment command's `--help`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { commentHelpText } from "./comment.ts";
 * assertEquals(commentHelpText("deno task comment").startsWith("Usage: deno task comment "), true);
 * ```
 */
export const commentHelpText: Command<CommentOptions>["help"] = COMMENT_COMMAND.help;
