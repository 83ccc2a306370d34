/**
 * Commit history, for a baseline that exists: the first-parent chain a
 * baseline search and a trend walk, and the merge base of a pull request.
 * One interface, two sources (the local git checkout, GitHub's API), and the
 * rule that picks one.
 *
 * @module
 */

/** One commit of a first-parent chain. */
export interface Commit {
  /** Its full SHA. */
  sha: string;
  /** When it was committed (ISO 8601), when the source says. */
  date?: string;
}

/** A first-parent chain, newest first, and why it may be shorter than asked. */
export interface Chain {
  /** The commit asked for, then its first parent, and so on. */
  commits: Commit[];
  /** Why the chain stops early (a shallow clone, a very branchy history), when it does. */
  note?: string;
}

/** Where history comes from. */
export interface HistorySource {
  /** For messages: "the git checkout in /w/repo", "GitHub's API (acme/vision)". */
  readonly name: string;
  /**
   * The first-parent chain from `sha`: `sha` first, then up to `count − 1`
   * ancestors, fewer when the history ends (a root commit) or the source
   * holds no more (then `note` says why).
   *
   * @throws {import("../ground/errors.ts").InvalidInputError} when the source does not hold `sha`
   */
  firstParents(sha: string, count: number): Promise<Chain>;
  /**
   * The best common ancestor of two commits: where a pull request branched.
   *
   * @throws {import("../ground/errors.ts").InvalidInputError} when the source holds neither commit
   */
  mergeBase(base: string, head: string): Promise<string>;
}

/** The most commits a baseline search or a trend may walk back. */
export const MAX_HISTORY = 500;
