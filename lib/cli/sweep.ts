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
import { ExitCode } from "../ground/errors.ts";
import { openPullChecks, type PullCheck } from "../github/mod.ts";
import { parseRepo } from "../github/mod.ts";
import { statusContext } from "../github/mod.ts";
import type { ReportCliOptions } from "../inputs/report.ts";
import type { CliIo, Printer } from "../output.ts";
import { collectCommits, judgeReport, renderReport } from "../pipeline/mod.ts";
import { type SweepJson, sweepJson } from "../report/sweep_json.ts";
import { publishOnPr, statusSetter, verdictOnPr } from "./pr.ts";
import { checkDestinations, writeOutputs } from "./runner.ts";
import type { Run } from "./_shell.ts";
import type { WaitingOptions } from "../inputs/waiting.ts";
import { reportKeyOf } from "../ground/marker.ts";
import { commandClient } from "./deliver.ts";

/** The open pull requests that wait for a verdict: no check of ours on the head, or a pending one. */
export function waitingPulls(pulls: readonly PullCheck[]): PullCheck[] {
  return pulls.filter((pr) => !pr.check || pr.check.state === "pending");
}

/**
 * The open pull requests whose head waits for this report's check, oldest
 * first, and how many are open.
 */
export async function waitingOn(
  options: {
    githubToken?: string;
    timeoutSeconds: number;
    maxAttempts: number;
    maxRetrySeconds: number;
  },
  io: CliIo,
  log: ((line: string) => void) | undefined,
  key: string,
): Promise<{ open: number; waiting: PullCheck[] }> {
  const client = commandClient(io, options, options.githubToken!, log);
  const repo = parseRepo(io.env.GITHUB_REPOSITORY, "GITHUB_REPOSITORY");
  const pulls = await openPullChecks(client, repo, statusContext(key));
  return { open: pulls.length, waiting: waitingPulls(pulls) };
}

/** `report --sweep N`: a report on each of the oldest N open pull requests that wait. */
export async function sweep(options: ReportCliOptions, io: CliIo, print: Printer): Promise<number> {
  await checkDestinations(io, options.pulls === undefined || options.comment || options.status);
  const log = print.debugLog(options.debug);
  const key = reportKeyOf(options);
  const json = (options.format ?? (options.json ? "json" : undefined)) === "json";
  // --pulls: found beforehand (deno task waiting), and GitHub is not asked here.
  const found = options.pulls
    ? { open: undefined, waiting: options.pulls }
    : await waitingOn(options, io, log, key);
  const taken = found.waiting.slice(0, options.sweep);
  const remaining = found.waiting.length - taken.length;
  const open = found.open === undefined ? "" : ` (${found.open} open)`;
  if (taken.length === 0) {
    await writeOutputs(io, print, { SWEPT: "0", REMAINING: "0", PULL_REQUESTS: "" });
    if (json) print.json(sweepJson({ reportKey: key, swept: 0, remaining: 0, reports: [] }));
    print.err(`sweep: no open pull request waits for a ${statusContext(key)} verdict${open}\n`);
    return ExitCode.ok;
  }
  const results = await collectCommits(options, [...new Set(taken.map((pr) => pr.headSha))], {
    ...io.deps,
    log,
    redactor: print.redactor,
  });
  const lines: string[] = [];
  const reports: SweepJson["reports"] = [];
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
    const body = () => print.redactor.redact(rendered.markdown);
    await publishOnPr(one, io, print, statusSetter(one, io, print), {
      marker: rendered.marker,
      body,
      sha: pr.headSha,
      outputs,
    });
    if (json) {
      reports.push({
        pr: pr.number,
        sha: pr.headSha,
        markdown: body(),
        outputs: outputs as SweepJson["reports"][number]["outputs"],
      });
    }
    lines.push(
      `  #${pr.number} @ ${
        pr.headSha.slice(0, 7)
      }: ${outputs.GATE_VERDICT} (${outputs.STATUS_DESCRIPTION})`,
    );
  }
  if (json) {
    print.json(sweepJson({ reportKey: key, swept: taken.length, remaining, reports }));
  }
  await writeOutputs(io, print, {
    SWEPT: String(taken.length),
    REMAINING: String(remaining),
    PULL_REQUESTS: taken.map((pr) => pr.number).join(","),
  });
  print.err(
    [
      `sweep: ${taken.length} of ${found.waiting.length} open pull request${
        found.waiting.length === 1 ? "" : "s"
      } waiting for a verdict, oldest first${open}`,
      ...lines,
      ...(remaining > 0 ? [`  ${remaining} more wait: the next sweep takes them`] : []),
      "",
    ].join("\n"),
  );
  return ExitCode.ok;
}

/**
 * `deno task waiting`: which open pull requests wait for this report's
 * check (pending or none), oldest first, at most `--max`: the list a sweep
 * that may not read GitHub takes as `--pulls`.
 */
export const waiting: Run<WaitingOptions> = async (options, io, print) => {
  await checkDestinations(io, true);
  const log = print.debugLog(options.debug);
  const found = await waitingOn(options, io, log, options.reportKey);
  const taken = found.waiting.slice(0, options.max);
  await writeOutputs(io, print, {
    PULLS: taken.map((pr) => `${pr.number}=${pr.headSha}`).join(","),
    SWEPT: String(taken.length),
    REMAINING: String(found.waiting.length - taken.length),
  });
  print.err(
    `waiting: ${found.waiting.length} of ${found.open} open pull requests wait for a ${
      statusContext(options.reportKey)
    } verdict${taken.length ? `; taking ${taken.map((pr) => `#${pr.number}`).join(", ")}` : ""}\n`,
  );
  return ExitCode.ok;
};
