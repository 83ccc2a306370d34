/**
 * A sliver of GitHub for the emulator: the commit history of one repository
 * (the fixture's `commits`), answered at `POST /github/graphql` in GitHub's
 * own shape (`repository.object(oid).history`, newest first, with each
 * commit's first parent), so the demo and scripts can show a baseline search
 * and a trend without GitHub. Any token is accepted: it guards nothing real.
 *
 * @module
 */
import { buildSchema, execute, type GraphQLSchema, parse, validate } from "graphql";
import type { FixtureCommit } from "./fixtures.ts";

const SDL = `
scalar GitObjectID
type Query { repository(owner: String!, name: String!): Repository }
type Repository { object(oid: GitObjectID!): GitObject }
interface GitObject { oid: GitObjectID! }
type Commit implements GitObject {
  oid: GitObjectID!
  committedDate: String!
  parents(first: Int): CommitConnection!
  history(first: Int, after: String): CommitHistoryConnection!
}
type CommitConnection { nodes: [Commit] }
type CommitHistoryConnection { pageInfo: PageInfo!, nodes: [Commit], totalCount: Int! }
type PageInfo { hasNextPage: Boolean!, endCursor: String }
`;

let schema: GraphQLSchema | undefined;

/**
 * Answers one GitHub GraphQL request about the fixture's commits; returns
 * the HTTP status and the JSON body.
 *
 * @example
 * ```ts ignore
 * import { answerGithub } from "./github.ts";
 * const [status, body] = await answerGithub(commits, requestText);
 * ```
 */
export async function answerGithub(
  commits: readonly FixtureCommit[],
  text: string,
): Promise<[number, string]> {
  schema ??= buildSchema(SDL);
  let request: { query?: unknown; variables?: unknown };
  try {
    request = JSON.parse(text);
  } catch {
    return [400, JSON.stringify({ message: "Problems parsing JSON" })];
  }
  if (typeof request.query !== "string") return [400, JSON.stringify({ message: "no query" })];
  let document;
  try {
    document = parse(request.query);
  } catch (error) {
    return [200, JSON.stringify({ errors: [{ message: (error as Error).message }] })];
  }
  const invalid = validate(schema, document);
  if (invalid.length) return [200, JSON.stringify({ errors: invalid.map((e) => e.toJSON()) })];
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const node = (commit: FixtureCommit): Record<string, unknown> => ({
    __typename: "Commit",
    oid: commit.sha,
    committedDate: commit.date,
    parents: () => ({
      nodes: commit.parents.flatMap((p) => (bySha.has(p) ? [node(bySha.get(p)!)] : [])),
    }),
    history: ({ first, after }: { first?: number; after?: string | null }) => {
      const all = ancestors(commit, bySha);
      const start = after ? Number(after) : 0;
      const end = Math.min(all.length, start + Math.min(first ?? 100, 100));
      return {
        totalCount: all.length,
        pageInfo: { hasNextPage: end < all.length, endCursor: end > start ? String(end) : null },
        nodes: all.slice(start, end).map(node),
      };
    },
  });
  const result = await execute({
    schema,
    document,
    variableValues: request.variables as Record<string, unknown> | undefined,
    rootValue: {
      repository: () => ({
        object: ({ oid }: { oid: string }) => {
          const commit = bySha.get(oid);
          return commit ? node(commit) : null;
        },
      }),
    },
    typeResolver: () => "Commit",
  });
  return [200, JSON.stringify(result)];
}

/** A commit and every ancestor, newest first by date (as `git log` lists them). */
function ancestors(
  commit: FixtureCommit,
  bySha: ReadonlyMap<string, FixtureCommit>,
): FixtureCommit[] {
  const seen = new Map<string, FixtureCommit>();
  const queue = [commit];
  while (queue.length) {
    const next = queue.shift()!;
    if (seen.has(next.sha)) continue;
    seen.set(next.sha, next);
    for (const parent of next.parents) {
      const found = bySha.get(parent);
      if (found) queue.push(found);
    }
  }
  return [...seen.values()].sort((a, b) => b.date.localeCompare(a.date));
}
