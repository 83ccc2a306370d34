/**
 * What the report's `--sweep N` cannot be given with: it reports on each
 * open pull request's head, so no single commit, run, or history of one.
 *
 * @module
 */

/**
 * What a sweep (`--sweep N`) cannot take, with what it needs: a token, and
 * no single commit, run or history of one (each PR is its own commit).
 */
export function sweepProblems(o: {
  githubToken?: string;
  pulls?: unknown[];
  comment: boolean;
  status: boolean;
  sha?: string;
  runId?: string;
  secondarySha?: string;
  matchCommit: boolean;
  baselineSha?: string;
  baselineSearch: number;
  mergeBase: boolean;
  trend: number;
  noiseHistory: number;
  prNumber?: number;
  progressOnly: boolean;
  wait?: number;
}): [string, string][] {
  const problems: [string, string][] = [];
  // With --pulls given and nothing to post, GitHub is not asked at all.
  if (o.githubToken === undefined && (o.pulls === undefined || o.comment || o.status)) {
    problems.push(["githubToken", "a token for --sweep (pass github.token as GITHUB_TOKEN)"]);
  }
  const one: [string, boolean, string][] = [
    ["sha", o.sha !== undefined, "--sha"],
    ["runId", o.runId !== undefined, "--run-id"],
    ["secondarySha", o.secondarySha !== undefined, "--secondary-sha"],
    ["matchCommit", o.matchCommit, "--match-commit"],
    ["baselineSha", o.baselineSha !== undefined, "--baseline-sha"],
    ["baselineSearch", o.baselineSearch > 0, "--baseline-search"],
    ["mergeBase", o.mergeBase, "--merge-base"],
    ["trend", o.trend > 0, "--trend"],
    ["noiseHistory", o.noiseHistory > 0, "--noise-history"],
    ["prNumber", o.prNumber !== undefined, "--pr-number"],
    ["progressOnly", o.progressOnly, "--progress-only"],
    ["wait", (o.wait ?? 0) > 0, "--wait"],
  ];
  for (const [key, given, flag] of one) {
    if (given) {
      problems.push([
        key,
        `no ${flag} with --sweep (each open pull request's head is its own commit; ` +
        "baselines by --baseline-tags)",
      ]);
    }
  }
  return problems;
}
