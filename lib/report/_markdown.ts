/**
 * The markdown's private helpers: what the report is made from, escaping of
 * user text, cuts in UTF-8 bytes, and safe link targets. Shared by the
 * report's sections, its charts and the progress comment.
 *
 * @module
 */
import { cut } from "../ground/text.ts";
import type { ReportView } from "./view.ts";

/**
 * Escapes user text for a GFM table cell or a line of prose: HTML is inert,
 * markdown syntax is literal, `|` cannot end a cell, line breaks become
 * spaces, and `@name` cannot mention anyone (a zero-width space follows `@`).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { escapeMarkdown } from "./_markdown.ts";
 * assertEquals(escapeMarkdown("<b>hi</b> | @ana"), "&lt;b&gt;hi&lt;/b&gt; \\| @&#8203;ana");
 * ```
 */
export function escapeMarkdown(text: string): string {
  return text
    // Format characters (bidi overrides and isolates, zero-width characters)
    // could make the text read otherwise than it is, or hide part of it.
    .replace(/\p{Cf}/gu, "")
    // Control characters (C0, DEL, C1) and line breaks become spaces.
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/[\\`*_{}[\]()#+\-.!|~:$]/g, "\\$&")
    .replace(/@/g, "@&#8203;");
}

/** Everything the markdown is made from: the report's view, and how to draw it. */
export interface MarkdownInput extends ReportView {
  /** Config keys to show. */
  configVars: readonly string[];
  /** Draw Mermaid charts. */
  chart: boolean;
  /** A hidden marker to put first (for the sticky comment). */
  marker?: string;
  /** Where the full CSV can be found, for the "too long" note. */
  csvHint?: string;
  /** Where the baselines came from, said under the summary (e.g. with `--baseline-sha`). */
  baselineFrom?: string;
  /** What the reader must know before the numbers (a report that is not the PR head's). */
  notices?: string[];
  /** The cap in UTF-8 bytes (default {@link MAX_MARKDOWN}). */
  maxLength?: number;
  /**
   * Takes secrets out of text (the CLI's redactor), applied to user text
   * before it is cut and escaped: after escaping, `local-…` reads
   * `local\-…` and no redactor would find it.
   */
  redact?: (text: string) => string;
}

const same = (text: string) => text;

/** User text with secrets out and cut to `max` characters, not yet escaped. */
export function shownRaw(input: MarkdownInput, text: string, max = Infinity): string {
  const redact = input.redact ?? same;
  return redact(cut(redact(text), max));
}

/**
 * User text for the markdown: secrets out (whole, or the start of one a cut
 * left), cut to `max` characters, then escaped.
 */
export function shown(input: MarkdownInput, text: string, max = Infinity): string {
  return escapeMarkdown(shownRaw(input, text, max));
}

/** A URL made safe inside a markdown link's parentheses. */
// (encodeURIComponent leaves `(`, `)` and `'` alone, so each is encoded by hand.)
export const linkTarget = (url: string) =>
  url.replace(
    /[()<>\s"'\\]/g,
    (c) =>
      encodeURIComponent(c).replace(/^[()']$/, `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  );
