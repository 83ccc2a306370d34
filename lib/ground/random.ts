/**
 * A small seeded generator (mulberry32) and standard normals from it: the
 * same draws on every run, for the constants the gate simulates once and for
 * the benchmarks' worlds and fixtures.
 *
 * @module
 */

/**
 * Uniform draws in [0, 1) and standard normals (Box–Muller), from `seed`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { seededRandom } from "./random.ts";
 * const a = seededRandom(42);
 * const b = seededRandom(42);
 * assertEquals([a.uniform(), a.normal()], [b.uniform(), b.normal()]);
 * ```
 */
export function seededRandom(seed: number): { uniform: () => number; normal: () => number } {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () =>
    Math.sqrt(-2 * Math.log(uniform() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}
