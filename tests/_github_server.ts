// A loopback GitHub server for tests: graphql-js executes GitHub's published
// GraphQL schema (the SDL of @octokit/graphql-schema), with resolvers for the
// fields wandb-report uses and GitHub's error conventions (401 "Bad
// credentials", NOT_FOUND / FORBIDDEN errors in a 200 answer, rate-limit
// 403s); and the REST routes GraphQL has no mutation for (commit statuses),
// their bodies typed by GitHub's OpenAPI description (@octokit/openapi-types)
// and checked as GitHub checks them (422 for a description over 140).
import { schema as githubSchema } from "@octokit/graphql-schema";
import type { components, operations } from "@octokit/openapi-types";
import { buildSchema, graphql, type GraphQLSchema } from "graphql";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A pull request the server knows. */
export interface FakePull {
  number: number;
  headRefOid: string;
  headRefName: string;
  baseRefOid?: string;
  state?: "OPEN" | "CLOSED" | "MERGED";
  fork?: string;
}

/** A comment on a pull request. */
export interface FakeComment {
  id: string;
  author: string;
  body: string;
  pr: number;
}

/** A commit of the repository's history (newest first in lists; parents first-parent first). */
export interface FakeCommit {
  sha: string;
  parents: string[];
  date: string;
}

/** A token and what it may do. */
export interface FakeToken {
  login: string;
  /** May write pull requests (comments). */
  write: boolean;
  /** May write commit statuses; default the same as `write`. */
  statuses?: boolean;
}

/** A commit status as the server stored it (GitHub's own shape), with the commit and the token that set it. */
export type FakeStatus = components["schemas"]["status"] & { sha: string; token: string };

type StatusRequest = operations["repos/create-commit-status"]["requestBody"] extends
  { content: { "application/json": infer T } } ? T : never;

/** A canned failure for the next matching requests. */
export interface GithubFault {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  times: number;
  /** Only for this GraphQL operation (e.g. WandbReportAddComment). */
  operation?: string;
  /** Carry the request out, then answer with the fault (the answer is lost, the write is not). */
  afterHandling?: boolean;
}

/** The running server. */
export interface GithubServer {
  url: string;
  comments: FakeComment[];
  /** Every commit status set, in order. */
  statuses: FakeStatus[];
  /** Operation names of the requests received, in order. */
  requests: string[];
  faults: GithubFault[];
  close(): Promise<void>;
}

// The SDL GitHub publishes defines two fields twice (EnterpriseOwnerInfo),
// which graphql-js's SDL validation rejects; the schema is otherwise sound.
let built: GraphQLSchema | undefined;
function githubGraphqlSchema(): GraphQLSchema {
  return built ??= buildSchema(githubSchema.idl, { assumeValidSDL: true });
}

class TypedError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

/** Starts the server on 127.0.0.1 with the given repository state. */
export async function startGithubServer(state: {
  repo: string;
  pulls: FakePull[];
  tokens: Record<string, FakeToken>;
  comments?: FakeComment[];
  commits?: FakeCommit[];
  /** addComment answers `commentEdge: null` (GitHub's schema allows it) after writing. */
  nullAddComment?: boolean;
  /** Commit statuses there before the test (as the REST API would have set them). */
  statuses?: { sha: string; context: string; state: string; description?: string }[];
  /** A base branch's merge queue: each entry's position, group commit and pull request. */
  mergeQueue?: { branch: string; entries: { position: number; groupSha: string; pr: number }[] };
}): Promise<GithubServer> {
  const schema = githubGraphqlSchema();
  const comments: FakeComment[] = state.comments ?? [];
  const statuses: FakeStatus[] = (state.statuses ?? []).map((s, i) => ({
    sha: s.sha,
    token: "",
    url: "",
    avatar_url: null,
    id: i + 1,
    node_id: `SC_${i + 1}`,
    state: s.state,
    description: s.description ?? null,
    target_url: null,
    context: s.context,
    created_at: "2026-11-30T00:00:00Z",
    updated_at: "2026-11-30T00:00:00Z",
    creator: null,
  }));
  const requests: string[] = [];
  const faults: GithubFault[] = [];
  let nextId = 1000;
  const base = `https://github.com/${state.repo}`;

  const commentNode = (c: FakeComment) => ({
    __typename: "IssueComment",
    id: c.id,
    url: `${base}/pull/${c.pr}#issuecomment-${c.id}`,
    body: c.body,
    author: { __typename: "User", login: c.author },
    viewerDidAuthor: (_: unknown, ctx: FakeToken) => ctx.login === c.author,
  });
  const pullNode = (p: FakePull) => ({
    __typename: "PullRequest",
    id: `PR_${p.number}`,
    number: p.number,
    state: p.state ?? "OPEN",
    isDraft: false,
    headRefName: p.headRefName,
    headRefOid: p.headRefOid,
    baseRefName: "main",
    baseRefOid: p.baseRefOid ?? "b".repeat(40),
    // The head commit, as the last of the PR's commits.
    commits: () => ({
      nodes: [{
        commit: commits.has(p.headRefOid)
          ? commitNode(commits.get(p.headRefOid)!)
          : bareCommit(p.headRefOid),
      }],
    }),
    isCrossRepository: p.fork !== undefined,
    headRepository: { nameWithOwner: p.fork ?? state.repo },
    url: `${base}/pull/${p.number}`,
    // Cursors are positions in the PR's comments; `last`/`before` page backwards.
    comments: ({ last, before }: { last?: number; before?: string | null }) => {
      const all = comments.filter((c) => c.pr === p.number);
      const end = before ? Number(before.replace(/^cursor:/, "")) : all.length;
      const start = Math.max(0, end - (last ?? 100));
      return {
        totalCount: all.length,
        pageInfo: {
          hasPreviousPage: start > 0,
          hasNextPage: end < all.length,
          startCursor: all.length ? `cursor:${start}` : null,
          endCursor: all.length ? `cursor:${end}` : null,
        },
        nodes: all.slice(start, end).map(commentNode),
      };
    },
  });
  const commits = new Map((state.commits ?? []).map((c) => [c.sha, c]));
  // A commit and every ancestor, newest first by date, as GitHub's history lists them.
  const ancestors = (start: FakeCommit): FakeCommit[] => {
    const seen = new Map<string, FakeCommit>();
    const queue = [start];
    while (queue.length) {
      const next = queue.shift()!;
      if (seen.has(next.sha)) continue;
      seen.set(next.sha, next);
      for (const p of next.parents) if (commits.has(p)) queue.push(commits.get(p)!);
    }
    return [...seen.values()].sort((a, b) => b.date.localeCompare(a.date));
  };
  // A commit's combined status: the newest status of each context, as GitHub keeps it.
  const statusOf = (sha: string) => {
    const mine = statuses.filter((s) => s.sha === sha);
    if (mine.length === 0) return null;
    return {
      context: ({ name }: { name: string }) => {
        const newest = mine.filter((s) => s.context === name).at(-1);
        return newest
          ? { state: newest.state.toUpperCase(), description: newest.description }
          : null;
      },
    };
  };
  // A commit GitHub knows only as a PR head or a status's target: its oid and status.
  const bareCommit = (sha: string): Record<string, unknown> => ({
    __typename: "Commit",
    oid: sha,
    status: () => statusOf(sha),
  });
  const commitNode = (c: FakeCommit): Record<string, unknown> => ({
    __typename: "Commit",
    oid: c.sha,
    status: () => statusOf(c.sha),
    committedDate: c.date,
    parents: ({ first }: { first?: number }) => ({
      nodes: c.parents.slice(0, first ?? 100).flatMap((p) =>
        commits.has(p) ? [commitNode(commits.get(p)!)] : []
      ),
    }),
    history: ({ first, after }: { first?: number; after?: string | null }) => {
      const all = ancestors(c);
      const start = after ? Number(after.replace(/^cursor:/, "")) : 0;
      const end = Math.min(all.length, start + (first ?? 100));
      return {
        totalCount: all.length,
        pageInfo: {
          hasNextPage: end < all.length,
          hasPreviousPage: start > 0,
          endCursor: end > start ? `cursor:${end}` : null,
          startCursor: end > start ? `cursor:${start}` : null,
        },
        nodes: all.slice(start, end).map(commitNode),
      };
    },
  });
  const findPull = (number: number) => {
    const pull = state.pulls.find((p) => p.number === number);
    if (!pull) {
      throw new TypedError(
        "NOT_FOUND",
        `Could not resolve to a PullRequest with the number of ${number}.`,
      );
    }
    return pull;
  };
  const mayWrite = (ctx: FakeToken) => {
    if (!ctx.write) throw new TypedError("FORBIDDEN", "Resource not accessible by integration");
  };
  const root = {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      if (`${owner}/${name}` !== state.repo) {
        throw new TypedError(
          "NOT_FOUND",
          `Could not resolve to a Repository with the name '${owner}/${name}'.`,
        );
      }
      return {
        object: ({ oid }: { oid: string }) =>
          commits.has(oid)
            ? commitNode(commits.get(oid)!)
            : statuses.some((s) => s.sha === oid) || state.pulls.some((p) => p.headRefOid === oid)
            ? bareCommit(oid)
            : null,
        mergeQueue: ({ branch }: { branch: string }) =>
          state.mergeQueue?.branch === branch
            ? {
              entries: () => ({
                nodes: state.mergeQueue!.entries.map((e) => ({
                  position: e.position,
                  headCommit: { oid: e.groupSha },
                  pullRequest: pullNode(findPull(e.pr)),
                })),
              }),
            }
            : null,
        pullRequest: ({ number }: { number: number }) => pullNode(findPull(number)),
        // Open pull requests in the order asked (by number: the fake has no dates),
        // paged with positions as cursors.
        pullRequests: (
          { states, first, after, orderBy }: {
            states?: string[];
            first?: number;
            after?: string | null;
            orderBy?: { field: string; direction: string };
          },
        ) => {
          // Creation order is number order here; ASC asks for the oldest first.
          const ascending = orderBy?.field === "CREATED_AT" && orderBy.direction === "ASC" ? 1 : -1;
          const all = state.pulls
            .filter((p) => !states || states.includes(p.state ?? "OPEN"))
            .sort((a, b) => ascending * (a.number - b.number));
          const start = after ? Number(after.replace(/^cursor:/, "")) : 0;
          const end = Math.min(all.length, start + (first ?? 100));
          return {
            totalCount: all.length,
            pageInfo: {
              hasNextPage: end < all.length,
              hasPreviousPage: start > 0,
              endCursor: end > start ? `cursor:${end}` : null,
              startCursor: end > start ? `cursor:${start}` : null,
            },
            nodes: all.slice(start, end).map(pullNode),
          };
        },
      };
    },
    addComment: (
      { input }: { input: { subjectId: string; body: string } },
      ctx: FakeToken,
    ) => {
      mayWrite(ctx);
      const pull = findPull(Number(input.subjectId.replace(/^PR_/, "")));
      const comment = {
        id: `IC_${nextId++}`,
        author: ctx.login,
        body: input.body,
        pr: pull.number,
      };
      comments.push(comment);
      return { commentEdge: state.nullAddComment ? null : { node: commentNode(comment) } };
    },
    updateIssueComment: ({ input }: { input: { id: string; body: string } }, ctx: FakeToken) => {
      mayWrite(ctx);
      const comment = comments.find((c) => c.id === input.id);
      if (!comment) {
        throw new TypedError(
          "NOT_FOUND",
          `Could not resolve to a node with the global id of '${input.id}'.`,
        );
      }
      if (comment.author !== ctx.login) {
        throw new TypedError("FORBIDDEN", "Resource not accessible by integration");
      }
      comment.body = input.body;
      return { issueComment: commentNode(comment) };
    },
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of req) chunks.push(chunk as Uint8Array);
    const text = new TextDecoder().decode(
      new Uint8Array(chunks.flatMap((c) => [...c])),
    );
    let request: { query?: string; variables?: Record<string, unknown> };
    try {
      // A GET has no body.
      request = req.method === "GET" && text === "" ? {} : JSON.parse(text);
    } catch {
      return send(res, 400, { message: "Problems parsing JSON" });
    }
    const name = req.url === "/graphql"
      ? request.query?.match(/(?:query|mutation)\s+(\w+)/)?.[1] ?? "anonymous"
      : `${req.method} ${req.url?.replace(/[0-9a-f]{40}$/, "{sha}")}`;
    requests.push(name);
    const fault = faults.find((f) => f.times > 0 && (!f.operation || f.operation === name));
    if (fault && !fault.afterHandling) {
      fault.times--;
      return send(res, fault.status, fault.body ?? { message: "fault" }, fault.headers);
    }
    const auth = req.headers.authorization?.match(/^(?:token|bearer) (\S+)$/i)?.[1];
    const viewer = auth ? state.tokens[auth] : undefined;
    const statusRoute = req.url?.match(/^\/repos\/([^/]+)\/([^/]+)\/statuses\/([^/?]+)$/);
    if (req.method === "POST" && statusRoute) {
      if (!viewer) return send(res, 401, { message: "Bad credentials" });
      if (`${statusRoute[1]}/${statusRoute[2]}` !== state.repo) {
        return send(res, 404, { message: "Not Found" });
      }
      if (!(viewer.statuses ?? viewer.write)) {
        return send(res, 403, { message: "Resource not accessible by integration" });
      }
      const body = request as unknown as StatusRequest;
      if (!["error", "failure", "pending", "success"].includes(body.state)) {
        return send(res, 422, { message: "Validation Failed: state is not included in the list" });
      }
      if ((body.description ?? "").length > 140) {
        return send(res, 422, {
          message: "Validation Failed: description is too long (maximum is 140 characters)",
        });
      }
      if (!/^[0-9a-f]{40}$/.test(statusRoute[3]!)) {
        return send(res, 422, { message: `No commit found for SHA: ${statusRoute[3]}` });
      }
      const created: FakeStatus = {
        sha: statusRoute[3]!,
        token: auth!,
        url: `https://api.github.com/repos/${state.repo}/statuses/${statusRoute[3]}`,
        avatar_url: null,
        id: nextId++,
        node_id: `SC_${nextId}`,
        state: body.state,
        description: body.description ?? null,
        target_url: body.target_url ?? null,
        context: body.context ?? "default",
        created_at: "2026-12-01T00:00:00Z",
        updated_at: "2026-12-01T00:00:00Z",
        creator: null,
      };
      statuses.push(created);
      const { sha: _, token: __, ...answer } = created;
      return send(res, 201, answer satisfies components["schemas"]["status"]);
    }
    const compareRoute = req.url?.match(
      /^\/repos\/([^/]+)\/([^/]+)\/compare\/([0-9a-f]{40})\.\.\.([0-9a-f]{40})(\?.*)?$/,
    );
    if (req.method === "GET" && compareRoute) {
      if (!viewer) return send(res, 401, { message: "Bad credentials" });
      const [base, head] = [commits.get(compareRoute[3]!), commits.get(compareRoute[4]!)];
      if (`${compareRoute[1]}/${compareRoute[2]}` !== state.repo || !base || !head) {
        return send(res, 404, { message: "Not Found" });
      }
      const inBase = new Set(ancestors(base).map((c) => c.sha));
      const mergeBase = ancestors(head).find((c) => inBase.has(c.sha));
      if (!mergeBase) return send(res, 404, { message: "No common ancestor" });
      return send(res, 200, {
        status: "diverged",
        merge_base_commit: { sha: mergeBase.sha },
        base_commit: { sha: base.sha },
        commits: [],
      });
    }
    if (req.method !== "POST" || req.url !== "/graphql") {
      return send(res, 404, { message: "Not Found" });
    }
    if (!viewer) {
      return send(res, 401, {
        message: "Bad credentials",
        documentation_url: "https://docs.github.com/graphql",
      });
    }
    const result = await graphql({
      schema,
      source: request.query ?? "",
      variableValues: request.variables,
      rootValue: root,
      contextValue: viewer,
    });
    const errors = result.errors?.map((e) => ({
      ...(e.originalError instanceof TypedError ? { type: e.originalError.type } : {}),
      path: e.path,
      locations: e.locations,
      message: e.message,
    }));
    if (fault?.afterHandling) {
      fault.times--;
      return send(res, fault.status, fault.body ?? { message: "fault" }, fault.headers);
    }
    send(res, 200, errors ? { data: result.data ?? null, errors } : { data: result.data });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    statuses,
    requests,
    faults,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
