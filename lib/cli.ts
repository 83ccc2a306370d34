/**
 * The commands: `report` (inputs → fetch → classify → CSV, step outputs, JSON
 * and a human summary) and `chatops` (event → trigger decision → commit).
 * The only place that turns errors into exit codes and messages.
 *
 * @module
 */
import { match } from "ts-pattern";
import meta from "../deno.json" with { type: "json" };
import { ExitCode, exitCodeFor, InvalidInputError, WandbReportError } from "./errors.ts";
import { writeFileAtomic } from "./fs.ts";
import { annotation, appendOutputs, maskCommand } from "./github/actions.ts";
import { helpText, type ReportOptions, resolveInputs } from "./inputs.ts";
import {
  chatopsHelpText,
  type ChatopsOptions,
  chatopsOutputs,
  resolveChatopsInputs,
  runChatops,
} from "./chatops.ts";
import { stateList } from "./classify.ts";
import type { MetricComparison, MetricValue } from "./compare.ts";
import type { GateResult } from "./gate.ts";
import { commentMarker, postComment, type PostCommentResult } from "./github/comment.ts";
import { type CollectDeps, collectReport, judgeReport, type ReportResult } from "./pipeline.ts";
import { renderMarkdown } from "./report/markdown.ts";
import { runUrl } from "./wandb/urls.ts";
import { pyBool, shaMatch } from "./model.ts";

/** Where the CLI reads and writes; swapped in tests. */
export interface CliIo {
  /** The environment the inputs are read from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where `--help`, `--version` and `--json` output go. */
  stdout: (text: string) => void;
  /** Where the summary, notes, debug lines and errors go. */
  stderr: (text: string) => void;
  /** HTTP and clock overrides for tests and benchmarks. */
  deps?: CollectDeps;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  const encoder = new TextEncoder();
  return {
    env: Deno.env.toObject(),
    stdout: (text) => Deno.stdout.writeSync(encoder.encode(text)),
    stderr: (text) => Deno.stderr.writeSync(encoder.encode(text)),
  };
}

/**
 * Runs the report command and returns its exit code (0 done, 2 invalid
 * input, 3 W&B failed; see {@link ExitCode}).
 *
 * @param argv the arguments after the program name
 * @param program how the user called us, for `--help`
 *
 * @example
 * ```ts ignore
 * import { processIo, runReportCli } from "./cli.ts";
 * Deno.exit(await runReportCli(Deno.args, processIo(), "deno task report"));
 * ```
 */
export async function runReportCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report",
): Promise<number> {
  return await guard(io, () =>
    match(resolveInputs(argv, io.env))
      .with({ kind: "help" }, () => {
        io.stdout(`${helpText(program)}\n`);
        return ExitCode.ok;
      })
      .with({ kind: "version" }, () => {
        io.stdout(`${meta.name} ${meta.version}\n`);
        return ExitCode.ok;
      })
      .with({ kind: "report" }, ({ options }) => report(options, io))
      .exhaustive());
}

/**
 * Runs the chatops command and returns its exit code (0 whether or not the
 * event triggers, 2 invalid input, 3 GitHub failed).
 *
 * @example
 * ```ts ignore
 * import { processIo, runChatopsCli } from "./cli.ts";
 * Deno.exit(await runChatopsCli(Deno.args, processIo(), "deno task chatops"));
 * ```
 */
export async function runChatopsCli(
  argv: readonly string[],
  io: CliIo,
  program = "wandb-report-chatops",
): Promise<number> {
  return await guard(io, () =>
    match(resolveChatopsInputs(argv, io.env))
      .with({ kind: "help" }, () => {
        io.stdout(`${chatopsHelpText(program)}\n`);
        return ExitCode.ok;
      })
      .with({ kind: "version" }, () => {
        io.stdout(`${meta.name} ${meta.version}\n`);
        return ExitCode.ok;
      })
      .with({ kind: "chatops" }, ({ options }) => chatops(options, io))
      .exhaustive());
}

/**
 * Runs the comment command: posts a report rendered earlier (the body's first
 * line is its marker) as the sticky comment on a PR. The reusable workflow
 * runs it in a job of its own, the only one with `pull-requests: write`.
 * Reads `INPUT_BODY`, `INPUT_PR_NUMBER`, `GITHUB_TOKEN`, `GITHUB_REPOSITORY`.
 *
 * @example
 * ```ts ignore
 * import { processIo, runCommentCli } from "./cli.ts";
 * Deno.exit(await runCommentCli(Deno.args, processIo()));
 * ```
 */
export async function runCommentCli(argv: readonly string[], io: CliIo): Promise<number> {
  return await guard(io, async () => {
    if (argv.length) {
      throw new InvalidInputError(
        "arguments",
        "none (the comment task reads INPUT_* variables)",
        argv.join(" "),
      );
    }
    const body = io.env.INPUT_BODY ?? "";
    const marker = body.split("\n", 1)[0]!;
    if (!/^<!-- wandb-report key=[^\n]* -->$/.test(marker)) {
      throw new InvalidInputError(
        "INPUT_BODY",
        "a report rendered by wandb-report (its first line is the marker)",
      );
    }
    const prNumber = Number(io.env.INPUT_PR_NUMBER);
    if (!Number.isInteger(prNumber) || prNumber < 1) {
      throw new InvalidInputError(
        "INPUT_PR_NUMBER",
        "a pull request number",
        io.env.INPUT_PR_NUMBER ?? "",
      );
    }
    const token = io.env.INPUT_GITHUB_TOKEN || io.env.GITHUB_TOKEN;
    if (!token) throw new InvalidInputError("GITHUB_TOKEN", "a token (pass github.token)");
    mask(io, token);
    const posted = await postComment({
      token,
      repository: io.env.GITHUB_REPOSITORY,
      prNumber,
      marker,
      body,
      env: io.env,
      // The defaults of the report's --max-attempts, --max-retry-time and --timeout.
      retry: {
        maxAttempts: 6,
        maxElapsedMs: 60_000,
        timeoutMs: 20_000,
        baseDelayMs: io.deps?.baseDelayMs,
      },
      http: io.deps?.http,
    });
    reportPosted(io, posted);
    return ExitCode.ok;
  });
}

/** Runs a command, turning any error into its one-line message and exit code. */
async function guard(io: CliIo, command: () => number | Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof WandbReportError) {
      io.stderr(`error: ${error.message}\n`);
    } else {
      io.stderr(`internal error (please report it): ${(error as Error)?.message ?? error}\n`);
    }
    return exitCodeFor(error);
  }
}

/** Masks a secret for the runner (stderr keeps --json stdout parseable). */
function mask(io: CliIo, ...values: string[]): void {
  if (io.env.GITHUB_ACTIONS !== "true") return;
  for (const value of values) io.stderr(`${maskCommand(value)}\n`);
}

/**
 * Prints a line for people; inside Actions it becomes an annotation on the
 * run's page, elsewhere it starts with `label:`.
 */
function say(io: CliIo, kind: "notice" | "warning" | "error", label: string, text: string): void {
  io.stderr(`${io.env.GITHUB_ACTIONS === "true" ? annotation(kind, text) : `${label}: ${text}`}\n`);
}

/** Prints a note (a notice annotation inside Actions). */
function noter(io: CliIo): (text: string) => void {
  return (text) => say(io, "notice", "note", text);
}

/** Says what became of the PR comment. */
function reportPosted(io: CliIo, posted: PostCommentResult): void {
  if (posted.action === "skipped") say(io, "warning", "warning", posted.warning);
  else io.stderr(`comment ${posted.action}: ${posted.url}\n`);
}

async function chatops(options: ChatopsOptions, io: CliIo): Promise<number> {
  if (options.githubToken) mask(io, options.githubToken);
  const log = options.debug ? (line: string) => io.stderr(`debug: ${line}\n`) : undefined;
  const result = await runChatops(options, {
    env: io.env,
    log,
    http: io.deps?.http,
    baseDelayMs: io.deps?.baseDelayMs,
  });
  result.notes.forEach(noter(io));
  const outputs = chatopsOutputs(result);
  if (io.env.GITHUB_OUTPUT) await appendOutputs(io.env.GITHUB_OUTPUT, outputs);
  // Comment text is shown JSON-quoted and never at the start of a line, so
  // it can never be read by the runner as a workflow command.
  io.stderr(
    result.triggered
      ? [
        `chatops: ${result.eventName} triggers a report`,
        result.prNumber === undefined ? "" : ` for pull request #${result.prNumber}`,
        result.user ? ` (asked by @${result.user})` : "",
        `\n  commit: ${result.sha}${
          result.branch ? ` (branch ${JSON.stringify(result.branch)})` : ""
        }`,
        result.runId ? `\n  run id: ${JSON.stringify(result.runId)}` : "",
        "\n",
      ].join("")
      : `chatops: not triggered: ${result.reason}\n`,
  );
  return ExitCode.ok;
}

async function report(options: ReportOptions, io: CliIo): Promise<number> {
  // Secrets passed as `secrets.*` are masked already; a key from a plain
  // variable is not, nor is the Authorization value derived from it. The
  // runner reads workflow commands from both streams of a `run:` step.
  mask(io, options.apiKey, btoa(`api:${options.apiKey}`));
  const debug = (line: string) => io.stderr(`debug: ${line}\n`);
  const log = options.debug ? debug : undefined;
  const note = noter(io);
  options.notes.forEach(note);

  const result = await collectReport(options, { ...io.deps, log });
  result.notes.forEach(note);
  const { comparisons, gate } = judgeReport(result, options);
  const outputs = { ...result.outputs, GATE_PASSED: pyBool(gate.passed) };
  const key = options.reportKey ?? `${result.entity}/${result.project}`;
  const marker = commentMarker(key, io.env.GITHUB_WORKFLOW ?? "wandb-report");
  const markdown = renderMarkdown({
    project: `${result.entity}/${result.project}`,
    appUrl: result.appUrl,
    entity: result.entity,
    projectName: result.project,
    sha: result.sha,
    candidates: result.candidates,
    baselines: result.baselines,
    classification: result.classification,
    comparisons,
    gate,
    configVars: options.configVars,
    chart: options.chart,
    marker,
  });

  // Everything is written before the gate decides the exit code.
  let written: string;
  try {
    written = await writeFileAtomic(options.out, result.csv, "wandb_report.csv");
  } catch (error) {
    throw new InvalidInputError(
      "--out",
      "a writable file path",
      options.out,
      (error as Error).message,
    );
  }
  if (options.markdown) {
    try {
      await writeFileAtomic(options.markdown, markdown, "wandb_report.md");
    } catch (error) {
      throw new InvalidInputError(
        "--markdown",
        "a writable file path",
        options.markdown,
        (error as Error).message,
      );
    }
  }
  if (io.env.GITHUB_STEP_SUMMARY) {
    await Deno.writeTextFile(io.env.GITHUB_STEP_SUMMARY, `${markdown}\n`, { append: true });
  }
  if (io.env.GITHUB_OUTPUT) await appendOutputs(io.env.GITHUB_OUTPUT, outputs);
  if (options.comment && options.prNumber !== undefined && options.githubToken) {
    mask(io, options.githubToken);
    const posted = await postComment({
      token: options.githubToken,
      repository: io.env.GITHUB_REPOSITORY,
      prNumber: options.prNumber,
      marker,
      body: markdown,
      env: io.env,
      // The same retry policy the user set for W&B.
      retry: {
        maxAttempts: options.maxAttempts,
        maxElapsedMs: options.maxRetrySeconds * 1000,
        timeoutMs: options.timeoutSeconds * 1000,
        baseDelayMs: io.deps?.baseDelayMs,
      },
      http: io.deps?.http,
      log,
    });
    reportPosted(io, posted);
  }
  const format = options.format ?? (options.json ? "json" : undefined);
  if (format === "json") {
    io.stdout(
      `${
        JSON.stringify(
          {
            ...toJson(result, options, written),
            gate: gateJson(gate),
            comparisons: comparisonsJson(comparisons),
          },
          nonFinite,
          2,
        )
      }\n`,
    );
  } else if (format === "markdown") {
    io.stdout(`${markdown}\n`);
  } else if (format === "csv") {
    io.stdout(result.csv);
  }
  io.stderr(summary(result, written));
  for (const failure of gate.verdicts.filter((v) => v.failed)) {
    say(io, "error", "gate", failure.message);
  }
  if (gate.complete && !gate.complete.passed) say(io, "error", "gate", gate.complete.message);
  if (gate.enabled) io.stderr(`  gate:       ${gate.passed ? "passed" : "FAILED"}\n`);
  return gate.passed ? ExitCode.ok : ExitCode.gateFailed;
}

function gateJson(gate: GateResult) {
  return {
    enabled: gate.enabled,
    passed: gate.passed,
    complete: gate.complete ?? null,
    verdicts: gate.verdicts.map((v) => ({
      rule: v.rule.text,
      run: v.runId ?? null,
      status: v.status,
      failed: v.failed,
      value: v.value ?? null,
      reference: v.reference ?? null,
      worse: v.worse ?? null,
      allowed: v.allowed ?? null,
      message: v.message,
    })),
  };
}

function comparisonsJson(comparisons: readonly MetricComparison[]) {
  const shown = (
    v: MetricValue,
  ) => (v.kind === "number" || v.kind === "infinite" ? v.value : v.kind === "text" ? v.text : null);
  return comparisons.map((c) => ({
    metric: c.metric,
    direction: c.direction ?? null,
    directionSource: c.directionSource,
    reference: {
      kind: c.reference.spec.kind,
      run: c.reference.runId ?? null,
      value: c.reference.value ?? null,
    },
    candidates: c.candidates.map((d) => ({
      run: d.run.name,
      value: shown(d.value),
      kind: d.value.kind,
      abs: d.abs ?? null,
      rel: d.rel ?? null,
      verdict: d.verdict,
    })),
  }));
}

// JSON has no NaN or Infinity; strings keep them distinguishable from a missing value.
function nonFinite(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

/** The `--json` document: everything the report found, and never a secret. */
function toJson(result: ReportResult, options: ReportOptions, csvPath: string) {
  const pick = (from: Record<string, unknown>, keys: readonly string[]) =>
    Object.fromEntries(keys.filter((k) => k in from).map((k) => [k, from[k]]));
  const run = (r: ReportResult["candidates"][number]) => ({
    id: r.name,
    name: r.displayName ?? null,
    state: r.state ?? null,
    url: runUrl(result.appUrl, result.entity, result.project, r.name),
    tags: r.tags,
    createdAt: r.createdAt ?? null,
    github_sha: r.config.github_sha ?? null,
    metrics: pick(r.summary, options.metrics),
    config: pick(r.config, options.configVars),
  });
  return {
    project: `${result.entity}/${result.project}`,
    match: options.match.by === "sha"
      ? { ...options.match, shaMode: shaMatch(options.match.sha).mode }
      : options.match,
    sha: result.sha,
    complete: result.classification.complete,
    singleRun: result.classification.singleRun,
    counts: result.classification.counts,
    outputs: result.outputs,
    csv: csvPath,
    candidates: result.candidates.map(run),
    baselines: result.baselines.map(run),
    notes: [...options.notes, ...result.notes],
  };
}

function summary(result: ReportResult, csvPath: string): string {
  const { counts, complete } = result.classification;
  const states = stateList(counts);
  const alive = counts.running + counts.pending;
  const why = complete
    ? "yes"
    : counts.finished === 0
    ? "no (no finished runs yet)"
    : `no (${alive} still running or pending)`;
  return [
    `wandb-report: ${result.entity}/${result.project}${result.sha ? ` @ ${result.sha}` : ""}`,
    `  candidates: ${counts.candidates}${states.length ? ` (${states.join(", ")})` : ""}`,
    `  baselines:  ${counts.baselines}`,
    `  complete:   ${why}`,
    `  wrote ${csvPath}: ${result.rowCount} row${result.rowCount === 1 ? "" : "s"}`,
    `  W&B traffic: ${result.traffic.requests} request${
      result.traffic.requests === 1 ? "" : "s"
    }, ${result.traffic.responseBytes} bytes`,
    "",
  ].join("\n");
}
