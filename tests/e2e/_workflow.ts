// What the simulated-runner workflow tests share: the caller's grant, the
// tokens GitHub gives each job, one run of wandb-report.yml against the W&B
// emulator and the GitHub server, and a GitHub server for several runs.
import { startEmulator } from "../../lib/emulator/server.ts";
import { EXAMPLE_REPO } from "../_events.ts";
import {
  type FakeComment,
  type FakeCommit,
  type FakeStatus,
  type GithubServer,
  startGithubServer,
} from "../_github_server.ts";
import { API_KEY, SHA, testFixture } from "../_helpers.ts";
import { runWorkflow, type WorkflowRun } from "../_runner.ts";

export const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
export const TOKEN = "ghs_workflowtoken5Jd8Qe2Rt7Yu1Io4Pa9Sd";
export const DEFAULT_BRANCH = "0123456789abcdef0123456789abcdef01234567";
export const FORK_HEAD = "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0";

/** What a caller of the examples' shape grants (see examples/chatops.yml). */
export const PR_CALLER = { contents: "read", "pull-requests": "write", statuses: "write" };

/**
 * The token GitHub gives a job for its effective permissions: one per
 * combination of the two scopes that matter here, so the fake can tell what
 * each job may do (and tests can see which job wrote).
 */
export function tokenFor(permissions: Record<string, string>): string {
  return `ghs_pr-${permissions["pull-requests"] ?? "none"}_st-${permissions.statuses ?? "none"}`;
}

export const TOKENS = Object.fromEntries(
  ["none", "read", "write"].flatMap((pr) =>
    ["none", "read", "write"].map((st) => [
      tokenFor({ "pull-requests": pr, statuses: st }),
      { login: "github-actions[bot]", write: pr === "write", statuses: st === "write" },
    ])
  ),
);

export async function run(
  event: { name: string; payload: unknown },
  opts: {
    inputs?: Record<string, unknown>;
    secrets?: Record<string, string>;
    job?: Record<string, string>;
    privateRepos?: string[];
    readToken?: string;
    baseRefOid?: string;
    commits?: FakeCommit[];
    permissions?: Record<string, string>;
    fixture?: ReturnType<typeof testFixture>;
    github?: GithubServer;
  } = {},
): Promise<WorkflowRun & { comments: FakeComment[]; statuses: FakeStatus[] }> {
  const emulator = await startEmulator({ fixture: opts.fixture ?? testFixture() });
  const github = opts.github ?? await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [
      { number: 7, headRefOid: SHA, headRefName: "feature/aug", baseRefOid: opts.baseRefOid },
      { number: 8, headRefOid: FORK_HEAD, headRefName: "patch-1", fork: "outsider/Hello-World" },
    ],
    tokens: { ...TOKENS, [TOKEN]: { login: "github-actions[bot]", write: true } },
    commits: opts.commits,
  });
  try {
    const result = await runWorkflow({
      workflow: await Deno.readTextFile(`${ROOT}/.github/workflows/wandb-report.yml`),
      toolDir: ROOT,
      github: {
        event_name: event.name,
        event: event.payload,
        sha: DEFAULT_BRANCH,
        repository: EXAMPLE_REPO,
        token: TOKEN,
      },
      inputs: {
        project: "acme/vision",
        "baseline-tags": "['baseline', 'reference']",
        metrics: "accuracy, loss",
        "base-url": emulator.url,
        "app-url": "https://wandb.ai",
        ...opts.inputs,
      },
      secrets: opts.secrets ?? { WANDB_API_KEY: API_KEY },
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_WORKFLOW: "W&B",
      },
      job: opts.job,
      privateRepos: opts.privateRepos,
      readToken: opts.readToken,
      permissions: opts.permissions ?? PR_CALLER,
      tokenFor,
    });
    return { ...result, comments: [...github.comments], statuses: [...github.statuses] };
  } finally {
    if (!opts.github) await github.close();
    await emulator.close();
  }
}

/** A GitHub server with PR 7 for several runs of one test. */
export async function withGithubServer<T>(fn: (github: GithubServer) => Promise<T>): Promise<T> {
  const github = await startGithubServer({
    repo: EXAMPLE_REPO,
    pulls: [{ number: 7, headRefOid: SHA, headRefName: "feature/aug" }],
    tokens: { ...TOKENS, [TOKEN]: { login: "github-actions[bot]", write: true } },
  });
  try {
    return await fn(github);
  } finally {
    await github.close();
  }
}
