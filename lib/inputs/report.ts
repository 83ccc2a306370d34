/**
 * The report's inputs: where each comes from, and the one zod schema that
 * validates them.
 *
 * Precedence, highest first: command-line flags, then the old action's
 * `INPUT_*` variables (as GitHub passes action inputs), then W&B's own
 * variables (`WANDB_API_KEY`, `WANDB_ENTITY`/`WANDB_PROJECT`, `WANDB_BASE_URL`,
 * `WANDB_APP_URL`, `WANDB_HTTP_TIMEOUT`). An empty variable counts as unset, as
 * GitHub passes unset action inputs as empty strings.
 *
 * @module
 */
import { reportProblems } from "./_report_checks.ts";
import { sweepProblems } from "./_sweep.ts";
import { z } from "zod";
import {
  type Command,
  commandHelp,
  EXIT_CODES,
  fromTypedFolder,
  markdownOptions,
  optionsSchema,
  resolveTable,
} from "./command.ts";
import { type CommentMode, durationText, type Match } from "../ground/model.ts";
import { Redactor } from "../ground/redact.ts";
import { REPORT_SOURCES } from "./_report_table.ts";
import type { ReportOptions } from "../pipeline/options.ts";

const SOURCES = REPORT_SOURCES;

/**
 * Validated report options: the output of {@link ReportOptionsSchema}: the
 * library's {@link ReportOptions} and what only a command line has.
 */
export interface ReportCliOptions extends ReportOptions {
  /** The CSV path. */
  out: string;
  /** Whether `out` is the default (a symbolic link there is replaced, not followed). */
  outDefault: boolean;
  /** Where to write the markdown report. */
  markdown?: string;
  /** What to print on stdout. */
  format?: "table" | "markdown" | "json" | "csv";
  /** No progress or retry lines. */
  quiet: boolean;
  /** Post the sticky PR comment. */
  comment: boolean;
  /** The pull request to comment on. */
  prNumber?: number;
  /** Report on at most this many open PRs waiting for a verdict, instead of one commit (0: off). */
  sweep: number;
  /** With `sweep`: the PRs to report on (number and head), found beforehand. */
  pulls?: { number: number; headSha: string }[];
  /** When to comment. */
  commentMode: CommentMode;
  /** Set a commit status on the SHA. */
  status: boolean;
  /** Only wait and show the progress; no report. */
  progressOnly: boolean;
  /** GitHub token for the comment. */
  githubToken?: string;
  /** Print the JSON document. */
  json: boolean;
  /** Debug log. */
  debug: boolean;
}

/**
 * The schema of the report's inputs. It takes the raw values picked by
 * precedence (strings, lists and booleans) and yields {@link ReportOptions}.
 */
export const ReportOptionsSchema: z.ZodType<ReportCliOptions> = optionsSchema(SOURCES)
  .extend({
    /** The path is the default, not the user's: a symbolic link there is replaced, not followed. */
    outDefault: z.boolean().default(false),
  })
  .superRefine((o, ctx) => {
    const add = ([key, message]: [string, string]) =>
      ctx.addIssue({ code: "custom", path: [key], message });
    // A sweep reports on each open PR's head: its own needs, and none of one commit's.
    if (o.sweep > 0) {
      sweepProblems(o).forEach(add);
      // The status key is the sweep's too.
      reportProblems(o).filter(([key]) => key === "reportKey").forEach(add);
      return;
    }
    if (o.pulls !== undefined) add(["pulls", "to be used with --sweep N"]);
    reportProblems(o).forEach(add);
  })
  .transform(
    (
      {
        project,
        sha,
        secondarySha,
        runId,
        matchCommit,
        wait,
        pollInterval,
        maxWait,
        staleAfter,
        ...rest
      },
    ) => {
      const [entity, name] = project.split("/") as [string, string];
      const match: Match = runId !== undefined
        ? { by: "run-id", runId }
        : { by: "sha", sha: sha as string, secondarySha, matchCommit };
      const notes = runId !== undefined && sha !== undefined
        ? [`run id ${runId} given: the SHA filters are ignored`]
        : [];
      const waitSeconds = Math.min(wait ?? 0, maxWait);
      if (wait !== undefined && wait > maxWait) {
        notes.push(
          `--wait ${durationText(wait)} is longer than --max-wait ${durationText(maxWait)}: ` +
            `waiting ${durationText(maxWait)}`,
        );
      }
      // A gated metric is fetched and shown like the ones asked for.
      const metrics = [...new Set([...rest.metrics, ...rest.gate.map((rule) => rule.metric)])];
      return {
        ...rest,
        metrics,
        entity,
        project: name,
        match,
        notes,
        waitSeconds,
        pollSeconds: pollInterval,
        staleAfterSeconds: staleAfter,
      };
    },
  );

export type { Match } from "../ground/model.ts";

/** What the command line asked for. */
export type Invocation =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "report"; options: ReportCliOptions };

/**
 * Reads the report's inputs from flags and environment, in precedence order,
 * and validates them.
 *
 * @param argv command-line arguments (without the program name)
 * @param env the environment, e.g. `Deno.env.toObject()`
 * @param redactor registers every secret read (the CLI prints through it)
 * @returns what to do: print help, print the version, or run the report
 * @throws {InvalidInputError} naming the first bad input and what was expected
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { resolveInputs } from "./report.ts";
 * const run = resolveInputs(["--project", "acme/vision", "--sha", "abc1234"], {
 *   WANDB_API_KEY: "local-demo-key",
 * });
 * assertEquals(
 *   run.kind === "report" && run.options.match,
 *   { by: "sha", sha: "abc1234", secondarySha: undefined, matchCommit: false },
 * );
 * ```
 */
export function resolveInputs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  redactor: Redactor = new Redactor(),
): Invocation {
  const resolved = resolveTable(SOURCES, ReportOptionsSchema, argv, env, redactor, (raw) => {
    if (raw.project !== undefined && !String(raw.project).includes("/") && env.WANDB_ENTITY) {
      raw.project = `${env.WANDB_ENTITY}/${raw.project}`;
    }
    if (raw.out === undefined) {
      raw.out = env.GITHUB_WORKSPACE
        ? `${env.GITHUB_WORKSPACE}/wandb_report.csv`
        : "wandb_report.csv";
      raw.outDefault = true;
    }
    fromTypedFolder(raw, ["out", "markdown"], env.INIT_CWD);
  });
  if (resolved.kind !== "run") return resolved;
  const { match, notes } = resolved.options;
  // The old action's docs recommended GITHUB_SHA, which on pull_request
  // events is a temporary merge commit no training run ever logged.
  if (
    match.by === "sha" && match.sha === env.GITHUB_SHA?.toLowerCase() &&
    /^pull_request(_target)?$/.test(env.GITHUB_EVENT_NAME ?? "")
  ) {
    notes.push(
      `the SHA is GITHUB_SHA, which on ${env.GITHUB_EVENT_NAME} events is a temporary merge ` +
        "commit; runs log the PR head: pass github.event.pull_request.head.sha",
    );
  }
  return { kind: "report", options: resolved.options };
}

/** The report command: its inputs (see {@link resolveInputs}) and its `--help`. */
export const REPORT_COMMAND: Command<ReportCliOptions> = {
  resolve: (argv, env, redactor) => {
    const resolved = resolveInputs(argv, env, redactor);
    return resolved.kind === "report" ? { kind: "run", options: resolved.options } : resolved;
  },
  help: (program) => helpText(program),
};

const HELP_GROUPS = [
  "Selecting the candidates",
  "Baselines and metrics",
  "Output",
  "Gate and waiting",
  "GitHub",
  "Network",
];

/**
 * The README's table of the report's inputs, generated from the same table
 * that drives parsing and `--help` (a test holds the README to it).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { inputsMarkdown } from "./report.ts";
 * assertEquals(inputsMarkdown().includes("| `--gate RULE` | `INPUT_GATE` |"), true);
 * ```
 */
export function inputsMarkdown(): string {
  return markdownOptions(SOURCES, HELP_GROUPS);
}

/**
 * The `--help` text, generated from the same table that drives parsing.
 *
 * @param program how the user invokes the tool, shown in the usage line
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { helpText } from "./report.ts";
 * assertEquals(helpText("deno task report").startsWith("Usage: deno task report "), true);
 * ```
 */
export function helpText(program: string): string {
  return commandHelp(SOURCES, {
    usage: `Usage: ${program} --project entity/project (--sha SHA | --run-id ID) [options]`,
    about: [
      "Fetches the W&B runs logged for a commit (the candidates) and the baselines (runs with",
      "the baseline tags, or logged for --baseline-sha), compares their metrics, applies the",
      "gate, and writes wandb_report.csv, step outputs and a markdown report.",
    ],
    optionsTitle: "Options (flags win over INPUT_* variables, which win over WANDB_* variables)",
    groups: HELP_GROUPS,
    notes: [
      "Lists take ['a', 'b'] (the old action's form), a JSON array, or a, b / one per line.",
      "",
    ],
    examples: [
      `${program} --project acme/vision --sha "$(git rev-parse HEAD)"`,
      `${program} --project acme/vision --sha 3f2c9a1 --baseline-tags baseline \\`,
      `    --metrics "val_acc, val_loss" --gate val_acc:max:abs=0.01`,
      `${program} --project acme/vision --run-id a1b2c3d4 --format json`,
      `${program} --project acme/vision --sha 3f2c9a1 --wait 30m --require-complete`,
      `${program} --project acme/vision --sha 3f2c9a1 --baseline-sha "$(git merge-base HEAD main)"`,
    ],
    exits: [...EXIT_CODES],
  });
}
