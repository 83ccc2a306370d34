/**
 * GitHub's GraphQL API through `@octokit/graphql`, and the few REST calls
 * GraphQL has no mutation for (commit statuses) through `@octokit/request`,
 * both sent with our retry policy (the same as for W&B: secondary rate limits
 * included) and with every failure mapped to the typed errors of `errors.ts`.
 *
 * @module
 */
import { graphql, GraphqlResponseError } from "@octokit/graphql";
import { request } from "@octokit/request";
import { z } from "zod";
import {
  AuthError,
  InvalidInputError,
  NotFoundError,
  QueryError,
  RateLimitError,
} from "../ground/errors.ts";
import { decodeData, type Service, statusError, transportError } from "../graphql.ts";
import {
  type RetryDeps,
  type RetryPolicy,
  sendWithRetry,
  TransportFailure,
} from "../ground/retry.ts";

/**
 * Whether a 403 is GitHub's way of saying "rate limited" rather than
 * "forbidden": `x-ratelimit-remaining: 0` (primary limit) or a
 * `retry-after` (secondary limit). A plain 403 is a permission problem.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { isRateLimited403 } from "./client.ts";
 * assertEquals(isRateLimited403(new Headers({ "x-ratelimit-remaining": "0" })), true);
 * ```
 */
export function isRateLimited403(headers: Headers): boolean {
  return headers.get("x-ratelimit-remaining")?.trim() === "0" || headers.has("retry-after");
}

/** GitHub's `x-ratelimit-reset` (epoch seconds), read when the quota is spent. */
function resetDelayMs(headers: Headers): number | undefined {
  const epoch = headers.get("x-ratelimit-reset")?.trim();
  if (headers.get("x-ratelimit-remaining")?.trim() !== "0" || !epoch || !/^\d+$/.test(epoch)) {
    return undefined;
  }
  return Math.max(0, Number(epoch) * 1000 - Date.now());
}

/** How to reach GitHub. */
export interface GitHubClientOptions {
  /** The token (`GITHUB_TOKEN` or a PAT); sent only in the `Authorization` header. */
  token: string;
  /** The GraphQL endpoint, see {@link githubGraphqlUrl}. */
  url: string;
  /** The REST API's base, see {@link githubApiUrl}. Default: github.com's. */
  restUrl?: string;
  /** Retry and timeout policy. */
  retry: RetryPolicy;
  /** Debug log; receives no secrets. */
  log?: (line: string) => void;
  /** Swap the HTTP layer (tests). */
  deps?: RetryDeps;
}

/**
 * The GraphQL endpoint from the runner's variables: `GITHUB_GRAPHQL_URL` if
 * set, else derived from `GITHUB_API_URL` (GitHub Enterprise Server's
 * `https://host/api/v3` becomes `https://host/api/graphql`), else github.com.
 *
 * @example
 * ```ts
 * import { githubGraphqlUrl } from "./client.ts";
 * githubGraphqlUrl({ GITHUB_API_URL: "https://ghe.example.com/api/v3" });
 * // "https://ghe.example.com/api/graphql"
 * ```
 */
export function githubGraphqlUrl(env: Readonly<Record<string, string | undefined>>): string {
  if (env.GITHUB_GRAPHQL_URL) return httpUrl("GITHUB_GRAPHQL_URL", env.GITHUB_GRAPHQL_URL);
  const api = githubApiUrl(env);
  return /\/api\/v3$/.test(api) ? api.replace(/\/api\/v3$/, "/api/graphql") : `${api}/graphql`;
}

/**
 * The REST API's base from the runner's variables: `GITHUB_API_URL`, else
 * github.com's (GitHub Enterprise Server's is `https://host/api/v3`).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { githubApiUrl } from "./client.ts";
 * assertEquals(githubApiUrl({}), "https://api.github.com");
 * ```
 */
export function githubApiUrl(env: Readonly<Record<string, string | undefined>>): string {
  if (!env.GITHUB_API_URL) return "https://api.github.com";
  return httpUrl("GITHUB_API_URL", env.GITHUB_API_URL).replace(/\/+$/, "");
}

/**
 * A runner's URL variable, checked: an http(s) URL, or an input error
 * naming the variable (a `javascript:` or `file:` URL is never retried as a
 * server that failed).
 */
function httpUrl(name: string, value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new InvalidInputError(name, "an http:// or https:// URL", value);
  }
  return value;
}

/**
 * The GitHub client of a command: its GraphQL and REST endpoints read from
 * the runner's variables (`GITHUB_GRAPHQL_URL`, `GITHUB_API_URL`, checked),
 * built in this one place for every command.
 *
 * @example
 * ```ts ignore
 * import { githubClientFor } from "./client.ts";
 * const github = githubClientFor({
 *   env: Deno.env.toObject(),
 *   token: Deno.env.get("GITHUB_TOKEN")!,
 *   retry: { maxAttempts: 6, maxElapsedMs: 60_000, timeoutMs: 20_000 },
 * });
 * ```
 */
export function githubClientFor(options: {
  /** The environment: `GITHUB_GRAPHQL_URL`, `GITHUB_API_URL`. */
  env: Readonly<Record<string, string | undefined>>;
  /** The token. */
  token: string;
  /** How requests are retried. */
  retry: RetryPolicy;
  /** Debug log (never given secrets). */
  log?: (line: string) => void;
  /** Swap the HTTP layer (tests). */
  http?: RetryDeps;
}): GitHubClient {
  return new GitHubClient({
    token: options.token,
    url: githubGraphqlUrl(options.env),
    restUrl: githubApiUrl(options.env),
    retry: options.retry,
    log: options.log,
    deps: options.http,
  });
}

const GraphqlErrorSchema = z.object({
  type: z.string().optional(),
  message: z.string(),
}).loose();

/**
 * A GitHub GraphQL client.
 *
 * @example
 * ```ts ignore
 * import { z } from "zod";
 * import { GitHubClient } from "./client.ts";
 * const github = new GitHubClient({
 *   token: Deno.env.get("GITHUB_TOKEN")!,
 *   url: "https://api.github.com/graphql",
 *   retry: { maxAttempts: 6, maxElapsedMs: 60_000, timeoutMs: 20_000 },
 * });
 * const data = await github.query("{ viewer { login } }", {}, z.object({ viewer: z.unknown() }));
 * ```
 */
export class GitHubClient {
  readonly #service: Service;
  readonly #onceFetch: typeof fetch;
  readonly #graphql: typeof graphql;
  readonly #request: typeof request;
  /** Requests sent, retries included. */
  readonly stats = { requests: 0 };

  /**
   * Creates a client; nothing is sent until {@link GitHubClient.query}.
   *
   * @param options where and how to connect
   */
  constructor(options: GitHubClientOptions) {
    this.#service = {
      name: "GitHub",
      host: new URL(options.url).host,
      credential: "token",
      fix401: "check GITHUB_TOKEN",
      fix403: "the token lacks a permission this needs",
      fixRateLimit: "retries ran out; try again later",
    };
    const deps = options.deps ?? {};
    // octokit builds the request; our transport sends it with retries and
    // hands octokit the final response, whatever its status.
    const fetchWith = (retry: RetryPolicy): typeof fetch => async (input, init) => {
      // octokit passes a URL and an init with a string body, which every
      // attempt can send again; a Request's body could be read only once.
      if (input instanceof Request) {
        throw new TypeError("expected a URL and an init, not a Request");
      }
      const result = await sendWithRetry(
        { url: String(input), init: init ?? {} },
        retry,
        {
          ...deps,
          log: options.log,
          retryable: (status, headers) => status === 403 && isRateLimited403(headers),
          serverDelay: resetDelayMs,
          fetch: (request, extra) => {
            this.stats.requests++;
            return (deps.fetch ?? fetch)(request, extra);
          },
        },
      );
      return new Response(result.body, { status: result.status, headers: result.headers });
    };
    const retryingFetch = fetchWith(options.retry);
    // A mutation that is not safe to send twice (adding a comment) goes once:
    // the caller looks for what it wrote before sending it again.
    this.#onceFetch = fetchWith({ ...options.retry, maxAttempts: 1 });
    const headers = { authorization: `token ${options.token}`, "user-agent": "wandb-report" };
    this.#graphql = graphql.defaults({
      url: options.url,
      headers,
      request: { fetch: retryingFetch },
    });
    this.#request = request.defaults({
      baseUrl: options.restUrl ?? "https://api.github.com",
      headers: { ...headers, "x-github-api-version": "2022-11-28" },
      request: { fetch: retryingFetch },
    });
  }

  /**
   * Sends one REST request (a route such as
   * `POST /repos/{owner}/{repo}/statuses/{sha}`) and decodes the answer's
   * body with `schema`.
   *
   * @throws {AuthError} a rejected token (401) or missing permission (403)
   * @throws {NotFoundError} HTTP 404
   * @throws {RateLimitError} still rate limited when retries ran out
   * @throws {ServerError} 5xx, dropped connections or an undecodable answer
   * @throws {QueryError} any other status (422: GitHub refused the values)
   */
  async rest<T>(
    route: string,
    parameters: Record<string, unknown>,
    schema: z.ZodType<T>,
  ): Promise<T> {
    let data: unknown;
    try {
      data = (await this.#request(route, parameters)).data;
    } catch (error) {
      throw this.#typed(error);
    }
    return decodeData(this.#service, data, schema, "body");
  }

  /**
   * Runs one GraphQL operation and decodes `data` with `schema`.
   *
   * @throws {AuthError} a rejected token (401) or missing permission (403, `FORBIDDEN`)
   * @throws {NotFoundError} HTTP 404 or a `NOT_FOUND` GraphQL error (no such PR)
   * @throws {RateLimitError} still rate limited when retries ran out
   * @throws {ServerError} 5xx, dropped connections or an undecodable answer
   * @throws {QueryError} any other GraphQL error
   *
   * With `once`, the operation is sent one time, never retried (a mutation
   * whose effect a retry could repeat).
   */
  async query<T>(
    document: string,
    variables: Record<string, unknown>,
    schema: z.ZodType<T>,
    options: { once?: boolean } = {},
  ): Promise<T> {
    let data: unknown;
    try {
      data = await this.#graphql(
        document,
        options.once ? { ...variables, request: { fetch: this.#onceFetch } } : variables,
      );
    } catch (error) {
      throw this.#typed(error);
    }
    return decodeData(this.#service, data, schema, "data");
  }

  #typed(error: unknown): Error {
    const host = this.#service.host;
    if (error instanceof GraphqlResponseError) {
      const errors = z.array(GraphqlErrorSchema).catch([]).parse(error.errors);
      const said = errors.map((e) => e.message).join("; ");
      const types = new Set(errors.map((e) => e.type));
      if (types.has("NOT_FOUND")) return new NotFoundError(`GitHub at ${host}: ${said}`, 200);
      if (types.has("FORBIDDEN")) {
        return new AuthError(
          `GitHub at ${host} refused access: ${said}; the token lacks a permission this needs`,
          200,
        );
      }
      if (types.has("RATE_LIMITED")) {
        return new RateLimitError(`GitHub at ${host} is rate limiting us: ${said}`, 200);
      }
      return new QueryError(
        `GitHub at ${host} rejected the query: ${said}`,
        200,
        errors.map((e) => e.message),
      );
    }
    const failure = error as {
      status?: number;
      cause?: unknown;
      response?: { headers?: object; data?: unknown };
    };
    if (failure.cause instanceof TransportFailure) {
      return transportError(this.#service, failure.cause);
    }
    const status = typeof failure.status === "number" ? failure.status : undefined;
    if (status === undefined) return error instanceof Error ? error : new Error(String(error));
    const headers = new Headers(
      Object.entries(failure.response?.headers ?? {}).map(([k, v]) => [k, String(v)]),
    );
    // GitHub's own rule: a 403 with the rate-limit headers is a rate limit.
    // A REST answer's own words ("description is too long"), kept for the message.
    const said = z.object({ message: z.string() }).loose().safeParse(failure.response?.data);
    return statusError(
      this.#service,
      status === 403 && isRateLimited403(headers) ? 429 : status,
      said.success ? [said.data.message] : [],
      1,
    ) ??
      new QueryError(`GitHub at ${host} answered HTTP ${status}`, status);
  }
}
