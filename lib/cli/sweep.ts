/**
 * The sweep (`report --sweep N`): what turns a pending check into a verdict
 * without a paid W&B plan. A scheduled run finds the open pull requests whose
 * head has this report's check pending (or none), takes the oldest N, asks
 * W&B once for all their commits' runs, and reports on each as a report on
 * its own commit would: its comment, its status, an acceptance on that
 * commit kept. No pull request's code is checked out or run.
 *
 * @module
 */
import { ExitCode } from "../errors.ts";
import { openPullChecks, type PullCheck } from "../github/checks.ts";
import { githubClientFor } from "../github/client.ts";
import { parseRepo } from "../github/pulls.ts";
import { statusContext } from "../github/statuses.ts";
import type { ReportCliOptions } from "../inputs/report.ts";
import type { CliIo, Printer } from "../output.ts";
import { collectCommits, judgeReport, renderReport } from "../pipeline/mod.ts";
import { retryPolicy } from "../retry.ts";
import { publishOnPr, statusSetter, verdictOnPr } from "./pr.ts";
import { checkDestinations, writeOutputs } from "./runner.ts";

/** The open pull requests that wait for a verdict: no check of ours on the head, or a pending one. */
export function waitingPulls(pulls: readonly PullCheck[]): PullCheck[] {
  return pulls.filter((pr) => !pr.check || pr.check.state === "pending");
}

/** `report --sweep N`: a report on each of the oldest N open pull requests that wait. */
export async function sweep(options: ReportCliOptions, io: CliIo, print: Printer): Promise<number> {
  await checkDestinations(io, true);
  const log = options.debug ? (line: string) => print.err(`debug: ${line}\n`) : undefined;
  const key = options.reportKey ?? `${options.entity}/${options.project}`;
  const client = githubClientFor({
    env: io.env,
    token: options.githubToken!,
    retry: retryPolicy(options, io.deps?.baseDelayMs),
    log,
    http: io.deps?.http,
  });
  const repo = parseRepo(io.env.GITHUB_REPOSITORY, "GITHUB_REPOSITORY");
  const pulls = await openPullChecks(client, repo, statusContext(key));
  const waiting = waitingPulls(pulls);
  const taken = waiting.slice(0, options.sweep);
  const remaining = waiting.length - taken.length;
  if (taken.length === 0) {
    await writeOutputs(io, print, { SWEPT: "0", REMAINING: "0", PULL_REQUESTS: "" });
    print.err(
      `sweep: no open pull request waits for a ${
        statusContext(key)
      } verdict (${pulls.length} open)\n`,
    );
    return ExitCode.ok;
  }
  const results = await collectCommits(options, [...new Set(taken.map((pr) => pr.headSha))], {
    ...io.deps,
    log,
    redactor: print.redactor,
  });
  const lines: string[] = [];
  for (const pr of taken) {
    const one: ReportCliOptions = {
      ...options,
      prNumber: pr.number,
      match: { by: "sha", sha: pr.headSha, matchCommit: false },
    };
    const result = results.get(pr.headSha)!;
    const rendered = renderReport(result, judgeReport(result, one), one, {
      csvPath: "(no CSV: --sweep)",
      workflow: io.env.GITHUB_WORKFLOW,
      redactor: print.redactor,
    });
    const outputs = await verdictOnPr(one, io, print, log, rendered, pr.headSha);
    await publishOnPr(one, io, print, log, statusSetter(one, io, print, log), {
      marker: rendered.marker,
      body: () => print.redactor.redact(rendered.markdown),
      sha: pr.headSha,
      outputs,
    });
    lines.push(
      `  #${pr.number} @ ${
        pr.headSha.slice(0, 7)
      }: ${outputs.GATE_VERDICT} (${outputs.STATUS_DESCRIPTION})`,
    );
  }
  await writeOutputs(io, print, {
    SWEPT: String(taken.length),
    REMAINING: String(remaining),
    PULL_REQUESTS: taken.map((pr) => pr.number).join(","),
  });
  print.err(
    [
      `sweep: ${taken.length} of ${waiting.length} open pull request${
        waiting.length === 1 ? "" : "s"
      } waiting for a verdict, oldest first (${pulls.length} open)`,
      ...lines,
      ...(remaining > 0 ? [`  ${remaining} more wait: the next sweep takes them`] : []),
      "",
    ].join("\n"),
  );
  return ExitCode.ok;
}
