/**
 * History from GitHub's API, for when the local checkout does not hold it
 * (the reusable workflow checks out only the tool): first-parent chains
 * rebuilt from `Commit.history` pages (GraphQL), merge bases from the compare
 * API (REST).
 *
 * @module
 */
import { z } from "zod";
import { InvalidInputError, ServerError } from "../ground/errors.ts";
import type { GitHubClient } from "../github/mod.ts";
import { HISTORY_QUERY } from "../github/mod.ts";
import type { RepoRef } from "../github/mod.ts";
import type { Chain, Commit, HistorySource } from "./source.ts";
import { FULL_SHA } from "../ground/model.ts";

const HistorySchema = z.object({
  repository: z.object({
    object: z.object({
      history: z.object({
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
        nodes: z.array(
          z.object({
            oid: z.string(),
            committedDate: z.string(),
            parents: z.object({
              nodes: z.array(z.object({ oid: z.string() }).nullable()).nullable(),
            }),
          }).nullable(),
        ).nullable(),
      }).optional(), // absent when the object is no commit
    }).nullable(),
  }).nullable(),
});

const CompareSchema = z.object({
  merge_base_commit: z.object({ sha: z.string().regex(FULL_SHA) }),
}).loose();

// `Commit.history` lists every ancestor (merged branches too), 100 a page;
// a first-parent chain of N may need several pages. This bounds them.
const MAX_PAGES = 20;

/**
 * A repository on GitHub as a history source.
 *
 * @example
 * ```ts ignore
 * import { githubHistory } from "./github.ts";
 * const source = githubHistory(client, { owner: "acme", name: "vision" });
 * const { commits } = await source.firstParents(sha, 50);
 * ```
 */
export function githubHistory(client: GitHubClient, repo: RepoRef): HistorySource {
  const where = `${repo.owner}/${repo.name}`;
  return {
    name: `GitHub's API (${where})`,
    async firstParents(sha: string, count: number): Promise<Chain> {
      // Every commit seen: its date and its first parent; the chain follows those.
      const seen = new Map<string, { date: string; parent?: string }>();
      const chain = (): Commit[] => {
        const commits: Commit[] = [];
        let at: string | undefined = sha;
        while (at !== undefined && commits.length < count) {
          const known = seen.get(at);
          if (!known) break;
          commits.push({ sha: at, date: known.date });
          at = known.parent;
        }
        return commits;
      };
      let after: string | null = null;
      for (let page = 1;; page++) {
        const data: z.infer<typeof HistorySchema> = await client.query(
          HISTORY_QUERY,
          { owner: repo.owner, name: repo.name, oid: sha, after },
          HistorySchema,
        );
        const history = data.repository?.object?.history;
        if (!data.repository || !history) {
          throw new InvalidInputError("--baseline-sha", `a commit of ${where}`, sha);
        }
        for (const node of history.nodes ?? []) {
          if (node) {
            seen.set(node.oid, { date: node.committedDate, parent: node.parents.nodes?.[0]?.oid });
          }
        }
        const commits = chain();
        const last = commits.at(-1);
        const ended = commits.length >= count || (last && seen.get(last.sha)!.parent === undefined);
        if (ended || !history.pageInfo.hasNextPage || history.pageInfo.endCursor === null) {
          return { commits };
        }
        if (page >= MAX_PAGES) {
          return {
            commits,
            note:
              `GitHub's history of ${where} is too branchy to walk further: ${commits.length} ` +
              `first-parent commits found in ${page * 100} commits`,
          };
        }
        if (history.pageInfo.endCursor === after) {
          throw new ServerError(`GitHub kept paging the history of ${where}; stopped`, 200);
        }
        after = history.pageInfo.endCursor;
      }
    },
    async mergeBase(base: string, head: string): Promise<string> {
      const answer = await client.rest(
        "GET /repos/{owner}/{repo}/compare/{basehead}",
        { owner: repo.owner, repo: repo.name, basehead: `${base}...${head}`, per_page: 1 },
        CompareSchema,
      );
      return answer.merge_base_commit.sha;
    },
  };
}
