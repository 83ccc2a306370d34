/**
 * The GitHub side: the chatops step (which event asks for a report, on which
 * commit, with the old `actions-chatops` outputs), the sticky PR comment and
 * the commit status.
 *
 * ```ts ignore
 * import { resolveChatopsInputs, runChatops } from "@org/wandb-report/chatops";
 * const run = resolveChatopsInputs([], Deno.env.toObject());
 * if (run.kind === "chatops") {
 *   const result = await runChatops(run.options, { env: Deno.env.toObject() });
 *   console.log(result.triggered ? result.sha : result.reason);
 * }
 * ```
 *
 * @module
 */
export { chatopsHelpText, resolveChatopsInputs } from "./lib/inputs/chatops.ts";
export type { ChatopsInvocation, ChatopsOptions } from "./lib/inputs/chatops.ts";
export { chatopsOutputs, runChatops, statusSha } from "./lib/chatops.ts";
export type { ChatopsDeps, ChatopsResult } from "./lib/chatops.ts";
export type { AuthorAssociation } from "./lib/ground/model.ts";
export type { CommentCommand } from "./lib/github/event.ts";
export type {
  CommentDecision,
  FoundComment,
  PullRequestHead,
  UpsertResult,
} from "./lib/github/pulls.ts";
export { postComment } from "./lib/github/comment.ts";
export {
  commentMarker,
  isMarker,
  readReportState,
  reportMarker,
  withState,
} from "./lib/ground/marker.ts";
export type { ReportState, ReportVerdict } from "./lib/ground/marker.ts";
export type { PostCommentOptions, PostCommentResult } from "./lib/github/comment.ts";
export { COMMENT_MODES, commentDecision } from "./lib/github/comment.ts";
export type { CommentMode } from "./lib/github/comment.ts";
export { contextNote, postStatus, statusContext } from "./lib/github/statuses.ts";
export type { CommitStatus, PostStatusOptions, PostStatusResult } from "./lib/github/statuses.ts";
export type { StatusState } from "./lib/ground/model.ts";
export { Redactor } from "./lib/ground/redact.ts";
export type { RetryDeps, RetryPolicy } from "./lib/ground/retry.ts";
