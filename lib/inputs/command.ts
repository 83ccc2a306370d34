/**
 * The table-driven input machinery shared by every task: each option names
 * its flag, its `INPUT_*` variable and its fallback variable; this module
 * picks the value by precedence, converts lists and switches, and turns a zod
 * issue into an error that names the input as the user wrote it.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { z } from "zod";
import { type FlagSpec, type FlagValues, parseFlags } from "./args.ts";
import { InvalidInputError } from "../ground/errors.ts";
import { parseList } from "./lists.ts";
import { parseWith, type Problem } from "../ground/parse.ts";
import { Redactor } from "../ground/redact.ts";

/** Where one option can come from, and how `--help` describes it. */
export interface Source {
  /** Flag name without dashes; absent for secrets, which never go on a command line. */
  flag?: string;
  /** Action input name, read as `INPUT_<name>`. */
  input?: string;
  /** Variable read last (W&B's own, or the runner's). */
  env?: string;
  /** How the text is converted before validation. */
  kind: "string" | "list" | "boolean";
  /** Placeholder shown in `--help`. */
  value?: string;
  /** One line for `--help`. */
  help: string;
  /**
   * Never echoed; registered with the redactor as soon as it is read
   * (`"wandb-key"` also registers the `Authorization: Basic` value made from it).
   */
  secret?: boolean | "wandb-key";
  /** A list flag that may be repeated (`--gate a --gate b`). */
  repeat?: boolean;
  /** The heading it is listed under in `--help` (in the order groups first appear). */
  group?: string;
  /**
   * The option's schema: its range, and its default as the outermost `.default()`, which
   * `--help` and the README show after the help ("Default 100.").
   */
  schema?: z.ZodType;
  /** How `--help` shows the schema's default (e.g. seconds as `30s`); `String` when absent. */
  shown?: (value: never) => string;
}

/** An option row that carries its schema: the one entry of an option. */
export type Option = Source & { schema: z.ZodType };

/**
 * The zod object of an option table: each key validated by its row's
 * schema, the type inferred from the rows (so options are declared once).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { z } from "zod";
 * import { optionsSchema } from "./command.ts";
 * const table = {
 *   size: { flag: "size", kind: "string", help: "Items, 1-9.", schema: z.coerce.number().min(1).max(9).default(3) },
 * } as const;
 * assertEquals(optionsSchema(table).parse({}), { size: 3 });
 * ```
 */
export function optionsSchema<T extends Readonly<Record<string, Option>>>(
  table: T,
): OptionsObject<T> {
  const shape = Object.fromEntries(Object.entries(table).map(([k, row]) => [k, row.schema]));
  return z.object(shape) as unknown as OptionsObject<T>;
}

/**
 * The options an option table gives a command, as its rows' schemas output
 * them: a command's options type is this, never written beside its rows
 * (only the published ones, the report's and chatops', are interfaces: JSR
 * wants a public type written out).
 */
export type OptionsOf<T extends Readonly<Record<string, Option>>> = z.output<OptionsObject<T>>;

/** The zod object {@link optionsSchema} builds from an option table. */
export type OptionsObject<T extends Readonly<Record<string, Option>>> = z.ZodObject<
  { -readonly [K in keyof T]: T[K]["schema"] }
>;

/**
 * A row's help with its schema's default after it ("Default 100."), when the
 * schema's outermost step is a `.default()` worth showing (not `false` or an
 * empty list).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { z } from "zod";
 * import { helpOf } from "./command.ts";
 * assertEquals(helpOf({ kind: "string", help: "Runs per request.", schema: z.number().default(100) }), "Runs per request. Default 100.");
 * assertEquals(helpOf({ kind: "boolean", help: "Quiet.", schema: z.boolean().default(false) }), "Quiet.");
 * ```
 */
export function helpOf(source: Source): string {
  const def = source.schema?.def as { type: string; defaultValue?: unknown } | undefined;
  if (def?.type !== "default") return source.help;
  const value = def.defaultValue;
  if (value === false || (Array.isArray(value) && value.length === 0)) return source.help;
  const shown = source.shown
    ? source.shown(value as never)
    : Array.isArray(value)
    ? value.join(", ")
    : String(value);
  return `${source.help} Default ${shown}.`;
}

/** Raw values picked by precedence, and the name each came from. */
export interface Picked {
  /** Option key → string, list or boolean, as the schema expects. */
  raw: Record<string, unknown>;
  /** Option key → the flag or variable it came from. */
  labels: Record<string, string>;
}

/** The `parseFlags` specs for a table, plus `--help` and `--version`. */
export function flagSpecs(sources: Readonly<Record<string, Source>>): Record<string, FlagSpec> {
  return {
    help: { type: "boolean", short: "h" },
    version: { type: "boolean" },
    ...Object.fromEntries(
      Object.values(sources).flatMap((s) =>
        s.flag
          ? [[
            s.flag,
            {
              type: s.kind === "boolean" ? "boolean" : "string",
              ...(s.repeat ? { multiple: true } : {}),
            },
          ]]
          : []
      ),
    ),
  };
}

/**
 * Picks each option's value: the flag, else `INPUT_<input>`, else `env`. An
 * empty variable counts as unset (GitHub passes unset inputs as ""). Secrets,
 * and credentials written into any URL, are registered with `redactor` the
 * moment they are read, before anything could print them.
 */
export function pickSources(
  sources: Readonly<Record<string, Source>>,
  flags: FlagValues,
  env: Readonly<Record<string, string | undefined>>,
  redactor: Redactor,
): Picked {
  const raw: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  for (const [key, source] of Object.entries(sources)) {
    const picked = pick(source, flags, env);
    if (picked === undefined) continue;
    for (const text of [picked.value].flat()) {
      if (typeof text !== "string") continue;
      if (source.secret === "wandb-key") redactor.registerApiKey(text);
      else if (source.secret) redactor.register(text);
      redactor.registerUrl(text);
    }
    labels[key] = picked.label;
    raw[key] = source.kind === "list"
      ? [picked.value].flat().flatMap((item) => parseList(picked.label, String(item)))
      : source.kind === "boolean"
      ? toBoolean(picked.label, picked.value)
      : picked.value;
  }
  return { raw, labels };
}

function pick(
  source: Source,
  flags: FlagValues,
  env: Readonly<Record<string, string | undefined>>,
): { label: string; value: string | boolean | string[] } | undefined {
  if (source.flag && flags[source.flag] !== undefined) {
    return { label: `--${source.flag}`, value: flags[source.flag]! };
  }
  for (const name of [source.input && `INPUT_${source.input}`, source.env]) {
    if (name && env[name] !== undefined && env[name] !== "") {
      return { label: name, value: env[name]! };
    }
  }
  return undefined;
}

function toBoolean(label: string, value: string | boolean | string[]): boolean {
  if (typeof value === "boolean") return value;
  if (Array.isArray(value)) return toBoolean(label, value.at(-1) ?? "");
  const word = value.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(word)) return true;
  if (["false", "0", "no", "off"].includes(word)) return false;
  throw new InvalidInputError(label, "true or false", value);
}

/**
 * The error for the first zod issue, naming the input as the user gave it
 * (or its flag when it was not given) and never echoing a secret.
 */
export function sourceError(
  sources: Readonly<Record<string, Source>>,
  picked: Picked,
  issue: Problem,
): InvalidInputError {
  const key = String(issue.key);
  const source: Source | undefined = sources[key];
  const label = picked.labels[key] ??
    (source?.flag ? `--${source.flag}` : source?.env ?? `INPUT_${source?.input ?? key}`);
  const value = picked.raw[key];
  // A switch's value says nothing ("got true"); a secret is never echoed.
  const shown = source?.secret || source?.kind === "boolean" || value === undefined
    ? undefined
    : String(value);
  return new InvalidInputError(label, issue.message, shown);
}

/** `--help` fits in this many columns. */
export const HELP_WIDTH = 100;

/** Splits text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

/** The option rows of a `--help` text, grouped under their headings, each line ≤ 100 columns. */
export function helpRows(
  sources: Readonly<Record<string, Source>>,
  order: readonly string[] = [],
): string[] {
  const groups = new Map<string, Source[]>(order.map((group) => [group, []]));
  for (const source of Object.values(sources)) {
    const group = source.group ?? "";
    groups.set(group, [...(groups.get(group) ?? []), source]);
  }
  const lines: string[] = [];
  for (const [group, rows] of groups) {
    if (rows.length === 0) continue;
    if (group) lines.push("", `${group}:`);
    for (const s of rows) {
      const flag = s.flag ? `--${s.flag}${s.value ? ` ${s.value}` : ""}` : "(environment)";
      const vars = [s.input && `INPUT_${s.input}`, s.env].filter(Boolean).join(", ");
      const [first, ...more] = wrap(helpOf(s), HELP_WIDTH - 31);
      lines.push(`  ${flag.padEnd(28)} ${first}`);
      for (const line of [...more, ...(vars ? [`env: ${vars}`] : [])]) {
        lines.push(`  ${"".padEnd(28)} ${line}`);
      }
    }
  }
  return lines;
}

/**
 * The option table as a markdown table for the README (flag, variables,
 * meaning), grouped as `--help` groups it: generated from the same table
 * that drives parsing, so the two cannot disagree.
 */
export function markdownOptions(
  sources: Readonly<Record<string, Source>>,
  order: readonly string[] = [],
): string {
  const groups = new Map<string, Source[]>(order.map((group) => [group, []]));
  for (const source of Object.values(sources)) {
    const group = source.group ?? "";
    groups.set(group, [...(groups.get(group) ?? []), source]);
  }
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const lines = ["| flag | variables | meaning |", "| --- | --- | --- |"];
  for (const [group, rows] of groups) {
    if (rows.length === 0) continue;
    if (group) lines.push(`| **${group}** | | |`);
    for (const s of rows) {
      const flag = s.flag ? `\`--${s.flag}${s.value ? ` ${s.value}` : ""}\`` : "(environment only)";
      const vars = [s.input && `INPUT_${s.input}`, s.env].filter(Boolean).map((v) => `\`${v}\``);
      lines.push(`| ${cell(flag)} | ${vars.join(", ")} | ${cell(helpOf(s))} |`);
    }
  }
  return lines.join("\n");
}

/** What a command line asked for: help, the version, or a run with validated options. */
export type Resolved<T> =
  | {
    /** `--help`. */
    kind: "help";
  }
  | {
    /** `--version`. */
    kind: "version";
  }
  | {
    /** Run the command. */
    kind: "run";
    /** The validated options. */
    options: T;
  };

/**
 * The one way every command reads its inputs: flags parsed against the
 * table, `--help`/`--version` answered, each value picked by precedence
 * (secrets registered with the redactor as they are read), `prepare` given a
 * chance to fill derived defaults, then the schema; the first bad input is an
 * {@link InvalidInputError} naming it as the user wrote it.
 */
export function resolveTable<T>(
  sources: Readonly<Record<string, Source>>,
  schema: z.ZodType<T>,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  redactor: Redactor,
  prepare?: (raw: Record<string, unknown>) => void,
  positional?: string,
): Resolved<T> {
  const flags = parseFlags(
    argv,
    flagSpecs(sources),
    positional === undefined ? undefined : sources[positional]?.flag,
  );
  if (flags.help) return { kind: "help" };
  if (flags.version) return { kind: "version" };
  const picked = pickSources(sources, flags, env, redactor);
  prepare?.(picked.raw);
  const options = parseWith(schema, picked.raw, (problem) => sourceError(sources, picked, problem));
  return { kind: "run", options };
}

/** What a command's `--help` says beside its option table (see {@link commandHelp}). */
export interface HelpText {
  /** The usage line. */
  usage: string;
  /** What the command does. */
  about: string[];
  /** The options' heading. Default "Options". */
  optionsTitle?: string;
  /** The order of the option groups. */
  groups?: string[];
  /** Lines after the options. */
  notes?: string[];
  /** Example command lines. */
  examples?: string[];
  /** Its exit codes (see {@link exitCodeLines}). */
  exits: string[];
}

/** One command's inputs: how they are read, and its `--help`. */
export interface Command<T> {
  /** Reads the inputs from flags and environment (secrets registered with `redactor`). */
  resolve(
    argv: readonly string[],
    env: Readonly<Record<string, string | undefined>>,
    redactor?: Redactor,
  ): Resolved<T>;
  /** The `--help` text, for how the user invokes it. */
  help(program: string): string;
}

/**
 * Makes the relative paths among `raw[keys]` (a path, or a list of them)
 * relative to `here`, the folder the user typed the command in (`INIT_CWD`):
 * `deno task --config other/deno.json` runs in other/. A trailing slash
 * ("dir/" asks for a directory) is kept. Nothing changes without `here`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { fromTypedFolder } from "./command.ts";
 * const raw: Record<string, unknown> = { out: "r.csv", dir: "legs/", list: ["a.json", "/b.json"] };
 * fromTypedFolder(raw, ["out", "dir", "list"], "/home/ana");
 * assertEquals(raw, { out: "/home/ana/r.csv", dir: "/home/ana/legs/", list: ["/home/ana/a.json", "/b.json"] });
 * ```
 */
export function fromTypedFolder(
  raw: Record<string, unknown>,
  keys: readonly string[],
  here: string | undefined,
): void {
  if (!here) return;
  const resolve = (path: unknown) => {
    if (typeof path !== "string" || path === "" || isAbsolute(path)) return path;
    const joined = join(here, path);
    // join keeps a trailing slash only sometimes; add none twice.
    return /[/\\]$/.test(path) && !/[/\\]$/.test(joined) ? `${joined}/` : joined;
  };
  for (const key of keys) {
    const value = raw[key];
    if (value !== undefined) raw[key] = Array.isArray(value) ? value.map(resolve) : resolve(value);
  }
}

/**
 * A command from its option table (each row holding its schema) and its
 * help: the one shape every command's inputs take. The schema is built from
 * the rows; `refine` adds what spans options (one needs another).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { z } from "zod";
 * import { defineCommand } from "./command.ts";
 * const hello = defineCommand({
 *   sources: { name: { flag: "name", kind: "string", help: "Who.", schema: z.string().default("world") } },
 *   help: (program) => ({ usage: `Usage: ${program}`, about: [], exits: [] }),
 * });
 * const run = hello.resolve(["--name", "ana"], {});
 * assertEquals(run.kind === "run" && run.options.name, "ana");
 * ```
 */
export function defineCommand<
  S extends Readonly<Record<string, Option>>,
  T = z.output<OptionsObject<S>>,
>(definition: {
  sources: S;
  /** What spans options, on the schema built from the rows (e.g. a `superRefine`). */
  refine?: (options: OptionsObject<S>) => z.ZodType<T>;
  help: (program: string) => HelpText;
  /** Option keys that are file paths: relative ones mean where the user typed them (`INIT_CWD`). */
  paths?: readonly string[];
  /** The list option that words after the flags add to (`merge legs/*.json`). */
  positional?: string;
}): Command<NoInfer<T>> {
  // NoInfer: T comes from the rows (or `refine`), never from the type the caller's constant is
  // declared with, so the compiler holds the rows to that type.
  const options = optionsSchema(definition.sources);
  // Without `refine`, T is the rows' own output type: the object is the schema.
  const schema = (definition.refine?.(options) ?? options) as z.ZodType<T>;
  return {
    resolve: (argv, env, redactor = new Redactor()) =>
      resolveTable(
        definition.sources,
        schema,
        argv,
        env,
        redactor,
        (raw) => fromTypedFolder(raw, definition.paths ?? [], env.INIT_CWD),
        definition.positional,
      ),
    help: (program) => commandHelp(definition.sources, definition.help(program)),
  };
}

/**
 * A command's `--help`: the usage line, what it does, its option table (with
 * `--help` and `--version`), then any notes and its exit codes.
 */
export function commandHelp(
  sources: Readonly<Record<string, Source>>,
  text: HelpText,
): string {
  return [
    text.usage,
    "",
    ...text.about,
    "",
    `${text.optionsTitle ?? "Options"}:`,
    ...helpRows(sources),
    `  ${"--help, -h".padEnd(28)} Show this help.`,
    `  ${"--version".padEnd(28)} Show the version.`,
    "",
    ...(text.notes ?? []),
    ...(text.examples?.length ? ["Examples:", ...text.examples.map((e) => `  ${e}`), ""] : []),
    "Exit codes:",
    ...text.exits.map((e) => `  ${e}`),
  ].join("\n");
}

/**
 * A command's exit codes for its `--help` (see `errors.ts`): what 0, and each
 * other code it can give, mean for it; 70 (a bug) always.
 */
export function exitCodeLines(
  meanings: Readonly<Partial<Record<0 | 1 | 2 | 3, string>>>,
): string[] {
  return [
    ...Object.entries(meanings).map(([code, text]) => `${code.padEnd(4)}${text}`),
    "70  a bug in wandb-report: please report it",
  ];
}

/** The report's exit codes, for its `--help`. */
export const EXIT_CODES: readonly string[] = exitCodeLines({
  0: "done (the report may still say there are no finished runs yet)",
  1: "a --gate rule or --require-complete failed; the CSV, outputs and summary are written",
  2: "invalid input or a missing permission; one line names it, nothing is written",
  3: "W&B or GitHub failed for good (auth, not found, rate limit, server), nothing written",
});
