/**
 * Accepting a regression on purpose: a `/accept-regression REASON` comment
 * on a pull request, by someone allowed, turns the check on the PR's current
 * head to success ("regression accepted by @login") and records who, when,
 * which head and why in the sticky comment, visibly and in its hidden state,
 * so a later report on the same head keeps it. A new push gets a fresh
 * verdict: an acceptance names one commit. Someone not allowed, or an accept
 * without a reason, gets a short reply and nothing changes.
 *
 * @module
 */
import { decideComment, EVENT_PATH_INPUT, IssueCommentEventSchema } from "./github/mod.ts";
import type { GitHubClient } from "./github/mod.ts";
import { findComment, prHead, type RepoRef, upsertComment } from "./github/mod.ts";
import { setCommitStatus, statusContext } from "./github/mod.ts";
import { InvalidInputError } from "./ground/errors.ts";
import { parseWith } from "./ground/parse.ts";
import {
  type Acceptance,
  commentMarker,
  readAcceptance,
  withAcceptance,
  withState,
} from "./ground/marker.ts";
import { type AuthorAssociation, AuthorAssociationSchema } from "./ground/model.ts";
import { acceptedStatus, renderAcceptance } from "./report/acceptance.ts";

/** How an accept comment must look, and who may send one. */
export interface AcceptRules {
  /** The phrase that must start a line (`/accept-regression`). */
  phrase: string;
  /** Author associations that may accept. */
  allowed: readonly AuthorAssociation[];
  /** Whether the PR's author may accept on their own PR (default no: someone else decides). */
  allowAuthor: boolean;
}

/** Where the report's check and comment live. */
export interface AcceptTarget {
  /** The report key: the status context `wandb-report/KEY` and the comment's marker. */
  reportKey: string;
  /** The workflow's name, in the comment's marker. */
  workflow: string;
  /** Where the status links to. */
  targetUrl?: string;
}

/** What an accept comment came to. */
export type AcceptOutcome =
  | { kind: "ignored"; reason: string }
  | { kind: "refused"; prNumber: number; user: string; reply: string }
  | { kind: "accepted"; prNumber: number; acceptance: Acceptance; commentUrl: string };

/**
 * Decides on an `issue_comment` payload and carries an accept out: the
 * status on the PR head, the acceptance in the sticky comment; or one reply
 * when it is refused.
 *
 * @throws {InvalidInputError} for a payload that is no comment event
 * @throws {import("./ground/errors.ts").ApiError} when GitHub fails for good
 *
 * @example
 * ```ts ignore
 * import { acceptRegression } from "./accept.ts";
 * const outcome = await acceptRegression(client, repo, payload, rules, target, new Date());
 * console.log(outcome.kind);
 * ```
 */
export async function acceptRegression(
  client: GitHubClient,
  repo: RepoRef,
  payload: unknown,
  rules: AcceptRules,
  target: AcceptTarget,
  now: Date,
): Promise<AcceptOutcome> {
  const event = parseWith(
    IssueCommentEventSchema,
    payload,
    (problem) =>
      new InvalidInputError(
        EVENT_PATH_INPUT,
        "an issue_comment event payload",
        undefined,
        `${problem.path || "payload"}: ${problem.message}`,
      ),
  );
  // Anyone's comment is read for the phrase: a refusal is said, not silent.
  const decision = await decideComment(event, {
    phrase: rules.phrase,
    allowed: AuthorAssociationSchema.options,
  });
  if (!decision.triggered) return { kind: "ignored", reason: decision.reason };
  const user = event.comment.user.login;
  const number = event.issue.number;
  const marker = commentMarker(target.reportKey, target.workflow);
  const reason = decision.command.trailingLine.trim();
  const reply = refusal(event, reason, rules);
  if (reply !== undefined) {
    await upsertComment(
      client,
      repo,
      number,
      replyMarker(marker),
      `${replyMarker(marker)}\n${reply}`,
    );
    return { kind: "refused", prNumber: number, user, reply };
  }
  const pr = await prHead(client, repo, number);
  const acceptance: Acceptance = {
    sha: pr.headRefOid,
    by: user,
    at: now.toISOString().replace(/\.\d+Z$/, "Z"),
    reason,
  };
  const url = await recordAcceptance(client, repo, number, marker, acceptance);
  await setCommitStatus(client, repo, acceptance.sha, {
    state: "success",
    context: statusContext(target.reportKey),
    description: acceptedStatus(acceptance),
    targetUrl: target.targetUrl,
  });
  return { kind: "accepted", prNumber: number, acceptance, commentUrl: url };
}

/**
 * Why an accept comment changes nothing, as the reply says it; `undefined`
 * when it may go ahead. The PR's author never accepts on their own PR
 * unless allowed (someone else decides); others need an allowed
 * association; everyone needs a reason.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { refusal } from "./accept.ts";
 * const event = {
 *   issue: { user: { login: "ana" } },
 *   comment: { user: { login: "ana" }, author_association: "MEMBER" as const },
 * };
 * const rules = { phrase: "/accept-regression", allowed: ["MEMBER" as const], allowAuthor: false };
 * assertEquals(refusal(event, "faster", rules)?.startsWith("@ana: a regression on your own"), true);
 * assertEquals(refusal(event, "faster", { ...rules, allowAuthor: true }), undefined);
 * ```
 */
export function refusal(
  event: {
    issue: { user?: { login: string } | null };
    comment: { user: { login: string }; author_association: AuthorAssociation };
  },
  reason: string,
  rules: AcceptRules,
): string | undefined {
  const user = event.comment.user.login;
  const association = event.comment.author_association;
  const own = event.issue.user?.login === user;
  if (own && !rules.allowAuthor) {
    return `@${user}: a regression on your own pull request is accepted by someone else ` +
      `(${rules.allowed.join(", ")}); nothing changed.`;
  }
  if (!own && !rules.allowed.includes(association)) {
    return `@${user}: only ${rules.allowed.join(", ")} may accept a regression here ` +
      `(you are ${association}); nothing changed.`;
  }
  if (reason === "") {
    return `@${user}: say why, on the same line: \`${rules.phrase} smaller model, 2x faster\`; ` +
      "nothing changed.";
  }
  return undefined;
}

/**
 * Records an acceptance in the PR's sticky comment (the report stays as it
 * is, under it; with no report yet, the acceptance alone); returns its URL.
 */
async function recordAcceptance(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  marker: string,
  acceptance: Acceptance,
): Promise<string> {
  const { comment } = await findComment(client, repo, number, marker);
  const body = comment?.body ?? withState(marker, "pass", "_No report on this commit yet._");
  const written = await upsertComment(
    client,
    repo,
    number,
    marker,
    withAcceptance(body, acceptance, renderAcceptance(acceptance)),
  );
  return "url" in written ? written.url ?? "" : "";
}

/** The marker of the one reply to refused accepts (updated in place, never a pile). */
function replyMarker(marker: string): string {
  return marker.replace(/^<!-- wandb-report key=/, "<!-- wandb-report reply key=");
}

/**
 * An acceptance that still holds for a report on `sha`: the one the earlier
 * comment records, when it names that very commit (a new push never keeps one).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { acceptanceFor } from "./accept.ts";
 * assertEquals(acceptanceFor(undefined, "a".repeat(40)), undefined);
 * ```
 */
export function acceptanceFor(earlier: string | undefined, sha: string): Acceptance | undefined {
  const acceptance = earlier === undefined ? undefined : readAcceptance(earlier);
  return acceptance && acceptance.sha === sha ? acceptance : undefined;
}

/**
 * A new report's body with the acceptance of its commit carried over from
 * the comment it replaces; the body as it is when there is none.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { carryAcceptance } from "./accept.ts";
 * assertEquals(carryAcceptance("<!-- m -->\n<!-- s -->\nnew", undefined), "<!-- m -->\n<!-- s -->\nnew");
 * ```
 */
export function carryAcceptance(body: string, acceptance: Acceptance | undefined): string {
  return acceptance ? withAcceptance(body, acceptance, renderAcceptance(acceptance)) : body;
}

/**
 * The acceptance the PR's sticky comment records for `sha`, if any: what a
 * later report on the same head keeps.
 *
 * @throws {import("./ground/errors.ts").ApiError} when GitHub fails for good
 *
 * @example
 * ```ts ignore
 * import { acceptanceOn } from "./accept.ts";
 * const kept = await acceptanceOn(client, repo, 7, marker, sha);
 * ```
 */
export async function acceptanceOn(
  client: GitHubClient,
  repo: RepoRef,
  prNumber: number,
  marker: string,
  sha: string,
): Promise<Acceptance | undefined> {
  const { comment } = await findComment(client, repo, prNumber, marker);
  return acceptanceFor(comment?.body, sha);
}

/**
 * A report's step outputs once a regression on its commit was accepted:
 * a failing verdict becomes `accepted` (the check success, saying who);
 * any other verdict stands.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { acceptedOutputs } from "./accept.ts";
 * const acceptance = { sha: "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345", by: "ana", at: "", reason: "x" };
 * const outputs = { GATE_PASSED: "False", GATE_VERDICT: "failed", STATUS_STATE: "failure" };
 * assertEquals(acceptedOutputs(outputs, acceptance).GATE_VERDICT, "accepted");
 * assertEquals(acceptedOutputs(outputs, undefined), outputs);
 * ```
 */
export function acceptedOutputs(
  outputs: Record<string, string>,
  acceptance: Acceptance | undefined,
): Record<string, string> {
  if (!acceptance || outputs.STATUS_STATE !== "failure") return outputs;
  return {
    ...outputs,
    GATE_PASSED: "True",
    GATE_VERDICT: "accepted",
    STATUS_STATE: "success",
    STATUS_DESCRIPTION: acceptedStatus(acceptance),
    ACCEPTED_BY: acceptance.by,
  };
}
