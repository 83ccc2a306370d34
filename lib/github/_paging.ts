/**
 * Paging a GitHub connection forward to its end, cycle-proof: a server that
 * hands out a cursor again, or more pages than its own count needs, is
 * stopped with a {@link ServerError} instead of paging forever.
 *
 * @module
 */
import { ServerError } from "../ground/errors.ts";

/** One page of a connection, as GitHub's GraphQL API answers it. */
export interface Page<T> {
  /** Every node of the connection. */
  totalCount: number;
  /** Where the next page starts. */
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** This page's nodes. */
  nodes: readonly T[];
}

/** Every page of a connection, from the first; `what` names it in the error ("the open pull requests of o/r"). */
export async function* everyPage<T>(
  fetchPage: (after: string | null) => Promise<Page<T>>,
  what: string,
): AsyncGenerator<readonly T[], void, undefined> {
  const seen = new Set<string>();
  let after: string | null = null;
  for (let pages = 1;; pages++) {
    const page: Page<T> = await fetchPage(after);
    yield page.nodes;
    const cursor = page.pageInfo.endCursor;
    if (!page.pageInfo.hasNextPage || cursor === null) return;
    if (seen.has(cursor) || pages > Math.ceil(page.totalCount / 100) + 1) {
      throw new ServerError(`GitHub kept paging ${what} (page ${pages}); stopped`, 200);
    }
    seen.add(cursor);
    after = cursor;
  }
}
