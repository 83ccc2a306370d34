/**
 * The report command: check every destination, run the report, then write
 * every file and output together, deliver to the PR, print what was asked
 * for, and exit with the gate's verdict.
 *
 * @module
 */
import { stateList } from "../classify.ts";
import { ExitCode } from "../ground/errors.ts";
import { type Destination, StagedFiles } from "../fs.ts";
import { parseRepo } from "../github/mod.ts";
import { githubHistory } from "../history/github.ts";
import type { ReportCliOptions } from "../inputs/report.ts";
import type { CliIo, Printer } from "../output.ts";
import { runReport, waitForCandidates, type WaitPoll } from "../pipeline/mod.ts";
import { renderTable } from "../report/table.ts";
import { publishOnPr, statusSetter, verdictOnPr, waitShown } from "./pr.ts";
import { sweep } from "./sweep.ts";
import { appendTo, checkDestinations, writeOutputs } from "./runner.ts";
import type { Run } from "./_shell.ts";
import { commandClient } from "./deliver.ts";

/** Colours on a terminal, unless `NO_COLOR`; always with `FORCE_COLOR` (https://no-color.org). */
function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return io.terminal?.stdout ?? false;
}

/**
 * Progress on stderr while a report is fetched and while `--wait` polls: on
 * a terminal one line updated in place; elsewhere plain lines, at most every
 * 5 seconds (in Actions, a poll's line at most every minute); retries always
 * (they explain a pause); nothing with `--quiet`.
 */
function progressReporter(options: ReportCliOptions, io: CliIo, print: Printer) {
  if (options.quiet) return {};
  const now = io.deps?.now ?? Date.now;
  const live = (io.terminal?.stderr ?? false) && !print.inActions;
  // Plain lines start after 5 s: a quick fetch says nothing until its summary.
  let lastLine = now();
  let retries = 0;
  let waited = 0;
  let lastPoll = -Infinity;
  let lastCounts = "";
  const every = (ms: number, last: number) => live || now() - last >= ms;
  return {
    onPage: ({ runs, total, pages }: { runs: number; total?: number; pages: number }) => {
      if (!every(5000, lastLine)) return;
      lastLine = now();
      print.progress(
        `fetching: ${runs}${total === undefined ? "" : ` of ${total}`} runs, ${pages} page${
          pages === 1 ? "" : "s"
        }${
          retries
            ? `, ${retries} retr${retries === 1 ? "y" : "ies"} (waited ${
              (waited / 1000).toFixed(1)
            } s)`
            : ""
        }`,
      );
    },
    onRetry: (retry: { attempt: number; of: number; delayMs: number; reason: string }) => {
      retries++;
      waited += retry.delayMs;
      print.err(
        `retrying in ${(retry.delayMs / 1000).toFixed(1)} s: ${retry.reason} ` +
          `(attempt ${retry.attempt} of ${retry.of})\n`,
      );
    },
    onPoll: (poll: WaitPoll) => {
      const counts = stateList(poll.counts).join(", ") || "no candidates";
      const changed = counts !== lastCounts;
      lastCounts = counts;
      const due = print.inActions ? now() - lastPoll >= 60_000 : changed || live;
      if (!due && !poll.complete) return;
      lastPoll = now();
      const line = `waiting: ${counts} (poll ${poll.polls}, ${
        Math.round(poll.elapsedMs / 1000)
      } s waited, ${Math.round(poll.remainingMs / 1000)} s left)`;
      if (live) print.progress(line);
      else print.err(`${line}\n`);
    },
  };
}

/**
 * Where a report may read commit history: the checkout it runs in
 * (`GITHUB_WORKSPACE` inside Actions, else where the user typed the command),
 * and GitHub's API when a token and the repository are known.
 */
function historyPlaces(
  options: ReportCliOptions,
  io: CliIo,
  log: ((line: string) => void) | undefined,
) {
  const repository = io.env.GITHUB_REPOSITORY;
  const token = options.githubToken;
  return {
    cwd: io.env.GITHUB_WORKSPACE || io.env.INIT_CWD || Deno.cwd(),
    github: token && repository
      ? () => {
        const client = commandClient(io, options, token, log);
        return githubHistory(client, parseRepo(repository, "GITHUB_REPOSITORY"));
      }
      : undefined,
  };
}

/** The report's files: the CSV (`--out`) and the markdown (`--markdown`), staged. */
function reportFiles(options: ReportCliOptions): Promise<StagedFiles> {
  const destinations: Destination[] = [
    options.outDefault
      ? { path: options.out, noFollow: true, label: "--out" }
      : { path: options.out, fallbackName: "wandb_report.csv", label: "--out" },
  ];
  if (options.markdown) {
    destinations.push({
      path: options.markdown,
      fallbackName: "wandb_report.md",
      label: "--markdown",
    });
  }
  return StagedFiles.create(destinations);
}

type Report = Awaited<ReturnType<typeof runReport>>;

/** What the user asked to see on stdout: the table (a terminal's default), JSON, markdown or CSV. */
function show(
  options: ReportCliOptions,
  io: CliIo,
  print: Printer,
  { result, rendered }: Report,
  markdown: () => string,
): void {
  const format = options.format ??
    (options.json ? "json" : io.terminal?.stdout ? "table" : undefined);
  if (format === "table") {
    print.table(renderTable(
      {
        ...rendered.view,
        stalled: new Set(result.classification.stalled.map((s) => s.run.name)),
      },
      { color: useColor(io), width: tableWidth(io) },
    ));
  } else if (format === "json") print.json(rendered.json);
  else if (format === "markdown") print.data(`${markdown()}\n`);
  else if (format === "csv") print.data(rendered.csv);
}

/** The gate's verdict said (failures, doubts, the summary) and turned into the exit code. */
function verdictExit(
  print: Printer,
  { judgement, rendered }: Report,
  outputs: Record<string, string>,
): number {
  const { gate } = judgement;
  for (const failure of gate.verdicts.filter((v) => v.failed)) {
    print.say("error", "gate", failure.message);
  }
  for (const unsure of gate.verdicts.filter((v) => !v.failed && v.status === "inconclusive")) {
    print.say("warning", "gate", unsure.message);
  }
  if (gate.complete && !gate.complete.passed) print.say("error", "gate", gate.complete.message);
  print.err(rendered.summary);
  if (outputs.GATE_VERDICT === "accepted") {
    print.say(
      "notice",
      "gate",
      `regression accepted by @${outputs.ACCEPTED_BY}: the check is success`,
    );
  }
  return gate.passed || outputs.GATE_VERDICT === "accepted" ? ExitCode.ok : ExitCode.gateFailed;
}

/** The wait's hooks: progress on the terminal, and on the PR (a pending status, the comment). */
function waitHooks(
  options: ReportCliOptions,
  io: CliIo,
  print: Printer,
  setStatus: ReturnType<typeof statusSetter>,
  log: ((line: string) => void) | undefined,
) {
  const progress = progressReporter(options, io, print);
  const shown = waitShown(options, io, print, setStatus, log);
  let lastPoll: WaitPoll | undefined;
  const onPoll = async (poll: WaitPoll) => {
    lastPoll = poll;
    progress.onPoll?.(poll);
    await shown?.onPoll(poll);
  };
  return {
    shown,
    lastPoll: () => lastPoll,
    deps: { ...io.deps, ...progress, onPoll, log, redactor: print.redactor },
  };
}

/**
 * The reusable workflow's wait job (`--progress-only`): the wait, shown on
 * the PR; no report written, the report job follows.
 */
async function waitOnly(
  options: ReportCliOptions,
  print: Printer,
  hooks: ReturnType<typeof waitHooks>,
): Promise<number> {
  const result = await waitForCandidates(options, hooks.deps);
  print.endProgress();
  result.notes.forEach((text) => print.say("notice", "note", text));
  // Shown only when there was a wait to show (no poll: it was over at once).
  const last = hooks.lastPoll();
  if (last) await hooks.shown?.over({ ...last, counts: result.classification.counts });
  const states = stateList(result.classification.counts).join(", ") || "no candidate runs";
  print.err(`wait over: ${states} (no report written: --progress-only)\n`);
  return ExitCode.ok;
}

/**
 * The report command: check every destination, run the report, then write
 * every file and output together; print what was asked for; exit with the
 * gate's verdict.
 */
export const report: Run<ReportCliOptions> = async (options, io, print) => {
  if (options.sweep > 0) return await sweep(options, io, print);
  const log = print.debugLog(options.debug);
  const note = (text: string) => print.say("notice", "note", text);
  options.notes.forEach(note);
  await checkDestinations(io, options.comment || options.status);
  const files = await reportFiles(options);
  const setStatus = statusSetter(options, io, print);
  try {
    const hooks = waitHooks(options, io, print, setStatus, log);
    if (options.progressOnly) return await waitOnly(options, print, hooks);
    const report = await runReport(options, {
      ...hooks.deps,
      history: historyPlaces(options, io, log),
      csvPath: files.targets[0]!,
      workflow: io.env.GITHUB_WORKFLOW,
    });
    const { result, judgement, rendered } = report;
    print.endProgress();
    [...result.notes, ...judgement.notes].forEach(note);
    let redacted: string | undefined;
    const markdown = () => redacted ??= print.redactor.redact(rendered.markdown);
    // Everything is written before the gate decides the exit code.
    await files.write(0, print.redactor.redact(rendered.csv));
    if (options.markdown) await files.write(1, markdown());
    await files.commit();
    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      await appendTo(
        "GITHUB_STEP_SUMMARY",
        summaryFile,
        () => Deno.writeTextFile(summaryFile, `${markdown()}\n`, { append: true }),
      );
    }
    // A regression accepted on this very commit (/accept-regression) holds.
    const outputs = await verdictOnPr(options, io, print, log, rendered, result.sha);
    await writeOutputs(io, print, outputs);
    await publishOnPr(options, io, print, setStatus, {
      marker: rendered.marker,
      body: markdown,
      sha: options.match.by === "sha" ? result.sha : "",
      outputs,
    });
    // A status speaks for a commit's own runs: a run-id report judges one run, and sets none.
    if (options.status && options.match.by === "run-id") {
      note("no commit status: a --run-id report judges one run, not a commit's runs");
    }
    show(options, io, print, report, markdown);
    return verdictExit(print, report, outputs);
  } finally {
    await files.discard();
  }
};

/** The table's width: `COLUMNS` when set (as shells and `less` honour it), else the terminal's. */
function tableWidth(io: CliIo): number | undefined {
  const columns = Number(io.env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  return io.terminal?.stdout ? io.terminal.columns : undefined;
}
