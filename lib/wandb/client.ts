/**
 * The W&B GraphQL transport: Basic auth, retries, timeouts, and the mapping
 * of every failure to a typed, actionable error.
 *
 * @module
 */
import { z } from "zod";
import { QueryError, ServerError } from "../ground/errors.ts";
import { decodeData, type Service, statusError, transportError } from "../graphql.ts";
import {
  ResponseTooLarge,
  type RetryDeps,
  type RetryPolicy,
  sendWithRetry,
  TransportFailure,
} from "../ground/retry.ts";
import { basicAuth } from "../ground/redact.ts";
import { graphqlUrl } from "../ground/urls.ts";

/** How to reach W&B. */
export interface WandbClientOptions {
  /** API base URL, e.g. `https://api.wandb.ai`. */
  baseUrl: string;
  /** The API key; sent only in the `Authorization` header. */
  apiKey: string;
  /** Retry and timeout policy. */
  retry: RetryPolicy;
  /** Debug log; receives no secrets. */
  log?: (line: string) => void;
  /** Swap the HTTP layer (tests, benchmarks). */
  deps?: RetryDeps;
  /** `User-Agent` header. */
  userAgent?: string;
}

const EnvelopeSchema = z.object({
  data: z.unknown().optional(),
  errors: z
    .array(z.object({ message: z.string() }).loose())
    .nullish(),
});

/** Traffic counters, for debug output and benchmarks. */
export interface TrafficStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Response body bytes received. */
  responseBytes: number;
}

/**
 * A W&B GraphQL client.
 *
 * @example
 * ```ts ignore
 * import { z } from "zod";
 * import { WandbClient } from "./client.ts";
 * const client = new WandbClient({
 *   baseUrl: "http://127.0.0.1:8080",
 *   apiKey: Deno.env.get("WANDB_API_KEY")!,
 *   retry: { maxAttempts: 6, maxElapsedMs: 60_000, timeoutMs: 20_000 },
 * });
 * const data = await client.query("{ viewer { username } }", {}, z.object({ viewer: z.unknown() }));
 * ```
 */
export class WandbClient {
  readonly #options: WandbClientOptions;
  readonly #url: string;
  readonly #headers: Record<string, string>;
  /** The server's host, for messages. */
  readonly host: string;
  readonly #service: Service;
  /** Requests sent (retries included) and response bytes read. */
  readonly stats: TrafficStats = { requests: 0, responseBytes: 0 };

  /**
   * Creates a client; nothing is sent until {@link WandbClient.query}.
   *
   * @param options where and how to connect
   */
  constructor(options: WandbClientOptions) {
    this.#options = options;
    this.#url = graphqlUrl(options.baseUrl);
    this.#headers = {
      "authorization": `Basic ${basicAuth(options.apiKey)}`,
      "content-type": "application/json",
      "user-agent": options.userAgent ?? "wandb-report",
    };
    this.host = new URL(options.baseUrl).host;
    this.#service = {
      name: "W&B",
      host: this.host,
      credential: "API key",
      fix401: "check WANDB_API_KEY",
      fix403: "the key lacks permission for this project",
      fixRateLimit: "try again later or raise --max-retry-time",
    };
  }

  /**
   * Runs one GraphQL operation and decodes `data` with `schema`.
   *
   * @throws {AuthError} HTTP 401/403
   * @throws {NotFoundError} HTTP 404
   * @throws {QueryError} HTTP 400 or GraphQL `errors` (not retried)
   * @throws {RateLimitError} still HTTP 429 when retries ran out
   * @throws {ServerError} 5xx, dropped connections or an undecodable answer
   * @throws {TimeoutError} no answer within the timeout on the last attempt
   */
  async query<T>(
    document: string,
    variables: Record<string, unknown>,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const request = {
      url: this.#url,
      init: {
        method: "POST",
        body: JSON.stringify({ query: document, variables }),
        headers: this.#headers,
      },
    };
    const deps = this.#options.deps ?? {};
    const countingFetch: typeof fetch = async (input, init) => {
      this.stats.requests++;
      return await (deps.fetch ?? fetch)(input, init);
    };
    let result;
    try {
      result = await sendWithRetry(request, this.#options.retry, {
        ...deps,
        fetch: countingFetch,
        log: this.#options.log,
      });
    } catch (error) {
      if (error instanceof ResponseTooLarge) {
        throw new ServerError(
          `W&B at ${this.host} answered more than ${
            error.limit / 1048576
          } MiB in one response; stopped reading (raise --max-response-mb if that is expected)`,
          undefined,
          { cause: error },
        );
      }
      if (error instanceof TransportFailure) throw transportError(this.#service, error);
      throw error;
    }
    this.stats.responseBytes += result.bytes;
    return this.#decode(result.status, result.body, result.attempts, schema);
  }

  #decode<T>(status: number, text: string, attempts: number, schema: z.ZodType<T>): T {
    let envelope: z.output<typeof EnvelopeSchema> | undefined;
    try {
      const parsed = EnvelopeSchema.safeParse(JSON.parse(text));
      if (parsed.success) envelope = parsed.data;
    } catch {
      // Not JSON: proxies and gateways answer errors in HTML; the status says enough.
    }
    const messages = envelope?.errors?.map((e) => e.message) ?? [];
    const failed = statusError(this.#service, status, messages, attempts) ??
      (messages.length
        ? new QueryError(
          `W&B at ${this.host} rejected the query (HTTP ${status}): ${messages.join("; ")}`,
          status,
          messages,
        )
        : undefined);
    if (failed) throw failed;
    if (envelope === undefined) {
      throw new ServerError(
        `W&B at ${this.host} answered HTTP 200 with a body that is not JSON`,
        200,
      );
    }
    return this.decode(envelope.data, schema, "data");
  }

  /**
   * Decodes part of an answer with `schema`; a mismatch is a {@link ServerError}
   * naming the path, the same as for a whole answer.
   *
   * @param path where `value` sits in the answer, for the message (`data.project`)
   */
  decode<T>(value: unknown, schema: z.ZodType<T>, path: string): T {
    return decodeData(this.#service, value, schema, path);
  }
}
