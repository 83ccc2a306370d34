/**
 * Option rows and zod fields shared by several commands' tables: numbers
 * with ranges, the retry settings, tokens.
 *
 * @module
 */
import { z } from "zod";
import type { Source } from "./_sources.ts";
import { COMMENT_MODES, type CommentMode } from "../model.ts";

/** A whole number in a range, from text. */
export const wholeNumber = (min: number, max: number): z.ZodCoercedNumber<unknown> =>
  z.coerce
    .number(`a whole number from ${min} to ${max}`)
    .int(`a whole number from ${min} to ${max}`)
    .min(min, `a whole number from ${min} to ${max}`)
    .max(max, `a whole number from ${min} to ${max}`);

/** A number of seconds in a range, from text. */
export const seconds = (min: number, max: number): z.ZodCoercedNumber<unknown> =>
  z.coerce
    .number(`a number of seconds from ${min} to ${max}`)
    .min(min, `a number of seconds from ${min} to ${max}`)
    .max(max, `a number of seconds from ${min} to ${max}`);

/** A secret token: printable ASCII, no spaces (it goes into an HTTP header). */
export const TOKEN: z.ZodString = z.string().regex(
  /^[\x21-\x7e]+$/,
  "a token without spaces or line breaks",
);

/**
 * The retry settings' rows: `--timeout` (falling back to `timeoutEnv`, e.g.
 * W&B's `WANDB_HTTP_TIMEOUT`), `--max-attempts`, `--max-retry-time`.
 */
export function retrySources(
  timeoutEnv?: string,
): { timeoutSeconds: Source; maxAttempts: Source; maxRetrySeconds: Source } {
  return {
    timeoutSeconds: {
      flag: "timeout",
      input: "TIMEOUT",
      ...(timeoutEnv ? { env: timeoutEnv } : {}),
      kind: "string",
      value: "SECONDS",
      help: "Per-request timeout. Default 20.",
    },
    maxAttempts: {
      flag: "max-attempts",
      input: "MAX_ATTEMPTS",
      kind: "string",
      value: "N",
      help: "Attempts per request, counting the first, 1-20. Default 6.",
    },
    maxRetrySeconds: {
      flag: "max-retry-time",
      input: "MAX_RETRY_TIME",
      kind: "string",
      value: "SECONDS",
      help: "Give up retrying after this long in all. Default 60.",
    },
  };
}

/** The retry settings' zod fields and their defaults (20 s, 6 attempts, 60 s). */
export const RETRY_FIELDS: {
  timeoutSeconds: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
  maxAttempts: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
  maxRetrySeconds: z.ZodDefault<z.ZodCoercedNumber<unknown>>;
} = {
  timeoutSeconds: seconds(0.1, 600).default(20),
  maxAttempts: wholeNumber(1, 20).default(6),
  maxRetrySeconds: seconds(0, 3600).default(60),
};

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
export const COMMENT_MODE_SOURCE: Source = {
  flag: "comment-mode",
  input: "COMMENT_MODE",
  kind: "string",
  value: "MODE",
  help: "When to comment: always, changes (only when the report changed), failures, off. " +
    "Default always.",
};

/** The schema of a comment mode. */
export const COMMENT_MODE: z.ZodType<CommentMode, unknown> = z.enum(
  COMMENT_MODES as [CommentMode, ...CommentMode[]],
  COMMENT_MODES.join(", "),
);
