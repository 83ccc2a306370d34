// The statistics a verdict rests on, held to published values (textbook
// tables and closed forms), never to our own earlier output.
import {
  holm,
  pooledNoise,
  power,
  pWorse,
  seedsForPower,
  tCdf,
  tQuantile,
  welchDf,
} from "../lib/inference.ts";
import { assert, assertEquals } from "./_assert.ts";

Deno.test("t quantiles match the one-sided table (t 0.95 and t 0.995)", () => {
  // Student's t table, one-sided 5 % and 0.5 % (any statistics textbook).
  const t95: [number, number][] = [[2, 2.920], [3, 2.353], [4, 2.132], [5, 2.015], [10, 1.812], [
    30,
    1.697,
  ], [Infinity, 1.645]];
  for (const [df, value] of t95) assertEquals(tQuantile(0.95, df).toFixed(3), value.toFixed(3));
  const t995: [number, number][] = [[2, 9.925], [4, 4.604], [10, 3.169], [Infinity, 2.576]];
  for (const [df, value] of t995) assertEquals(tQuantile(0.995, df).toFixed(3), value.toFixed(3));
  // The CDF inverts the quantile.
  for (const df of [1, 2.5, 7, 40]) {
    assertEquals(tCdf(tQuantile(0.9, df), df).toFixed(6), "0.900000");
  }
});

Deno.test("the one-sided p-value is the t tail at the table's critical values", () => {
  assertEquals(pWorse(2.015, { se: 1, df: 5 }).toFixed(3), "0.050");
  assertEquals(pWorse(4.604 * 0.01, { se: 0.01, df: 4 }).toFixed(4), "0.0050");
  // Better, not worse: p above one half.
  assert(pWorse(-1, { se: 1, df: 4 }) > 0.5);
  // No noise at all: any regression is certain, none is not.
  assertEquals([pWorse(1e-12, { se: 0, df: 4 }), pWorse(0, { se: 0, df: 4 })], [0, 1]);
});

Deno.test("Holm's step-down: reject while p(i) <= alpha / (m - i + 1), stop at the first that is not", () => {
  // Holm (1979)-style example: m = 4, alpha = 0.05; thresholds 0.0125, 0.0167, 0.025, 0.05.
  const p = [0.010, 0.040, 0.012, 0.030];
  const out = holm(p, 0.05);
  // Sorted: 0.010 <= 0.0125 reject; 0.012 <= 0.0167 reject; 0.030 > 0.025 stop: keep 0.030 and 0.040.
  assertEquals(out.map((r) => r.rejected), [true, false, true, false]);
  assertEquals(out.map((r) => Number(r.level.toFixed(4))), [0.0125, 0.05, 0.0167, 0.025]);
  // A later p under its own threshold is still kept once the procedure stopped.
  assertEquals(holm([0.03, 0.001, 0.04], 0.05).map((r) => r.rejected), [false, true, false]);
  // One test: plain alpha.
  assertEquals(holm([0.05], 0.05)[0], { rejected: true, level: 0.05 });
});

Deno.test("power: the z-test's closed form with sigma known; seeds from n = 2 (z + z)^2 sigma^2 / delta^2", () => {
  // Phi(delta / SE - z_0.95) with SE = sigma * sqrt(2/3): 1σ 34 %, 2σ 79 %, 3σ 98 %.
  const se = Math.sqrt(2 / 3);
  const known = [1, 2, 3].map((k) => Math.round(power(k, { se, df: Infinity }, 0.05) * 100));
  assertEquals(known, [34, 79, 98]);
  // Holm's first step over 10 metrics: alpha / 10, a 3σ drop found 86 % of the time.
  assertEquals(Math.round(power(3, { se, df: Infinity }, 0.005) * 100), 86);
  // The noncentral t: at huge df it is the z-test; with few df it has less power.
  assertEquals(
    power(2, { se, df: 1e6 }, 0.05).toFixed(3),
    power(2, { se, df: Infinity }, 0.05).toFixed(3),
  );
  assert(power(2, { se, df: 4 }, 0.05) < power(2, { se, df: Infinity }, 0.05));
  // With no effect the test rejects at its level.
  assertEquals(power(0, { se: 1, df: 6 }, 0.05).toFixed(4), "0.0500");
  for (const [delta, alpha] of [[1, 0.05], [0.5, 0.05], [2, 0.01]] as const) {
    const z = tQuantile(1 - alpha, Infinity) + 0.8416;
    assertEquals(
      seedsForPower(delta, 1, alpha, { df: Infinity }),
      Math.ceil(2 * z * z / (delta * delta)),
    );
  }
  // With each side's own spread (df = 2n - 2) more seeds are needed than with sigma known.
  assert(seedsForPower(1, 1, 0.05)! > seedsForPower(1, 1, 0.05, { df: Infinity })!);
});

Deno.test("pooled within-commit sd and Welch-Satterthwaite df, by hand", () => {
  // s² = Σ (n_c − 1) s_c² / Σ (n_c − 1): commits (1, 2, 3) s² = 1, (2, 4) s² = 2, (5) left out.
  const pooled = pooledNoise([[1, 2, 3], [2, 4], [5]])!;
  assertEquals([pooled.df, pooled.commits, pooled.runs], [3, 2, 5]);
  assertEquals(pooled.sd.toFixed(6), Math.sqrt((2 * 1 + 1 * 2) / 3).toFixed(6));
  // Drift between commits does not enter: shift one commit by 100.
  assertEquals(pooledNoise([[101, 102, 103], [2, 4]])!.sd.toFixed(6), pooled.sd.toFixed(6));
  assertEquals(pooledNoise([[1], [2]]), undefined);
  // Welch: a = 4/4 = 1, b = 1/2 = 0.5; df = 1.5² / (1/3 + 0.25/1) = 3.857…
  assertEquals(
    welchDf({ n: 4, sd: 2 }, { n: 2, sd: 1 }).toFixed(4),
    (2.25 / (1 / 3 + 0.25)).toFixed(4),
  );
});
