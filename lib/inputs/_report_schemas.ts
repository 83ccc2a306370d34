/**
 * The report's option schemas too long to sit in their rows of
 * `_report_table.ts`: each is named there, in its option's one entry.
 *
 * @module
 */
import { z } from "zod";
import { type Direction, DURATION_EXPECTED, durationSeconds } from "../ground/model.ts";
import { HTTP_URL } from "../schemas.ts";
import { parseGateRule, parseReference } from "./rules.ts";
import { parseGroupBy } from "../ground/stats.ts";
import { DEFAULT_BASE_URL } from "../ground/urls.ts";

/** The W&B SaaS hostname of a parsed URL, normalised (case, trailing dot, IDNA dots). */
function wandbHost(url: string): string | undefined {
  const host = new URL(url).hostname.replace(/\.$/, "");
  return host === "wandb.ai" || host.endsWith(".wandb.ai") ? host : undefined;
}

/** A duration (`90s`, `15m`, `1h`, plain seconds) as seconds. */
export const DURATION_SCHEMA: z.ZodType<number, unknown> = z.union([z.number(), z.string()])
  .transform(
    (value, ctx) => {
      const seconds = typeof value === "number" ? value : durationSeconds(value);
      if (seconds === undefined) {
        ctx.addIssue({ code: "custom", message: DURATION_EXPECTED });
        return z.NEVER;
      }
      return seconds;
    },
  );

/** Names (metrics, tags, config keys): none empty. */
export const NAMES = (what: string): z.ZodType<string[], string[]> =>
  z.array(z.string().trim().min(1, `${what} that are not empty`));

/** The W&B API key: printable ASCII, no spaces or line breaks. */
export const API_KEY = z
  .string("your W&B API key in WANDB_API_KEY (or INPUT_WANDB_API_KEY)")
  .regex(/^[\x21-\x7e]+$/, "an API key without spaces or line breaks, in printable ASCII");

/** The project as entity/project. */
export const PROJECT = z
  .string("a project as entity/project (--project, INPUT_PROJECT_NAME or WANDB_PROJECT)")
  .regex(/^[^\s/]+\/[^\s/]+$/, "entity/project");

/** W&B's API URL, normalised; the web app's host or plain http to wandb.ai refused. */
export const BASE_URL = HTTP_URL.refine(
  (url) => !["wandb.ai", "app.wandb.ai"].includes(wandbHost(url) ?? ""),
  "the API host https://api.wandb.ai, not the web app's",
).refine(
  (url) => wandbHost(url) === undefined || url.startsWith("https:"),
  "https:// for wandb.ai hosts",
).default(DEFAULT_BASE_URL);

/** What deltas are against, parsed (`best`, `mean`, `run=ID`). */
export const REFERENCE = z.string().transform((text, ctx) => {
  try {
    return parseReference(text, "--reference");
  } catch {
    ctx.addIssue({ code: "custom", message: "best, mean or run=RUN_ID" });
    return z.NEVER;
  }
}).default({ kind: "best" });

/** A config key or W&B's group, parsed. */
export const GROUP_BY = z.string().trim().regex(
  /^(group|(config\.)?[^\s]{1,200})$/,
  "a config key (lr, config.lr) or group (W&B's group)",
).transform(parseGroupBy).optional();

/** `NAME=max|min` items as a map. */
export const DIRECTIONS = z.array(
  z.string().regex(/^[^=\s]+=(max|min)$/, "NAME=max or NAME=min items"),
).default([]).transform((items) =>
  Object.fromEntries(items.map((item) => item.split("=") as [string, Direction]))
);

/** The gate rules, parsed; a bad rule is one message naming what was expected. */
export const GATE_RULES = z.array(z.string()).default([]).transform((rules, ctx) => {
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
});

/** `NUMBER=HEAD_SHA` items (full SHAs), as pull requests. */
export const PULLS = z.array(
  z.string().trim().regex(/^[1-9]\d{0,9}=[0-9a-f]{40}$/, "NUMBER=HEAD_SHA (a full SHA)")
    .transform((text) => {
      const [number, sha] = text.split("=") as [string, string];
      return { number: Number(number), headSha: sha };
    }),
).optional();
