import {
  type RetryDeps,
  sendWithRetry,
  serverDelayMs,
  TransportFailure,
} from "../../lib/ground/retry.ts";
import { assertEquals, assertRejects } from "../_assert.ts";

/** A fake HTTP layer answering from a script, and a fake clock. */
function scripted(script: (Response | Error)[]) {
  let t = 0;
  const sleeps: number[] = [];
  let calls = 0;
  const deps: RetryDeps = {
    fetch: () => {
      const next = script[Math.min(calls++, script.length - 1)]!;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next.clone());
    },
    sleep: (ms) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
    now: () => t,
    random: () => 0,
  };
  return { deps, sleeps, calls: () => calls };
}

const req = { url: "http://127.0.0.1:9/graphql", init: { method: "POST", body: "{}" } };
const policy = { maxAttempts: 5, maxElapsedMs: 60_000, timeoutMs: 1000, baseDelayMs: 1000 };
const status = (code: number, headers: Record<string, string> = {}) =>
  new Response(`{"status":${code}}`, { status: code, headers });

Deno.test("sendWithRetry: exponential backoff, then success", async () => {
  const s = scripted([status(500), status(502), status(503), status(200)]);
  const result = await sendWithRetry(req, policy, s.deps);
  assertEquals([result.status, result.attempts, result.body], [200, 4, '{"status":200}']);
  assertEquals(s.sleeps, [1000, 2000, 4000]);
});

Deno.test("sendWithRetry: jitter adds at most 25 %", async () => {
  const s = scripted([status(500), status(500), status(200)]);
  await sendWithRetry(req, policy, { ...s.deps, random: () => 0.999 });
  assertEquals(s.sleeps.map(Math.round), [1250, 2500]);
});

Deno.test("sendWithRetry: honours RateLimit-Reset and Retry-After (seconds and dates)", async () => {
  // The wall clock is pinned: an HTTP date 30 s ahead of it is a 30 s wait, exactly.
  const wall = Date.parse("2026-12-05T12:00:00Z");
  const future = new Date(wall + 30_000).toUTCString();
  const s = scripted([
    status(429, { "RateLimit-Reset": "4" }),
    status(429, { "Retry-After": "2" }),
    status(503, { "Retry-After": future }),
    status(200),
  ]);
  await sendWithRetry(req, policy, { ...s.deps, wallClock: () => wall });
  assertEquals(s.sleeps, [4000, 2000, 30_000]);
});

Deno.test("sendWithRetry: never retries 400, 401, 403, 404, 409, 501", async () => {
  for (const code of [400, 401, 403, 404, 409, 501]) {
    const s = scripted([status(code), status(200)]);
    const result = await sendWithRetry(req, policy, s.deps);
    assertEquals([result.status, result.attempts, s.calls()], [code, 1, 1]);
  }
});

Deno.test("sendWithRetry: bounded by attempts; returns the last response", async () => {
  const s = scripted([status(503)]);
  const logs: string[] = [];
  const result = await sendWithRetry(req, { ...policy, maxAttempts: 3 }, {
    ...s.deps,
    log: (l) => logs.push(l),
  });
  assertEquals([result.status, result.attempts, s.calls()], [503, 3, 3]);
  assertEquals(logs.at(-1), "giving up after 3 attempts (HTTP 503)");
});

Deno.test("sendWithRetry: bounded by total time; no pointless last wait", async () => {
  const s = scripted([status(503)]);
  const result = await sendWithRetry(
    req,
    { ...policy, maxAttempts: 20, maxElapsedMs: 10_000 },
    s.deps,
  );
  // 1 + 2 + 4 = 7 s slept; the next wait (8 s) would pass 10 s, so it stops.
  assertEquals(s.sleeps, [1000, 2000, 4000]);
  assertEquals(result.attempts, 4);
});

Deno.test("sendWithRetry: backoff is capped", async () => {
  const s = scripted([status(500)]);
  await sendWithRetry(
    req,
    { ...policy, maxAttempts: 8, maxElapsedMs: 1e9, maxDelayMs: 5000 },
    s.deps,
  );
  assertEquals(s.sleeps, [1000, 2000, 4000, 5000, 5000, 5000, 5000]);
});

Deno.test("sendWithRetry: network errors are retried, then reported", async () => {
  const s = scripted([new TypeError("connection reset"), status(200)]);
  assertEquals((await sendWithRetry(req, policy, s.deps)).attempts, 2);
  const down = scripted([new TypeError("connection refused")]);
  const error = await assertRejects(
    () => sendWithRetry(req, { ...policy, maxAttempts: 2 }, down.deps),
    TransportFailure,
    "connection refused, after 2 attempts",
  );
  assertEquals([error.attempts, error.timedOut], [2, false]);
});

Deno.test("sendWithRetry: a real per-attempt timeout", async () => {
  const hang: typeof fetch = (_input, init) =>
    new Promise((_, reject) =>
      init?.signal?.addEventListener("abort", () => reject(init.signal!.reason))
    );
  const error = await assertRejects(
    () =>
      sendWithRetry(req, { ...policy, maxAttempts: 2, timeoutMs: 20 }, {
        fetch: hang,
        sleep: () => Promise.resolve(),
      }),
    TransportFailure,
    "no answer within 0.02 s, after 2 attempts",
  );
  assertEquals(error.timedOut, true);
});

Deno.test("serverDelayMs: the later of the two headers; junk ignored", () => {
  assertEquals(serverDelayMs(new Headers()), undefined);
  assertEquals(serverDelayMs(new Headers({ "Retry-After": "1.5" })), 1500);
  assertEquals(serverDelayMs(new Headers({ "Retry-After": "2", "RateLimit-Reset": "5" })), 5000);
  assertEquals(serverDelayMs(new Headers({ "Retry-After": "soon" })), undefined);
  assertEquals(serverDelayMs(new Headers({ "Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT" })), 0);
});
