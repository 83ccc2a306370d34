/**
 * The shared vocabulary every layer uses: how a commit and a run id are
 * written, how a SHA is matched against the `github_sha` a run logged, and
 * the old action's Python-style booleans. Nothing here imports from
 * elsewhere in the package but the errors.
 *
 * @module
 */
import { z } from "zod";

/**
 * What a commit input may be: any single token of printable characters, at
 * most 100 long. The old action compared the run config's `github_sha` with
 * whatever string it was given, and teams log short SHAs, tags and CI build
 * ids there, so anything printable is accepted; only whitespace and control
 * characters (which no logged value can sensibly hold, and which could break
 * a log line or an output file) are refused.
 */
export const SHA_TOKEN = /^[^\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]{1,100}$/u;

/** What {@link SHA_TOKEN} asks for, in an error message. */
export const SHA_EXPECTED =
  "one token of printable characters (a commit SHA, tag or build id), at most 100, " +
  "without spaces or control characters";

/** A short hex SHA: runs whose logged SHA starts with it match. */
const SHORT_HEX = /^[0-9a-fA-F]{7,39}$/;
const HEX = /^[0-9a-fA-F]+$/;

/**
 * How a SHA input is compared with a run's logged value: `prefix` for 7 to 39
 * hexadecimal characters (a short commit SHA), `exact` for anything else.
 */
export type ShaMode = "exact" | "prefix";

/** A SHA input, normalised, with the way it is matched. */
export interface ShaMatch {
  /** The value compared: hexadecimal is lower-cased (git writes SHAs so), anything else kept. */
  value: string;
  /** `prefix` for a short hex SHA, `exact` otherwise. */
  mode: ShaMode;
}

/**
 * Normalises a SHA input and says how it is matched.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { shaMatch } from "./model.ts";
 * assertEquals(shaMatch("3F2C9A1"), { value: "3f2c9a1", mode: "prefix" });
 * assertEquals(shaMatch("build-1234"), { value: "build-1234", mode: "exact" });
 * ```
 */
export function shaMatch(text: string): ShaMatch {
  const value = HEX.test(text) ? text.toLowerCase() : text;
  return { value, mode: SHORT_HEX.test(text) ? "prefix" : "exact" };
}

/**
 * The zod schema of a SHA input: a {@link SHA_TOKEN}, normalised by
 * {@link shaMatch} (hexadecimal lower-cased).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { ShaSchema } from "./model.ts";
 * assertEquals(ShaSchema.parse("ABC1234"), "abc1234");
 * assertEquals(ShaSchema.safeParse("two words").success, false);
 * ```
 */
export const ShaSchema: z.ZodType<string, string> = z.string().regex(SHA_TOKEN, SHA_EXPECTED)
  .transform((text) => shaMatch(text).value);

/** Config key holding the commit a run was trained on (the old action's convention). */
export const SHA_KEY = "github_sha";
/** Config key of the optional second commit (e.g. a data or infra repo). */
export const SECONDARY_SHA_KEY = "secondary_sha";

/** A full commit SHA: 40 lower-case hex digits, what GitHub's statuses, checks and APIs take. */
export const FULL_SHA: RegExp = /^[0-9a-f]{40}$/;

/**
 * Whether `sha` is a full commit SHA (a short one may not get a status).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { isFullSha } from "./model.ts";
 * assertEquals([isFullSha("a".repeat(40)), isFullSha("abc1234"), isFullSha(undefined)], [true, false, false]);
 * ```
 */
export function isFullSha(sha: string | undefined): boolean {
  return sha !== undefined && FULL_SHA.test(sha);
}

/**
 * Whether `value` is a valid SHA token.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { isShaToken } from "./model.ts";
 * assertEquals(isShaToken("v1.2.3"), true);
 * assertEquals(isShaToken("a\nb"), false);
 * ```
 */
export function isShaToken(value: unknown): value is string {
  return typeof value === "string" && SHA_TOKEN.test(value);
}

/**
 * Whether a logged SHA matches a {@link ShaMatch} (the same rule the server
 * filter applies, for data matched on our side).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { shaMatch, shaMatches } from "./model.ts";
 * assertEquals(shaMatches(shaMatch("abc1234"), "abc1234ffffffff"), true);
 * assertEquals(shaMatches(shaMatch("v1"), "v10"), false);
 * ```
 */
export function shaMatches(sha: ShaMatch, logged: unknown): boolean {
  if (typeof logged !== "string") return false;
  return sha.mode === "prefix" ? logged.startsWith(sha.value) : logged === sha.value;
}

/**
 * A W&B run id, as the W&B SDK allows it: 1 to 128 characters, none of them
 * whitespace, a control character or one of `/ \ # ? % :`.
 */
export const RUN_ID = /^[^\s\p{Cc}\p{Cf}/\\#?%:]{1,128}$/u;

/** What {@link RUN_ID} asks for, in an error message. */
export const RUN_ID_EXPECTED = "a W&B run id (1-128 characters, no spaces or / \\ # ? % :)";

/**
 * The zod schema of a run id.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { RunIdSchema } from "./model.ts";
 * assertEquals(RunIdSchema.safeParse("a1b2c3d4").success, true);
 * assertEquals(RunIdSchema.safeParse("a/b").success, false);
 * ```
 */
export const RunIdSchema: z.ZodString = z.string().regex(RUN_ID, RUN_ID_EXPECTED);

/**
 * A boolean as the old Python action spelled its outputs: `True` or `False`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { pyBool } from "./model.ts";
 * assertEquals(pyBool(true), "True");
 * ```
 */
export function pyBool(flag: boolean): "True" | "False" {
  return flag ? "True" : "False";
}

/** How candidates are found: by one run id, or by commit SHA. */
export type Match =
  | {
    /** One run, by its id. */
    by: "run-id";
    /** The run id (W&B's `name`). */
    runId: string;
  }
  | {
    /** Every run whose config `github_sha` matches. */
    by: "sha";
    /** The SHA input, normalised by {@link shaMatch}; its mode follows from it. */
    sha: string;
    /** Also require config `secondary_sha` to match this. */
    secondarySha?: string;
    /** Also accept runs whose W&B `commit` field matches the SHA. */
    matchCommit: boolean;
  };

/**
 * A record's own value for `key`, or `undefined`: a metric or config key
 * named `toString` or `constructor` is data, never an inherited member.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { field } from "./model.ts";
 * assertEquals(field({ loss: 1 }, "loss"), 1);
 * assertEquals(field({}, "toString"), undefined);
 * ```
 */
export function field(record: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A decoded W&B run: identity, state, tags, unwrapped config and summary metrics. */
export interface Run {
  /** The run id (W&B's `name`). */
  name: string;
  /** The human-readable name. */
  displayName?: string | null;
  /** W&B's state (`running`, `finished`, …), as the server spelled it. */
  state?: string | null;
  /** The run's tags. */
  tags: string[];
  /** The run's description (notes). */
  description?: string | null;
  /** When the run was created (ISO 8601, as W&B writes it). */
  createdAt?: string | null;
  /** The run's last heartbeat (ISO 8601): a `running` run that stopped sending them has stalled. */
  heartbeatAt?: string | null;
  /** W&B's own `commit` field, when it was fetched. */
  commit?: string | null;
  /** W&B's `group` field, when it was fetched (`--group-by group`). */
  group?: string | null;
  /** Config values, unwrapped from W&B's `{"value": …}` envelopes. */
  config: Record<string, unknown>;
  /** The latest summary metric values. */
  summary: Record<string, unknown>;
}

/** Whether bigger (`max`) or smaller (`min`) is better. */
export type Direction = "max" | "min";

/** Which baseline value candidates are compared with: `best`, `mean`, or one baseline run. */
export type Reference =
  | {
    /** The best baseline value, by the metric's direction. */
    kind: "best";
  }
  | {
    /** The mean of the baselines' values. */
    kind: "mean";
  }
  | {
    /** One baseline's value. */
    kind: "run";
    /** That baseline's run id. */
    runId: string;
  };

/**
 * One regression-gate rule, parsed from
 * `METRIC:max|min[:abs=X][:rel=Y%][:ref=..][:missing=..][:of=each|mean][:noise=K][:alpha=P][:mde=D][:min-runs=N]`.
 */
export interface GateRule {
  /** The summary metric checked. */
  metric: string;
  /** Whether bigger or smaller is better. */
  direction: Direction;
  /** Absolute tolerance. */
  abs?: number;
  /** Relative tolerance, as a fraction: `rel=2%` is 0.02. */
  rel?: number;
  /** The reference for this rule; the report's when absent. */
  reference?: Reference;
  /** Whether a missing value fails the gate. */
  missing: "fail" | "pass";
  /** Judge each finished candidate (default), or the mean of them all (seeds of one experiment). */
  of: "each" | "mean";
  /**
   * With `of=mean`: a regression beyond the tolerance fails only when it is
   * also more than this many standard errors of the difference of the means.
   */
  noise?: number;
  /**
   * A one-sided test at this level that the candidates' mean is worse than
   * the baselines' mean (0 < P ≤ 0.2); every `alpha` rule of a report is one
   * family under Holm's step-down.
   */
  alpha?: number;
  /** The smallest regression worth finding (`mde=`): below 80 % power for it, a rule that found nothing is inconclusive. */
  mde?: number;
  /** Fewer finished candidates with a numeric value than this fails the rule. */
  minRuns?: number;
  /** The rule as written, for messages. */
  text: string;
}

/** `author_association` values GitHub sends (`@octokit/webhooks-types`). */
export const AuthorAssociationSchema: z.ZodEnum<{ [K in AuthorAssociation]: K }> = z.enum([
  "COLLABORATOR",
  "CONTRIBUTOR",
  "FIRST_TIMER",
  "FIRST_TIME_CONTRIBUTOR",
  "MANNEQUIN",
  "MEMBER",
  "NONE",
  "OWNER",
]);

/** One of GitHub's `author_association` values. */
export type AuthorAssociation =
  | "COLLABORATOR"
  | "CONTRIBUTOR"
  | "FIRST_TIMER"
  | "FIRST_TIME_CONTRIBUTOR"
  | "MANNEQUIN"
  | "MEMBER"
  | "NONE"
  | "OWNER";

/** A duration as the inputs write it: `90s`, `15m`, `1h`, or plain seconds. */
export const DURATION = /^(\d+(?:\.\d+)?)(s|m|h)?$/;

/** What {@link DURATION} asks for, in an error message. */
export const DURATION_EXPECTED = "a duration such as 90s, 15m, 1h or plain seconds";

/**
 * The seconds a duration stands for, or `undefined` when it is not one.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { durationSeconds } from "./model.ts";
 * assertEquals(durationSeconds("15m"), 900);
 * assertEquals(durationSeconds("90"), 90);
 * assertEquals(durationSeconds("soon"), undefined);
 * ```
 */
export function durationSeconds(text: string): number | undefined {
  const found = DURATION.exec(text.trim());
  if (!found) return undefined;
  return Number(found[1]) * ({ s: 1, m: 60, h: 3600 }[found[2] as "s" | "m" | "h"] ?? 1);
}

/**
 * Seconds as a duration is written: `7h`, `30m`, `90s`, `1h30m` (what the
 * user typed reads back the same, not as `25200 s`).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { durationText } from "./model.ts";
 * assertEquals(durationText(25_200), "7h");
 * assertEquals(durationText(5_400), "1h30m");
 * assertEquals(durationText(90), "90s");
 * assertEquals(durationText(0.5), "0.5s");
 * ```
 */
export function durationText(seconds: number): string {
  if (seconds < 120 || !Number.isInteger(seconds)) {
    return `${Number(seconds.toFixed(1))}s`;
  }
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}`;
}

/**
 * When to comment on a pull request: `always` (create or update on every
 * report), `changes` (leave the comment as it is when the report says the
 * same), `failures` (only when the gate fails or runs are not all done; a
 * later pass updates a comment already there, never adds one), `off`.
 */
export type CommentMode = "always" | "changes" | "failures" | "off";

/** The comment modes, in the order `--help` lists them. */
export const COMMENT_MODES: readonly CommentMode[] = ["always", "changes", "failures", "off"];

/** A commit status's state, as GitHub names them. */
export type StatusState = "pending" | "success" | "failure" | "error";

/** The states a status can be set to. */
export const STATUS_STATES: readonly StatusState[] = ["pending", "success", "failure", "error"];
