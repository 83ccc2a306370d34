// Event payloads for tests, taken from GitHub's own examples
// (@octokit/webhooks-examples) and adjusted per case.
import examples from "@octokit/webhooks-examples" with { type: "json" };

type Example = Record<string, unknown> & { action?: string };

function examplesOf(name: string): Example[] {
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
