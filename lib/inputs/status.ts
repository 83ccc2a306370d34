/**
 * The status command's inputs: which commit, which state and words, under
 * which report key, with which token.
 *
 * @module
 */
import { z } from "zod";
import { STATUS_STATES, type StatusState } from "../ground/model.ts";
import {
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
      "Token that may write commit statuses (environment only). Required.",
    ),
    schema: TOKEN,
  },
  sha: {
    flag: "sha",
    input: "SHA",
    kind: "string",
    value: "SHA",
    help: "The commit the report is about (the PR head). Required.",
    schema: z.string("the commit to set the status on (--sha)")
      .regex(/^[0-9a-fA-F]{40}$/, "a 40-character commit SHA (statuses go on commits)")
      .transform((sha) => sha.toLowerCase()),
  },
  state: {
    flag: "state",
    input: "STATE",
    kind: "string",
    value: "STATE",
    help: "pending, success, failure or error. Required.",
    schema: z.enum(
      STATUS_STATES as [StatusState, ...StatusState[]],
      STATUS_STATES.join(", "),
    ),
  },
  description: {
    flag: "description",
    input: "DESCRIPTION",
    kind: "string",
    value: "TEXT",
    help: "What the check says (cut to GitHub's 140 characters).",
    schema: z.string().default(""),
  },
  reportKey: {
    ...reportKeySource(
      "The report's key (default: the project); the status is wandb-report/KEY. Required.",
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
  prNumber: {
    flag: "pr-number",
    input: "PR_NUMBER",
    kind: "string",
    value: "N",
    help:
      "The pull request of the commit: a failure there keeps a regression accepted on that very commit (its comment records it) as success.",
    schema: z.coerce.number("a pull request number").int("a pull request number")
      .min(1, "a pull request number").optional(),
  },
  workflow: { ...WORKFLOW_SOURCE, schema: WORKFLOW },
  ...GITHUB_STEP_SOURCES,
} as const satisfies Record<string, Option>;

/** The status command's validated options. */
export type StatusOptions = OptionsOf<typeof SOURCES>;

/** The status command: its option table, schema and help. */
export const STATUS_COMMAND: Command<StatusOptions> = defineCommand({
  sources: SOURCES,
  help: (program) => ({
    usage: `Usage: ${program} --sha SHA --state STATE --report-key KEY [--description TEXT]`,
    about: [
      "Sets the commit status wandb-report/KEY on a commit: the check a branch protection",
      "rule can require. The reusable workflow sets it pending when the report starts and",
      "to the gate's verdict when it ends, from jobs that hold statuses: write and nothing else.",
    ],
    exits: exitCodeLines({
      0: "the status was set, or a token that may not write statuses gave a warning",
      2: "invalid input (no SHA, an unknown state, no token); one line names it",
      3: "GitHub failed for good (token, not found, rate limit, server)",
    }),
  }),
});

/**
 * Reads the status command's inputs.
 *
 * @throws {import("../ground/errors.ts").InvalidInputError} naming the first bad input
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { resolveStatusInputs } from "./status.ts";
 * const run = resolveStatusInputs(
 *   ["--sha", "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345", "--state", "pending", "--report-key", "acme/vision"],
 *   { GITHUB_TOKEN: "ghs_example" },
 * );
 * assertEquals(run.kind === "run" && run.options.state, "pending");
 * ```
 */
export const resolveStatusInputs: Command<StatusOptions>["resolve"] = STATUS_COMMAND.resolve;

/**
 * The status command's `--help`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { statusHelpText } from "./status.ts";
 * assertEquals(statusHelpText("deno task status").startsWith("Usage: deno task status "), true);
 * ```
 */
export const statusHelpText: Command<StatusOptions>["help"] = STATUS_COMMAND.help;
