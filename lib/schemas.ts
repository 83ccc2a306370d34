/**
 * The zod fields several option sets share, the library's and the
 * commands': whole numbers and seconds in a range, the retry settings, a
 * token, an http(s) URL, a comment mode. The library checks hand-made
 * options with them, and the command tables parse text with them, so both
 * apply one rule.
 *
 * @module
 */
import { z } from "zod";
import { COMMENT_MODES, type CommentMode } from "./ground/model.ts";

/** A whole number in a range, from text. */
export const wholeNumber = (min: number, max: number): z.ZodCoercedNumber<unknown> =>
  z.coerce
    .number(`a whole number from ${min} to ${max}`)
    .int(`a whole number from ${min} to ${max}`)
    .min(min, `a whole number from ${min} to ${max}`)
    .max(max, `a whole number from ${min} to ${max}`);

/** A number of seconds in a range, from text. */
export const seconds = (min: number, max: number): z.ZodCoercedNumber<unknown> =>
  z.coerce
    .number(`a number of seconds from ${min} to ${max}`)
    .min(min, `a number of seconds from ${min} to ${max}`)
    .max(max, `a number of seconds from ${min} to ${max}`);

/** A secret token: printable ASCII, no spaces (it goes into an HTTP header). */
export const TOKEN: z.ZodString = z.string("a token (pass github.token as GITHUB_TOKEN)").regex(
  /^[\x21-\x7e]+$/,
  "a token without spaces or line breaks",
);

/**
 * The defaults of the options the library and the commands share, declared
 * once: the zod fields below take them, and the help texts say them.
 */
export const DEFAULTS = {
  /** Per-request timeout, seconds. */
  timeoutSeconds: 20,
  /** Attempts per request, the first counted. */
  maxAttempts: 6,
  /** The retry budget, seconds. */
  maxRetrySeconds: 60,
  /** Runs per request. */
  pageSize: 100,
  /** The largest W&B answer read, MiB. */
  maxResponseMb: 64,
  /** How recent the runs a commit scan reads, days. */
  commitScanDays: 30,
} as const;

type Defaulted = z.ZodDefault<z.ZodCoercedNumber<unknown>>;

/** The retry settings' zod fields, with their ranges and {@link DEFAULTS}. */
export const RETRY_FIELDS: {
  timeoutSeconds: Defaulted;
  maxAttempts: Defaulted;
  maxRetrySeconds: Defaulted;
} = {
  timeoutSeconds: seconds(0.1, 600).default(DEFAULTS.timeoutSeconds),
  maxAttempts: wholeNumber(1, 20).default(DEFAULTS.maxAttempts),
  maxRetrySeconds: seconds(0, 3600).default(DEFAULTS.maxRetrySeconds),
};

/** The W&B fetch's zod fields (the library's and the report command's), with {@link DEFAULTS}. */
export const FETCH_FIELDS: {
  pageSize: Defaulted;
  maxResponseMb: Defaulted;
  commitScanDays: Defaulted;
} = {
  pageSize: wholeNumber(1, 1000).default(DEFAULTS.pageSize),
  maxResponseMb: wholeNumber(1, 4096).default(DEFAULTS.maxResponseMb),
  commitScanDays: wholeNumber(1, 3650).default(DEFAULTS.commitScanDays),
};

/**
 * An http(s) URL, parsed (not pattern-matched) and normalised: lower-case
 * scheme and host, no trailing slash. Credentials, queries and fragments are
 * refused: a key belongs in WANDB_API_KEY, not in a URL that gets logged.
 */
export const HTTP_URL: z.ZodType<string, string> = z.string().transform((text, ctx) => {
  const fail = (message: string) => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  if (!URL.canParse(text)) return fail("an http:// or https:// URL");
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return fail("an http:// or https:// URL");
  }
  if (url.username || url.password) {
    return fail("a URL without user:password@ (the key goes in WANDB_API_KEY)");
  }
  if (url.search || url.hash) return fail("a URL without ?query or #fragment");
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
});

/** The schema of a comment mode. */
export const COMMENT_MODE: z.ZodType<CommentMode, unknown> = z.enum(
  COMMENT_MODES as [CommentMode, ...CommentMode[]],
  COMMENT_MODES.join(", "),
);

/** The longest `--wait`/`--max-wait`: a week (a self-hosted runner's job may run five days). */
export const MAX_WAIT_SECONDS = 7 * 86_400;
/** What a wait must be, in an error message. */
export const WAIT_EXPECTED = "a duration of at most 7 days (168h)";
/** The longest first pause between polls: an hour (pauses grow to 5 minutes, or to this). */
export const MAX_POLL_SECONDS = 3_600;
/** What a poll interval must be, in an error message. */
export const POLL_EXPECTED = "a duration from 1s to 1h";
