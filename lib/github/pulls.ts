/**
 * Pull requests: the head commit a PR comment refers to, and the one sticky
 * comment a report keeps up to date.
 *
 * @module
 */
import { z } from "zod";
import { InvalidInputError, NotFoundError, ServerError } from "../ground/errors.ts";
import type { GitHubClient } from "./client.ts";
import { everyPage } from "./_paging.ts";
import {
  ADD_COMMENT_MUTATION,
  FIND_COMMENTS_QUERY,
  OPEN_PULLS_QUERY,
  PR_HEAD_QUERY,
  UPDATE_COMMENT_MUTATION,
} from "./queries.ts";
import { FULL_SHA } from "../ground/model.ts";

/** A pull request's head commit, branch, state and origin. */
export interface PullRequestHead {
  /** GraphQL node id. */
  id: string;
  /** The number. */
  number: number;
  /** Open, closed or merged. */
  state: "OPEN" | "CLOSED" | "MERGED";
  /** Whether it is a draft. */
  isDraft: boolean;
  /** The head branch. */
  headRefName: string;
  /** The head commit. */
  headRefOid: string;
  /** The base branch. */
  baseRefName: string;
  /** The base branch's commit (what `--baseline-sha` compares with). */
  baseRefOid: string;
  /** Whether it comes from a fork. */
  isCrossRepository: boolean;
  /** The head repository (`null` when the fork was deleted). */
  headRepository: { nameWithOwner: string } | null;
  /** Its web URL. */
  url: string;
}

/** A pull request's head, as the chatops step reports it. */
export const PullRequestHeadSchema: z.ZodType<PullRequestHead> = z.object({
  id: z.string(),
  number: z.number().int(),
  state: z.enum(["OPEN", "CLOSED", "MERGED"]),
  isDraft: z.boolean(),
  headRefName: z.string(),
  headRefOid: z.string().regex(FULL_SHA),
  baseRefName: z.string(),
  baseRefOid: z.string().regex(FULL_SHA),
  isCrossRepository: z.boolean(),
  headRepository: z.object({ nameWithOwner: z.string() }).nullable(),
  url: z.string(),
});

/** `owner/name`, split and checked. */
export interface RepoRef {
  /** The owner (user or organisation). */
  owner: string;
  /** The repository name. */
  name: string;
}

/**
 * The error for a repository GitHub answers as null: absent, or hidden from the token.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { missingRepo } from "./pulls.ts";
 * assertEquals(missingRepo({ owner: "o", name: "r" }).message.startsWith("repository o/r not found"), true);
 * ```
 */
export function missingRepo(repo: RepoRef): NotFoundError {
  return new NotFoundError(
    `repository ${repo.owner}/${repo.name} not found, or the token cannot see it`,
  );
}

/**
 * Splits `owner/name` (the value of `GITHUB_REPOSITORY`).
 *
 * @param input the input's name, for the error
 * @throws {InvalidInputError} unless the text is `owner/name`
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseRepo } from "./pulls.ts";
 * assertEquals(parseRepo("octo-org/octo-repo", "GITHUB_REPOSITORY"), { owner: "octo-org", name: "octo-repo" });
 * ```
 */
export function parseRepo(text: string | undefined, input: string): RepoRef {
  const found = text?.match(/^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})$/);
  if (!found) throw new InvalidInputError(input, "owner/repository", text);
  return { owner: found[1]!, name: found[2]! };
}

function missingPr(repo: RepoRef, number: number): NotFoundError {
  return new NotFoundError(
    `pull request #${number} not found in ${repo.owner}/${repo.name}, or the token cannot see it`,
  );
}

/**
 * Looks up a pull request's head commit. The `issue_comment` payload has no
 * head SHA, and the head may have moved since the comment was written, so
 * this asks GitHub now.
 *
 * @throws {NotFoundError} when the PR does not exist or is not visible to the token
 *
 * @example
 * ```ts ignore
 * import { prHead } from "./pulls.ts";
 * const head = await prHead(github, { owner: "octo-org", name: "octo-repo" }, 7);
 * console.log(head.headRefOid, head.isCrossRepository);
 * ```
 */
export async function prHead(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
): Promise<PullRequestHead> {
  const data = await client
    .query(
      PR_HEAD_QUERY,
      { ...repo, number },
      z.object({
        repository: z.object({ pullRequest: PullRequestHeadSchema.nullable() }).nullable(),
      }),
    )
    .catch((error) => {
      throw error instanceof NotFoundError ? missingPr(repo, number) : error;
    });
  const pr = data.repository?.pullRequest;
  if (!pr) throw missingPr(repo, number);
  return pr;
}

const OpenPullsSchema = z.object({
  repository: z.object({
    pullRequests: z.object({
      totalCount: z.number().int().nonnegative(),
      pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
      nodes: z.array(PullRequestHeadSchema.nullable()).nullable(),
    }),
  }).nullable(),
});

/**
 * The open pull requests whose head is `sha`, oldest first (the order they
 * were opened: a branch can be proposed to two bases; usually there is one,
 * or none).
 * For a `workflow_run` from a fork, whose `pull_requests` GitHub leaves
 * empty, this is how the PR is found: by its head commit, through the API.
 *
 * @throws {NotFoundError} when the repository is not visible to the token
 * @throws {import("../ground/errors.ts").ServerError} when GitHub pages in circles
 *
 * @example
 * ```ts ignore
 * import { pullRequestsForSha } from "./pulls.ts";
 * const [pr] = await pullRequestsForSha(github, { owner: "o", name: "r" }, headSha);
 * console.log(pr?.number ?? "no open pull request has this head");
 * ```
 */
export async function pullRequestsForSha(
  client: GitHubClient,
  repo: RepoRef,
  sha: string,
): Promise<PullRequestHead[]> {
  const found: PullRequestHead[] = [];
  const pages = everyPage(async (after) => {
    const data: z.infer<typeof OpenPullsSchema> = await client.query(
      OPEN_PULLS_QUERY,
      { ...repo, after },
      OpenPullsSchema,
    );
    if (!data.repository) throw missingRepo(repo);
    const { nodes, ...page } = data.repository.pullRequests;
    return { ...page, nodes: nodes ?? [] };
  }, `the open pull requests of ${repo.owner}/${repo.name}`);
  for await (const nodes of pages) {
    for (const pr of nodes) if (pr?.headRefOid === sha) found.push(pr);
  }
  return found;
}

/**
 * The open PR whose head is `sha`, with what to tell the user either way.
 * Several with that head: the one from `from` (head repository and branch)
 * when exactly one is; else none (a decoy PR must not receive the report).
 *
 * @throws {NotFoundError} when the repository is not visible to the token
 *
 * @example
 * ```ts ignore
 * import { pullForHead } from "./pulls.ts";
 * const { pr, note } = await pullForHead(github, { owner: "o", name: "r" }, headSha);
 * console.log(pr?.number ?? note);
 * ```
 */
export async function pullForHead(
  client: GitHubClient,
  repo: RepoRef,
  sha: string,
  from?: { repository?: string; branch?: string },
): Promise<{ pr?: PullRequestHead; note?: string }> {
  const found = await pullRequestsForSha(client, repo, sha);
  if (found.length === 1) return { pr: found[0] };
  const onCommit = "no comment; the status goes on the commit";
  if (found.length === 0) return { note: `no open pull request has head ${sha}: ${onCommit}` };
  const matching = found.filter((pr) =>
    from?.repository !== undefined && from.branch !== undefined &&
    pr.headRepository?.nameWithOwner === from.repository && pr.headRefName === from.branch
  );
  if (matching.length === 1) {
    const pr = matching[0]!;
    return {
      pr,
      note: `${found.length} open pull requests have head ${sha}: reporting on #${pr.number}, ` +
        `the one from ${from!.repository}:${from!.branch}`,
    };
  }
  const listed = found.slice(0, 5).map((pr) => `#${pr.number}`).join(", ");
  return {
    note: `${found.length} open pull requests have head ${sha} (${listed}) and nothing tells ` +
      `which one this is: ${onCommit}`,
  };
}

/** What {@link upsertComment} did. */
export type UpsertResult =
  | {
    /** A new comment was added, or our earlier one rewritten. */
    action: "created" | "updated";
    /** The comment's URL. */
    url: string;
  }
  | {
    /** Nothing was written: the comment there says the same, or none was wanted. */
    action: "unchanged" | "none";
    /** The comment left as it is, when there is one. */
    url?: string;
    /** Why, for the log. */
    reason: string;
  };

/**
 * Whether to write, given the comment already there (if any): `write`, or
 * leave things as they are and say why.
 */
export type CommentDecision = (found: FoundComment | undefined) =>
  | { write: true }
  | { write: false; action: "unchanged" | "none"; reason: string };

const CommentsSchema = z.object({
  repository: z.object({
    pullRequest: z.object({
      id: z.string(),
      comments: z.object({
        totalCount: z.number().int().nonnegative(),
        pageInfo: z.object({
          hasPreviousPage: z.boolean(),
          startCursor: z.string().nullable(),
        }),
        nodes: z.array(
          z.object({
            id: z.string(),
            url: z.string(),
            body: z.string(),
            viewerDidAuthor: z.boolean(),
          }).nullable(),
        ).nullable(),
      }),
    }).nullable(),
  }).nullable(),
});

/** A comment found on a PR. */
export interface FoundComment {
  /** GraphQL node id. */
  id: string;
  /** Its web URL. */
  url: string;
  /** Its body as GitHub has it. */
  body: string;
}

/**
 * Finds the newest comment on a PR that this token's user wrote and that
 * carries `marker`, paging back from the newest comments until one is found
 * or none are left. Also returns the PR's node id (to add a comment to).
 *
 * @throws {NotFoundError} when the PR does not exist or is not visible to the token
 * @throws {import("../ground/errors.ts").ServerError} when GitHub pages in circles
 *
 * @example
 * ```ts ignore
 * import { findComment } from "./pulls.ts";
 * const { comment } = await findComment(github, { owner: "o", name: "r" }, 7, "<!-- marker -->");
 * console.log(comment?.url ?? "none yet");
 * ```
 */
export async function findComment(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  marker: string,
): Promise<{ prId: string; comment?: FoundComment }> {
  let before: string | null = null;
  const seen = new Set<string>();
  for (let pages = 1;; pages++) {
    const data: z.infer<typeof CommentsSchema> = await client
      .query(FIND_COMMENTS_QUERY, { ...repo, number, before }, CommentsSchema)
      .catch((error) => {
        throw error instanceof NotFoundError ? missingPr(repo, number) : error;
      });
    const pr = data.repository?.pullRequest;
    if (!pr) throw missingPr(repo, number);
    const { nodes, pageInfo, totalCount } = pr.comments;
    const mine = (nodes ?? [])
      .filter((c) => c !== null && c.viewerDidAuthor && c.body.includes(marker))
      .at(-1);
    if (mine) return { prId: pr.id, comment: { id: mine.id, url: mine.url, body: mine.body } };
    const cursor = pageInfo.startCursor;
    if (!pageInfo.hasPreviousPage || cursor === null) return { prId: pr.id };
    // A server that hands out a cursor again, or more pages than its own
    // count needs, would page forever.
    if (seen.has(cursor) || pages > Math.ceil(totalCount / 100) + 1) {
      throw new ServerError(
        `GitHub kept paging the comments of pull request #${number} (page ${pages}); stopped`,
        200,
      );
    }
    seen.add(cursor);
    before = cursor;
  }
}

/**
 * Keeps one comment per `marker` on a PR: rewrites the newest comment this
 * token wrote that carries the marker (looked for among all the PR's
 * comments, newest first), else adds one; `decide` may leave it be. Only comments the
 * token's user wrote are considered, so nobody can hijack the report by
 * pasting the marker into a comment of theirs.
 *
 * @param marker a hidden, unique string that `body` contains (an HTML comment)
 * @param decide whether to write, given the comment found (default: always)
 * @throws {import("../ground/errors.ts").AuthError} when the token may not comment (fork PRs)
 *
 * @example
 * ```ts ignore
 * import { upsertComment } from "./pulls.ts";
 * const marker = "<!-- wandb-report:acme/vision -->";
 * await upsertComment(github, { owner: "o", name: "r" }, 7, marker, `${marker}\nreport`);
 * ```
 */
export async function upsertComment(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  marker: string,
  body: string,
  decide: CommentDecision = () => ({ write: true }),
  amend?: (earlier: string | undefined) => string,
): Promise<UpsertResult> {
  const { prId, comment: mine } = await findComment(client, repo, number, marker);
  // What the new body keeps of the comment it replaces (an acceptance of the same commit).
  if (amend) body = amend(mine?.body);
  const decision = decide(mine);
  if (!decision.write) {
    return { action: decision.action, url: mine?.url, reason: decision.reason };
  }
  if (mine) {
    const updated = await client.query(
      UPDATE_COMMENT_MUTATION,
      { id: mine.id, body },
      // GitHub's payload is nullable: a null is no error, the comment was rewritten.
      z.object({
        updateIssueComment: z.object({ issueComment: z.object({ url: z.string() }).nullable() })
          .nullable(),
      }),
    );
    return { action: "updated", url: updated.updateIssueComment?.issueComment?.url ?? mine.url };
  }
  return await addComment(client, repo, number, marker, prId, body);
}

const AddedSchema = z.object({
  addComment: z.object({
    commentEdge: z.object({ node: z.object({ url: z.string() }).nullable() }).nullable(),
  }).nullable(),
});

/**
 * Adds the comment, sent once: when the answer is lost (a timeout, a 5xx, a
 * dropped connection) GitHub may have written it, so the PR is looked at
 * before it is sent again, once (and looked at again if that answer is lost
 * too): never two comments; a null payload (GitHub's schema allows one) is
 * looked up the same way, never taken for a failure.
 */
async function addComment(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  marker: string,
  prId: string,
  body: string,
): Promise<UpsertResult> {
  const send = () =>
    client.query(ADD_COMMENT_MUTATION, { subjectId: prId, body }, AddedSchema, { once: true });
  let added: z.infer<typeof AddedSchema> | undefined;
  // Sent at most twice, each once: a retry of a lost answer could write it twice.
  for (let sent = 1; added === undefined; sent++) {
    try {
      added = await send();
    } catch (error) {
      if (!(error instanceof ServerError)) throw error;
      const written = (await findComment(client, repo, number, marker)).comment;
      if (written) return { action: "created", url: written.url };
      if (sent === 2) throw error;
    }
  }
  const url = added.addComment?.commentEdge?.node?.url ??
    (await findComment(client, repo, number, marker)).comment?.url;
  return { action: "created", url: url ?? "" };
}
