/**
 * What W&B's and GitHub's GraphQL clients share: the one table from an HTTP
 * status (or a request that never got an answer) to a typed error, and the
 * decoding of `data` with a zod schema. Each client names its service and
 * the fixes a user can make; the rules are the same for both.
 *
 * @module
 */
import type { z } from "zod";
import {
  type ApiError,
  AuthError,
  NotFoundError,
  QueryError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "./ground/errors.ts";
import type { TransportFailure } from "./ground/retry.ts";
import { parseWith } from "./ground/parse.ts";

/** A GraphQL service as the messages name it, with what the user can do about each failure. */
export interface Service {
  /** `W&B` or `GitHub`. */
  name: string;
  /** The host, e.g. `api.wandb.ai`. */
  host: string;
  /** What the credential is called (`API key`, `token`). */
  credential: string;
  /** What to check on HTTP 401. */
  fix401: string;
  /** What a 403 means. */
  fix403: string;
  /** What to do when still rate limited after the retries. */
  fixRateLimit: string;
}

/**
 * The typed error for a final HTTP status other than 200, or `undefined` for
 * 200: 401 and 403 are {@link AuthError}, 404 {@link NotFoundError}, 429
 * {@link RateLimitError}, 5xx {@link ServerError}, any other
 * {@link QueryError} (not retried: the same request gets the same answer).
 *
 * @param said the server's messages, joined (`""` when none)
 * @param attempts how many attempts it took
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { RateLimitError } from "./ground/errors.ts";
 * import { statusError } from "./graphql.ts";
 * const service = {
 *   name: "W&B", host: "api.wandb.ai", credential: "API key", fix401: "check WANDB_API_KEY",
 *   fix403: "the key lacks permission", fixRateLimit: "try again later",
 * };
 * assertEquals(statusError(service, 429, [], 3) instanceof RateLimitError, true);
 * assertEquals(statusError(service, 200, [], 1), undefined);
 * ```
 */
export function statusError(
  service: Service,
  status: number,
  messages: readonly string[],
  attempts: number,
): ApiError | undefined {
  const at = `${service.name} at ${service.host}`;
  const said = messages.length ? `: ${messages.join("; ")}` : "";
  const after = attempts > 1 ? ` after ${attempts} attempts` : "";
  if (status === 200) return undefined;
  if (status === 401) {
    return new AuthError(
      `${at} rejected the ${service.credential} (HTTP 401${said}); ${service.fix401}`,
      status,
    );
  }
  if (status === 403) {
    return new AuthError(`${at} refused access (HTTP 403${said}); ${service.fix403}`, status);
  }
  if (status === 404) return new NotFoundError(`${at} answered HTTP 404${said}`, status);
  if (status === 429) {
    return new RateLimitError(
      `${at} is rate limiting us (HTTP 429)${after}; ${service.fixRateLimit}`,
      status,
    );
  }
  if (status >= 500) {
    return new ServerError(`${at} failed with HTTP ${status}${after}${said}`, status);
  }
  return new QueryError(`${at} rejected the query (HTTP ${status})${said}`, status, [...messages]);
}

/**
 * The error for a request that never got an answer: {@link TimeoutError}
 * when the last attempt timed out, {@link ServerError} otherwise.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { TimeoutError } from "./ground/errors.ts";
 * import { transportError } from "./graphql.ts";
 * import { TransportFailure } from "./ground/retry.ts";
 * const failure = new TransportFailure("no answer within 20 s, after 6 attempts", 6, true);
 * const service = {
 *   name: "GitHub", host: "api.github.com", credential: "token", fix401: "", fix403: "",
 *   fixRateLimit: "",
 * };
 * assertEquals(transportError(service, failure) instanceof TimeoutError, true);
 * ```
 */
export function transportError(service: Service, failure: TransportFailure): ServerError {
  const Type = failure.timedOut ? TimeoutError : ServerError;
  return new Type(
    `${service.name} at ${service.host} could not be reached: ${failure.message}`,
    undefined,
    {
      cause: failure,
    },
  );
}

/**
 * Decodes (part of) an answer with `schema`; a mismatch is a
 * {@link ServerError} naming the path, for either service.
 *
 * @param path where `value` sits in the answer (`data`, `data.project`)
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { z } from "zod";
 * import { decodeData } from "./graphql.ts";
 * const service = {
 *   name: "W&B", host: "h", credential: "API key", fix401: "", fix403: "", fixRateLimit: "",
 * };
 * assertEquals(decodeData(service, { n: 1 }, z.object({ n: z.number() }), "data"), { n: 1 });
 * ```
 */
export function decodeData<T>(
  service: Service,
  value: unknown,
  schema: z.ZodType<T>,
  path: string,
): T {
  return parseWith(schema, value, (problem) =>
    new ServerError(
      `${service.name} at ${service.host} answered in an unexpected shape at ${
        [path, problem.path].filter(Boolean).join(".")
      }: ${problem.message}`,
      200,
    ));
}
