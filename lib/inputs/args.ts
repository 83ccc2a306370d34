/**
 * Command-line flag parsing for every task, behind one function so that the
 * parser (today `node:util` `parseArgs`, since JSR's `@std/cli` is out of
 * reach) can be swapped by editing this file alone.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { InvalidInputError } from "../ground/errors.ts";

/** How one flag is spelled and typed. */
export interface FlagSpec {
  /** `string` flags take a value (`--sha abc`, `--sha=abc`); `boolean` flags do not. */
  type: "string" | "boolean";
  /** Optional one-letter alias (`-h`). */
  short?: string;
  /** The flag may be repeated; its values are collected in order. */
  multiple?: boolean;
}

/** Parsed flags: a string, boolean or (repeated flags) strings per flag given. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses `argv` against `specs`. Unknown flags, missing values and stray
 * positional arguments are an {@link InvalidInputError} naming the flag.
 * When a flag is repeated, the last value wins, unless it is `multiple`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseFlags } from "./args.ts";
 * const flags = parseFlags(["--sha", "abc1234", "--json"], {
 *   sha: { type: "string" },
 *   json: { type: "boolean" },
 * });
 * assertEquals([flags.sha, flags.json], ["abc1234", true]);
 * ```
 */
export function parseFlags(
  argv: readonly string[],
  specs: Record<string, FlagSpec>,
  positional?: string,
): FlagValues {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: specs,
      strict: true,
      allowPositionals: positional !== undefined,
    });
    // Words after the flags (a shell glob: legs/*.json) are more values of `positional`.
    if (positional !== undefined && positionals.length) {
      const given = values[positional];
      const before = Array.isArray(given) ? given : typeof given === "string" ? [given] : [];
      return { ...values, [positional]: [...before, ...positionals] } as FlagValues;
    }
    return { ...values } as FlagValues;
  } catch (error) {
    throw toInputError(error, argv, Object.keys(specs));
  }
}

/** The known flag closest to a mistyped one (at most 2 edits, or a prefix), if any. */
function closest(typed: string, known: readonly string[]): string | undefined {
  const word = typed.replace(/^-+/, "").split("=")[0]!;
  let best: [string, number] | undefined;
  for (const name of known) {
    const d = name.startsWith(word) && word.length >= 3 ? 1 : distance(word, name);
    if (d <= 2 && (best === undefined || d < best[1])) best = [name, d];
  }
  return best && `--${best[0]}`;
}

/** Levenshtein distance (small strings: flag names). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length]!;
}

function toInputError(
  error: unknown,
  argv: readonly string[],
  known: readonly string[],
): InvalidInputError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const flag = message.match(/'(-{1,2}[^'\s]+)/)?.[1] ?? "arguments";
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const guess = closest(flag, known);
      return new InvalidInputError(
        flag,
        "one of the flags listed by --help",
        undefined,
        guess ? `did you mean ${guess}?` : undefined,
      );
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return message.includes("does not take an argument")
        ? new InvalidInputError(flag, "no value (it is a switch)")
        : new InvalidInputError(flag, "a value after the flag");
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
      const stray = argv.find((arg) => !arg.startsWith("-"));
      return new InvalidInputError("arguments", "only --flags", stray);
    }
    default:
      return new InvalidInputError("arguments", "valid flags", undefined, message);
  }
}
