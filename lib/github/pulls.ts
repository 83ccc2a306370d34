/**
 * Pull requests: the head commit a PR comment refers to, and the one sticky
 * comment a report keeps up to date.
 *
 * @module
 */
import { z } from "zod";
import { InvalidInputError, NotFoundError, ServerError } from "../errors.ts";
import type { GitHubClient } from "./client.ts";
import {
  ADD_COMMENT_MUTATION,
  FIND_COMMENTS_QUERY,
  PR_HEAD_QUERY,
  UPDATE_COMMENT_MUTATION,
} from "./queries.ts";

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
  headRefOid: z.string().regex(/^[0-9a-f]{40}$/),
  baseRefName: z.string(),
  baseRefOid: z.string().regex(/^[0-9a-f]{40}$/),
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

/** What {@link upsertComment} did. */
export interface UpsertResult {
  /** Whether a new comment was added or our earlier one rewritten. */
  action: "created" | "updated";
  /** The comment's URL. */
  url: string;
}

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
 * @throws {import("../errors.ts").ServerError} when GitHub pages in circles
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
 * comments, newest first), else adds one. Only comments the
 * token's user wrote are considered, so nobody can hijack the report by
 * pasting the marker into a comment of theirs.
 *
 * @param marker a hidden, unique string that `body` contains (an HTML comment)
 * @throws {import("../errors.ts").AuthError} when the token may not comment (fork PRs)
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
): Promise<UpsertResult> {
  const { prId, comment: mine } = await findComment(client, repo, number, marker);
  if (mine) {
    const updated = await client.query(
      UPDATE_COMMENT_MUTATION,
      { id: mine.id, body },
      z.object({ updateIssueComment: z.object({ issueComment: z.object({ url: z.string() }) }) }),
    );
    return { action: "updated", url: updated.updateIssueComment.issueComment.url };
  }
  const added = await client.query(
    ADD_COMMENT_MUTATION,
    { subjectId: prId, body },
    z.object({
      addComment: z.object({ commentEdge: z.object({ node: z.object({ url: z.string() }) }) }),
    }),
  );
  return { action: "created", url: added.addComment.commentEdge.node.url };
}
