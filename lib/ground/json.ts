/**
 * JSON as W&B writes it. W&B's Go JSON emits bare `NaN`, `Infinity` and
 * `-Infinity` tokens (Python's `json` accepts them, `JSON.parse` does not), so
 * reading falls back to JSON5, which accepts them; writing keeps them.
 *
 * @module
 */
// json5's ES module build: its CommonJS main costs every process ~35 ms to
// start Node's module loader (measured by bench/startup.ts).
// @ts-types="json5"
import JSON5 from "json5/dist/index.mjs";

/**
 * Parses JSON that may contain bare `NaN`/`Infinity`. Strict JSON takes the
 * fast path; only text that fails it goes through the slower JSON5 parser.
 *
 * @throws {SyntaxError} when the text is not JSON even with those tokens
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseLenientJson } from "./json.ts";
 * assertEquals(parseLenientJson('{"loss": NaN, "best": Infinity}'), { loss: NaN, best: Infinity });
 * ```
 */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return parseJson5(text);
  }
}

/**
 * Parses JSON5, a superset of JSON (single quotes, trailing commas, bare
 * `NaN`/`Infinity`, Python's common string escapes): a real parser, so
 * nothing in the text is ever evaluated.
 *
 * @throws {SyntaxError} (`JSON5: …`) when the text is not JSON5
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { parseJson5 } from "./json.ts";
 * assertEquals(parseJson5("['a', 'b',]"), ["a", "b"]);
 * ```
 */
export function parseJson5(text: string): unknown {
  return JSON5.parse(text);
}

/**
 * Serialises like `JSON.stringify`, but writes non-finite numbers as the bare
 * tokens `NaN`, `Infinity` and `-Infinity` (as W&B does) instead of `null`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { stringifyLenientJson } from "./json.ts";
 * assertEquals(stringifyLenientJson({ loss: NaN }), '{"loss":NaN}');
 * ```
 */
export function stringifyLenientJson(value: unknown): string {
  let found = false;
  const tag = `\u0000nonfinite${Math.random().toString(36).slice(2)}:`;
  const text = JSON.stringify(value, (_key, item) => {
    if (typeof item === "number" && !Number.isFinite(item)) {
      found = true;
      return `${tag}${item}`;
    }
    return item;
  });
  if (!found) return text;
  // The tag starts with NUL, which JSON.stringify always escapes inside real
  // strings, so only our placeholders can match.
  return text.replace(
    new RegExp(`"${tag.replace("\u0000", "\\\\u0000")}(NaN|-?Infinity)"`, "g"),
    "$1",
  );
}
