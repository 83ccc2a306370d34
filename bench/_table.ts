/**
 * What the benches share in printing their tables: a timing's median, a
 * rate with its 95 % Wilson interval, and the table written between its
 * markers in a document (temp file, then rename).
 *
 * @module
 */

/** The 95 % Wilson score interval of k successes in n trials. */
export function wilson(k: number, n: number): readonly [number, number] {
  const z = 1.96;
  const p = k / n;
  const centre = (p + z * z / (2 * n)) / (1 + z * z / n);
  const half = (z / (1 + z * z / n)) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)] as const;
}

/** The middle of the samples (the upper one of an even count): a bench's timing, robust to a slow round. */
export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A share as a percentage with one decimal. */
export const pct = (x: number): string => (100 * x).toFixed(1);

/** `k` of `n` as "p (lo–hi)", percentages with the Wilson interval. */
export function rateCell(k: number, n: number): string {
  const [lo, hi] = wilson(k, n);
  return `${pct(k / n)} (${pct(lo)}–${pct(hi)})`;
}

/**
 * Replaces what stands between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`
 * in `path` with `table`; one line and exit 2 when the markers are not there.
 */
export function writeBetweenMarkers(path: string, name: string, table: string): void {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const doc = Deno.readTextFileSync(path);
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start < 0 || end < start) {
    console.error(`--write: expected ${path} to hold ${open} … ${close}`);
    Deno.exit(2);
  }
  Deno.writeTextFileSync(
    `${path}.tmp`,
    `${doc.slice(0, start)}${open}\n${table}\n${doc.slice(end)}`,
  );
  Deno.renameSync(`${path}.tmp`, path);
}
