/**
 * The benchmarks' seeded draws: uniform, normal and t(3) scaled to sd 1, the
 * same on every run, so every run of a bench draws the same worlds.
 *
 * @module
 */
import { seededRandom } from "../lib/ground/random.ts";

/** Seeded uniform, normal and unit-variance t(3) draws. */
export function generator(
  seed: number,
): { uniform: () => number; normal: () => number; t3: () => number } {
  const { uniform, normal } = seededRandom(seed);
  // t(3) has variance 3: divided by √3 its sd is 1.
  const t3 = () => {
    const chi = normal() ** 2 + normal() ** 2 + normal() ** 2;
    return normal() / Math.sqrt(chi / 3) / Math.sqrt(3);
  };
  return { uniform, normal, t3 };
}
