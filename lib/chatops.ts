/**
 * The chatops step: from the event that started the workflow to the commit
 * (or run) to report on, with the old `actions-chatops` outputs.
 *
 * It never trusts the comment: the trigger needs a new comment on a pull
 * request, by an allowed author, with the phrase starting a line; the PR's
 * head comes from GitHub's API, not from anything the commenter wrote.
 *
 * @module
 */
import { match, P } from "ts-pattern";
import { z } from "zod";
import { InvalidInputError } from "./ground/errors.ts";
import { parseWith } from "./ground/parse.ts";
import {
  type AuthorAssociation,
  type CommentMode,
  isFullSha,
  pyBool,
  RunIdSchema,
  ShaSchema,
} from "./ground/model.ts";
import { type RetryDeps, retryPolicy } from "./ground/retry.ts";
import { githubClientFor } from "./github/mod.ts";
import { githubHistory } from "./history/github.ts";
import {
  type CommentCommand,
  decideComment,
  EVENT_PATH_INPUT,
  type GitHubEvent,
  parseEvent,
  readEventFile,
} from "./github/mod.ts";
import type { GitHubClient } from "./github/mod.ts";
import {
  parseRepo,
  prHead,
  pullForHead,
  type PullRequestHead,
  type RepoRef,
} from "./github/mod.ts";

/** Validated chatops options. */
export interface ChatopsOptions {
  /** Token for GitHub's API; needed to look up a PR comment's head. */
  githubToken?: string;
  /** The command that must start a line of the comment. */
  triggerPhrase: string;
  /** Author associations that may trigger. */
  allowedAssociations: AuthorAssociation[];
  /** Report on this commit, whatever the event says. */
  sha?: string;
  /** The event's name. */
  eventName: string;
  /** The event payload file. */
  eventPath: string;
  /** When the workflow comments (validated here, before any request). */
  commentMode: CommentMode;
  /** Find the PR's merge base. */
  mergeBase: boolean;
  /** `owner/name`. */
  repository: string;
  /** The workflow's commit (push, schedule, dispatch). */
  githubSha?: string;
  /** Per-request timeout. */
  timeoutSeconds: number;
  /** Attempts per request. */
  maxAttempts: number;
  /** Retry budget. */
  maxRetrySeconds: number;
  /** Debug log. */
  debug: boolean;
}

/** The outcome of the chatops step. */
export interface ChatopsResult {
  /** Whether a report should run. */
  triggered: boolean;
  /** Why not, when it should not. */
  reason: string;
  /** The event's name. */
  eventName: string;
  /** The PR, for comment, pull_request and (when one has the commit) workflow_run events. */
  prNumber?: number;
  /** Who asked (the commenter, or the PR's author). */
  user: string;
  /** The branch the commit is on. */
  branch: string;
  /** The commit to report on. */
  sha: string;
  /** A run id asked for (`/get-runs ID`, or `client_payload.run_id`). */
  runId: string;
  /** The PR's base commit (comment and pull_request events), for `baseline: base`. */
  baseSha?: string;
  /** How long the comment asked to wait for the runs (`wait=30m`). */
  wait?: string;
  /** The comment's trailing word and line, as the old action gave them. */
  trailing: Pick<CommentCommand, "trailingToken" | "trailingLine">;
  /** The PR as GitHub reports it now (comment events, and workflow_run looked up by SHA). */
  pr?: PullRequestHead;
  /** Things to tell the user. */
  notes: string[];
  /** Whether the commit comes from a fork (when the event says so without a PR lookup). */
  fork?: boolean;
  /** The comment mode asked for, checked. */
  commentMode?: string;
  /** The PR's head commit (comment, pull_request and workflow_run events): where the status goes. */
  headSha?: string;
  /** Where the PR branched from its base (`--merge-base`). */
  mergeBaseSha?: string;
}

/** Extras for {@link runChatops}. */
export interface ChatopsDeps {
  /** Swap the HTTP layer (tests). */
  http?: RetryDeps;
  /** Debug log. */
  log?: (line: string) => void;
  /** Backoff base in ms (tests shorten it). */
  baseDelayMs?: number;
  /** The environment, for `GITHUB_API_URL`, `GITHUB_GRAPHQL_URL`, `GITHUB_ACTOR`, `GITHUB_REF_NAME`. */
  env?: Readonly<Record<string, string | undefined>>;
}

const NOT_TRIGGERED = { prNumber: undefined, branch: "", sha: "", runId: "" };

/** The payload of the event named N (a member whose names include N). */
type Payload<N extends GitHubEvent["name"]> = GitHubEvent extends infer E
  ? E extends { name: infer M; payload: infer P } ? N extends M ? P : never : never
  : never;

/** What every event's reading shares: the options, the environment, GitHub when needed. */
interface EventContext {
  options: ChatopsOptions;
  env: Readonly<Record<string, string | undefined>>;
  /** The fields every result starts from. */
  base: Pick<ChatopsResult, "commentMode" | "eventName" | "user" | "trailing" | "reason">;
  /** A GitHub client, or a one-line error saying why a token is needed. */
  github(why: string): GitHubClient;
  repo(): RepoRef;
  /** The workflow's commit (push, schedule, dispatch). */
  githubSha(): string;
}

function eventContext(options: ChatopsOptions, deps: ChatopsDeps, eventName: string): EventContext {
  const env = deps.env ?? {};
  return {
    options,
    env,
    base: {
      commentMode: options.commentMode,
      eventName,
      user: env.GITHUB_ACTOR ?? "",
      trailing: { trailingToken: "", trailingLine: "" },
      reason: "",
    },
    github(why) {
      if (!options.githubToken) {
        throw new InvalidInputError("GITHUB_TOKEN", `a token ${why} (pass github.token)`);
      }
      return githubClientFor({
        env,
        token: options.githubToken,
        retry: retryPolicy(options, deps.baseDelayMs),
        log: deps.log,
        http: deps.http,
      });
    },
    repo: () => parseRepo(options.repository, "GITHUB_REPOSITORY"),
    githubSha() {
      if (options.githubSha) return options.githubSha;
      throw new InvalidInputError("GITHUB_SHA", "the workflow's commit (set by the runner)");
    },
  };
}

/** A PR comment: triggered by an allowed author's phrase; the head comes from GitHub. */
async function onComment(
  ctx: EventContext,
  payload: Payload<"issue_comment">,
): Promise<ChatopsResult> {
  const { options } = ctx;
  const decision = await decideComment(payload, {
    phrase: options.triggerPhrase,
    allowed: options.allowedAssociations,
  });
  const user = payload.comment.user.login;
  if (!decision.triggered) {
    return {
      ...ctx.base,
      ...NOT_TRIGGERED,
      notes: [],
      user,
      triggered: false,
      reason: decision.reason,
    };
  }
  const client = ctx.github("to look up the pull request's head commit");
  const pr = await prHead(client, ctx.repo(), payload.issue.number);
  const { command } = decision;
  const notes: string[] = [];
  if (command.ignored.length) {
    const shown = command.ignored.slice(0, 5).map((w) => JSON.stringify(w.slice(0, 40)));
    const more = command.ignored.length > 5 ? ` and ${command.ignored.length - 5} more` : "";
    notes.push(
      `ignored what ${options.triggerPhrase} does not take: ${shown.join(", ")}${more}` +
        " (it takes a run id, run-id=ID, sha=SHA or wait=DURATION)",
    );
  }
  if (pr.state !== "OPEN") notes.push(`pull request #${pr.number} is ${pr.state.toLowerCase()}`);
  if (pr.isCrossRepository) {
    notes.push(
      `pull request #${pr.number} comes from ${
        pr.headRepository?.nameWithOwner ?? "a deleted fork"
      }; its head SHA is only used to look up runs, no code from it is run`,
    );
  }
  return {
    ...ctx.base,
    notes,
    triggered: true,
    user,
    prNumber: pr.number,
    branch: pr.headRefName,
    sha: options.sha ?? command.sha ?? pr.headRefOid,
    headSha: pr.headRefOid,
    runId: command.runId ?? "",
    baseSha: pr.baseRefOid,
    wait: command.wait,
    trailing: { trailingToken: command.trailingToken, trailingLine: command.trailingLine },
    pr,
  };
}

/** A pull request event: its head, never GITHUB_SHA (a temporary merge commit there). */
function onPullRequest(
  ctx: EventContext,
  payload: Payload<"pull_request">,
): ChatopsResult {
  return {
    ...ctx.base,
    notes: [],
    triggered: true,
    user: payload.pull_request.user.login,
    prNumber: payload.number,
    branch: payload.pull_request.head.ref,
    sha: ctx.options.sha ?? payload.pull_request.head.sha,
    headSha: payload.pull_request.head.sha,
    baseSha: payload.pull_request.base?.sha,
    runId: "",
  };
}

/**
 * A repository dispatch: `client_payload.sha` / `run_id`. One that names a
 * full commit (training's end, a W&B Automation) reports on its open PR, if
 * it has one: comment and status.
 */
async function onDispatch(
  ctx: EventContext,
  payload: Payload<"repository_dispatch">,
): Promise<ChatopsResult> {
  const client = payload.client_payload ?? {};
  const dispatched = parseWith(
    z.object({ sha: ShaSchema.optional(), run_id: RunIdSchema.optional() }),
    client,
    (problem) =>
      new InvalidInputError(
        `client_payload.${problem.path}`,
        problem.message,
        String(client[String(problem.key)]),
      ),
  );
  const sha = ctx.options.sha ?? dispatched.sha ?? ctx.githubSha();
  const notes: string[] = [];
  const { pr, note } = dispatched.sha && isFullSha(dispatched.sha)
    ? await pullForHead(
      ctx.github("to find the pull request of the commit"),
      ctx.repo(),
      dispatched.sha,
    )
    : {};
  if (note) notes.push(note);
  return {
    ...ctx.base,
    notes,
    triggered: true,
    branch: pr?.headRefName ?? ctx.env.GITHUB_REF_NAME ?? "",
    sha,
    runId: dispatched.run_id ?? "",
    ...(pr ? { prNumber: pr.number, headSha: pr.headRefOid, baseSha: pr.baseRefOid, pr } : {}),
  };
}

/**
 * The PRs GitHub listed for a workflow run that are ours: into this
 * repository (GitHub also lists other repositories' PRs with this head) and
 * of the run's head; the one the run's branch tells when several are.
 */
function listedPull(
  run: Payload<"workflow_run">["workflow_run"],
  here: Payload<"workflow_run">["repository"],
  notes: string[],
) {
  const ours = run.pull_requests.filter((pr) =>
    pr.head.sha === run.head_sha && pr.base.repo !== undefined &&
    (pr.base.repo.id !== undefined && here.id !== undefined
      ? pr.base.repo.id === here.id
      : pr.base.repo.url !== undefined && pr.base.repo.url === here.url)
  );
  const others = run.pull_requests.length - ours.length;
  if (others > 0) {
    notes.push(
      `${others} pull request${others === 1 ? "" : "s"} GitHub listed for the run ` +
        `${others === 1 ? "is" : "are"} not into ${here.full_name} (or not of its head): ignored`,
    );
  }
  const byBranch = ours.filter((pr) => pr.head.ref === run.head_branch);
  const listed = ours.length === 1 ? ours[0] : byBranch.length === 1 ? byBranch[0] : undefined;
  if (ours.length > 1 && listed === undefined) {
    notes.push(
      `${ours.length} pull requests of ${here.full_name} have head ${run.head_sha} and ` +
        "nothing tells which one this is: no comment; the status goes on the commit",
    );
  }
  return { listed, none: ours.length === 0 };
}

/**
 * A finished workflow run (training's): its head. GitHub names the PR only
 * for a branch of this repository; a fork's PR is found by its head commit.
 */
async function onWorkflowRun(
  ctx: EventContext,
  payload: Payload<"workflow_run">,
): Promise<ChatopsResult> {
  const run = payload.workflow_run;
  const notes: string[] = [];
  const fork = run.head_repository?.full_name !== undefined &&
    run.head_repository.full_name !== run.repository.full_name;
  if (fork) {
    notes.push(
      `the run of ${run.name ?? "the workflow"} came from ${run.head_repository!.full_name}; ` +
        "its head SHA is only used to look up runs, no code from it is run",
    );
  }
  const { listed, none } = listedPull(run, payload.repository, notes);
  let pr: PullRequestHead | undefined;
  if (listed === undefined && none) {
    const found = await pullForHead(
      ctx.github("to find the pull request of the commit"),
      ctx.repo(),
      run.head_sha,
      { repository: run.head_repository?.full_name, branch: run.head_branch ?? undefined },
    );
    if (found.note) notes.push(found.note);
    pr = found.pr;
  }
  return {
    ...ctx.base,
    notes,
    fork,
    triggered: true,
    headSha: run.head_sha,
    prNumber: listed?.number ?? pr?.number,
    branch: pr?.headRefName ?? run.head_branch ?? "",
    sha: ctx.options.sha ?? run.head_sha,
    baseSha: listed?.base.sha ?? pr?.baseRefOid,
    runId: "",
    pr,
  };
}

/**
 * Decides whether to report and on which commit.
 *
 * @throws {InvalidInputError} for an unreadable event, bad comment arguments, or no token when one is needed
 * @throws {import("./ground/errors.ts").ApiError} when GitHub fails for good
 *
 * @example
 * ```ts ignore
 * import { resolveChatopsInputs } from "./inputs/chatops.ts";
 * import { runChatops } from "./chatops.ts";
 * const run = resolveChatopsInputs([], Deno.env.toObject());
 * if (run.kind === "chatops") {
 *   const result = await runChatops(run.options, { env: Deno.env.toObject() });
 *   console.log(result.triggered ? result.sha : result.reason);
 * }
 * ```
 */
export async function runChatops(
  options: ChatopsOptions,
  deps: ChatopsDeps = {},
): Promise<ChatopsResult> {
  const payload = await readEventFile(options.eventPath);
  const event = parseEvent(options.eventName, payload, EVENT_PATH_INPUT);
  const ctx = eventContext(options, deps, event.name);
  const result = await match<GitHubEvent, Promise<ChatopsResult>>(event)
    .with({ name: "issue_comment" }, ({ payload }) => onComment(ctx, payload))
    .with(
      { name: P.union("pull_request", "pull_request_target") },
      ({ payload }) => Promise.resolve(onPullRequest(ctx, payload)),
    )
    .with({ name: "repository_dispatch" }, ({ payload }) => onDispatch(ctx, payload))
    .with({ name: "workflow_run" }, ({ payload }) => onWorkflowRun(ctx, payload))
    .with({ name: P.union("push", "schedule", "workflow_dispatch") }, () =>
      Promise.resolve({
        ...ctx.base,
        notes: [],
        triggered: true,
        branch: ctx.env.GITHUB_REF_NAME ?? "",
        sha: options.sha ?? ctx.githubSha(),
        runId: "",
      }))
    .exhaustive();
  const judged = statusSha(result);
  if (result.triggered && result.headSha !== undefined && judged !== result.headSha) {
    result.notes.push(
      `this report is on ${
        result.runId ? `run ${result.runId}` : `commit ${result.sha}`
      }, not on the pull request's head ${result.headSha}: no commit status is set, ` +
        "so the PR's check speaks only for its head's own runs",
    );
  }
  // The merge base: where the PR branched from its base (a stale base tip
  // would blame unrelated merges on the PR).
  if (options.mergeBase && result.triggered && result.baseSha && result.headSha) {
    const found = await githubHistory(ctx.github("to find the merge base"), ctx.repo())
      .mergeBase(result.baseSha, result.headSha);
    return { ...result, mergeBaseSha: found };
  }
  return result;
}

/**
 * The step outputs, named as the old `actions-chatops` named them, plus
 * `RUN_ID`, `REASON`, `EVENT_NAME` and the PR's state and origin.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { chatopsOutputs } from "./chatops.ts";
 * const outputs = chatopsOutputs({
 *   triggered: false, reason: "no phrase", eventName: "issue_comment", user: "ana",
 *   branch: "", sha: "", runId: "", trailing: { trailingToken: "", trailingLine: "" }, notes: [],
 * });
 * assertEquals(outputs.BOOL_TRIGGERED, "False");
 * ```
 */
export function chatopsOutputs(result: ChatopsResult): Record<string, string> {
  return {
    BOOL_TRIGGERED: pyBool(result.triggered),
    REASON: result.reason,
    EVENT_NAME: result.eventName,
    PULL_REQUEST_NUMBER: result.prNumber === undefined ? "" : String(result.prNumber),
    COMMENTER_USERNAME: result.user,
    BRANCH_NAME: result.branch,
    SHA: result.sha,
    RUN_ID: result.runId,
    TRAILING_TOKEN: result.trailing.trailingToken,
    TRAILING_LINE: result.trailing.trailingLine,
    BASE_SHA: result.baseSha ?? "",
    WAIT: result.wait ?? "",
    PR_STATE: result.pr?.state ?? "",
    BOOL_FORK: pyBool(result.fork ?? result.pr?.isCrossRepository ?? false),
    COMMENT_MODE: result.commentMode ?? "",
    MERGE_BASE_SHA: result.mergeBaseSha ?? "",
    HEAD_SHA: result.headSha ?? "",
    STATUS_SHA: statusSha(result) ?? "",
  };
}

/**
 * The commit a report's status may go on: the commit whose own runs are
 * judged, a full SHA; and only the PR's head when there is a PR. A run-id
 * report, or one on another commit (`/get-runs sha=OTHER`), sets none: it
 * must not turn the PR's required check green.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { statusSha } from "./chatops.ts";
 * const head = "a".repeat(40);
 * assertEquals(statusSha({ sha: head, runId: "", headSha: head }), head);
 * assertEquals(statusSha({ sha: "b".repeat(40), runId: "", headSha: head }), undefined);
 * assertEquals(statusSha({ sha: head, runId: "r1", headSha: head }), undefined);
 * ```
 */
export function statusSha(
  result: Pick<ChatopsResult, "sha" | "runId" | "headSha">,
): string | undefined {
  if (result.runId !== "" || !isFullSha(result.sha)) return undefined;
  if (result.headSha !== undefined && result.sha !== result.headSha) return undefined;
  return result.sha;
}
