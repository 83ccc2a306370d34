/**
 * The library's own report options: their type, and the rules the CLI
 * applies to each, for options that reach the library without it.
 *
 * @module
 */
import { z } from "zod";
import { InvalidInputError } from "../ground/errors.ts";
import { parseWith } from "../ground/parse.ts";
import type { Direction, GateRule, Match, Reference } from "../ground/model.ts";
import {
  FETCH_FIELDS,
  HTTP_URL,
  MAX_POLL_SECONDS,
  MAX_WAIT_SECONDS,
  POLL_EXPECTED,
  RETRY_FIELDS,
  WAIT_EXPECTED,
} from "../schemas.ts";
import type { GroupBy } from "../ground/stats.ts";
import { DEFAULT_BASE_URL } from "../ground/urls.ts";

/**
 * A report's options, as the library takes them (`collectReport`,
 * `runReport`, …): what to fetch, how to judge and render it. The CLI's
 * options extend these with what only a command line has (files,
 * formats, GitHub delivery).
 */
export interface ReportOptions {
  /** The W&B API key (registered with the redactor when read). */
  apiKey: string;
  /** The project's entity. */
  entity: string;
  /** The project's name. */
  project: string;
  /** How candidates are found. */
  match: Match;
  /** Things to tell the user about the inputs. */
  notes: string[];
  /**
   * How far back `--match-commit` scans when the server cannot filter `commit`.
   * @default 30
   */
  commitScanDays: number;
  /**
   * Baseline tags.
   * @default []
   */
  baselineTags: string[];
  /** Baselines: also the runs logged for this commit. */
  baselineSha?: string;
  /**
   * Where the noise history and the trend walk back from without
   * `baselineSha`: the PR's base (or merge base), never the PR's own commits.
   * Default the candidates' commit.
   */
  historyBase?: string;
  /** Walk back this many first-parent commits from `baselineSha` to one with runs (0: that commit only). */
  baselineSearch: number;
  /** Finished runs a commit needs to be the baseline in a search. */
  minBaselineRuns: number;
  /** The baseline commit is the merge base of `baselineSha` and the candidates' SHA. */
  mergeBase: boolean;
  /** Each metric's mean over the last N first-parent commits with runs (0: no trend). */
  trend: number;
  /** Pool seed noise from this many first-parent commits of the base (0: none). */
  noiseHistory: number;
  /** What an inconclusive rule counts as. */
  onInconclusive: "pass" | "fail";
  /**
   * A commit with no finished candidate while training may still log one
   * (none logged, or only running and pending runs): a `pending` verdict
   * (exit 0, a pending status), or judged as it is (`fail`: a missing value
   * fails as its rule says). Default `pending`.
   */
  onMissing?: "pending" | "fail";
  /**
   * Summary metrics to report (gated ones included).
   * @default []
   */
  metrics: string[];
  /**
   * Config keys to report.
   * @default []
   */
  configVars: string[];
  /**
   * The W&B API URL, normalised.
   * @default "https://api.wandb.ai"
   */
  baseUrl: string;
  /** The W&B web app URL, when given. */
  appUrl?: string;
  /**
   * Runs per request.
   * @default 100
   */
  pageSize: number;
  /**
   * Per-request timeout.
   * @default 20
   */
  timeoutSeconds: number;
  /**
   * Attempts per request.
   * @default 6
   */
  maxAttempts: number;
  /**
   * Retry budget.
   * @default 60
   */
  maxRetrySeconds: number;
  /**
   * Largest answer accepted, in MiB.
   * @default 64
   */
  maxResponseMb: number;
  /** What deltas are against. */
  reference: Reference;
  /** Judge candidates in groups by this (`--group-by`). */
  groupBy?: GroupBy;
  /** Directions given per metric. */
  directions: Record<string, Direction>;
  /** Gate rules. */
  gate: GateRule[];
  /** Fail unless the candidates are complete. */
  requireComplete: boolean;
  /** Seconds to wait for the candidates to end (0: no wait), already capped by `maxWait`. */
  waitSeconds: number;
  /** The first pause between polls, in seconds. */
  pollSeconds: number;
  /** A running run without a heartbeat for this many seconds has stalled (0: never). */
  staleAfterSeconds: number;
  /** Mermaid charts in the markdown. */
  chart: boolean;
  /** The PR's head commit, to say when a report is on another commit. */
  prHeadSha?: string;
  /** Tells reports apart in comments. */
  reportKey?: string;
}

/**
 * The rules the CLI applies to each option, for options that reach the
 * library without it (`collectReport`, `waitForCandidates`, `runReport`
 * called with a hand-made object): a `pollSeconds` of 0, a `NaN` timeout or
 * a base URL that is not a URL would otherwise spin, hang or throw a
 * `TypeError` deep inside.
 */
const LIBRARY_RULES = z.object({
  apiKey: z.string().regex(/^[\x21-\x7e]+$/, "an API key without spaces, in printable ASCII"),
  entity: z.string().regex(/^[^\s/]+$/, "a W&B entity (no spaces or /)"),
  project: z.string().regex(/^[^\s/]+$/, "a W&B project name (no spaces or /)"),
  baseUrl: HTTP_URL.default(DEFAULT_BASE_URL),
  appUrl: HTTP_URL.optional(),
  ...FETCH_FIELDS,
  ...RETRY_FIELDS,
  waitSeconds: z.number(WAIT_EXPECTED).min(0, WAIT_EXPECTED).max(MAX_WAIT_SECONDS, WAIT_EXPECTED)
    .optional(),
  pollSeconds: z.number(POLL_EXPECTED).min(1, POLL_EXPECTED).max(MAX_POLL_SECONDS, POLL_EXPECTED)
    .optional(),
  staleAfterSeconds: z.number(WAIT_EXPECTED).min(0, WAIT_EXPECTED).max(
    MAX_WAIT_SECONDS,
    WAIT_EXPECTED,
  )
    .optional(),
  baselineTags: z.array(z.string()).default([]),
  metrics: z.array(z.string()).default([]),
  configVars: z.array(z.string()).default([]),
}).loose();

/**
 * Checks options handed to the library with the CLI's rules, and fills in
 * those left out with their defaults (the CLI's, from one table): the
 * options a collection runs with.
 *
 * @throws {InvalidInputError} naming the first option that breaks them, e.g.
 * `options.pollSeconds: expected a duration from 1s to 1h, got "0"`
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals, throws } from "node:assert";
 * import { settleOptions } from "./options.ts";
 * const settled = settleOptions({ apiKey: "k", entity: "a", project: "b" });
 * assertEquals([settled.pageSize, settled.baseUrl], [100, "https://api.wandb.ai"]);
 * throws(
 *   () => settleOptions({ apiKey: "k", entity: "a", project: "b", baseUrl: "not a url" }),
 *   /options\.baseUrl: expected an http:\/\/ or https:\/\/ URL/,
 * );
 * throws(() => settleOptions({ apiKey: "k", entity: "a", project: "b", pageSize: 0 }));
 * ```
 */
export function settleOptions<T extends object>(
  options: T,
): T & Pick<ReportOptions, Defaulted> {
  const given = options as Readonly<Record<string, unknown>>;
  // What the rules parsed (defaults in, URLs normalised), over what was given.
  const parsed = parseWith(LIBRARY_RULES, given, (problem) => {
    const value = problem.key === undefined ? undefined : given[String(problem.key)];
    return new InvalidInputError(
      `options.${problem.path}`,
      problem.message,
      problem.key === "apiKey" ? undefined : String(value),
    );
  });
  return { ...options, ...parsed } as T & Pick<ReportOptions, Defaulted>;
}

/** The options {@link settleOptions} fills in when they are left out. */
export type Defaulted =
  | "baseUrl"
  | "baselineTags"
  | "metrics"
  | "configVars"
  | "pageSize"
  | "timeoutSeconds"
  | "maxAttempts"
  | "maxRetrySeconds"
  | "maxResponseMb"
  | "commitScanDays";
