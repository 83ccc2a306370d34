/**
 * The events the chatops step serves, parsed with zod from
 * `$GITHUB_EVENT_PATH`, and the decision whether a comment triggers a report.
 *
 * A comment is untrusted data: it is matched line by line against the
 * trigger phrase, its arguments are parsed against a fixed grammar, and
 * nothing in it is ever evaluated or handed to a shell.
 *
 * @module
 */
import { match, P } from "ts-pattern";
import { z } from "zod";
import { readInputFile } from "../fs.ts";
import { InvalidInputError } from "../ground/errors.ts";
import { parseWith } from "../ground/parse.ts";
import {
  type AuthorAssociation,
  AuthorAssociationSchema,
  DURATION_EXPECTED,
  durationSeconds,
  FULL_SHA,
  RUN_ID,
  RUN_ID_EXPECTED,
  SHA_EXPECTED,
  SHA_TOKEN,
  shaMatch,
} from "../ground/model.ts";

const UserSchema = z.object({ login: z.string() }).loose();

export { type AuthorAssociation, AuthorAssociationSchema } from "../ground/model.ts";

const RepositorySchema = z.object({
  full_name: z.string(),
  id: z.number().optional(),
  url: z.string().optional(),
}).loose();

/** The repository of a PR's base or head in `workflow_run.pull_requests`. */
const PullRepoSchema = z.object({ id: z.number().optional(), url: z.string().optional() }).loose();

/** The `issue_comment` payload, the parts we read. */
export const IssueCommentEventSchema = z.object({
  action: z.string(),
  issue: z.object({
    number: z.number().int().positive(),
    // Present (with only URLs, no head SHA) when the issue is a pull request.
    pull_request: z.object({ url: z.string() }).loose().nullish(),
    // Who opened it (the pull request's author).
    user: UserSchema.nullish(),
  }).loose(),
  comment: z.object({
    body: z.string().nullable().transform((body) => body ?? ""),
    user: UserSchema,
    author_association: AuthorAssociationSchema,
  }).loose(),
  repository: RepositorySchema,
}).loose();

/** The `pull_request` (and `pull_request_target`) payload, the parts we read. */
export const PullRequestEventSchema = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    head: z.object({
      sha: z.string().regex(FULL_SHA),
      ref: z.string(),
      repo: RepositorySchema.nullable(),
    }).loose(),
    base: z.object({ sha: z.string().regex(FULL_SHA) }).loose().optional(),
    user: UserSchema,
    state: z.string(),
  }).loose(),
  repository: RepositorySchema,
}).loose();

/** The `repository_dispatch` payload: `client_payload` may name a commit or a run. */
export const RepositoryDispatchEventSchema = z.object({
  action: z.string(),
  client_payload: z.record(z.string(), z.unknown()).nullish(),
}).loose();

/**
 * The `workflow_run` payload (the user's training or CI workflow completed):
 * its head commit, where that commit came from, and the PRs GitHub says it
 * belongs to (always none for a fork's PR).
 */
export const WorkflowRunEventSchema = z.object({
  action: z.string(),
  workflow_run: z.object({
    name: z.string().nullish(),
    event: z.string(),
    conclusion: z.string().nullish(),
    head_sha: z.string().regex(FULL_SHA),
    head_branch: z.string().nullish(),
    head_repository: RepositorySchema.nullish(),
    repository: RepositorySchema,
    pull_requests: z.array(
      z.object({
        number: z.number().int().positive(),
        head: z.object({ sha: z.string(), ref: z.string(), repo: PullRepoSchema.optional() })
          .loose(),
        base: z.object({ sha: z.string(), ref: z.string(), repo: PullRepoSchema.optional() })
          .loose(),
      }).loose(),
    ).nullish().transform((prs) => prs ?? []),
  }).loose(),
  repository: RepositorySchema,
}).loose();

/** A `push`, `schedule` or `workflow_dispatch` payload: nothing in it is needed. */
export const OtherEventSchema = z.object({}).loose();

/** An event payload, tagged with the event's name. */
export type GitHubEvent =
  | { name: "issue_comment"; payload: z.infer<typeof IssueCommentEventSchema> }
  | {
    name: "pull_request" | "pull_request_target";
    payload: z.infer<typeof PullRequestEventSchema>;
  }
  | { name: "repository_dispatch"; payload: z.infer<typeof RepositoryDispatchEventSchema> }
  | { name: "workflow_run"; payload: z.infer<typeof WorkflowRunEventSchema> }
  | { name: "push" | "schedule" | "workflow_dispatch"; payload: z.infer<typeof OtherEventSchema> };

/** The event names chatops serves. */
export const SUPPORTED_EVENTS = [
  "issue_comment",
  "pull_request",
  "pull_request_target",
  "push",
  "schedule",
  "workflow_dispatch",
  "repository_dispatch",
  "workflow_run",
] as const;

/**
 * Parses an event payload for `name` (the value of `GITHUB_EVENT_NAME`).
 *
 * @param source where the payload came from, for messages (`GITHUB_EVENT_PATH`)
 * @throws {InvalidInputError} for an event we do not serve or a payload of the wrong shape
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseEvent } from "./event.ts";
 * const event = parseEvent("schedule", { schedule: "17 6 * * 1" }, "GITHUB_EVENT_PATH");
 * assertEquals(event.name, "schedule");
 * ```
 */
export function parseEvent(name: string, payload: unknown, source: string): GitHubEvent {
  const decode = <T>(schema: z.ZodType<T>): T =>
    parseWith(schema, payload, (problem) =>
      new InvalidInputError(
        source,
        `${/^[aeiou]/i.test(name) ? "an" : "a"} ${name} event payload`,
        undefined,
        `${problem.path || "payload"}: ${problem.message}`,
      ));
  return match(name)
    .returnType<GitHubEvent>()
    .with("issue_comment", (n) => ({ name: n, payload: decode(IssueCommentEventSchema) }))
    .with(
      P.union("pull_request", "pull_request_target"),
      (n) => ({ name: n, payload: decode(PullRequestEventSchema) }),
    )
    .with(
      "repository_dispatch",
      (n) => ({ name: n, payload: decode(RepositoryDispatchEventSchema) }),
    )
    .with("workflow_run", (n) => ({ name: n, payload: decode(WorkflowRunEventSchema) }))
    .with(
      P.union("push", "schedule", "workflow_dispatch"),
      (n) => ({ name: n, payload: decode(OtherEventSchema) }),
    )
    .otherwise(() => {
      throw new InvalidInputError(
        "GITHUB_EVENT_NAME",
        `one of ${SUPPORTED_EVENTS.join(", ")}`,
        name,
      );
    });
}

/** What the comment asked for, once parsed. */
export interface CommentCommand {
  /** First word after the phrase on its line ("" if none): the old `TRAILING_TOKEN`. */
  trailingToken: string;
  /** The rest of that line after the phrase, trimmed: the old `TRAILING_LINE`. */
  trailingLine: string;
  /** `run-id=ID`, or a lone bare word: report on this run. */
  runId?: string;
  /** `sha=SHA`: report on this commit instead of the PR head. */
  sha?: string;
  /** `wait=30m`: wait this long for the runs to end (a duration, as written). */
  wait?: string;
  /** Words after the phrase that were not understood, and so ignored (for a notice). */
  ignored: string[];
}

/** The verdict on one comment. */
export type CommentDecision =
  | { triggered: true; command: CommentCommand }
  | { triggered: false; reason: string };

/** How a comment must look to trigger. */
export interface TriggerRules {
  /** The phrase that must start a line, e.g. `/get-runs`. */
  phrase: string;
  /** Who may trigger (`author_association` values). */
  allowed: readonly AuthorAssociation[];
}

/**
 * Decides whether an `issue_comment` event triggers a report: only a newly
 * created comment, on a pull request, by an allowed author (checked before
 * the body is read), with the phrase at the start of a line of prose
 * (leading spaces allowed; not in code, a quote or hidden HTML) followed by
 * a space or the line's end. The reason is returned for the log when it does
 * not trigger.
 *
 * @throws {InvalidInputError} when the phrase matches but its arguments are malformed
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { decideComment } from "./event.ts";
 * const decision = await decideComment(
 *   {
 *     action: "created",
 *     issue: { number: 7, pull_request: { url: "https://api.github.com/repos/o/r/pulls/7" } },
 *     comment: { body: "thanks!\n/get-runs run-id=abc123", user: { login: "ana" }, author_association: "MEMBER" },
 *     repository: { full_name: "o/r" },
 *   },
 *   { phrase: "/get-runs", allowed: ["OWNER", "MEMBER", "COLLABORATOR"] },
 * );
 * assertEquals(decision.triggered && decision.command.runId, "abc123");
 * ```
 */
export async function decideComment(
  payload: z.infer<typeof IssueCommentEventSchema>,
  rules: TriggerRules,
): Promise<CommentDecision> {
  if (payload.action !== "created") {
    return {
      triggered: false,
      reason: `the comment was ${payload.action}; only newly created comments trigger`,
    };
  }
  if (!payload.issue.pull_request) {
    return {
      triggered: false,
      reason: `#${payload.issue.number} is an issue, not a pull request`,
    };
  }
  // Who wrote it comes first: the body of an author who may not trigger is
  // never read, however it is made.
  const association = payload.comment.author_association;
  if (!rules.allowed.includes(association)) {
    return {
      triggered: false,
      reason: `@${payload.comment.user.login} is ${association}, not one of ${
        rules.allowed.join(", ")
      } (the allowed author associations)`,
    };
  }
  const body = payload.comment.body;
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only a long body needs counting.
  const bytes = body.length * 3 <= MAX_BODY_BYTES ? 0 : new TextEncoder().encode(body).length;
  if (bytes > MAX_BODY_BYTES) {
    return {
      triggered: false,
      reason: `the comment is ${bytes} bytes long, more than GitHub stores ` +
        `(${MAX_BODY_BYTES}); it is not read`,
    };
  }
  const line = await commandLine(body, rules.phrase);
  if (line === undefined) {
    return {
      triggered: false,
      reason: `no line of the comment starts with ${JSON.stringify(rules.phrase)}`,
    };
  }
  return { triggered: true, command: parseCommand(line) };
}

/**
 * The most a comment body GitHub sends can hold: GitHub refuses to create a
 * comment over 65,536 characters, but stores and sends bodies up to 262,144
 * bytes (an edit through another route, an import), so a trigger up to that
 * size is read; a longer body cannot come from GitHub.
 */
export const MAX_BODY_BYTES = 262_144;

// HTML blocks whose content GitHub does not show as text: CommonMark's kinds
// 1 to 5 (raw text elements, comments, processing instructions,
// declarations and CDATA sections).
const HIDDEN_HTML = /^\s*<(?:!--|\?|![A-Za-z]|!\[CDATA\[|(?:pre|script|style|textarea)\b)/i;
// The same kinds inline in a block of text, closed or running to the end.
const HIDDEN_INLINE =
  /<!--[\s\S]*?(?:-->|$)|<\?[\s\S]*?(?:\?>|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![A-Za-z][^>]*(?:>|$)/g;

// Container markers at a line's start: block quotes and list items.
const CONTAINERS = /^(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))+/;
const CONTAINER = /[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))/g;
// Deeper than this, nesting changes nothing at the top level, where a
// command must be, but costs the lexer time that grows with its square
// (4,000 nested list markers took 98 s; 2,000 `>` overflowed the stack).
const MAX_NESTING = 16;

/**
 * The comment with every line's container markers beyond the 16th dropped
 * (the text after them kept): the blocks at the top level stay what they
 * were, and the lexer's work stays bounded.
 */
function flattenNesting(body: string): string {
  return body.replace(/^.*$/gm, (line) => {
    const prefix = CONTAINERS.exec(line)?.[0];
    if (prefix === undefined) return line;
    const markers = prefix.match(CONTAINER)!;
    if (markers.length <= MAX_NESTING) return line;
    return `${markers.slice(0, MAX_NESTING).join("")} ${line.slice(prefix.length).trimStart()}`;
  });
}

/**
 * The text after the phrase on the first line that starts with it, among
 * the lines GitHub shows as prose: a phrase inside a fenced or indented code
 * block, a block quote or hidden HTML (a comment, a processing instruction,
 * a declaration, CDATA) does not count (someone quoting or documenting the
 * command is not asking for a report). The comment is split into blocks by a
 * CommonMark lexer (marked), not by hand, after nesting deeper than any
 * command could be is flattened. The lexer is loaded only for a comment that
 * names the phrase: most processes that read GitHub never decide on one.
 */
async function commandLine(body: string, phrase: string): Promise<string | undefined> {
  // A cheap look first: most comments never name the phrase.
  if (!body.includes(phrase)) return undefined;
  const { marked } = await import("marked");
  let tokens;
  try {
    tokens = marked.lexer(flattenNesting(body), { gfm: true });
  } catch {
    // The lexer's own limits (none known once nesting is bounded): not a command.
    return undefined;
  }
  for (const token of tokens) {
    const prose = token.type === "paragraph" || token.type === "heading" ||
      (token.type === "html" && !HIDDEN_HTML.test(token.raw));
    if (!prose) continue;
    for (const raw of token.raw.replace(HIDDEN_INLINE, "").split(/\r\n|\r|\n/)) {
      const line = raw.trimStart();
      if (!line.startsWith(phrase)) continue;
      const rest = line.slice(phrase.length);
      if (rest === "" || /^\s/.test(rest)) return rest.trim();
    }
  }
  return undefined;
}

/**
 * Parses the arguments after the trigger phrase, as leniently as
 * `actions-chatops` passed them on: the first word is the run id when it
 * looks like one; `run-id=ID` and `sha=SHA` are our extension; any other word
 * is ignored and listed in {@link CommentCommand.ignored}, so `/get-runs
 * RUNID please` still reports on RUNID (a bare first word counts as a run id
 * when it is letters, digits, `-`, `_` and `.`, as W&B's own ids are). Only a malformed value of a key we
 * know is an error: reporting on something else than asked would be worse.
 *
 * @param rest the text after the phrase on its line
 * @throws {InvalidInputError} for a `run-id=` or `sha=` value outside its grammar
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseCommand } from "./event.ts";
 * assertEquals(parseCommand("sha=3f2c9a1 run-id=abc123").sha, "3f2c9a1");
 * const command = parseCommand("a1b2c3d4 please");
 * assertEquals([command.runId, command.ignored], ["a1b2c3d4", ["please"]]);
 * ```
 */
export function parseCommand(rest: string): CommentCommand {
  const line = singleLine(rest.trim());
  const words = line.split(/\s+/).filter(Boolean);
  const command: CommentCommand = {
    trailingToken: words[0] ?? "",
    trailingLine: line,
    ignored: [],
  };
  const label = (word: string) => `comment argument ${JSON.stringify(clip(word))}`;
  words.forEach((word, index) => {
    const at = word.indexOf("=");
    if (at <= 0) {
      if (index === 0 && BARE_RUN_ID.test(word)) command.runId = word;
      else command.ignored.push(word);
      return;
    }
    const value = word.slice(at + 1);
    match(word.slice(0, at))
      .with("run-id", () => {
        if (!RUN_ID.test(value)) {
          throw new InvalidInputError(label(word), `run-id=ID with ${RUN_ID_EXPECTED}`);
        }
        command.runId = value;
      })
      .with("sha", () => {
        if (!SHA_TOKEN.test(value)) {
          throw new InvalidInputError(label(word), `sha=SHA with ${SHA_EXPECTED}`);
        }
        command.sha = shaMatch(value).value;
      })
      .with("wait", () => {
        if (durationSeconds(value) === undefined) {
          throw new InvalidInputError(label(word), `wait=DURATION with ${DURATION_EXPECTED}`);
        }
        command.wait = value;
      })
      .otherwise(() => command.ignored.push(word));
  });
  return command;
}

// A bare first word is taken as a run id only when it looks like the ids W&B
// makes (letters, digits, `-`, `_`, `.`); anything else goes through run-id=.
const BARE_RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * Makes comment text safe as a one-line step output: control, format and
 * line-separator characters become spaces.
 */
function singleLine(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, " ").trim();
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The event payload's input, as errors name it: the flag, or the runner's variable. */
export const EVENT_PATH_INPUT = "--event-path (GITHUB_EVENT_PATH)";

/**
 * The JSON payload the runner wrote for this run's event (`GITHUB_EVENT_PATH`).
 *
 * @throws {InvalidInputError} naming `GITHUB_EVENT_PATH` for an unreadable file or one that is no JSON
 *
 * @example
 * ```ts ignore
 * import { readEventFile } from "./event.ts";
 * const payload = await readEventFile(Deno.env.get("GITHUB_EVENT_PATH")!);
 * ```
 */
export async function readEventFile(path: string): Promise<unknown> {
  const text = await readInputFile(path, EVENT_PATH_INPUT, "a readable event payload file");
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError(EVENT_PATH_INPUT, "a JSON event payload", path);
  }
}
