// A pull request on the fake GitHub, for the tests of what a report posts
// there (status, comment, progress): a writing and a read-only token, and
// the environment a workflow step would have.
import { githubClientFor } from "../lib/github/client.ts";
import type { GitHubClient } from "../lib/github/client.ts";
import { EXAMPLE_REPO } from "./_events.ts";
import { type GithubServer, startGithubServer } from "./_github_server.ts";
import { SHA } from "./_helpers.ts";

/** A token that may write comments and statuses. */
export const WRITER = "ghs_writer3Kd9Lm2Nb7Vc4Xz8Qw1Er5Ty";
/** A token that may only read (a fork PR's). */
export const READER = "ghs_reader8Hj3Kl6Zx1Cv9Bn4Mq7Wp2Ae";

// The workflow's token as a job with and without write permissions gets it.
const TOKENS = {
  [WRITER]: { login: "github-actions[bot]", write: true },
  [READER]: { login: "github-actions[bot]", write: false },
};

/** Runs `fn` with a fake GitHub holding PR #7 with head {@link SHA}; closes it after. */
export async function withGithub<T>(fn: (server: GithubServer) => Promise<T>): Promise<T> {
  const server = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature" }],
    tokens: TOKENS,
  });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** A workflow step's environment against `server`, with `token` as GITHUB_TOKEN. */
export function env(
  server: GithubServer,
  token = WRITER,
  repository = EXAMPLE_REPO,
): Record<string, string> {
  return {
    GITHUB_ACTIONS: "true",
    GITHUB_API_URL: server.url,
    GITHUB_GRAPHQL_URL: `${server.url}/graphql`,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: repository,
    GITHUB_RUN_ID: "4242",
    GITHUB_WORKFLOW: "CI",
    GITHUB_TOKEN: token,
  };
}

/** The repository {@link withRepo} serves. */
export const REPO = { owner: "acme", name: "vision" };

/**
 * Runs `fn` with a fake GitHub of `state` (repository acme/vision, the
 * {@link WRITER} and {@link READER} tokens unless given), its step
 * environment, and our client for the writer; returns the closed server, to
 * look at what was written.
 */
export async function withRepo(
  state: Partial<Parameters<typeof startGithubServer>[0]>,
  fn: (client: GitHubClient, server: GithubServer, env: Record<string, string>) => Promise<void>,
): Promise<GithubServer> {
  const server = await startGithubServer({
    repo: `${REPO.owner}/${REPO.name}`,
    pulls: [],
    tokens: TOKENS,
    ...state,
  });
  try {
    const stepEnv = env(server, WRITER, `${REPO.owner}/${REPO.name}`);
    const retry = { maxAttempts: 2, maxElapsedMs: 5_000, timeoutMs: 5_000, baseDelayMs: 1 };
    await fn(githubClientFor({ env: stepEnv, token: WRITER, retry }), server, stepEnv);
  } finally {
    await server.close();
  }
  return server;
}
