// lib/ground/random.ts against independent sources: mulberry32's first draws
// as bryc's reference code gives them (transcribed to Python, run apart from
// ours), and the draws' distributions against the exact uniform and jStat's
// normal CDF by a Kolmogorov–Smirnov distance.
import jStat from "jstat";
import { seededRandom } from "../../lib/ground/random.ts";
import { assert, assertEquals } from "../_assert.ts";

Deno.test("random: the first draws of three seeds are mulberry32's reference values", () => {
  // python3: bryc's mulberry32 with 32-bit masks for Math.imul and >>> 0.
  const reference: [number, number[]][] = [
    [0, [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197, 0.1462021479383111]],
    [42, [0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693]],
    [0xdeadbeef, [0.9413696140982211, 0.26719574979506433, 0.772033357527107, 0.35816076025366783]],
  ];
  for (const [seed, draws] of reference) {
    const random = seededRandom(seed);
    assertEquals([seed, draws.map(() => random.uniform())], [seed, draws]);
  }
});

/** The Kolmogorov–Smirnov distance between a sample and a CDF. */
function ksDistance(sample: number[], cdf: (x: number) => number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  let d = 0;
  sorted.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, (i + 1) / sorted.length - f, f - i / sorted.length);
  });
  return d;
}

Deno.test("random: uniforms and normals have their distributions (KS distance below the 1 % critical value)", () => {
  const n = 20_000;
  // The asymptotic 1 % critical value of the KS distance: 1.628 / √n.
  const critical = 1.628 / Math.sqrt(n);
  for (const seed of [1, 7, 2026]) {
    const random = seededRandom(seed);
    const uniforms = Array.from({ length: n }, () => random.uniform());
    assert(uniforms.every((u) => u >= 0 && u < 1));
    const du = ksDistance(uniforms, (x) => x);
    assert(du < critical, `seed ${seed}: uniform KS ${du} ≥ ${critical}`);
    const normals = Array.from({ length: n }, () => random.normal());
    assert(normals.every(Number.isFinite));
    const dn = ksDistance(normals, (x) => jStat.normal.cdf(x, 0, 1));
    assert(dn < critical, `seed ${seed}: normal KS ${dn} ≥ ${critical}`);
  }
});

Deno.test("random: the same seed, the same draws; another seed, others", () => {
  const draws = (seed: number) => {
    const random = seededRandom(seed);
    return Array.from({ length: 5 }, () => [random.uniform(), random.normal()]);
  };
  assertEquals(draws(5), draws(5));
  assertEquals(JSON.stringify(draws(5)) === JSON.stringify(draws(6)), false);
  // Seeds are taken as 32-bit unsigned integers.
  assertEquals(draws(-1), draws(0xffffffff));
});
