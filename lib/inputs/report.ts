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
  resolveTable,
} from "./command.ts";
import {
  type CommentMode,
  type Direction,
  DURATION_EXPECTED,
  durationSeconds,
  durationText,
  type Match,
  RunIdSchema,
  ShaSchema,
} from "../ground/model.ts";
import { Redactor } from "../ground/redact.ts";
import { parseGateRule, parseReference } from "./rules.ts";
import { parseGroupBy } from "../ground/stats.ts";
import { MAX_HISTORY } from "../history/source.ts";
import { DEFAULT_BASE_URL } from "../ground/urls.ts";
import { REPORT_SOURCES } from "./_report_table.ts";
import type { ReportOptions } from "../pipeline/options.ts";
import {
  FETCH_FIELDS,
  HTTP_URL,
  MAX_POLL_SECONDS,
  MAX_WAIT_SECONDS,
  POLL_EXPECTED,
  WAIT_EXPECTED,
} from "../schemas.ts";
import { COMMENT_MODE, REPORT_KEY, RETRY_FIELDS, TOKEN, wholeNumber } from "./_fields.ts";

const SOURCES = REPORT_SOURCES;

/** The W&B SaaS hostname of a parsed URL, normalised (case, trailing dot, IDNA dots). */
function wandbHost(url: string): string | undefined {
  const host = new URL(url).hostname.replace(/\.$/, "");
  return host === "wandb.ai" || host.endsWith(".wandb.ai") ? host : undefined;
}

/** A duration (`90s`, `15m`, `1h`, plain seconds) as seconds. */
const DURATION_SCHEMA: z.ZodType<number, unknown> = z.union([z.number(), z.string()]).transform(
  (value, ctx) => {
    const seconds = typeof value === "number" ? value : durationSeconds(value);
    if (seconds === undefined) {
      ctx.addIssue({ code: "custom", message: DURATION_EXPECTED });
      return z.NEVER;
    }
    return seconds;
  },
);

const NAMES = (what: string): z.ZodType<string[], string[]> =>
  z.array(z.string().trim().min(1, `${what} that are not empty`));

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
export const ReportOptionsSchema: z.ZodType<ReportCliOptions> = z
  .object({
    apiKey: z
      .string("your W&B API key in WANDB_API_KEY (or INPUT_WANDB_API_KEY)")
      .regex(/^[\x21-\x7e]+$/, "an API key without spaces or line breaks, in printable ASCII"),
    project: z
      .string("a project as entity/project (--project, INPUT_PROJECT_NAME or WANDB_PROJECT)")
      .regex(/^[^\s/]+\/[^\s/]+$/, "entity/project"),
    sha: ShaSchema.optional(),
    secondarySha: ShaSchema.optional(),
    runId: RunIdSchema.optional(),
    matchCommit: z.boolean().default(false),
    commitScanDays: FETCH_FIELDS.commitScanDays,
    baselineTags: NAMES("tags").default([]),
    baselineSha: ShaSchema.optional(),
    historyBase: ShaSchema.optional(),
    baselineSearch: wholeNumber(0, MAX_HISTORY).default(0),
    minBaselineRuns: wholeNumber(1, 1000).default(1),
    mergeBase: z.boolean().default(false),
    trend: wholeNumber(0, MAX_HISTORY).default(0),
    noiseHistory: wholeNumber(0, MAX_HISTORY).default(0),
    onInconclusive: z.enum(["pass", "fail"], "pass or fail").default("pass"),
    onMissing: z.enum(["pending", "fail"], "pending or fail").default("pending"),
    metrics: NAMES("metric names").default([]),
    configVars: NAMES("config keys").default([]),
    out: z.string().min(1, "a file path"),
    /** The path is the default, not the user's: a symbolic link there is replaced, not followed. */
    outDefault: z.boolean().default(false),
    baseUrl: HTTP_URL.default(DEFAULT_BASE_URL).refine(
      (url) => !["wandb.ai", "app.wandb.ai"].includes(wandbHost(url) ?? ""),
      "the API host https://api.wandb.ai, not the web app's",
    ).refine(
      (url) => wandbHost(url) === undefined || url.startsWith("https:"),
      "https:// for wandb.ai hosts",
    ),
    appUrl: HTTP_URL.optional(),
    pageSize: FETCH_FIELDS.pageSize,
    ...RETRY_FIELDS,
    maxResponseMb: FETCH_FIELDS.maxResponseMb,
    reference: z.string().default("best").transform((text, ctx) => {
      try {
        return parseReference(text, "--reference");
      } catch {
        ctx.addIssue({ code: "custom", message: "best, mean or run=RUN_ID" });
        return z.NEVER;
      }
    }),
    groupBy: z.string().trim().regex(
      /^(group|(config\.)?[^\s]{1,200})$/,
      "a config key (lr, config.lr) or group (W&B's group)",
    ).transform(parseGroupBy).optional(),
    directions: z.array(
      z.string().regex(/^[^=\s]+=(max|min)$/, "NAME=max or NAME=min items"),
    ).default([]).transform((items) =>
      Object.fromEntries(items.map((item) => item.split("=") as [string, Direction]))
    ),
    gate: z.array(z.string()).default([]).transform((rules, ctx) => {
      try {
        return rules.map((rule) => parseGateRule(rule, "--gate"));
      } catch (error) {
        ctx.addIssue({
          code: "custom",
          // parseGateRule's message names the input and echoes the rule; keep the rest.
          message: (error as Error).message
            .replace(/^--gate: expected /, "")
            .replace(/, got ".*?"(?= \(|$)/, ""),
        });
        return z.NEVER;
      }
    }),
    requireComplete: z.boolean().default(false),
    wait: DURATION_SCHEMA.refine((s) => s <= MAX_WAIT_SECONDS, WAIT_EXPECTED).optional(),
    pollInterval: DURATION_SCHEMA.default(30).refine(
      (s) => s >= 1 && s <= MAX_POLL_SECONDS,
      POLL_EXPECTED,
    ),
    maxWait: DURATION_SCHEMA.default(21_600).refine((s) => s <= MAX_WAIT_SECONDS, WAIT_EXPECTED),
    staleAfter: DURATION_SCHEMA.default(900).refine(
      (s) => s <= MAX_WAIT_SECONDS,
      "a duration of at most 7 days, or 0 (off)",
    ),
    markdown: z.string().min(1, "a file path").optional(),
    format: z.enum(["table", "markdown", "json", "csv"], "table, markdown, json or csv").optional(),
    quiet: z.boolean().default(false),
    chart: z.boolean().default(false),
    comment: z.boolean().default(false),
    prNumber: wholeNumber(1, 1e9).optional(),
    sweep: wholeNumber(0, 100).default(0),
    pulls: z.array(
      z.string().trim().regex(/^[1-9]\d{0,9}=[0-9a-f]{40}$/, "NUMBER=HEAD_SHA (a full SHA)")
        .transform((text) => {
          const [number, sha] = text.split("=") as [string, string];
          return { number: Number(number), headSha: sha };
        }),
    ).optional(),
    commentMode: COMMENT_MODE.default("always"),
    status: z.boolean().default(false),
    progressOnly: z.boolean().default(false),
    prHeadSha: ShaSchema.optional(),
    reportKey: REPORT_KEY.optional(),
    githubToken: TOKEN.optional(),
    json: z.boolean().default(false),
    debug: z.boolean().default(false),
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
