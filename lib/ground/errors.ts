/**
 * The typed errors every layer of wandb-report throws, and the one place that
 * maps them to process exit codes.
 *
 * Messages are written for the person reading a CI log: they say what failed
 * and what to do about it, and never contain a secret.
 *
 * @module
 */

/** Base class of every error this package throws on purpose. */
export class WandbReportError extends Error {
  /**
   * Creates the error.
   *
   * @param message a one-line, user-actionable message (no secrets)
   * @param options standard `ErrorOptions` (`cause`)
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An input (flag, `INPUT_*` or `WANDB_*` variable, fixture) is missing or malformed.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { InvalidInputError } from "./errors.ts";
 * const err = new InvalidInputError("--page-size", "a whole number from 1 to 1000", "x");
 * assertEquals(err.message, '--page-size: expected a whole number from 1 to 1000, got "x"');
 * ```
 */
export class InvalidInputError extends WandbReportError {
  /** The input's name as the user wrote it (`--sha`, `INPUT_FILTER_GITHUB_SHA`, …). */
  readonly input: string;
  /**
   * Creates the error; the message is built from the parts.
   *
   * @param input the name of the offending input
   * @param expected what a valid value looks like
   * @param got a short rendering of the value received (omit for secrets)
   * @param reason what exactly is wrong with it, when `expected` alone does not say
   */
  constructor(input: string, expected: string, got?: string, reason?: string) {
    const shown = got === undefined ? "" : `, got ${JSON.stringify(clip(got))}`;
    super(`${input}: expected ${expected}${shown}${reason ? ` (${reason})` : ""}`);
    this.input = input;
  }
}

/** Keeps an echoed value short enough for a one-line message. */
function clip(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

/** Base class of failures reported by a remote API (W&B, GitHub) after retries. */
export class ApiError extends WandbReportError {
  /** HTTP status, when the failure had one. */
  readonly status?: number;
  /**
   * Creates the error.
   *
   * @param message a one-line message
   * @param status the HTTP status, if any
   * @param options standard `ErrorOptions`
   */
  constructor(message: string, status?: number, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

/**
 * The API key was rejected (HTTP 401) or lacks permission (403).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { ApiError, AuthError } from "./errors.ts";
 * const error = new AuthError("W&B rejected the API key (HTTP 401): check WANDB_API_KEY", 401);
 * assertEquals(error instanceof ApiError, true);
 * ```
 */
export class AuthError extends ApiError {}

/**
 * The project or run does not exist or is not visible to this key.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { ApiError, NotFoundError } from "./errors.ts";
 * const error = new NotFoundError("W&B project acme/vision not found or not visible to this API key");
 * assertEquals(error instanceof ApiError, true);
 * ```
 */
export class NotFoundError extends ApiError {}

/**
 * Still rate limited (HTTP 429) when the retry budget ran out.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { ApiError, RateLimitError } from "./errors.ts";
 * const error = new RateLimitError("W&B rate limit: still HTTP 429 after 5 attempts", 429);
 * assertEquals(error instanceof ApiError, true);
 * ```
 */
export class RateLimitError extends ApiError {}

/**
 * The server failed (5xx), the connection dropped, or a request timed out,
 * and retries did not help.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { ApiError, ServerError } from "./errors.ts";
 * const error = new ServerError("W&B server error: HTTP 503 after 5 attempts", 503);
 * assertEquals(error instanceof ApiError, true);
 * ```
 */
export class ServerError extends ApiError {}

/**
 * A request did not answer within the per-request timeout, on every attempt.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { ApiError, TimeoutError } from "./errors.ts";
 * const error = new TimeoutError("W&B did not answer within 20 s (3 attempts)");
 * assertEquals(error instanceof ApiError, true);
 * ```
 */
export class TimeoutError extends ServerError {}

/**
 * The server answered but refused the query itself: HTTP 400 or GraphQL
 * `errors` in the response. Not retried: sending it again gives the same answer.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { ApiError, QueryError } from "./errors.ts";
 * const error = new QueryError("W&B rejected the query: Cannot query field \"x\" on type \"Run\"", 400);
 * assertEquals(error instanceof ApiError, true);
 * ```
 */
export class QueryError extends ApiError {
  /** The server's error messages, verbatim. */
  readonly messages: string[];
  /**
   * Creates the error.
   *
   * @param message a one-line summary
   * @param status the HTTP status (200 for GraphQL errors in a 200 response)
   * @param messages the server's messages
   */
  constructor(message: string, status: number, messages: string[] = []) {
    super(message, status);
    this.messages = messages;
  }
}

/** Exit codes shared by every task (see the README). */
export const ExitCode = {
  /** Done; the report may still say there are no finished runs yet. */
  ok: 0,
  /** A gate or completeness requirement failed; outputs are still written. */
  gateFailed: 1,
  /** Invalid input; a one-line message names the input. */
  invalidInput: 2,
  /** A remote API failed for good (auth, not found, rate limit, server). */
  apiFailed: 3,
  /** A bug in wandb-report itself. */
  internal: 70,
} as const;

/**
 * The input error for a permission Deno refused (`Deno.errors.NotCapable`):
 * one line naming the flag to add, instead of a stack trace.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { permissionError } from "./errors.ts";
 * const refused = new Deno.errors.NotCapable(
 *   'Requires net access to "api.wandb.ai:443", run again with the --allow-net flag',
 * );
 * assertEquals(
 *   permissionError(refused).message,
 *   'permissions: expected --allow-net on the deno run command (it needs net access to "api.wandb.ai:443")',
 * );
 * ```
 */
export function permissionError(error: Error): InvalidInputError {
  const flag = error.message.match(/--allow-[a-z-]+/)?.[0] ?? "the permission Deno asked for";
  const what = error.message.match(/^Requires (.*?)(?:, run again|$)/)?.[1];
  return new InvalidInputError(
    "permissions",
    `${flag} on the deno run command`,
    undefined,
    what ? `it needs ${what}` : error.message,
  );
}

/**
 * Maps any thrown value to the process exit code, the single place that does so.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { exitCodeFor, InvalidInputError } from "./errors.ts";
 * assertEquals(exitCodeFor(new InvalidInputError("--sha", "hex")), 2);
 * ```
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof InvalidInputError) return ExitCode.invalidInput;
  if (error instanceof Deno.errors.NotCapable) return ExitCode.invalidInput;
  if (error instanceof ApiError) return ExitCode.apiFailed;
  return ExitCode.internal;
}
