/**
 * The GitHub side: the chatops step (which event asks for a report, on which
 * commit, with the old `actions-chatops` outputs) and the sticky PR comment.
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
export { chatopsOutputs, runChatops } from "./lib/github/chatops.ts";
export type { ChatopsDeps, ChatopsResult } from "./lib/github/chatops.ts";
export type { AuthorAssociation } from "./lib/model.ts";
export type { CommentCommand } from "./lib/github/event.ts";
export type { PullRequestHead, UpsertResult } from "./lib/github/pulls.ts";
export { commentMarker, postComment } from "./lib/github/comment.ts";
export type { PostCommentOptions, PostCommentResult } from "./lib/github/comment.ts";
