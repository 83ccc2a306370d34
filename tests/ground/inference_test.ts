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
  trigamma,
  tUpperTail,
  welchDf,
} from "../../lib/ground/inference.ts";
import { assert, assertEquals } from "../_assert.ts";

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

// Reference values from R 4.2 (Debian's r-base-core), an independent implementation:
// pt(q, df, ncp, lower.tail = FALSE) where its algorithm is exact (ncp ≤ 37.62), and
// integrate() of Φ(δ − c·s) over the density of S = √(χ²_df / df) beyond it (R's pt
// switches to a normal approximation there, and says so).
const R_POWER: [df: number, alpha: number, ncp: number, power: number][] = [
  [2, 0.05, 3, 0.6172222311],
  [4, 0.005, 5, 0.6534115349],
  [40, 0.05, 2.5, 0.791746709],
  [3, 0.05, 0.5, 0.1063639539],
  [1, 0.05, 25, 0.9999080325],
  [1, 0.001, 50, 0.1248177073], // integrate(); pt() says 0.2009 (normal approximation)
  [2, 0.05, 30, 1],
];

Deno.test("power: the noncentral t's tail equals R's for small df and large shifts", () => {
  for (const [df, alpha, ncp, expected] of R_POWER) {
    const got = power(ncp, { se: 1, df }, alpha);
    assert(Math.abs(got - expected) < 1e-7, `df ${df}, α ${alpha}, shift ${ncp}: ${got}`);
  }
});

Deno.test("tails: no cancellation and no NaN, however far out (R's pt upper tails)", () => {
  for (
    const [t, df, expected] of [
      [1e6, 3, 1.102657791e-18],
      [40, 2, 0.0003122073361],
      [8, 30, 3.132911238e-9],
    ] as const
  ) {
    const got = tUpperTail(t, df);
    assert(Math.abs(got - expected) / expected < 1e-6, `t ${t}, df ${df}: ${got}`);
  }
  // A diverged model's perplexity (1e160 against 20) is no noise: p = 0, never NaN.
  assertEquals(pWorse(1e160 - 20, { se: 3, df: 4 }), 0);
  assertEquals(pWorse(Infinity, { se: Infinity, df: 4 }), 0);
  assertEquals(pWorse(-Infinity, { se: Infinity, df: 4 }), 1);
});

Deno.test("seeds for 80 % power: R's search over n, at the family's level; df 2n − 2 without history", () => {
  // R: the smallest n with pt(qt(1−α, df), df, ncp = δ/(σ√(2/n)), lower = FALSE) ≥ 0.8.
  assertEquals(seedsForPower(1, 1, 0.005, { df: 40 }), 26); // 10 rules at α 0.05: α/m
  assertEquals(seedsForPower(1, 1, 0.05), 14); // Welch, df = 2n − 2 (n − 1 would say 15)
  assertEquals(seedsForPower(0.5, 1, 0.01), 82);
  assertEquals(seedsForPower(1, 1, 0.005, { df: Infinity }), 24);
});

Deno.test("pooled σ of values near ±1e200 does not overflow", () => {
  const pooled = pooledNoise([[1e200, 3e200, 2e200], [-1e200, -3e200]])!;
  assert(Number.isFinite(pooled.sd));
  // s² = (2·(1e200)² + 2·(1e200)²) / 3 by hand, in units of 1e200.
  assertEquals((pooled.sd / 1e200).toFixed(6), Math.sqrt(4 / 3).toFixed(6));
});

Deno.test("trigamma matches R's trigamma() to 1e-12 (relative), from 0.5 to 2500", () => {
  // R 4: options(digits = 15); trigamma(c(0.5, 1, 2.1, 3.7, 50, 2500))
  const r: [number, number][] = [
    [0.5, 4.934802200544679],
    [1, 1.644934066848226],
    [2.1, 0.606852869801023],
    [3.7, 0.31003785767003833],
    [50, 0.020201333226697128],
    [2500, 0.000400080010666666],
  ];
  for (const [x, expected] of r) {
    const got = trigamma(x);
    assert(Math.abs(got - expected) / expected < 1e-12, `trigamma(${x}) = ${got}, R ${expected}`);
  }
  assert(Number.isNaN(trigamma(0)) && Number.isNaN(trigamma(-1)));
});
