/**
 * The list syntaxes accepted by list inputs (`--baseline-tags`, `--metrics`,
 * `--config-vars`, and the old action's `INPUT_*` lists).
 *
 * 1. The old action's Python list literal: `['baseline', "reference"]`, either
 *    quote style, backslash escapes, trailing comma.
 * 2. A JSON array: `["baseline", "reference"]`.
 * 3. Plain text, comma- or newline-separated: `baseline, reference`.
 *
 * Bracketed forms go through a real parser (JSON5, a superset of JSON whose
 * string syntax covers Python's quoting and common escapes); nothing is ever
 * evaluated. The old action used Python `eval()`, which ran any code in an input.
 *
 * @module
 */
import { InvalidInputError } from "../ground/errors.ts";
import { parseJson5 } from "../ground/json.ts";

const EXPECTED = `a list of strings: ['a', 'b'], ["a", "b"] or a, b`;

// JSON5 reads `\U0001F600` and `\N{DASH}` as plain letters; Python does not.
// Refuse them rather than silently producing a different string.
const PYTHON_ONLY_ESCAPE = /(^|[^\\])(\\\\)*\\(U|N\{)/;

/**
 * Parses one list input.
 *
 * @param input the input's name, used in the error message (`--metrics`)
 * @param raw the raw text; empty or whitespace-only means the empty list
 * @returns the list items, in order
 * @throws {InvalidInputError} when the text is not a flat list of strings
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseList } from "./lists.ts";
 * assertEquals(parseList("--baseline-tags", "['baseline', 'reference']"), ["baseline", "reference"]);
 * assertEquals(parseList("--metrics", "accuracy, loss"), ["accuracy", "loss"]);
 * assertEquals(parseList("--metrics", '["val/acc"]'), ["val/acc"]);
 * ```
 */
export function parseList(input: string, raw: string): string[] {
  const text = raw.trim();
  if (text === "") return [];
  return text.startsWith("[") ? parseBracketed(input, text) : parsePlain(input, text);
}

function parseBracketed(input: string, text: string): string[] {
  if (PYTHON_ONLY_ESCAPE.test(text)) {
    throw new InvalidInputError(input, EXPECTED, text, "\\U and \\N{…} escapes are not supported");
  }
  let value: unknown;
  try {
    value = parseJson5(text);
  } catch (error) {
    const reason = error instanceof SyntaxError
      ? error.message.replace(/^JSON5: /, "")
      : String(error);
    throw new InvalidInputError(input, EXPECTED, text, reason);
  }
  if (!Array.isArray(value)) throw new InvalidInputError(input, EXPECTED, text);
  value.forEach((item, index) => {
    if (typeof item !== "string") {
      const kind = Array.isArray(item) ? "a nested list" : item === null ? "null" : typeof item;
      throw new InvalidInputError(input, EXPECTED, text, `item ${index + 1} is ${kind}`);
    }
  });
  return value as string[];
}

// Quotes, brackets, braces or parentheses in a plain item mean a Python or
// JSON literal that did not parse; taking it verbatim would silently search
// for a tag named `'baseline'`.
const CODE_LIKE = /['"`\u2018\u2019\u201C\u201D[\]{}()]/;

function parsePlain(input: string, text: string): string[] {
  if (text === "None") {
    throw new InvalidInputError(input, EXPECTED, text, "None is not a list; write [] for none");
  }
  if (/^[({]/.test(text)) {
    throw new InvalidInputError(input, EXPECTED, text, "a tuple or dict; write a list in [ ]");
  }
  const items = text.split(/[\n,]/).map((item) => item.trim()).filter((item) => item !== "");
  for (const item of items) {
    if (CODE_LIKE.test(item)) {
      throw new InvalidInputError(
        input,
        EXPECTED,
        text,
        `item ${JSON.stringify(item)} has quotes or brackets; write the whole list as ` +
          `['a', 'b'] or ["a", "b"]`,
      );
    }
  }
  return items;
}
