/**
 * The merge queue: a `merge_group` event asks every required check for a
 * verdict on the group's commit, which nothing trains on. Our verdict there
 * is the verdict we already gave each pull request of the group on its own
 * head commit (our status: success, or a regression accepted on purpose);
 * no W&B query is made. Any other state (failed, pending, none) fails the
 * group, naming the pull request: a queue never waits forever, and never
 * passes on a verdict it cannot see.
 *
 * @module
 */
import { z } from "zod";
import { InvalidInputError } from "./ground/errors.ts";
import { parseWith } from "./ground/parse.ts";
import { type CheckState, commitCheck, mergeQueueEntries } from "./github/mod.ts";
import type { GitHubClient } from "./github/mod.ts";
import { EVENT_PATH_INPUT, readEventFile } from "./github/mod.ts";
import { prHead, type RepoRef } from "./github/mod.ts";
import { NotFoundError } from "./ground/errors.ts";
import { FULL_SHA } from "./ground/model.ts";

/** The `merge_group` payload, the parts we read (GitHub's `checks_requested` event). */
export const MergeGroupEventSchema = z.object({
  action: z.string(),
  merge_group: z.object({
    head_sha: z.string().regex(FULL_SHA, "a 40-character commit SHA"),
    head_ref: z.string(),
    base_ref: z.string(),
    base_sha: z.string().optional(),
  }).loose(),
}).loose();

/** A merge group, as its event names it. */
export interface MergeGroup {
  /** The group's commit: where the check goes. */
  headSha: string;
  /** The base branch (`main`). */
  baseBranch: string;
  /** The pull request the queue ref names (the group's last). */
  prNumber: number;
}

/**
 * Reads a `merge_group` event: the group's commit, its base branch, and the
 * pull request its queue ref names (`refs/heads/gh-readonly-queue/<base>/pr-<N>-<sha>`).
 *
 * @throws {InvalidInputError} for another shape of payload or ref
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseMergeGroup } from "./queue.ts";
 * const group = parseMergeGroup({
 *   action: "checks_requested",
 *   merge_group: {
 *     head_sha: "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d",
 *     head_ref: "refs/heads/gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64",
 *     base_ref: "refs/heads/main",
 *   },
 * }, "GITHUB_EVENT_PATH");
 * assertEquals([group.baseBranch, group.prNumber], ["main", 104]);
 * ```
 */
export function parseMergeGroup(payload: unknown, source: string): MergeGroup {
  const event = parseWith(MergeGroupEventSchema, payload, (problem) =>
    new InvalidInputError(
      source,
      "a merge_group event payload",
      undefined,
      `${problem.path || "payload"}: ${problem.message}`,
    ));
  const { head_sha: headSha, head_ref: headRef, base_ref: baseRef } = event.merge_group;
  const baseBranch = baseRef.replace(/^refs\/heads\//, "");
  const found = /^(?:refs\/heads\/)?gh-readonly-queue\/(.+)\/pr-(\d{1,9})-[0-9a-f]{40}$/.exec(
    headRef,
  );
  if (!found) {
    throw new InvalidInputError(
      `${source}: merge_group.head_ref`,
      "a merge queue ref gh-readonly-queue/<base>/pr-<N>-<sha>",
      headRef.slice(0, 200),
    );
  }
  return { headSha, baseBranch, prNumber: Number(found[2]) };
}

/** One pull request of the group and the verdict it has. */
export interface GroupMember {
  /** The pull request. */
  number: number;
  /** Its head commit, when known. */
  headSha?: string;
  /** Our check on that head, when there is one. */
  check?: CheckState;
  /** Whether it lets the group pass: success (a passed gate, or a regression accepted). */
  ok: boolean;
  /** In words: "#104 passed", "#103: gate failed: val_acc:max …". */
  words: string;
}

/** The group's verdict. */
export interface QueueVerdict {
  /** The group's commit. */
  sha: string;
  /** `success` when every pull request's verdict is success, else `failure`. */
  state: "success" | "failure";
  /** For the status (at most 140 characters are kept by GitHub). */
  description: string;
  /** Every pull request judged, in queue order. */
  members: GroupMember[];
  /** What the user should know (how the group was found). */
  notes: string[];
}

/**
 * The verdict on a merge group: each pull request in it (the queue's entries
 * up to the group's own, from GitHub's API; the pull request of the queue
 * ref alone when the API does not list it) judged by our check on its head.
 *
 * @throws {import("./ground/errors.ts").ApiError} when GitHub fails for good
 *
 * @example
 * ```ts ignore
 * import { judgeMergeGroup, parseMergeGroup } from "./queue.ts";
 * const verdict = await judgeMergeGroup(client, repo, parseMergeGroup(event, "event"), context);
 * console.log(verdict.state, verdict.description);
 * ```
 */
export async function judgeMergeGroup(
  client: GitHubClient,
  repo: RepoRef,
  group: MergeGroup,
  context: string,
): Promise<QueueVerdict> {
  const notes: string[] = [];
  const members = await groupMembers(client, repo, group, notes);
  const judged: GroupMember[] = [];
  for (const member of members) {
    if (!member.headSha) {
      judged.push({ ...member, ok: false, words: `#${member.number} not found` });
      continue;
    }
    const check = await commitCheck(client, repo, member.headSha, context);
    const short = member.headSha.slice(0, 7);
    const ok = check?.state === "success";
    const words = !check
      ? `#${member.number} has no ${context} verdict on its head ${short}`
      : ok
      ? `#${member.number} ${
        /^regression accepted/.test(check.description) ? "accepted" : "passed"
      }`
      : `#${member.number} is ${check.state} on ${short}${
        check.description ? ` (${check.description})` : ""
      }`;
    judged.push({ ...member, check, ok, words });
  }
  const bad = judged.filter((m) => !m.ok);
  const state = bad.length === 0 && judged.length > 0 ? "success" : "failure";
  const description = state === "success"
    ? `merge group: ${judged.map((m) => m.words).join(", ")}`
    : `merge group blocked: ${bad.map((m) => m.words).join("; ")}`;
  return { sha: group.headSha, state, description, members: judged, notes };
}

/** The pull requests a merge group holds, with their heads. */
async function groupMembers(
  client: GitHubClient,
  repo: RepoRef,
  group: MergeGroup,
  notes: string[],
): Promise<{ number: number; headSha?: string }[]> {
  const entries = await mergeQueueEntries(client, repo, group.baseBranch).catch((error) => {
    // A token or a GitHub that cannot read the queue: the ref's pull request still tells.
    if (error instanceof NotFoundError) return [];
    throw error;
  });
  const own = entries.find((e) => e.groupSha === group.headSha) ??
    entries.find((e) => e.pr.number === group.prNumber);
  if (own) {
    // Each entry's group is built on the ones ahead of it: all of them are in this commit.
    return entries.filter((e) => e.position <= own.position).map((e) => ({
      number: e.pr.number,
      headSha: e.pr.headSha,
    }));
  }
  notes.push(
    `the merge queue of ${group.baseBranch} does not list this group: judged by pull request ` +
      `#${group.prNumber} of its ref alone`,
  );
  try {
    const pr = await prHead(client, repo, group.prNumber);
    return [{ number: pr.number, headSha: pr.headRefOid }];
  } catch (error) {
    if (error instanceof NotFoundError) return [{ number: group.prNumber }];
    throw error;
  }
}

/**
 * Reads the event file of a `merge_group` run.
 *
 * @throws {InvalidInputError} for an unreadable file, or one that is not such an event
 */
export async function readMergeGroup(eventName: string, eventPath: string): Promise<MergeGroup> {
  if (eventName !== "merge_group") {
    throw new InvalidInputError("GITHUB_EVENT_NAME", "merge_group", eventName);
  }
  return parseMergeGroup(await readEventFile(eventPath), EVENT_PATH_INPUT);
}
