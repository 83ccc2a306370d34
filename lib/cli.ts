/**
 * The commands: `report` (inputs → fetch → classify → CSV, step outputs, JSON
 * and a human summary), `chatops` (event → trigger decision → commit) and
 * `comment` (a rendered report → the sticky PR comment). The only place that
 * turns errors into exit codes and messages, and the only place that prints:
 * every line passes the redactor, and nothing from data can become a
 * workflow command.
 *
 * @module
 */
import { match } from "ts-pattern";
import meta from "../deno.json" with { type: "json" };
import { ApiError, ExitCode, exitCodeFor, InvalidInputError, WandbReportError } from "./errors.ts";
import { StagedFiles } from "./fs.ts";
import { annotation, appendOutputs, logSafe, maskCommand, stopCommands } from "./github/actions.ts";
import { helpText, type ReportOptions, resolveInputs } from "./inputs/report.ts";
import { chatopsHelpText, type ChatopsOptions, resolveChatopsInputs } from "./inputs/chatops.ts";
import { chatopsOutputs, runChatops } from "./github/chatops.ts";
import { stateList } from "./classify.ts";
import type { MetricComparison, MetricValue } from "./compare.ts";
import type { GateResult } from "./gate.ts";
import { commentMarker, postComment, type PostCommentResult } from "./github/comment.ts";
import { parseRepo } from "./github/pulls.ts";
import { type CollectDeps, collectReport, judgeReport, type ReportResult } from "./pipeline.ts";
import { Redactor } from "./redact.ts";
import { renderMarkdown } from "./report/markdown.ts";
import { runUrl } from "./wandb/urls.ts";
import { field, pyBool, shaMatch } from "./model.ts";

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

/**
 * The real process's streams and environment. A closed stream (`| head`)
 * is not an error: what is left to print is dropped, quietly, and the run
 * ends as it would have.
 */
export function processIo(): CliIo {
  const encoder = new TextEncoder();
  const writer = (stream: { writeSync(p: Uint8Array): number }) => {
    let closed = false;
    return (text: string) => {
      if (closed) return;
      let bytes = encoder.encode(text);
      try {
        while (bytes.length) bytes = bytes.subarray(stream.writeSync(bytes));
      } catch (error) {
        if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
        closed = true;
      }
    };
  };
  return { env: Deno.env.toObject(), stdout: writer(Deno.stdout), stderr: writer(Deno.stderr) };
}

/**
 * Everything a command prints, through one redactor and the Actions
 * escaping rules: secrets are announced with `::add-mask::` (inside Actions)
 * before any other line, human text cannot start a workflow command, and raw
 * data on stdout is fenced with `::stop-commands::` inside Actions.
 */
class Printer {
  readonly #io: CliIo;
  readonly #actions: boolean;
  readonly #masked = new Set<string>();
  /** The redactor every outgoing string passes. */
  readonly redactor: Redactor;

  constructor(io: CliIo, redactor: Redactor) {
    this.#io = io;
    this.redactor = redactor;
    this.#actions = io.env.GITHUB_ACTIONS === "true";
  }

  /** Secrets registered since the last call, announced to the runner (stderr keeps stdout parseable). */
  #mask(): void {
    if (!this.#actions) return;
    for (const secret of this.redactor.secrets) {
      if (this.#masked.has(secret)) continue;
      this.#masked.add(secret);
      this.#io.stderr(`${maskCommand(secret)}\n`);
    }
  }

  /** Human text on stderr: redacted, and never a workflow command. */
  err(text: string): void {
    this.#mask();
    this.#io.stderr(logSafe(this.redactor.redact(text)));
  }

  /** A line for people: an annotation inside Actions, `label: text` elsewhere. */
  say(kind: "notice" | "warning" | "error", label: string, text: string): void {
    if (!this.#actions) return this.err(`${label}: ${text}\n`);
    this.#mask();
    this.#io.stderr(`${annotation(kind, this.redactor.redact(text))}\n`);
  }

  /** Our own text on stdout (help, version). */
  out(text: string): void {
    this.#mask();
    this.#io.stdout(logSafe(this.redactor.redact(text)));
  }

  /** Raw data on stdout (CSV, markdown): fenced from the runner inside Actions. */
  data(text: string): void {
    this.#mask();
    const clean = this.redactor.redact(text);
    this.#io.stdout(this.#actions ? stopCommands(clean) : clean);
  }

  /**
   * A JSON document on stdout. Pretty-printed JSON never starts a line with
   * `::`, and `##[` inside a string is written `#\u0023[`, the same text to
   * any JSON reader.
   */
  json(value: unknown): void {
    this.#mask();
    const text = JSON.stringify(value, nonFinite, 2);
    this.#io.stdout(`${this.redactor.redact(text).replaceAll("##[", "#\\u0023[")}\n`);
  }
}

/**
 * Runs the report command and returns its exit code (0 done, 1 gate failed,
 * 2 invalid input, 3 W&B failed; see {@link ExitCode}).
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
  const print = new Printer(io, new Redactor());
  return await guard(print, () =>
    match(resolveInputs(argv, io.env, print.redactor))
      .with({ kind: "help" }, () => {
        print.out(`${helpText(program)}\n`);
        return ExitCode.ok;
      })
      .with({ kind: "version" }, () => {
        print.out(`${meta.name} ${meta.version}\n`);
        return ExitCode.ok;
      })
      .with({ kind: "report" }, ({ options }) => report(options, io, print))
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
  const print = new Printer(io, new Redactor());
  return await guard(print, () =>
    match(resolveChatopsInputs(argv, io.env, print.redactor))
      .with({ kind: "help" }, () => {
        print.out(`${chatopsHelpText(program)}\n`);
        return ExitCode.ok;
      })
      .with({ kind: "version" }, () => {
        print.out(`${meta.name} ${meta.version}\n`);
        return ExitCode.ok;
      })
      .with({ kind: "chatops" }, ({ options }) => chatops(options, io, print))
      .exhaustive());
}

/**
 * Runs the comment command: posts a report rendered earlier (the body's first
 * line is its marker) as the sticky comment on a PR. The reusable workflow
 * runs it in a job of its own, the only one with `pull-requests: write`.
 * Reads the body from the file `INPUT_BODY_FILE` (or the text `INPUT_BODY`),
 * `INPUT_PR_NUMBER`, `GITHUB_TOKEN` and `GITHUB_REPOSITORY`.
 *
 * @example
 * ```ts ignore
 * import { processIo, runCommentCli } from "./cli.ts";
 * Deno.exit(await runCommentCli(Deno.args, processIo()));
 * ```
 */
export async function runCommentCli(argv: readonly string[], io: CliIo): Promise<number> {
  const print = new Printer(io, new Redactor());
  return await guard(print, async () => {
    const token = io.env.INPUT_GITHUB_TOKEN || io.env.GITHUB_TOKEN;
    print.redactor.register(token);
    if (argv.length) {
      throw new InvalidInputError(
        "arguments",
        "none (the comment task reads INPUT_* variables)",
        argv.join(" "),
      );
    }
    const body = await commentBody(io.env);
    const marker = body.split("\n", 1)[0]!;
    if (!/^<!-- wandb-report key=[^\n]* -->$/.test(marker)) {
      throw new InvalidInputError(
        io.env.INPUT_BODY_FILE ? "INPUT_BODY_FILE" : "INPUT_BODY",
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
    if (!token) throw new InvalidInputError("GITHUB_TOKEN", "a token (pass github.token)");
    const posted = await postComment({
      token,
      repository: io.env.GITHUB_REPOSITORY,
      prNumber,
      marker,
      body: print.redactor.redact(body),
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
    reportPosted(print, posted);
    return ExitCode.ok;
  });
}

/** The comment body: the file `INPUT_BODY_FILE` names, else the text of `INPUT_BODY`. */
async function commentBody(env: CliIo["env"]): Promise<string> {
  if (!env.INPUT_BODY_FILE) return env.INPUT_BODY ?? "";
  try {
    return await Deno.readTextFile(env.INPUT_BODY_FILE);
  } catch (error) {
    throw new InvalidInputError(
      "INPUT_BODY_FILE",
      "a readable file with the rendered report",
      env.INPUT_BODY_FILE,
      (error as Error).name,
    );
  }
}

/** Runs a command, turning any error into its one-line message and exit code. */
async function guard(print: Printer, command: () => number | Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof WandbReportError) {
      print.err(`error: ${error.message}\n`);
    } else {
      print.err(`internal error (please report it): ${(error as Error)?.message ?? error}\n`);
    }
    return exitCodeFor(error);
  }
}

/** Says what became of the PR comment. */
function reportPosted(print: Printer, posted: PostCommentResult): void {
  if (posted.action === "skipped") print.say("warning", "warning", posted.warning);
  else print.err(`comment ${posted.action}: ${posted.url}\n`);
}

/**
 * Checks that a file the runner hands us for appending (`GITHUB_OUTPUT`,
 * `GITHUB_STEP_SUMMARY`) can be appended to, before anything is written.
 */
async function checkAppendable(label: string, path: string | undefined): Promise<void> {
  if (!path) return;
  const fail = (reason: string) =>
    new InvalidInputError(label, "a file this step may append to", path, reason);
  const info = await Deno.stat(path).catch(() => undefined);
  if (info === undefined) {
    const parent = await Deno.stat(path.replace(/[^/\\]*$/, "") || ".").catch(() => undefined);
    if (!parent?.isDirectory) throw fail("no such file or directory");
    return;
  }
  if (!info.isFile) throw fail("not a regular file");
  try {
    (await Deno.open(path, { append: true })).close();
  } catch (error) {
    throw fail((error as Error).name);
  }
}

/** Appends to a runner file, naming it when that fails. */
async function appendTo(label: string, path: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw new InvalidInputError(
      label,
      "a file this step may append to",
      path,
      (error as Error).name,
    );
  }
}

async function chatops(options: ChatopsOptions, io: CliIo, print: Printer): Promise<number> {
  await checkAppendable("GITHUB_OUTPUT", io.env.GITHUB_OUTPUT);
  const log = options.debug ? (line: string) => print.err(`debug: ${line}\n`) : undefined;
  const result = await runChatops(options, {
    env: io.env,
    log,
    http: io.deps?.http,
    baseDelayMs: io.deps?.baseDelayMs,
  });
  result.notes.forEach((text) => print.say("notice", "note", text));
  const outputs = redactValues(print.redactor, chatopsOutputs(result));
  const githubOutput = io.env.GITHUB_OUTPUT;
  if (githubOutput) {
    await appendTo("GITHUB_OUTPUT", githubOutput, () => appendOutputs(githubOutput, outputs));
  }
  // Comment text is shown JSON-quoted and never at the start of a line.
  print.err(
    result.triggered
      ? [
        `chatops: ${result.eventName} triggers a report`,
        result.prNumber === undefined ? "" : ` for pull request #${result.prNumber}`,
        result.user ? ` (asked by @${result.user})` : "",
        `\n  commit: ${JSON.stringify(result.sha)}${
          result.branch ? ` (branch ${JSON.stringify(result.branch)})` : ""
        }`,
        result.runId ? `\n  run id: ${JSON.stringify(result.runId)}` : "",
        "\n",
      ].join("")
      : `chatops: not triggered: ${result.reason}\n`,
  );
  return ExitCode.ok;
}

function redactValues(redactor: Redactor, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, redactor.redact(v)]));
}

async function report(options: ReportOptions, io: CliIo, print: Printer): Promise<number> {
  const debug = (line: string) => print.err(`debug: ${line}\n`);
  const log = options.debug ? debug : undefined;
  const note = (text: string) => print.say("notice", "note", text);
  options.notes.forEach(note);

  // Every destination is checked before anything is fetched or written: an
  // exit 2 or 3 leaves nothing behind.
  await checkAppendable("GITHUB_OUTPUT", io.env.GITHUB_OUTPUT);
  await checkAppendable("GITHUB_STEP_SUMMARY", io.env.GITHUB_STEP_SUMMARY);
  if (options.comment) parseRepo(io.env.GITHUB_REPOSITORY, "GITHUB_REPOSITORY");
  const files = await StagedFiles.create([
    options.outDefault
      ? { path: options.out, noFollow: true, label: "--out" }
      : { path: options.out, fallbackName: "wandb_report.csv", label: "--out" },
    ...(options.markdown
      ? [{ path: options.markdown, fallbackName: "wandb_report.md", label: "--markdown" }]
      : []),
  ]);
  try {
    const result = await collectReport(options, { ...io.deps, log });
    result.notes.forEach(note);
    const { comparisons, gate } = judgeReport(result, options);
    const outputs = { ...result.outputs, GATE_PASSED: pyBool(gate.passed) };
    const key = options.reportKey ?? `${result.entity}/${result.project}`;
    const marker = commentMarker(key, io.env.GITHUB_WORKFLOW ?? "wandb-report");
    const markdown = print.redactor.redact(renderMarkdown({
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
    }));

    // Everything is written before the gate decides the exit code.
    await files.write(0, print.redactor.redact(result.csv));
    if (options.markdown) await files.write(1, markdown);
    const [written] = await files.commit();
    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      await appendTo(
        "GITHUB_STEP_SUMMARY",
        summaryFile,
        () => Deno.writeTextFile(summaryFile, `${markdown}\n`, { append: true }),
      );
    }
    const githubOutput = io.env.GITHUB_OUTPUT;
    if (githubOutput) {
      const values = redactValues(print.redactor, outputs);
      await appendTo("GITHUB_OUTPUT", githubOutput, () => appendOutputs(githubOutput, values));
    }
    if (options.comment && options.prNumber !== undefined && options.githubToken) {
      // A comment that fails after a good report is a warning: the report,
      // its outputs and the job summary stand, and the exit code is the gate's.
      try {
        reportPosted(
          print,
          await postComment({
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
          }),
        );
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        print.say("warning", "warning", `the PR comment was not posted: ${error.message}`);
      }
    }
    const format = options.format ?? (options.json ? "json" : undefined);
    if (format === "json") {
      print.json({
        ...toJson(result, options, written!),
        gate: gateJson(gate),
        comparisons: comparisonsJson(comparisons),
      });
    } else if (format === "markdown") {
      print.data(`${markdown}\n`);
    } else if (format === "csv") {
      print.data(result.csv);
    }
    print.err(summary(result, written!));
    for (const failure of gate.verdicts.filter((v) => v.failed)) {
      print.say("error", "gate", failure.message);
    }
    if (gate.complete && !gate.complete.passed) print.say("error", "gate", gate.complete.message);
    if (gate.enabled) print.err(`  gate:       ${gate.passed ? "passed" : "FAILED"}\n`);
    return gate.passed ? ExitCode.ok : ExitCode.gateFailed;
  } finally {
    await files.discard();
  }
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
    Object.fromEntries(keys.filter((k) => Object.hasOwn(from, k)).map((k) => [k, from[k]]));
  const run = (r: ReportResult["candidates"][number]) => ({
    id: r.name,
    name: r.displayName ?? null,
    state: r.state ?? null,
    url: runUrl(result.appUrl, result.entity, result.project, r.name),
    tags: r.tags,
    createdAt: r.createdAt ?? null,
    github_sha: field(r.config, "github_sha") ?? null,
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
