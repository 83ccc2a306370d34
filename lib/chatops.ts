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
import { parseFlags } from "./args.ts";
import { flagSpecs, helpRows, pickSources, type Source, sourceError } from "./_sources.ts";
import { InvalidInputError } from "./errors.ts";
import { GitHubClient, githubGraphqlUrl } from "./github/client.ts";
import {
  AuthorAssociationSchema,
  type CommentCommand,
  decideComment,
  type GitHubEvent,
  parseEvent,
} from "./github/event.ts";
import { parseRepo, prHead, type PullRequestHead } from "./github/pulls.ts";
import type { RetryDeps } from "./retry.ts";
import { pyBool, RunIdSchema, ShaSchema } from "./model.ts";
import { Redactor } from "./redact.ts";

const SOURCES = {
  githubToken: {
    input: "GITHUB_TOKEN",
    env: "GITHUB_TOKEN",
    kind: "string",
    secret: true,
    help: "Token for GitHub's API (environment only); needed to look up a PR comment's head.",
  },
  triggerPhrase: {
    flag: "trigger-phrase",
    input: "TRIGGER_PHRASE",
    kind: "string",
    value: "TEXT",
    help: "The command that must start a line of the comment. Default /get-runs.",
  },
  allowedAssociations: {
    flag: "allowed-associations",
    input: "ALLOWED_ASSOCIATIONS",
    kind: "list",
    value: "LIST",
    help: "Author associations that may trigger. Default OWNER, MEMBER, COLLABORATOR.",
  },
  sha: {
    flag: "sha",
    input: "SHA",
    kind: "string",
    value: "SHA",
    help: "Report on this commit, whatever the event says.",
  },
  eventName: {
    flag: "event-name",
    env: "GITHUB_EVENT_NAME",
    kind: "string",
    value: "NAME",
    help: "The event (set by the runner).",
  },
  eventPath: {
    flag: "event-path",
    env: "GITHUB_EVENT_PATH",
    kind: "string",
    value: "FILE",
    help: "The event payload JSON (set by the runner).",
  },
  repository: {
    flag: "repository",
    env: "GITHUB_REPOSITORY",
    kind: "string",
    value: "OWNER/REPO",
    help: "The repository (set by the runner).",
  },
  githubSha: {
    env: "GITHUB_SHA",
    kind: "string",
    help: "The commit of push, schedule and dispatch events (set by the runner).",
  },
  timeoutSeconds: {
    flag: "timeout",
    input: "TIMEOUT",
    kind: "string",
    value: "SECONDS",
    help: "Per-request timeout. Default 20.",
  },
  maxAttempts: {
    flag: "max-attempts",
    input: "MAX_ATTEMPTS",
    kind: "string",
    value: "N",
    help: "Attempts per request, counting the first, 1-20. Default 6.",
  },
  debug: {
    flag: "debug",
    input: "DEBUG",
    env: "RUNNER_DEBUG",
    kind: "boolean",
    help: "Debug log on stderr.",
  },
} as const satisfies Record<string, Source>;

const FULL_SHA = z.string().regex(/^[0-9a-fA-F]{40}$/, "a 40-character commit SHA")
  .transform((s) => s.toLowerCase());

/** The chatops step's validated options. */
export const ChatopsOptionsSchema = z.object({
  githubToken: z.string().regex(/^[\x21-\x7e]+$/, "a token without spaces or line breaks")
    .optional(),
  triggerPhrase: z.string().trim().min(1, "a phrase that is not empty")
    .regex(/^\S+$/, "one word, e.g. /get-runs").default("/get-runs"),
  allowedAssociations: z.array(
    z.string().transform((word) => word.trim().toUpperCase()).pipe(
      z.enum(
        AuthorAssociationSchema.options,
        `author associations from ${AuthorAssociationSchema.options.join(", ")}`,
      ),
    ),
  ).min(1, "at least one author association").default(["OWNER", "MEMBER", "COLLABORATOR"]),
  sha: ShaSchema.optional(),
  eventName: z.string("the event name in GITHUB_EVENT_NAME (set by the runner)").min(1),
  eventPath: z.string("the event payload file in GITHUB_EVENT_PATH (set by the runner)").min(1),
  repository: z.string("owner/repo in GITHUB_REPOSITORY (set by the runner)"),
  githubSha: FULL_SHA.optional(),
  timeoutSeconds: z.coerce.number("a number of seconds from 0.1 to 600").min(0.1).max(600)
    .default(20),
  maxAttempts: z.coerce.number("a whole number from 1 to 20").int().min(1).max(20).default(6),
  debug: z.boolean().default(false),
});

/** Validated chatops options. */
export type ChatopsOptions = z.output<typeof ChatopsOptionsSchema>;

/** What the chatops command line asked for. */
export type ChatopsInvocation =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "chatops"; options: ChatopsOptions };

/**
 * Reads the chatops inputs from flags and environment.
 *
 * @throws {InvalidInputError} naming the first bad input
 *
 * @example
 * ```ts
 * import { resolveChatopsInputs } from "./chatops.ts";
 * const run = resolveChatopsInputs([], {
 *   GITHUB_EVENT_NAME: "schedule",
 *   GITHUB_EVENT_PATH: "/tmp/event.json",
 *   GITHUB_REPOSITORY: "octo-org/octo-repo",
 * });
 * if (run.kind === "chatops") console.log(run.options.triggerPhrase); // /get-runs
 * ```
 */
export function resolveChatopsInputs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  redactor: Redactor = new Redactor(),
): ChatopsInvocation {
  const flags = parseFlags(argv, flagSpecs(SOURCES));
  if (flags.help) return { kind: "help" };
  if (flags.version) return { kind: "version" };
  const picked = pickSources(SOURCES, flags, env, redactor);
  const parsed = ChatopsOptionsSchema.safeParse(picked.raw);
  if (parsed.success) return { kind: "chatops", options: parsed.data };
  throw sourceError(SOURCES, picked, parsed.error.issues[0]!);
}

/**
 * The chatops `--help` text.
 *
 * @example
 * ```ts
 * import { chatopsHelpText } from "./chatops.ts";
 * console.log(chatopsHelpText("deno task chatops"));
 * ```
 */
export function chatopsHelpText(program: string): string {
  return [
    `Usage: ${program} [options]`,
    "",
    "Decides whether the event that started the workflow asks for a W&B report, and",
    "on which commit: a PR comment whose line starts with the trigger phrase, by an",
    "allowed author, reports on the PR's head (looked up through GitHub's API);",
    "pull_request events on the PR head; push, schedule and dispatch on GITHUB_SHA.",
    "Comment arguments: `/get-runs RUN_ID`, or `/get-runs run-id=ID sha=SHA`; other words",
    "are ignored with a notice.",
    "",
    "Options:",
    ...helpRows(SOURCES),
    `  ${"--help, -h".padEnd(28)} Show this help.`,
    `  ${"--version".padEnd(28)} Show the version.`,
    "",
    "Exit codes: 0 done (triggered or not), 2 invalid input, 3 GitHub API failed.",
  ].join("\n");
}

/** The outcome of the chatops step. */
export interface ChatopsResult {
  /** Whether a report should run. */
  triggered: boolean;
  /** Why not, when it should not. */
  reason: string;
  /** The event's name. */
  eventName: string;
  /** The PR, for comment and pull_request events. */
  prNumber?: number;
  /** Who asked (the commenter, or the PR's author). */
  user: string;
  /** The branch the commit is on. */
  branch: string;
  /** The commit to report on. */
  sha: string;
  /** A run id asked for (`/get-runs ID`, or `client_payload.run_id`). */
  runId: string;
  /** The comment's trailing word and line, as the old action gave them. */
  trailing: Pick<CommentCommand, "trailingToken" | "trailingLine">;
  /** The PR as GitHub reports it now (comment events only). */
  pr?: PullRequestHead;
  /** Things to tell the user. */
  notes: string[];
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

/**
 * Decides whether to report and on which commit.
 *
 * @throws {InvalidInputError} for an unreadable event, bad comment arguments, or no token when one is needed
 * @throws {import("./errors.ts").ApiError} when GitHub fails for good
 *
 * @example
 * ```ts ignore
 * import { resolveChatopsInputs, runChatops } from "./chatops.ts";
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
  const env = deps.env ?? {};
  let text: string;
  try {
    text = await Deno.readTextFile(options.eventPath);
  } catch (error) {
    throw new InvalidInputError(
      "GITHUB_EVENT_PATH",
      "a readable event payload file",
      options.eventPath,
      (error as Error).message,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new InvalidInputError("GITHUB_EVENT_PATH", "a JSON event payload", options.eventPath);
  }
  const event = parseEvent(options.eventName, payload, "GITHUB_EVENT_PATH");
  const base = {
    eventName: event.name,
    user: env.GITHUB_ACTOR ?? "",
    trailing: { trailingToken: "", trailingLine: "" },
    notes: [] as string[],
    reason: "",
  };
  const githubSha = () => {
    if (options.githubSha) return options.githubSha;
    throw new InvalidInputError("GITHUB_SHA", "the workflow's commit (set by the runner)");
  };

  return await match<GitHubEvent, Promise<ChatopsResult>>(event)
    .with({ name: "issue_comment" }, async ({ payload }) => {
      const decision = decideComment(payload, {
        phrase: options.triggerPhrase,
        allowed: options.allowedAssociations,
      });
      const user = payload.comment.user.login;
      if (!decision.triggered) {
        return { ...base, ...NOT_TRIGGERED, user, triggered: false, reason: decision.reason };
      }
      if (!options.githubToken) {
        throw new InvalidInputError(
          "GITHUB_TOKEN",
          "a token to look up the pull request's head commit (pass github.token)",
        );
      }
      const client = new GitHubClient({
        token: options.githubToken,
        url: githubGraphqlUrl(env),
        retry: {
          maxAttempts: options.maxAttempts,
          maxElapsedMs: 60_000,
          timeoutMs: options.timeoutSeconds * 1000,
          baseDelayMs: deps.baseDelayMs,
        },
        log: deps.log,
        deps: deps.http,
      });
      const repo = parseRepo(options.repository, "GITHUB_REPOSITORY");
      const pr = await prHead(client, repo, payload.issue.number);
      const { command } = decision;
      const notes = [...base.notes];
      if (command.ignored.length) {
        notes.push(
          `ignored what ${options.triggerPhrase} does not take: ${
            command.ignored.slice(0, 5).map((w) => JSON.stringify(w.slice(0, 40))).join(", ")
          }${command.ignored.length > 5 ? ` and ${command.ignored.length - 5} more` : ""}` +
            " (it takes a run id, run-id=ID or sha=SHA)",
        );
      }
      if (pr.state !== "OPEN") {
        notes.push(`pull request #${pr.number} is ${pr.state.toLowerCase()}`);
      }
      if (pr.isCrossRepository) {
        notes.push(
          `pull request #${pr.number} comes from ${
            pr.headRepository?.nameWithOwner ?? "a deleted fork"
          }; its head SHA is only used to look up runs, no code from it is run`,
        );
      }
      return {
        ...base,
        notes,
        triggered: true,
        user,
        prNumber: pr.number,
        branch: pr.headRefName,
        sha: options.sha ?? command.sha ?? pr.headRefOid,
        runId: command.runId ?? "",
        trailing: { trailingToken: command.trailingToken, trailingLine: command.trailingLine },
        pr,
      };
    })
    .with(
      { name: P.union("pull_request", "pull_request_target") },
      ({ payload }) =>
        Promise.resolve({
          ...base,
          triggered: true,
          user: payload.pull_request.user.login,
          prNumber: payload.number,
          branch: payload.pull_request.head.ref,
          // Never GITHUB_SHA here: on pull_request events it is a temporary merge commit.
          sha: options.sha ?? payload.pull_request.head.sha,
          runId: "",
        }),
    )
    .with({ name: "repository_dispatch" }, ({ payload }) => {
      const client = payload.client_payload ?? {};
      const dispatched = z.object({
        sha: ShaSchema.optional(),
        run_id: RunIdSchema.optional(),
      }).safeParse(client);
      if (!dispatched.success) {
        const issue = dispatched.error.issues[0]!;
        throw new InvalidInputError(
          `client_payload.${issue.path.join(".")}`,
          issue.message,
          String(client[String(issue.path[0])]),
        );
      }
      return Promise.resolve({
        ...base,
        triggered: true,
        branch: env.GITHUB_REF_NAME ?? "",
        sha: options.sha ?? dispatched.data.sha ?? githubSha(),
        runId: dispatched.data.run_id ?? "",
      });
    })
    .with({ name: P.union("push", "schedule", "workflow_dispatch") }, () =>
      Promise.resolve({
        ...base,
        triggered: true,
        branch: env.GITHUB_REF_NAME ?? "",
        sha: options.sha ?? githubSha(),
        runId: "",
      }))
    .exhaustive();
}

/**
 * The step outputs, named as the old `actions-chatops` named them, plus
 * `RUN_ID`, `REASON`, `EVENT_NAME` and the PR's state and origin.
 *
 * @example
 * ```ts
 * import { chatopsOutputs } from "./chatops.ts";
 * const outputs = chatopsOutputs({
 *   triggered: false, reason: "no phrase", eventName: "issue_comment", user: "ana",
 *   branch: "", sha: "", runId: "", trailing: { trailingToken: "", trailingLine: "" }, notes: [],
 * });
 * console.log(outputs.BOOL_TRIGGERED); // False
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
    PR_STATE: result.pr?.state ?? "",
    BOOL_FORK: pyBool(result.pr?.isCrossRepository ?? false),
  };
}
