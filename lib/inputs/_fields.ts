/**
 * Option rows and zod fields shared by several commands' tables: numbers
 * with ranges, the retry settings, tokens.
 *
 * @module
 */
import { z } from "zod";
import type { OptionsOf, Source } from "./command.ts";
import { COMMENT_MODE, RETRY_FIELDS } from "../schemas.ts";
import {
  type AuthorAssociation,
  AuthorAssociationSchema,
  type CommentMode,
} from "../ground/model.ts";

export { COMMENT_MODE, RETRY_FIELDS, seconds, TOKEN, wholeNumber } from "../schemas.ts";

/**
 * The retry settings' rows: `--timeout` (falling back to `timeoutEnv`, e.g.
 * W&B's `WANDB_HTTP_TIMEOUT`), `--max-attempts`, `--max-retry-time`.
 */
export function retrySources(
  timeoutEnv?: string,
): {
  timeoutSeconds: Source & { schema: typeof RETRY_FIELDS.timeoutSeconds };
  maxAttempts: Source & { schema: typeof RETRY_FIELDS.maxAttempts };
  maxRetrySeconds: Source & { schema: typeof RETRY_FIELDS.maxRetrySeconds };
} {
  return {
    timeoutSeconds: {
      flag: "timeout",
      input: "TIMEOUT",
      ...(timeoutEnv ? { env: timeoutEnv } : {}),
      kind: "string",
      value: "SECONDS",
      help: "Per-request timeout.",
      schema: RETRY_FIELDS.timeoutSeconds,
    },
    maxAttempts: {
      flag: "max-attempts",
      input: "MAX_ATTEMPTS",
      kind: "string",
      value: "N",
      help: "Attempts per request, counting the first, 1-20.",
      schema: RETRY_FIELDS.maxAttempts,
    },
    maxRetrySeconds: {
      flag: "max-retry-time",
      input: "MAX_RETRY_TIME",
      kind: "string",
      value: "SECONDS",
      help: "Give up retrying after this long in all.",
      schema: RETRY_FIELDS.maxRetrySeconds,
    },
  };
}

/** `--debug` (`INPUT_DEBUG`, or the runner's own debug switch). */
export const DEBUG_SOURCE: Source = {
  flag: "debug",
  input: "DEBUG",
  env: "RUNNER_DEBUG",
  kind: "boolean",
  help: "Debug log on stderr (also on when the runner has debug logging on).",
};

/** `--repository` (`GITHUB_REPOSITORY`, set by the runner). */
export const REPOSITORY_SOURCE: Source = {
  flag: "repository",
  env: "GITHUB_REPOSITORY",
  kind: "string",
  value: "OWNER/REPO",
  help: "The repository (set by the runner).",
};

/** The GitHub token's row (environment only: a token never goes on a command line). */
export function githubTokenSource(help: string): Source {
  return { input: "GITHUB_TOKEN", env: "GITHUB_TOKEN", kind: "string", secret: true, help };
}

/** `--comment-mode`: when a report is posted as the PR comment. */
export const COMMENT_MODE_SOURCE: Source & { schema: z.ZodType<CommentMode, unknown> } = {
  flag: "comment-mode",
  input: "COMMENT_MODE",
  kind: "string",
  value: "MODE",
  help: "When to comment: always, changes (only when the report changed), failures, off.",
  schema: COMMENT_MODE.default("always"),
};

/** The zod fields of a GitHub step's shared rows (see {@link GITHUB_STEP_SOURCES}). */
export const GITHUB_STEP_FIELDS: {
  repository: z.ZodOptional<z.ZodString>;
  timeoutSeconds: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
  maxAttempts: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
  maxRetrySeconds: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
  debug: z.ZodDefault<z.ZodBoolean>;
} = {
  repository: z.string().optional(),
  ...RETRY_FIELDS,
  debug: z.boolean().default(false),
};

/** The rows a GitHub step (comment, status) has after its own: the repository, retries, `--debug`. */
export const GITHUB_STEP_SOURCES: {
  [K in keyof typeof GITHUB_STEP_FIELDS]: Source & { schema: (typeof GITHUB_STEP_FIELDS)[K] };
} = {
  repository: { ...REPOSITORY_SOURCE, schema: GITHUB_STEP_FIELDS.repository },
  ...retrySources(),
  debug: { ...DEBUG_SOURCE, schema: GITHUB_STEP_FIELDS.debug },
};

/** What those rows give a GitHub step's options. */
export type GitHubStepOptions = OptionsOf<typeof GITHUB_STEP_SOURCES>;

/** `--report-key`: whose check (`wandb-report/KEY`) and comment a step is about. */
export function reportKeySource(help: string): Source {
  return { flag: "report-key", input: "REPORT_KEY", kind: "string", value: "KEY", help };
}

/** A report key: letters, digits and `. _ / -`, at most 100 characters. */
export const REPORT_KEY: z.ZodString = z.string("the report key (--report-key)").trim().regex(
  /^[A-Za-z0-9._\/-]{1,100}$/,
  "letters, digits and . _ / -",
);

/** `--workflow` (`GITHUB_WORKFLOW`): the workflow's name, in the sticky comment's marker. */
export const WORKFLOW_SOURCE: Source = {
  flag: "workflow",
  env: "GITHUB_WORKFLOW",
  kind: "string",
  value: "NAME",
  help: "The workflow's name, in the comment's marker (set by the runner).",
};

/** The workflow's name, `wandb-report` when none is set. */
export const WORKFLOW: z.ZodDefault<z.ZodString> = z.string().min(1).default("wandb-report");

/** The zod fields of the event rows (see {@link eventSources}). */
export const EVENT_FIELDS: { eventName: z.ZodString; eventPath: z.ZodString } = {
  eventName: z.string("the event name in GITHUB_EVENT_NAME (set by the runner)").min(1),
  eventPath: z.string("the event payload file in GITHUB_EVENT_PATH (set by the runner)").min(1),
};

/** `--event-name` and `--event-path` (`GITHUB_EVENT_NAME`, `GITHUB_EVENT_PATH`, set by the runner). */
export function eventSources(events: string): {
  eventName: Source & { schema: typeof EVENT_FIELDS.eventName };
  eventPath: Source & { schema: typeof EVENT_FIELDS.eventPath };
} {
  return {
    eventName: {
      flag: "event-name",
      env: "GITHUB_EVENT_NAME",
      kind: "string",
      value: "NAME",
      help: `The event (set by the runner)${events ? `: ${events}` : ""}.`,
      schema: EVENT_FIELDS.eventName,
    },
    eventPath: {
      flag: "event-path",
      env: "GITHUB_EVENT_PATH",
      kind: "string",
      value: "FILE",
      help: "The event payload JSON (set by the runner).",
      schema: EVENT_FIELDS.eventPath,
    },
  };
}

/** What those rows give a step's options. */
export type EventOptions = OptionsOf<ReturnType<typeof eventSources>>;

/** `--allowed-associations`: who may trigger from a comment. */
export function allowedAssociationsSource(
  help: string,
): Source & { schema: typeof ALLOWED_ASSOCIATIONS } {
  return {
    flag: "allowed-associations",
    input: "ALLOWED_ASSOCIATIONS",
    kind: "list",
    value: "LIST",
    help,
    schema: ALLOWED_ASSOCIATIONS,
  };
}

/** Author associations, upper-cased and checked; OWNER, MEMBER, COLLABORATOR unless given. */
export const ALLOWED_ASSOCIATIONS: z.ZodType<AuthorAssociation[], unknown> = z.array(
  z.string().transform((word) => word.trim().toUpperCase()).pipe(
    z.enum(
      AuthorAssociationSchema.options,
      `author associations from ${AuthorAssociationSchema.options.join(", ")}`,
    ),
  ),
).min(1, "at least one author association").default(["OWNER", "MEMBER", "COLLABORATOR"]);
