/**
 * What GitHub says of our check: a commit's status under our context, the
 * open pull requests with their heads' status (the sweep's worklist), and a
 * merge queue's entries (which pull requests a merge group holds).
 *
 * @module
 */
import { z } from "zod";
import { everyPage } from "./_paging.ts";
import type { GitHubClient } from "./client.ts";
import { missingRepo, type RepoRef } from "./pulls.ts";
import { COMMIT_STATUS_QUERY, MERGE_QUEUE_QUERY, SWEEP_PULLS_QUERY } from "./queries.ts";
import { FULL_SHA } from "../ground/model.ts";

/** A status as GitHub's GraphQL API names its state. */
const StatusContextSchema = z.object({
  state: z.enum(["ERROR", "EXPECTED", "FAILURE", "PENDING", "SUCCESS"]),
  description: z.string().nullable(),
});

/** Our check on a commit: its state (lower-case, as the REST API writes it) and words. */
export interface CheckState {
  /** `success`, `failure`, `pending`, `error` (or `expected`). */
  state: "success" | "failure" | "pending" | "error" | "expected";
  /** What it says. */
  description: string;
}

const toCheck = (s: z.infer<typeof StatusContextSchema>): CheckState => ({
  state: s.state.toLowerCase() as CheckState["state"],
  description: s.description ?? "",
});

/**
 * Our check on one commit, or `undefined` when the commit has none under
 * `context` (or GitHub does not know the commit).
 *
 * @throws {import("../ground/errors.ts").ApiError} when GitHub fails for good
 *
 * @example
 * ```ts ignore
 * import { commitCheck } from "./checks.ts";
 * const check = await commitCheck(client, { owner: "o", name: "r" }, sha, "wandb-report/acme/vision");
 * console.log(check?.state ?? "none");
 * ```
 */
export async function commitCheck(
  client: GitHubClient,
  repo: RepoRef,
  sha: string,
  context: string,
): Promise<CheckState | undefined> {
  const data = await client.query(
    COMMIT_STATUS_QUERY,
    { ...repo, oid: sha, context },
    z.object({
      repository: z.object({
        object: z.object({
          status: z.object({ context: StatusContextSchema.nullable() }).nullable().optional(),
        }).nullable(),
      }).nullable(),
    }),
  );
  if (!data.repository) throw missingRepo(repo);
  const found = data.repository.object?.status?.context;
  return found ? toCheck(found) : undefined;
}

/** An open pull request and our check on its head. */
export interface PullCheck {
  /** The number. */
  number: number;
  /** The head commit. */
  headSha: string;
  /** Whether it comes from a fork. */
  fork: boolean;
  /** Our check on the head, when there is one. */
  check?: CheckState;
}

const SweepSchema = z.object({
  repository: z.object({
    pullRequests: z.object({
      totalCount: z.number().int().nonnegative(),
      pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
      nodes: z.array(
        z.object({
          number: z.number().int().positive(),
          headRefOid: z.string().regex(FULL_SHA),
          isCrossRepository: z.boolean(),
          commits: z.object({
            nodes: z.array(
              z.object({
                commit: z.object({
                  oid: z.string(),
                  status: z.object({ context: StatusContextSchema.nullable() }).nullable(),
                }),
              }).nullable(),
            ).nullable(),
          }),
        }).nullable(),
      ).nullable(),
    }),
  }).nullable(),
});

/**
 * Every open pull request, oldest first, with our check on its head (one
 * request per 100 pull requests; cycle-proof paging).
 *
 * @throws {import("../ground/errors.ts").ApiError} when GitHub fails for good
 *
 * @example
 * ```ts ignore
 * import { openPullChecks } from "./checks.ts";
 * const pulls = await openPullChecks(client, { owner: "o", name: "r" }, "wandb-report/acme/vision");
 * const waiting = pulls.filter((p) => !p.check || p.check.state === "pending");
 * ```
 */
export async function openPullChecks(
  client: GitHubClient,
  repo: RepoRef,
  context: string,
): Promise<PullCheck[]> {
  const pulls: PullCheck[] = [];
  const pages = everyPage(async (after) => {
    const data: z.infer<typeof SweepSchema> = await client.query(
      SWEEP_PULLS_QUERY,
      { ...repo, after, context },
      SweepSchema,
    );
    if (!data.repository) throw missingRepo(repo);
    const { nodes, ...page } = data.repository.pullRequests;
    return { ...page, nodes: nodes ?? [] };
  }, `the open pull requests of ${repo.owner}/${repo.name}`);
  for await (const nodes of pages) {
    for (const pr of nodes) {
      if (!pr) continue;
      // The last commit is the head; its status is ours only when it is that commit.
      const head = pr.commits.nodes?.at(-1)?.commit;
      const status = head?.oid === pr.headRefOid ? head.status?.context : undefined;
      pulls.push({
        number: pr.number,
        headSha: pr.headRefOid,
        fork: pr.isCrossRepository,
        check: status ? toCheck(status) : undefined,
      });
    }
  }
  return pulls;
}

/** One entry of a merge queue. */
export interface QueueEntry {
  /** Its place in the queue (1 is next to merge). */
  position: number;
  /** The commit GitHub built for it (its merge group's head), once built. */
  groupSha?: string;
  /** Its pull request. */
  pr: { number: number; headSha: string };
}

/**
 * The entries of the merge queue of `branch`, in queue order; empty when the
 * branch has no queue (or GitHub does not say).
 *
 * @throws {import("../ground/errors.ts").ApiError} when GitHub fails for good
 *
 * @example
 * ```ts ignore
 * import { mergeQueueEntries } from "./checks.ts";
 * const entries = await mergeQueueEntries(client, { owner: "o", name: "r" }, "main");
 * ```
 */
export async function mergeQueueEntries(
  client: GitHubClient,
  repo: RepoRef,
  branch: string,
): Promise<QueueEntry[]> {
  const data = await client.query(
    MERGE_QUEUE_QUERY,
    { ...repo, branch },
    z.object({
      repository: z.object({
        mergeQueue: z.object({
          entries: z.object({
            nodes: z.array(
              z.object({
                position: z.number().int(),
                headCommit: z.object({ oid: z.string() }).nullable(),
                pullRequest: z.object({
                  number: z.number().int().positive(),
                  headRefOid: z.string().regex(FULL_SHA),
                }).nullable(),
              }).nullable(),
            ).nullable(),
          }),
        }).nullable(),
      }).nullable(),
    }),
  );
  if (!data.repository) throw missingRepo(repo);
  return (data.repository.mergeQueue?.entries.nodes ?? [])
    .flatMap((e) =>
      e?.pullRequest
        ? [{
          position: e.position,
          groupSha: e.headCommit?.oid,
          pr: { number: e.pullRequest.number, headSha: e.pullRequest.headRefOid },
        }]
        : []
    )
    .sort((a, b) => a.position - b.position);
}
