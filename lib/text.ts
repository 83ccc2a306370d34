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
