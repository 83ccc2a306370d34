/**
 * HTTP with retries: exponential backoff with jitter, server-directed waits
 * (`Retry-After`, `RateLimit-Reset`), a per-attempt timeout, and bounds on
 * both attempts and total time. Shared by every remote API we talk to.
 *
 * Written here rather than taken from p-retry because the wait must come from
 * the server's headers when it sends them, which p-retry can only add on top
 * of its own backoff.
 *
 * @module
 */

/** How hard to try. */
export interface RetryPolicy {
  /** Attempts in all, counting the first (1 = no retry). */
  maxAttempts: number;
  /** No retry is started once this much time has passed since the first attempt. */
  maxElapsedMs: number;
  /** Per-attempt timeout, covering the response body too. */
  timeoutMs: number;
  /** First backoff; doubles per retry, plus 0–25 % jitter. Default 1000. */
  baseDelayMs?: number;
  /** Cap on one backoff. Default 30,000. */
  maxDelayMs?: number;
  /** Most bytes one response body may have, checked while reading. Default no cap. */
  maxResponseBytes?: number;
}

/** A response body passed {@link RetryPolicy.maxResponseBytes}; not retried. */
export class ResponseTooLarge extends Error {
  /** The cap, in bytes. */
  readonly limit: number;
  /**
   * Creates the error.
   *
   * @param limit the cap that was passed, in bytes
   */
  constructor(limit: number) {
    super(`the response passed ${limit} bytes`);
    this.name = "ResponseTooLarge";
    this.limit = limit;
  }
}

/**
 * Reads a body, giving up (and cancelling the stream) as soon as it passes
 * `limit` bytes: a huge answer never has to fit in memory first.
 */
async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  const length = response.headers.get("content-length");
  const declared = length === null ? NaN : Number(length);
  if (declared > limit) {
    await response.body?.cancel();
    throw new ResponseTooLarge(limit);
  }
  // A declared length within the cap can be read whole, natively; the count
  // below still guards against a server that sends more than it declared.
  if (Number.isFinite(declared)) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > limit) throw new ResponseTooLarge(limit);
    return bytes;
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new ResponseTooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The retry settings as the inputs give them (`--max-attempts`, `--max-retry-time`, `--timeout`). */
export interface RetrySettings {
  /** Attempts in all, counting the first. */
  maxAttempts: number;
  /** Seconds after which no retry starts. */
  maxRetrySeconds: number;
  /** Seconds per attempt. */
  timeoutSeconds: number;
  /** MiB one response may have; no cap when absent. */
  maxResponseMb?: number;
}

/**
 * The one place a {@link RetryPolicy} is built from the inputs' settings.
 *
 * @param baseDelayMs the first backoff (tests shorten it)
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { retryPolicy } from "./retry.ts";
 * const policy = retryPolicy({ maxAttempts: 6, maxRetrySeconds: 60, timeoutSeconds: 20 });
 * assertEquals(policy.maxElapsedMs, 60_000);
 * ```
 */
export function retryPolicy(settings: RetrySettings, baseDelayMs?: number): RetryPolicy {
  return {
    maxAttempts: settings.maxAttempts,
    maxElapsedMs: settings.maxRetrySeconds * 1000,
    timeoutMs: settings.timeoutSeconds * 1000,
    baseDelayMs,
    maxResponseBytes: settings.maxResponseMb === undefined
      ? undefined
      : settings.maxResponseMb * 1048576,
  };
}

/** A completed HTTP exchange, body read in full. */
export interface HttpResult {
  status: number;
  headers: Headers;
  body: string;
  /** Size of the body as received, in bytes. */
  bytes: number;
  /** How many attempts it took. */
  attempts: number;
}

/** Every attempt failed before a response arrived (network error or timeout). */
export class TransportFailure extends Error {
  /** Attempts made. */
  readonly attempts: number;
  /** True when the last attempt timed out rather than failed to connect. */
  readonly timedOut: boolean;
  /**
   * Creates the failure.
   *
   * @param message what failed
   * @param attempts attempts made
   * @param timedOut whether the last one timed out
   * @param options `cause`
   */
  constructor(message: string, attempts: number, timedOut: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = "TransportFailure";
    this.attempts = attempts;
    this.timedOut = timedOut;
  }
}

/** What the caller can swap in (tests, benchmarks). */
export interface RetryDeps {
  /** The HTTP client; default the global `fetch`. */
  fetch?: typeof fetch;
  /** Debug lines; must never be given secrets, and is not. */
  log?: (line: string) => void;
  /** Waits between attempts; default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** A monotonic clock in ms, for the retry budget; default `performance.now`. */
  now?: () => number;
  /** Jitter source in [0, 1); default `Math.random`. */
  random?: () => number;
  /**
   * A service's own signs that a status is worth retrying, beside the
   * generic ones (GitHub's rate-limit 403).
   */
  retryable?: (status: number, headers: Headers) => boolean;
  /** A service's own header for how long to wait, beside `Retry-After` and `RateLimit-Reset`. */
  serverDelay?: (headers: Headers) => number | undefined;
  /**
   * The wall clock, in epoch ms, that an HTTP date (`Retry-After: <date>`) is
   * read against. Default `Date.now` (tests pin it).
   */
  wallClock?: () => number;
  /** Told of every retry before its wait (progress lines show them without `--debug`). */
  onRetry?: (retry: { attempt: number; of: number; delayMs: number; reason: string }) => void;
}

/** One request as {@link sendWithRetry} sends it on every attempt. */
export interface RequestSpec {
  /** Where to. */
  url: string;
  /** Method, headers and a reusable (string) body; the timeout signal is added per attempt. */
  init: RequestInit;
}

// Retrying the others cannot help: the same request gets the same answer.
const RETRYABLE = (status: number) =>
  status === 408 || status === 425 || status === 429 || (status >= 500 && status !== 501);

/**
 * Sends a request, retrying transport failures and retryable statuses
 * (408, 425, 429, 5xx but 501, and whatever `deps.retryable` adds) within the policy. Returns the final response
 * whatever its status; throws {@link TransportFailure} if none ever arrived.
 *
 * @param request what to send on every attempt; its body must be reusable (a string)
 *
 * @example
 * ```ts ignore
 * import { sendWithRetry } from "./retry.ts";
 * const result = await sendWithRetry(
 *   { url: "http://127.0.0.1:8080/graphql", init: { method: "POST", body: "{}" } },
 *   { maxAttempts: 5, maxElapsedMs: 60_000, timeoutMs: 20_000 },
 * );
 * console.log(result.status, result.attempts);
 * ```
 */
export async function sendWithRetry(
  request: RequestSpec,
  policy: RetryPolicy,
  deps: RetryDeps = {},
): Promise<HttpResult> {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const now = deps.now ?? (() => performance.now());
  const random = deps.random ?? Math.random;
  const log = deps.log ?? (() => {});
  const started = now();

  for (let attempt = 1;; attempt++) {
    let outcome: HttpResult | Error;
    const signal = AbortSignal.timeout(policy.timeoutMs);
    try {
      // Straight to fetch, which builds the one Request itself (a Request of
      // ours would be copied into a second one on every call).
      const response = await doFetch(request.url, { ...request.init, signal });
      const bytes = await readLimited(response, policy.maxResponseBytes ?? Infinity);
      outcome = {
        status: response.status,
        headers: response.headers,
        body: new TextDecoder().decode(bytes),
        bytes: bytes.byteLength,
        attempts: attempt,
      };
    } catch (error) {
      // Asking again would bring the same oversized answer, or the same refusal.
      if (error instanceof ResponseTooLarge || error instanceof Deno.errors.NotCapable) throw error;
      outcome = error instanceof Error ? error : new Error(String(error));
    }

    const timedOut = outcome instanceof Error && signal.aborted;
    const retryable = outcome instanceof Error || RETRYABLE(outcome.status) ||
      (deps.retryable?.(outcome.status, outcome.headers) ?? false);
    if (!retryable) return outcome as HttpResult;

    const reason = outcome instanceof Error
      ? (timedOut ? `no answer within ${policy.timeoutMs / 1000} s` : outcome.message)
      : `HTTP ${outcome.status}`;
    const directed = outcome instanceof Error ? undefined : latest(
      serverDelayMs(outcome.headers, deps.wallClock),
      deps.serverDelay?.(outcome.headers),
    );
    const backoff = Math.min(
      (policy.baseDelayMs ?? 1000) * 2 ** (attempt - 1) * (1 + 0.25 * random()),
      policy.maxDelayMs ?? 30_000,
    );
    const delay = directed ?? backoff;
    const elapsed = now() - started;
    const giveUp = attempt >= policy.maxAttempts
      ? `after ${attempt} attempt${attempt === 1 ? "" : "s"}`
      : elapsed + delay > policy.maxElapsedMs
      ? `after ${attempt} attempt${attempt === 1 ? "" : "s"}: the next wait (${
        seconds(delay)
      } s) would pass the ${seconds(policy.maxElapsedMs)} s retry budget`
      : undefined;
    if (giveUp !== undefined) {
      if (outcome instanceof Error) {
        throw new TransportFailure(`${reason}, ${giveUp}`, attempt, timedOut, { cause: outcome });
      }
      log(`giving up ${giveUp} (${reason})`);
      return outcome;
    }
    log(
      `attempt ${attempt} failed (${reason}); retrying in ${seconds(delay)} s${
        directed === undefined ? "" : " as the server asked"
      }`,
    );
    deps.onRetry?.({ attempt, of: policy.maxAttempts, delayMs: delay, reason });
    await sleep(delay);
  }
}

function latest(...waits: (number | undefined)[]): number | undefined {
  const given = waits.filter((w): w is number => w !== undefined);
  return given.length ? Math.max(...given) : undefined;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

/**
 * The wait a server asked for: `Retry-After` (seconds or an HTTP date) or
 * `RateLimit-Reset` (seconds until the quota resets, W&B's header),
 * whichever is later.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { serverDelayMs } from "./retry.ts";
 * assertEquals(serverDelayMs(new Headers({ "RateLimit-Reset": "2" })), 2000);
 * ```
 */
export function serverDelayMs(
  headers: Headers,
  wallClock: () => number = Date.now,
): number | undefined {
  const waits: number[] = [];
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) waits.push(Number(retryAfter) * 1000);
    else if (!Number.isNaN(Date.parse(retryAfter))) {
      waits.push(Math.max(0, Date.parse(retryAfter) - wallClock()));
    }
  }
  const reset = headers.get("ratelimit-reset")?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) waits.push(Number(reset) * 1000);
  return waits.length ? Math.max(...waits) : undefined;
}
