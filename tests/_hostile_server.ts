// A W&B-shaped server on loopback that answers whatever a test scripts:
// cursor cycles, endless or huge bodies, echoed credentials. Written apart
// from the emulator, which is well behaved on purpose.

/** A running hostile server. */
export interface HostileServer {
  url: string;
  /** Requests received so far. */
  requests: number;
  /** The request bodies, parsed. */
  bodies: { query: string; variables: Record<string, unknown> }[];
  close(): Promise<void>;
}

/** Starts a server whose every answer comes from `answer`. */
export function startHostileServer(
  answer: (
    n: number,
    body: { query: string; variables: Record<string, unknown> },
    request: Request,
  ) => Response | Promise<Response>,
): HostileServer {
  const state: HostileServer = {
    url: "",
    requests: 0,
    bodies: [],
    close: async () => {},
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const body = await request.json();
      state.requests++;
      state.bodies.push(body);
      return await answer(state.requests, body, request);
    },
  );
  state.url = `http://127.0.0.1:${server.addr.port}`;
  state.close = () => server.shutdown();
  return state;
}

/** A GraphQL JSON answer. */
export function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** One run node as the report query asks for it. */
export function node(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    displayName: `run ${name}`,
    state: "finished",
    tags: [],
    description: null,
    createdAt: "2026-11-01T00:00:00",
    config: JSON.stringify({ github_sha: { value: "a".repeat(40) } }),
    summaryMetrics: "{}",
    ...extra,
  };
}

/** A `data.project` answer with one page of candidates (and no baselines). */
export function page(
  nodes: unknown[],
  cursors: string[],
  hasNextPage: boolean,
  count: number | null = null,
) {
  return {
    data: {
      project: {
        candidateCount: count,
        candidates: {
          edges: nodes.map((n, i) => ({ cursor: cursors[i] ?? null, node: n })),
          pageInfo: { hasNextPage, endCursor: cursors.at(-1) ?? null },
        },
        baselines: null,
      },
    },
  };
}
