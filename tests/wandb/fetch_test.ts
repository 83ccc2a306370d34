import { AuthError, NotFoundError, ServerError } from "../../lib/ground/errors.ts";
import { WandbClient } from "../../lib/wandb/client.ts";
import { fetchRunPages, fetchRuns, type FetchRunsRequest } from "../../lib/wandb/fetch.ts";
import { API_KEY, SHA, withEmulator } from "../_helpers.ts";
import { assertEquals, assertRejects } from "../_assert.ts";

const client = (url: string, fetch?: typeof globalThis.fetch) =>
  new WandbClient({
    baseUrl: url,
    apiKey: API_KEY,
    retry: { maxAttempts: 2, maxElapsedMs: 5_000, timeoutMs: 5_000, baseDelayMs: 1 },
    deps: fetch ? { fetch } : undefined,
  });

/**
 * A fetch that counts requests sent and responses received, and lets a test
 * wait for the n-th of either: tests wait for the event, never for a clock.
 */
function watchedFetch() {
  const counts = { sent: 0, received: 0 };
  const waiters: { kind: keyof typeof counts; n: number; resolve: () => void }[] = [];
  const wake = () => {
    for (const w of waiters.splice(0)) {
      if (counts[w.kind] >= w.n) w.resolve();
      else waiters.push(w);
    }
  };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    counts.sent++;
    wake();
    const response = await globalThis.fetch(input, init);
    counts.received++;
    wake();
    return response;
  };
  /**
   * Resolves once `n` requests were sent (or responses received); fails after
   * 120 s with `message` (a bound against a hang, far beyond any busy machine's
   * delay: the test waits for the event, never for the clock).
   */
  const reached = (kind: keyof typeof counts, n: number, message: string) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([
      new Promise<void>((resolve) => {
        waiters.push({ kind, n, resolve });
        wake();
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${message} (still ${counts[kind]})`)), 120_000);
      }),
    ]).finally(() => clearTimeout(timer));
  };
  return { fetch, counts, reached };
}

const request: FetchRunsRequest = {
  entity: "acme",
  project: "vision",
  candidates: { "config.github_sha": SHA },
  // Deliberately not excluding candidates, as a server with other filter
  // semantics might not: the client must still keep them apart.
  baselines: { tags: { $in: ["baseline"] } },
  metricKeys: ["accuracy"],
  configKeys: [],
  pageSize: 3,
};

Deno.test("fetchRuns: a baseline that is also a candidate stays a candidate only", async () => {
  await withEmulator({}, async (emulator) => {
    const runs = await fetchRuns(client(emulator.url), request);
    assertEquals(runs.candidates.map((r) => r.name), [
      "cand0001",
      "cand0002",
      "cand0003",
      "cand0004",
      "cand0005",
      "cand0006",
      "cand0007",
    ]);
    assertEquals(runs.baselines.map((r) => r.name), ["base0001"]);
    assertEquals(runs.fullFields, false);
    // Only the requested keys (and the SHA keys) travel.
    assertEquals(runs.candidates[0]!.summary, { accuracy: 0.91 });
    assertEquals(Object.keys(runs.candidates[0]!.config).sort(), ["github_sha", "secondary_sha"]);
  });
});

Deno.test("fetchRunPages: one batch per response, the next request already sent", async () => {
  await withEmulator({}, async (emulator) => {
    const sizes: [number, number][] = [];
    const watch = watchedFetch();
    for await (const batch of fetchRunPages(client(emulator.url, watch.fetch), request)) {
      sizes.push([batch.candidates.length, batch.baselines.length]);
      // While the caller still holds page 1, the request for page 2 goes out.
      if (sizes.length === 1) {
        await watch.reached("sent", 2, "the next page was not requested while the caller worked");
        assertEquals(emulator.stats.requests >= 1, true, "the emulator saw the first request");
      }
    }
    assertEquals(sizes, [[3, 2], [3, 0], [1, 0]], "one batch per response");
    assertEquals(watch.counts.sent, 3, "three pages, three requests");
  });
});

Deno.test("fetchRunPages: a first response that fails hands out nothing", async () => {
  await withEmulator({}, async (emulator) => {
    emulator.injectFaults([{ status: 401 }]);
    let handedOut = 0;
    await assertRejects(async () => {
      for await (const _ of fetchRunPages(client(emulator.url), request)) handedOut++;
    }, AuthError);
    assertEquals(handedOut, 0);
  });
});

Deno.test("fetchRunPages: a request that fails while the caller is busy surfaces on the next step", async () => {
  await withEmulator({}, async (emulator) => {
    let handedOut = 0;
    const watch = watchedFetch();
    await assertRejects(async () => {
      for await (const _ of fetchRunPages(client(emulator.url, watch.fetch), request)) {
        handedOut++;
        if (handedOut === 1) {
          // Request 2 is answered while the caller is busy; only then is the
          // fault queued, so request 3 gets it.
          await watch.reached("received", 2, "page 2 was not answered while the caller worked");
          emulator.injectFaults([{ status: 403 }]);
        }
      }
    }, AuthError);
    assertEquals(handedOut, 2, "pages 1 and 2 were handed out before the failure surfaced");
  });
});

Deno.test("fetchRunPages: a malformed run names its path; an unknown project is NotFoundError", async () => {
  await withEmulator({}, async (emulator) => {
    const page = (node: unknown) =>
      JSON.stringify({
        data: {
          project: {
            candidates: {
              edges: [{ cursor: "c0", node }],
              pageInfo: { hasNextPage: false, endCursor: "c0" },
            },
          },
        },
      });
    emulator.injectFaults([{ status: 200, body: page({ name: "x", config: "{broken" }) }]);
    await assertRejects(
      () => fetchRuns(client(emulator.url), { ...request, baselines: null }),
      ServerError,
      "unexpected shape at data.project.candidates.edges.0.node.config: not JSON",
    );
    emulator.injectFaults([{ status: 200, body: page({ name: 7 }) }]);
    await assertRejects(
      () => fetchRuns(client(emulator.url), { ...request, baselines: null }),
      ServerError,
      "at data.project.candidates.edges.0.node.name",
    );
    await assertRejects(
      () => fetchRuns(client(emulator.url), { ...request, project: "nope" }),
      NotFoundError,
      "W&B project acme/nope not found",
    );
  });
});
