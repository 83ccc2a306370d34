import { AuthError, NotFoundError, ServerError } from "../lib/errors.ts";
import { WandbClient } from "../lib/wandb/client.ts";
import { fetchRunPages, fetchRuns, type FetchRunsRequest } from "../lib/wandb/fetch.ts";
import { API_KEY, SHA, withEmulator } from "./_helpers.ts";
import { assertEquals, assertRejects } from "./_assert.ts";

const client = (url: string) =>
  new WandbClient({
    baseUrl: url,
    apiKey: API_KEY,
    retry: { maxAttempts: 2, maxElapsedMs: 5_000, timeoutMs: 5_000, baseDelayMs: 1 },
  });

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
    for await (const batch of fetchRunPages(client(emulator.url), request)) {
      sizes.push([batch.candidates.length, batch.baselines.length]);
      // While the caller works, the next page is already requested.
      if (sizes.length === 1) assertEquals(emulator.stats.requests, 2);
    }
    assertEquals(sizes, [[3, 2], [3, 0], [1, 0]]);
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
    await assertRejects(async () => {
      for await (const _ of fetchRunPages(client(emulator.url), request)) {
        handedOut++;
        if (handedOut === 1) emulator.injectFaults([{ status: 403 }]);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }, AuthError);
    // The fault was queued after request 2 had already gone out, so request 3 got it.
    assertEquals(handedOut, 2);
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
