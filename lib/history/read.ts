/**
 * Which history to read, and reading it: the local checkout first, when it
 * holds the commits; else GitHub's API, with the token the workflow already
 * has; with neither, an input error naming what is missing.
 *
 * @module
 */
import { InvalidInputError } from "../ground/errors.ts";
import { gitHistory, HEX } from "./git.ts";
import type { Chain, HistorySource } from "./source.ts";

/** Where history may come from. */
export interface HistoryPlaces {
  /** The working directory that may be a checkout (`GITHUB_WORKSPACE`, or the current one). */
  cwd: string;
  /** GitHub's API for the repository, when a token and the repository are known. */
  github?: () => HistorySource;
  /** The input that asked for history, for the error (`--baseline-search`, `--trend`). */
  input: string;
  /** The input that named the commit the history starts from (`--baseline-sha`), for its error. */
  commitInput?: string;
}

/** A history starts from a commit's SHA: a branch or tag name is said first, as the cause. */
function checkStart(sha: string, places: HistoryPlaces): void {
  if (sha === "" || HEX.test(sha)) return;
  throw new InvalidInputError(
    places.commitInput ?? places.input,
    "a hexadecimal commit SHA to read the history from (a branch or tag name such as main " +
      "is not resolved: pass its SHA, e.g. $(git rev-parse main))",
    sha,
  );
}

/** A chain read, where it came from, and what the user should know. */
export interface ChainRead extends Chain {
  /** The source it came from. */
  source: string;
  /** Notes: a shallow clone, a fallback taken. */
  notes: string[];
}

/**
 * The first-parent chain of `count` commits from `sha`, from the checkout
 * when it holds them, else from GitHub (a shallow clone that stops short is
 * said, and GitHub asked instead when it can be).
 *
 * @throws {InvalidInputError} when no source can be read, or none holds `sha`
 * @throws {import("../ground/errors.ts").ApiError} when GitHub fails for good
 *
 * @example
 * ```ts ignore
 * import { readChain } from "./read.ts";
 * const chain = await readChain(sha, 51, { cwd: Deno.cwd(), input: "--baseline-search" });
 * console.log(chain.commits.length, chain.source);
 * ```
 */
export async function readChain(
  sha: string,
  count: number,
  places: HistoryPlaces,
): Promise<ChainRead> {
  checkStart(sha, places);
  const local = await gitHistory(places.cwd, sha);
  if ("source" in local) {
    const chain = await local.source.firstParents(sha, count);
    if (!chain.note || !places.github) {
      return { ...chain, source: local.source.name, notes: chain.note ? [chain.note] : [] };
    }
    const remote = places.github();
    const fuller = await remote.firstParents(sha, count);
    return {
      ...fuller,
      source: remote.name,
      notes: [
        `${chain.note}; the history came from ${remote.name}`,
        ...(fuller.note ? [fuller.note] : []),
      ],
    };
  }
  if (!places.github) throw noHistory(places, local.reason);
  const remote = places.github();
  const chain = await remote.firstParents(sha, count);
  return { ...chain, source: remote.name, notes: chain.note ? [chain.note] : [] };
}

/**
 * The merge base of two commits, from the checkout when it holds both, else
 * from GitHub's compare API.
 *
 * @throws {InvalidInputError} when no source can be read
 * @throws {import("../ground/errors.ts").ApiError} when GitHub fails for good
 */
export async function readMergeBase(
  base: string,
  head: string,
  places: HistoryPlaces,
): Promise<{ sha: string; source: string }> {
  checkStart(base, places);
  const local = await gitHistory(places.cwd, head);
  if ("source" in local) {
    try {
      return { sha: await local.source.mergeBase(base, head), source: local.source.name };
    } catch (error) {
      if (!(error instanceof InvalidInputError) || !places.github) throw error;
    }
  }
  if (!places.github) throw noHistory(places, "reason" in local ? local.reason : "git found none");
  const remote = places.github();
  return { sha: await remote.mergeBase(base, head), source: remote.name };
}

function noHistory(places: HistoryPlaces, why: string): InvalidInputError {
  return new InvalidInputError(
    places.input,
    "a commit history to read: run where the repository is checked out (git, with " +
      "--allow-run=git), or give GITHUB_TOKEN and GITHUB_REPOSITORY for GitHub's API",
    undefined,
    why,
  );
}
