/**
 * The GitHub GraphQL documents wandb-report sends, in one place so a test can
 * validate every one of them against GitHub's published schema.
 *
 * @module
 */

// What we read of a pull request: its head and base commits, branch, state and origin.
const PR_FIELDS = `id
      number
      state
      isDraft
      headRefName
      headRefOid
      baseRefName
      baseRefOid
      isCrossRepository
      headRepository { nameWithOwner }
      url`;

/** The pull request's head commit, branch, state and origin (fork or not). */
export const PR_HEAD_QUERY =
  `query WandbReportPrHead($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      ${PR_FIELDS}
    }
  }
}`;

/**
 * One page of the open pull requests, oldest first (creation order does not
 * move while we page; an update during the scan could skip a PR when ordered
 * by UPDATED_AT): the one
 * whose head is a given commit is the PR a `workflow_run` is about when the
 * event does not say (it never does for a fork: `pull_requests` is empty).
 * Matching `headRefOid` works for forks, whose head commit lives in the fork.
 */
export const OPEN_PULLS_QUERY =
  `query WandbReportOpenPulls($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(states: OPEN, first: 100, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        ${PR_FIELDS}
      }
    }
  }
}`;

/**
 * One page of the PR's comments, newest last, going back from `$before`
 * (the newest page when it is null): ours is looked for newest first, page
 * by page, however many comments the PR has. 100 is GitHub's page maximum.
 */
export const FIND_COMMENTS_QUERY =
  `query WandbReportFindComments($owner: String!, $name: String!, $number: Int!, $before: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      id
      comments(last: 100, before: $before) {
        totalCount
        pageInfo { hasPreviousPage startCursor }
        nodes { id url body viewerDidAuthor }
      }
    }
  }
}`;

/**
 * One page of a commit's history (every ancestor, newest first, as `git log`
 * lists them), each with its date and first parent: a first-parent chain is
 * rebuilt from these (`lib/history/github.ts`).
 */
export const HISTORY_QUERY =
  `query WandbReportHistory($owner: String!, $name: String!, $oid: GitObjectID!, $after: String) {
  repository(owner: $owner, name: $name) {
    object(oid: $oid) {
      ... on Commit {
        history(first: 100, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes { oid committedDate parents(first: 1) { nodes { oid } } }
        }
      }
    }
  }
}`;

/** Adds a comment to the PR (its node id). */
export const ADD_COMMENT_MUTATION =
  `mutation WandbReportAddComment($subjectId: ID!, $body: String!) {
  addComment(input: {subjectId: $subjectId, body: $body}) {
    commentEdge { node { id url } }
  }
}`;

/** Rewrites our earlier comment in place. */
export const UPDATE_COMMENT_MUTATION =
  `mutation WandbReportUpdateComment($id: ID!, $body: String!) {
  updateIssueComment(input: {id: $id, body: $body}) {
    issueComment { id url }
  }
}`;

/** One commit's status under one context (ours: `wandb-report/KEY`), as GitHub has it now. */
export const COMMIT_STATUS_QUERY =
  `query WandbReportCommitStatus($owner: String!, $name: String!, $oid: GitObjectID!, $context: String!) {
  repository(owner: $owner, name: $name) {
    object(oid: $oid) {
      ... on Commit {
        oid
        status { context(name: $context) { state description } }
      }
    }
  }
}`;

/**
 * The merge queue of a base branch: each entry's position, the commit GitHub
 * built for it (a merge group's head) and its pull request's head.
 */
export const MERGE_QUEUE_QUERY =
  `query WandbReportMergeQueue($owner: String!, $name: String!, $branch: String!) {
  repository(owner: $owner, name: $name) {
    mergeQueue(branch: $branch) {
      entries(first: 100) {
        nodes { position headCommit { oid } pullRequest { number headRefOid } }
      }
    }
  }
}`;

/**
 * One page of the open pull requests, oldest first, each with its head
 * commit and that commit's status under our context: the sweep's worklist.
 */
export const SWEEP_PULLS_QUERY =
  `query WandbReportSweepPulls($owner: String!, $name: String!, $after: String, $context: String!) {
  repository(owner: $owner, name: $name) {
    pullRequests(states: OPEN, first: 100, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        number
        headRefOid
        isCrossRepository
        commits(last: 1) {
          nodes { commit { oid status { context(name: $context) { state description } } } }
        }
      }
    }
  }
}`;

/** Every document above, for schema validation. */
export const GITHUB_DOCUMENTS: readonly string[] = [
  COMMIT_STATUS_QUERY,
  MERGE_QUEUE_QUERY,
  SWEEP_PULLS_QUERY,
  PR_HEAD_QUERY,
  OPEN_PULLS_QUERY,
  HISTORY_QUERY,
  FIND_COMMENTS_QUERY,
  ADD_COMMENT_MUTATION,
  UPDATE_COMMENT_MUTATION,
];
