/**
 * The GitHub adapter's face: what the rest of the house uses of it (the
 * client, events, pull requests and comments, statuses, checks; the
 * runner's log commands are lib/ground/actions.ts). Rooms outside
 * lib/github/ import from here, never from its files.
 *
 * @module
 */
export { commitCheck, mergeQueueEntries, openPullChecks } from "./checks.ts";
export type { CheckState, PullCheck } from "./checks.ts";
export { githubApiUrl, githubClientFor, githubGraphqlUrl } from "./client.ts";
export type { GitHubClient } from "./client.ts";
export { postComment } from "./comment.ts";
export type { CommentMode, PostCommentResult } from "./comment.ts";
export {
  decideComment,
  EVENT_PATH_INPUT,
  IssueCommentEventSchema,
  parseEvent,
  readEventFile,
} from "./event.ts";
export type { CommentCommand, GitHubEvent } from "./event.ts";
export { findComment, parseRepo, prHead, pullForHead, upsertComment } from "./pulls.ts";
export type { PullRequestHead, RepoRef } from "./pulls.ts";
export { HISTORY_QUERY } from "./queries.ts";
export {
  contextNote,
  postStatus,
  runUrlFromEnv,
  setCommitStatus,
  statusContext,
} from "./statuses.ts";
export type { PostStatusResult } from "./statuses.ts";
