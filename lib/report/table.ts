/**
 * A plain-text table for terminals (the demo's output).
 *
 * @module
 */

/**
 * Lays out rows under a header with aligned columns; cells longer than
 * `maxWidth` are cut with `…`, and control characters become spaces so that
 * a run name cannot break the layout.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { textTable } from "./table.ts";
 * assertEquals(textTable(["id", "state"], [["a1", "finished"]]).split("\n")[2], "a1  finished");
 * // id  state
 * // --  --------
 * // a1  finished
 * ```
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidth = 28,
): string {
  const clean = (text: string) => {
    const flat = text.replace(/\p{Cc}/gu, " ");
    return flat.length > maxWidth ? `${flat.slice(0, maxWidth - 1)}…` : flat;
  };
  const cells = [header, ...rows].map((row) => row.map(clean));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) =>
    row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(cells[0]!), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)]
    .join("\n");
}
