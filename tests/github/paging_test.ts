// lib/github/_paging.ts as a unit: every page of a connection in order, and a
// server that pages in circles or past its own count stopped with a
// ServerError (exit 3) instead of paging forever.
import { ServerError } from "../../lib/ground/errors.ts";
import { everyPage, type Page } from "../../lib/github/_paging.ts";
import { assertEquals, assertRejects } from "../_assert.ts";

/** A connection of `total` numbers served 100 a page, cursors as positions. */
function connection(total: number, asked: (string | null)[]) {
  return (after: string | null): Promise<Page<number>> => {
    asked.push(after);
    const start = after === null ? 0 : Number(after);
    const end = Math.min(total, start + 100);
    return Promise.resolve({
      totalCount: total,
      pageInfo: { hasNextPage: end < total, endCursor: end > start ? String(end) : null },
      nodes: Array.from({ length: end - start }, (_, i) => start + i),
    });
  };
}

async function all<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const nodes of pages) out.push(...nodes);
  return out;
}

Deno.test("paging: every page in order from the first, each asked once", async () => {
  for (const total of [0, 1, 100, 101, 250]) {
    const asked: (string | null)[] = [];
    const nodes = await all(everyPage(connection(total, asked), "the test's connection"));
    assertEquals(nodes, Array.from({ length: total }, (_, i) => i));
    assertEquals(asked.length, Math.max(1, Math.ceil(total / 100)));
    assertEquals(asked[0], null);
  }
});

Deno.test("paging: a cursor handed out again, or pages beyond the count's need, stop with a ServerError naming what was paged", async () => {
  const cycling = (after: string | null): Promise<Page<number>> =>
    Promise.resolve({
      totalCount: 1_000,
      pageInfo: { hasNextPage: true, endCursor: after === "b" ? "a" : after === "a" ? "b" : "a" },
      nodes: [1],
    });
  const cycle = await assertRejects(
    () => all(everyPage(cycling, "the open pull requests of acme/vision")),
    ServerError,
  );
  assertEquals(
    cycle.message,
    "GitHub kept paging the open pull requests of acme/vision (page 3); stopped",
  );
  let n = 0;
  const endless = (): Promise<Page<number>> =>
    Promise.resolve({
      totalCount: 150,
      pageInfo: { hasNextPage: true, endCursor: `c${++n}` },
      nodes: [n],
    });
  const error = await assertRejects(() => all(everyPage(endless, "the history")), ServerError);
  // 150 needs 2 pages; one more is allowed for a count that moved while paging.
  assertEquals(error.message, "GitHub kept paging the history (page 4); stopped");
  assertEquals(n, 4);
});
