// Event payloads for tests, taken from GitHub's own examples
// (@octokit/webhooks-examples) and adjusted per case.
import examples from "@octokit/webhooks-examples" with { type: "json" };

type Example = Record<string, unknown> & { action?: string };

/** Every example GitHub gives of event `name`, as published (not copied: read them only). */
export function examplesOf(name: string): Example[] {
  const found = (examples as { name: string; examples: Example[] }[]).find((e) => e.name === name);
  if (!found) throw new Error(`no ${name} example in @octokit/webhooks-examples`);
  return found.examples;
}

/** A deep copy of GitHub's first example of `name` (with `action`, if given). */
export function exampleEvent(name: string, action?: string): Example {
  const example = examplesOf(name).find((e) => action === undefined || e.action === action);
  if (!example) throw new Error(`no ${name}.${action} example`);
  return structuredClone(example);
}

/**
 * An `issue_comment` payload. GitHub's examples are all on issues, so a
 * comment on a PR gets the `issue.pull_request` object GitHub adds for PRs.
 */
export function commentEvent(opts: {
  body: string;
  association?: string;
  action?: "created" | "edited" | "deleted";
  onPullRequest?: boolean;
  number?: number;
  login?: string;
}): Example {
  const event = exampleEvent("issue_comment", opts.action ?? "created") as {
    issue: Record<string, unknown>;
    comment: Record<string, unknown> & { user: Record<string, unknown> };
    repository: { full_name: string; html_url: string };
  };
  const number = opts.number ?? 7;
  event.issue.number = number;
  if (opts.onPullRequest ?? true) {
    const api = `https://api.github.com/repos/${event.repository.full_name}/pulls/${number}`;
    event.issue.pull_request = {
      url: api,
      html_url: `${event.repository.html_url}/pull/${number}`,
      diff_url: `${event.repository.html_url}/pull/${number}.diff`,
      patch_url: `${event.repository.html_url}/pull/${number}.patch`,
      merged_at: null,
    };
  } else {
    delete event.issue.pull_request;
  }
  event.comment.body = opts.body;
  event.comment.author_association = opts.association ?? "COLLABORATOR";
  if (opts.login) event.comment.user.login = opts.login;
  return event as unknown as Example;
}

/** The repository GitHub's examples use. */
export const EXAMPLE_REPO = "Codertocat/Hello-World";

/**
 * A `workflow_run` payload (the user's training workflow completed) for a
 * head commit: from a fork (`pull_requests` empty, `head_repository` the
 * fork, as GitHub sends it) or from this repository's branch (its PRs listed).
 */
export function workflowRunEvent(opts: {
  headSha: string;
  fork?: string;
  pullRequests?: {
    number: number;
    head: string;
    base: string;
    baseRepoId?: number;
    ref?: string;
  }[];
  headBranch?: string;
}): Example {
  const event = exampleEvent("workflow_run", "completed") as {
    repository: Record<string, unknown>;
    workflow_run: Record<string, unknown> & {
      repository: Record<string, unknown>;
      head_repository: Record<string, unknown>;
    };
  };
  event.repository.full_name = EXAMPLE_REPO;
  event.workflow_run.repository.full_name = EXAMPLE_REPO;
  event.workflow_run.head_repository.full_name = opts.fork ?? EXAMPLE_REPO;
  event.workflow_run.head_sha = opts.headSha;
  event.workflow_run.name = "Train";
  event.workflow_run.event = "pull_request";
  if (opts.headBranch !== undefined) event.workflow_run.head_branch = opts.headBranch;
  // As GitHub sends them: each side's repository with its id and API URL.
  const here = { id: event.repository.id as number, url: event.repository.url as string };
  event.workflow_run.pull_requests = (opts.pullRequests ?? []).map((pr) => ({
    number: pr.number,
    head: { sha: pr.head, ref: pr.ref ?? "feature", repo: { ...here, name: "Hello-World" } },
    base: {
      sha: pr.base,
      ref: "main",
      repo: pr.baseRepoId === undefined ? { ...here, name: "Hello-World" } : {
        id: pr.baseRepoId,
        url: `https://api.github.com/repos/other/r${pr.baseRepoId}`,
        name: "r",
      },
    },
  }));
  return event as unknown as Example;
}
