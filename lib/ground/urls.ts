/**
 * W&B URLs: the GraphQL endpoint, the web app URL derived from the API URL,
 * and run links, exactly as the W&B SDK derives them so that self-hosted
 * servers get working links.
 *
 * @module
 */

/** The public W&B API. */
export const DEFAULT_BASE_URL = "https://api.wandb.ai";

/**
 * The GraphQL endpoint of a W&B API base URL.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { graphqlUrl } from "./urls.ts";
 * assertEquals(graphqlUrl("https://api.wandb.ai/"), "https://api.wandb.ai/graphql");
 * ```
 */
export function graphqlUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/graphql`;
}

/**
 * The web app URL for an API base URL, exactly as the W&B SDK's
 * `api_to_app_url` derives it: `api.wandb.test` becomes `app.wandb.test`; any
 * other `api.wandb.<tld>` loses its `api.`; any other `api.` host becomes
 * `app.`; anything else (e.g. a self-hosted `http://localhost:8080`) is
 * unchanged.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { appUrlFor } from "./urls.ts";
 * assertEquals(appUrlFor("https://api.wandb.ai"), "https://wandb.ai");
 * assertEquals(appUrlFor("https://api.wandb.cn"), "https://wandb.cn");
 * assertEquals(appUrlFor("https://api.wandb.test"), "https://app.wandb.test");
 * assertEquals(appUrlFor("https://api.acme.com"), "https://app.acme.com");
 * assertEquals(appUrlFor("http://localhost:8080"), "http://localhost:8080");
 * ```
 */
export function appUrlFor(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  const host = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/api\.(wandb\.(test)?)?/.exec(base);
  if (!host) return base;
  return base.replace("://api.", host[1] && !host[2] ? "://" : "://app.");
}

const PLAIN = /^[A-Za-z0-9_.~-]*$/;

// Python's quote(s, safe="") leaves only letters, digits and `_.-~` unescaped;
// encodeURIComponent also leaves `!'()*`, so those are escaped by hand.
function quote(segment: string): string {
  // Run ids are almost always plain: one test spares the encoding (once per run).
  if (PLAIN.test(segment)) return segment;
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Everything of a run link but the run id: `{app}/{entity}/{project}/runs/`,
 * each segment percent-encoded. For building many links at once.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { runUrlPrefix } from "./urls.ts";
 * assertEquals(runUrlPrefix("https://wandb.ai/", "my team", "proj"), "https://wandb.ai/my%20team/proj/runs/");
 * ```
 */
export function runUrlPrefix(appUrl: string, entity: string, project: string): string {
  return `${appUrl.replace(/\/+$/, "")}/${quote(entity)}/${quote(project)}/runs/`;
}

/**
 * The link to a run's page: `{app}/{entity}/{project}/runs/{run id}`, each
 * segment percent-encoded.
 *
 * @example
 * ```ts
 * import { runUrl } from "./urls.ts";
 * runUrl("https://wandb.ai", "my-team", "my-proj", "a1b2cdef");
 * // "https://wandb.ai/my-team/my-proj/runs/a1b2cdef"
 * ```
 */
export function runUrl(appUrl: string, entity: string, project: string, runId: string): string {
  return runUrlPrefix(appUrl, entity, project) + quote(runId);
}

/** Percent-encodes a run id as {@link runUrl} does. */
export function quoteRunId(runId: string): string {
  return quote(runId);
}
