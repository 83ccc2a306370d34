/**
 * Text cut to fit, the same way in every view and message: by code points
 * (no character is split), marked with `…` so a reader, and the redactor,
 * can tell a cut from the end of the text.
 *
 * @module
 */

/**
 * `text` cut to at most `max` characters (code points, so no character is
 * split), ending in `…` when it was cut: the mark also tells the redactor
 * that what comes before it may be the start of a secret.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { cut } from "./text.ts";
 * assertEquals(cut("resnet18-baseline", 8), "resnet1…");
 * assertEquals(cut("short", 8), "short");
 * ```
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/**
 * Cuts a text to `width` characters in the middle, keeping its start and
 * its end (where run names differ: `pr-412-…-seed3`): for names that must
 * stay told apart, where {@link cut} keeps only the start.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { middleCut } from "./text.ts";
 * assertEquals(middleCut("pr-412-resnet50-augmix-seed3", 14), "pr-412-…-seed3");
 * assertEquals(middleCut("short", 14), "short");
 * ```
 */
export function middleCut(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return `${chars.slice(0, head).join("")}…${tail ? chars.slice(-tail).join("") : ""}`;
}

const encoder = new TextEncoder();
/**
 * How many UTF-8 bytes `text` takes (GitHub's limits on comments and
 * summaries are in bytes, not characters).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { byteLength } from "./text.ts";
 * assertEquals(byteLength("実験"), 6);
 * ```
 */
export const byteLength = (text: string): number => encoder.encode(text).byteLength;

/**
 * The longest prefix of `text` within `max` UTF-8 bytes, never splitting a character.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { clipBytes } from "./text.ts";
 * assertEquals(clipBytes("a実験", 5), "a実");
 * ```
 */
export function clipBytes(text: string, max: number): string {
  const bytes = encoder.encode(text);
  if (bytes.byteLength <= max) return text;
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}
