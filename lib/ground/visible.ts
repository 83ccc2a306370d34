/**
 * The one rule for every byte that goes to a terminal or a log: data cannot
 * drive the terminal. Control characters (C0 but line feed and tab, DEL, and
 * the C1 range U+0080–U+009F, where a lone U+009B starts an escape sequence
 * as ESC [ does) and invisible format characters (bidi controls, zero-width
 * characters, line and paragraph separators) are written as visible escapes:
 * an OSC 8 link, an OSC 52 clipboard write or a screen clear in a run name
 * shows as `\x1b]52;…`, and text cannot read otherwise than it is.
 *
 * @module
 */

// C0 but LF and TAB, DEL, C1; format characters (\p{Cf}: bidi, zero-width,
// BOM, …); line and paragraph separators.
// deno-lint-ignore no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/**
 * `text` with every character that could move the cursor, change the
 * terminal's state, reorder what is shown or hide itself written as a
 * visible escape (`\r`, `\x1b`, `\x9b`, `\u202e`). Line feeds and tabs stay.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { visible } from "./visible.ts";
 * assertEquals(visible("a\x1b]52;c;aGk=\x07b"), "a\\x1b]52;c;aGk=\\x07b");
 * assertEquals(visible("evil\u202egnp.exe\u200b"), "evil\\u202egnp.exe\\u200b");
 * assertEquals(visible("\x9b2J ok\n"), "\\x9b2J ok\n");
 * ```
 */
export function visible(text: string): string {
  return text.replace(UNSAFE, escape);
}

function escape(c: string): string {
  if (c === "\r") return "\\r";
  const code = c.codePointAt(0)!;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\u{${code.toString(16)}}`;
}
