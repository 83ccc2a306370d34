/**
 * The chatops command's inputs: its option table, its zod schema and its
 * `--help`. What it does with them is in `../chatops.ts`.
 *
 * @module
 */
import { z } from "zod";
import { ShaSchema } from "../ground/model.ts";
import { Redactor } from "../ground/redact.ts";
import {
  type Command,
  commandHelp,
  exitCodeLines,
  fromTypedFolder,
  type Option,
  optionsSchema,
  resolveTable,
} from "./command.ts";
import {
  allowedAssociationsSource,
  COMMENT_MODE_SOURCE,
  DEBUG_SOURCE,
  eventSources,
  githubTokenSource,
  REPOSITORY_SOURCE,
  retrySources,
  TOKEN,
} from "./_fields.ts";

const FULL_SHA: z.ZodType<string, string> = z.string().regex(
  /^[0-9a-fA-F]{40}$/,
  "a 40-character commit SHA",
)
  .transform((s) => s.toLowerCase());

const SOURCES = {
  githubToken: {
    ...githubTokenSource(
      "Token for GitHub's API (environment only); needed to look up a PR comment's head.",
    ),
    schema: TOKEN.optional(),
  },
  triggerPhrase: {
    flag: "trigger-phrase",
    input: "TRIGGER_PHRASE",
    kind: "string",
    value: "TEXT",
    help: "The command that must start a line of the comment.",
    schema: z.string().trim().min(1, "a phrase that is not empty")
      .regex(/^\S+$/, "one word, e.g. /get-runs").default("/get-runs"),
  },
  allowedAssociations: allowedAssociationsSource("Author associations that may trigger."),
  sha: {
    flag: "sha",
    input: "SHA",
    kind: "string",
    value: "SHA",
    help: "Report on this commit, whatever the event says.",
    schema: ShaSchema.optional(),
  },
  ...eventSources(""),
  mergeBase: {
    flag: "merge-base",
    input: "MERGE_BASE",
    kind: "boolean",
    help: "Also find the PR's merge base (GitHub's compare API): MERGE_BASE_SHA.",
    schema: z.boolean().default(false),
  },
  commentMode: {
    ...COMMENT_MODE_SOURCE,
    help: "The workflow's comment-mode, checked here before anything is asked of GitHub; " +
      "given back as COMMENT_MODE.",
  },
  repository: {
    ...REPOSITORY_SOURCE,
    schema: z.string("owner/repo in GITHUB_REPOSITORY (set by the runner)"),
  },
  githubSha: {
    env: "GITHUB_SHA",
    kind: "string",
    help: "The commit of push, schedule and dispatch events (set by the runner).",
    schema: FULL_SHA.optional(),
  },
  ...retrySources(),
  debug: { ...DEBUG_SOURCE, schema: z.boolean().default(false) },
} as const satisfies Record<string, Option>;

import type { ChatopsOptions } from "../chatops.ts";
export type { ChatopsOptions } from "../chatops.ts";

/** The chatops step's validated options. */
export const ChatopsOptionsSchema: z.ZodType<ChatopsOptions> = optionsSchema(SOURCES);

/** What the chatops command line asked for. */
export type ChatopsInvocation =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "chatops"; options: ChatopsOptions };

/**
 * Reads the chatops inputs from flags and environment.
 *
 * @throws {InvalidInputError} naming the first bad input
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { resolveChatopsInputs } from "./chatops.ts";
 * const run = resolveChatopsInputs([], {
 *   GITHUB_EVENT_NAME: "schedule",
 *   GITHUB_EVENT_PATH: "/tmp/event.json",
 *   GITHUB_REPOSITORY: "octo-org/octo-repo",
 * });
 * assertEquals(run.kind === "chatops" && run.options.triggerPhrase, "/get-runs");
 * ```
 */
export function resolveChatopsInputs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  redactor: Redactor = new Redactor(),
): ChatopsInvocation {
  // --event-path typed on a terminal means where it was typed.
  const resolved = resolveTable(
    SOURCES,
    ChatopsOptionsSchema,
    argv,
    env,
    redactor,
    (raw) => fromTypedFolder(raw, ["eventPath"], env.INIT_CWD),
  );
  return resolved.kind === "run" ? { kind: "chatops", options: resolved.options } : resolved;
}

/**
 * The chatops `--help` text.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { chatopsHelpText } from "./chatops.ts";
 * assertEquals(chatopsHelpText("deno task chatops").startsWith("Usage: deno task chatops "), true);
 * ```
 */
export function chatopsHelpText(program: string): string {
  return commandHelp(SOURCES, {
    usage: `Usage: ${program} [options]`,
    about: [
      "Decides whether the event that started the workflow asks for a W&B report, and",
      "on which commit: a PR comment whose line starts with the trigger phrase, by an",
      "allowed author, reports on the PR's head (looked up through GitHub's API);",
      "pull_request events on the PR head; workflow_run events on the run's head commit",
      "(and its open PR, found by that commit when GitHub does not name it, as for forks);",
      "push, schedule and dispatch on GITHUB_SHA.",
      "Comment arguments: `/get-runs RUN_ID`, or `/get-runs run-id=ID sha=SHA`; other words",
      "are ignored with a notice.",
    ],
    exits: exitCodeLines({
      0: "done, whether or not the event asks for a report (BOOL_TRIGGERED says which)",
      2: "invalid input (the event payload, a comment argument, a missing token); one line names it",
      3: "GitHub failed for good (token, not found, rate limit, server)",
    }),
  });
}

/** The chatops command: its inputs (see {@link resolveChatopsInputs}) and its `--help`. */
export const CHATOPS_COMMAND: Command<ChatopsOptions> = {
  resolve: (argv, env, redactor) => {
    const resolved = resolveChatopsInputs(argv, env, redactor);
    return resolved.kind === "chatops" ? { kind: "run", options: resolved.options } : resolved;
  },
  help: (program) => chatopsHelpText(program),
};
