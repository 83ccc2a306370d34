// A verdict you can trust: each case here passed wrongly (or failed wrongly)
// before the calibrated gate, and is pinned so it cannot come back.
import { classify } from "../../lib/classify.ts";
import { evaluateGate, type GateResult } from "../../lib/gate/mod.ts";
import { robustHistory } from "../../lib/gate/_robust.ts";
import { priorDf, sidesNoise } from "../../lib/gate/_sides.ts";
import { type PooledNoise, pooledNoise } from "../../lib/ground/inference.ts";
import { parseGateRule } from "../../lib/inputs/rules.ts";
import { statusSha } from "../../lib/chatops.ts";
import type { Run } from "../../lib/ground/model.ts";
import { formatMeanSd } from "../../lib/ground/numbers.ts";
import { judgeReport } from "../../lib/pipeline/mod.ts";
import { groupRuns } from "../../lib/ground/stats.ts";
import { assert, assertEquals, assertMatch, assertThrows } from "../_assert.ts";
import { InvalidInputError } from "../../lib/ground/errors.ts";

let ids = 0;
const run = (summary: Record<string, unknown>, config: Record<string, unknown> = {}): Run => ({
  name: `r${++ids}`,
  displayName: `seed ${ids}`,
  state: "finished",
  tags: [],
  config,
  summary,
});
const runs = (metric: string, values: unknown[]) => values.map((v) => run({ [metric]: v }));

function gate(
  rules: string[],
  candidates: Run[],
  baselines: Run[],
  extra: { history?: Record<string, PooledNoise>; onInconclusive?: "pass" | "fail" } = {},
): GateResult {
  return evaluateGate(candidates, baselines, classify(candidates, baselines), {
    rules: rules.map((r) => parseGateRule(r, "--gate")),
    requireComplete: false,
    reference: { kind: "best" },
    ...extra,
  });
}

Deno.test("a regression of any size is a regression: no absolute float floor", () => {
  // 5e-10 against 1e-12 is 500 times worse; the old 1e-9 floor passed all three.
  for (const rule of ["mse:min", "mse:min:of=mean", "mse:min:rel=1%"]) {
    const result = gate([rule], runs("mse", [5e-10]), runs("mse", [1e-12]));
    assertEquals(result.passed, false, rule);
  }
  // Float noise is still not a change: 0.9 - 0.89 at abs=0.01 is at the tolerance.
  assertEquals(gate(["acc:max:abs=0.01"], runs("acc", [0.89]), runs("acc", [0.9])).passed, true);
  // And a tiny metric that did not move passes.
  assertEquals(gate(["mse:min"], runs("mse", [1e-12]), runs("mse", [1e-12])).passed, true);
});

Deno.test("a diverged seed is a missing value, whatever of=", () => {
  const seeds = runs("loss", [NaN, Infinity, 0.2]);
  const base = runs("loss", [1, 1.1]);
  const mean = gate(["loss:min:of=mean:missing=fail"], seeds, base);
  assertEquals(mean.passed, false);
  assertMatch(
    mean.verdicts[0]!.message,
    /2 of 3 finished candidates have no numeric value: seed \d+ \(nan\), seed \d+ \(\+∞\)/,
  );
  // min-runs counts numeric values: one, not three.
  const minRuns = gate(["loss:min:of=mean:missing=pass:min-runs=3"], seeds, base);
  assertEquals(minRuns.passed, false);
  assertMatch(
    minRuns.verdicts[0]!.message,
    /1 finished candidate with a numeric value \(of 3 finished\), fewer than min-runs=3/,
  );
  // The noise test too.
  assertEquals(gate(["loss:min:alpha=0.05"], seeds, base).passed, false);
});

Deno.test("noise= and alpha= judge a mean against a mean; ref=best or run= with them is refused", () => {
  // Baselines 0.90/0.92/0.94 (mean 0.92, best 0.94); candidates at 0.92: no change against the mean.
  const candidates = runs("acc", [0.919, 0.92, 0.921]);
  const baselines = runs("acc", [0.9, 0.92, 0.94]);
  const noise = gate(["acc:max:noise=2"], candidates, baselines);
  assertEquals(
    [noise.passed, noise.verdicts[0]!.reference!.toFixed(6), noise.verdicts[0]!.referenceKind],
    [true, "0.920000", "mean"],
  );
  for (const rule of ["acc:max:noise=2:ref=best", "acc:max:alpha=0.05:ref=run=abc"]) {
    const error = assertThrows(() => parseGateRule(rule, "--gate"), InvalidInputError);
    assertMatch(error.message, /judges the candidates' mean against the baselines' mean: ref=/);
  }
  // The report's table for that metric uses the mean too, and says so per metric.
  const judged = judgeReport({
    candidates,
    baselines,
    classification: classify(candidates, baselines),
  }, {
    metrics: ["acc", "loss"],
    directions: {},
    reference: { kind: "best" },
    gate: [parseGateRule("acc:max:noise=2", "--gate")],
    requireComplete: false,
  });
  assertEquals(judged.comparisons.map((c) => c.reference.spec.kind), ["mean", "best"]);
});

Deno.test("alpha=: one family per report under Holm; significance and the floor both needed", () => {
  // Ten metrics each 2.5 standard errors worse (σ known from history): p ≈ 0.006 each.
  // Alone each is significant at 0.05; the family of ten at 0.05 is not (Holm's first step 0.005).
  const sigma = 0.01;
  const history: Record<string, PooledNoise> = {};
  const rules: string[] = [];
  const c: Record<string, number>[] = [{}, {}, {}];
  const b: Record<string, number>[] = [{}, {}, {}];
  const se = sigma * Math.sqrt(2 / 3);
  for (let m = 0; m < 10; m++) {
    const key = `m${m}`;
    history[key] = { sd: sigma, df: 1e6, commits: 30, runs: 90 };
    rules.push(`${key}:max:alpha=0.05`);
    [-sigma, 0, sigma].forEach((d, i) => {
      b[i]![key] = 0.9 + d;
      c[i]![key] = 0.9 - 2.5 * se + d;
    });
  }
  const family = gate(rules, c.map((s) => run(s)), b.map((s) => run(s)), { history });
  assertEquals(family.verdicts.filter((v) => v.status === "fail").length, 0);
  assertEquals(family.verdicts[0]!.test!.family, 10);
  const alone = gate([rules[0]!], c.map((s) => run(s)), b.map((s) => run(s)), { history });
  assertEquals([alone.passed, alone.verdict], [false, "failed"]);
  assertMatch(alone.verdicts[0]!.message, /m0 regressed in mean of 3: .* p = 0\.006\d* ≤ 0\.05/);
  // Significant but inside the practical floor: a pass.
  const floor = gate([`${rules[0]}:abs=0.05`], c.map((s) => run(s)), b.map((s) => run(s)), {
    history,
  });
  assertEquals(floor.verdicts[0]!.status, "pass");
});

Deno.test("history σ replaces the sides' spreads from 5 commits on, and is said", () => {
  const candidates = runs("acc", [0.89, 0.89, 0.89]);
  const baselines = runs("acc", [0.9, 0.9, 0.9]);
  // Both sides without spread: Welch sees no noise at all and fails a 0.01 drop.
  const welch = gate(["acc:max:alpha=0.05"], candidates, baselines);
  assertEquals(welch.verdicts[0]!.noise?.source, "welch");
  // Main's history says seeds vary by 0.02: a 0.01 drop of a mean of 3 is noise.
  const pooled = { sd: 0.02, df: 48, commits: 24, runs: 72 };
  const history = gate(["acc:max:alpha=0.05"], candidates, baselines, { history: { acc: pooled } });
  assertEquals([history.verdicts[0]!.noise?.source, history.verdicts[0]!.status], [
    "history",
    "pass",
  ]);
  assert(
    history.notes!.some((n) =>
      /σ 0\.02 pooled from 24 commits of the base branch \(72 runs\)/.test(n)
    ),
  );
  // Four commits are too few: the sides' own seeds, and a note.
  const few = gate(["acc:max:alpha=0.05"], candidates, baselines, {
    history: { acc: { ...pooled, commits: 4 } },
  });
  assertEquals(few.verdicts[0]!.noise?.source, "welch");
  assert(few.notes!.some((n) => /4 commits with two or more finished runs \(5 needed/.test(n)));
  // Exactly five are enough.
  const five = gate(["acc:max:alpha=0.05"], candidates, baselines, {
    history: { acc: { ...pooled, commits: 5 } },
  });
  assertEquals([five.verdicts[0]!.noise?.source, five.verdicts[0]!.status], ["history", "pass"]);
});

Deno.test("inconclusive: not significant and too little power; how many seeds would tell", () => {
  const history = { acc: { sd: 0.01, df: 60, commits: 30, runs: 90 } };
  const one = gate(["acc:max:alpha=0.05:mde=0.01"], runs("acc", [0.899]), runs("acc", [0.9]), {
    history,
  });
  assertEquals([one.verdict, one.passed, one.verdicts[0]!.status], [
    "inconclusive",
    true,
    "inconclusive",
  ]);
  // n = 2 (1.671 + 0.8416)² σ² / δ² ≈ 12.6 at t(0.95, 60): 13 seeds a side.
  assertEquals(one.verdicts[0]!.test!.seedsNeeded, 13);
  // The bound: 0.001 + t(0.95, 60) · 0.01 · √2 = 0.001 + 1.6706 · 0.014142 = 0.02463.
  assertEquals(
    one.verdicts[0]!.test!.bound!.toFixed(4),
    (0.001 + 1.6706 * 0.01 * Math.SQRT2).toFixed(4),
  );
  assertMatch(
    one.verdicts[0]!.message,
    /inconclusive: worse by at most 0\.0246\d* at 95 %, more than the 0\.01 allowed cannot be ruled out with 1 seed; 13 seeds a side would tell a 0\.01 drop/,
  );
  const strict = gate(["acc:max:alpha=0.05:mde=0.01"], runs("acc", [0.899]), runs("acc", [0.9]), {
    history,
    onInconclusive: "fail",
  });
  assertEquals([strict.verdict, strict.passed], ["inconclusive", false]);
  // Without mde or a floor there is no power question: a pass.
  const plain = gate(["acc:max:alpha=0.05"], runs("acc", [0.899]), runs("acc", [0.9]), { history });
  assertEquals(plain.verdict, "passed");
  // With enough seeds the same mde is decidable: a pass.
  const many = gate(
    ["acc:max:alpha=0.05:mde=0.01"],
    runs("acc", Array.from({ length: 16 }, () => 0.9)),
    runs("acc", Array.from({ length: 16 }, () => 0.9)),
    { history },
  );
  assertEquals(many.verdict, "passed");
  // No noise known at all (one seed a side, no history): inconclusive, never a silent pass.
  const blind = gate(["acc:max:alpha=0.05"], runs("acc", [0.5]), runs("acc", [0.9]));
  assertEquals(blind.verdict, "inconclusive");
});

Deno.test("alpha=, mde= and the test's conflicts are parsed strictly", () => {
  for (
    const [rule, why] of [
      ["m:max:alpha=0", /alpha must be a level above 0 and at most 0\.2, not "0"/],
      ["m:max:alpha=0.5", /alpha must be a level above 0 and at most 0\.2, not "0\.5"/],
      ["m:max:alpha=x", /alpha must be a level/],
      ["m:max:alpha=0.05:mde=-1", /mde must be a regression size > 0, not "-1"/],
      ["m:max:mde=0.1", /mde= is the regression an alpha= test should find: add alpha=/],
      ["m:max:alpha=0.05:noise=2", /alpha= and noise= are two tests of the same question/],
      ["m:max:alpha=0.05:of=each", /alpha= judges the mean of the candidates/],
    ] as const
  ) {
    const error = assertThrows(() => parseGateRule(rule, "--gate"), InvalidInputError);
    assertMatch(error.message, why, rule);
  }
  const rule = parseGateRule("m:min:alpha=0.05:mde=0.002:rel=1%", "--gate");
  assertEquals([rule.alpha, rule.mde, rule.rel, rule.of], [0.05, 0.002, 0.01, "mean"]);
});

Deno.test('groups keep the type of their value: 0.1 and "0.1", true and "true"', () => {
  const split = groupRuns([
    run({}, { lr: 0.1 }),
    run({}, { lr: "0.1" }),
    run({}, { lr: true }),
    run({}, { lr: "true" }),
    run({}, { lr: "adam" }),
  ], { kind: "config", key: "lr" });
  assertEquals(split.groups.map((g) => g.name), [
    "lr=0.1",
    'lr="0.1"',
    "lr=true",
    'lr="true"',
    "lr=adam",
  ]);
});

Deno.test("a spread is shown with its digits, never as 0.00", () => {
  assertEquals(formatMeanSd(0.88, 0.001), "0.8800 ± 0.0010");
  assertEquals(formatMeanSd(0.8643333, 0.00866667), "0.8643 ± 0.0087");
  assertEquals(formatMeanSd(5e-10, 2e-12), "5.000e-10 ± 2.0e-12");
});

Deno.test("the status goes only on the commit whose own runs were judged", () => {
  const head = "a".repeat(40);
  assertEquals(statusSha({ sha: head, runId: "", headSha: head }), head);
  // /get-runs sha=OTHER, /get-runs run-id=X: never the PR head's check.
  assertEquals(statusSha({ sha: "b".repeat(40), runId: "", headSha: head }), undefined);
  assertEquals(statusSha({ sha: head, runId: "x1", headSha: head }), undefined);
  // No PR (a push, a schedule): the commit reported on, when it is a full SHA.
  assertEquals(statusSha({ sha: "c".repeat(40), runId: "" }), "c".repeat(40));
  assertEquals(statusSha({ sha: "c1c1c1c", runId: "" }), undefined);
});

Deno.test("decided by the bound: a drop ruled out passes; the worked example of docs/gate.md", () => {
  // σ 0.01 from history (60 df), 3 seeds a side: SE = 0.01 · √(2/3) = 0.008165.
  const history = { acc: { sd: 0.01, df: 60, commits: 30, runs: 90 } };
  const better = gate(
    ["acc:max:alpha=0.05:mde=0.005"],
    runs("acc", [0.90, 0.91, 0.92]),
    runs("acc", [0.90, 0.90, 0.90]),
    { history },
  );
  // U = −0.01 + t(0.95, 60) · 0.008165 = −0.01 + 1.6706 · 0.008165 = 0.003640 ≤ 0.005: ruled out.
  const v = better.verdicts[0]!;
  assertEquals(v.test!.bound!.toFixed(5), (-0.01 + 1.6706 * 0.01 * Math.sqrt(2 / 3)).toFixed(5));
  assertEquals([better.verdict, v.status], ["passed", "pass"]);
  assertMatch(
    v.message,
    /better by 0\.01; worse by at most 0\.00364\d* at 95 %, within the 0\.005 allowed/,
  );
  // A tolerance the same data cannot rule out: inconclusive, never a pass.
  const tight = gate(
    ["acc:max:alpha=0.05:mde=0.003"],
    runs("acc", [0.90, 0.91, 0.92]),
    runs("acc", [0.90, 0.90, 0.90]),
    { history },
  );
  assertEquals(tight.verdicts[0]!.status, "inconclusive");
  // The demo's case: 3 seeds better by 0.0185 with rel=0.5 % (Welch, own seeds) is ruled out.
  const demo = gate(
    ["val_accuracy:max:alpha=0.05:rel=0.5%"],
    runs("val_accuracy", [0.9062, 0.9071, 0.9058]),
    runs("val_accuracy", [0.8878, 0.8879, 0.8879]),
  );
  assertEquals([demo.verdict, demo.verdicts[0]!.status], ["passed", "pass"]);
  assertMatch(demo.verdicts[0]!.reason, /worse by at most 0 at 95 %/);
  // A significant drop within the tolerance whose bound is not: inconclusive, not a pass.
  // 40 seeds a side: SE 0.002236, worse 0.008 (t = 3.6), U = 0.008 + 1.6706 · 0.002236 = 0.0117.
  const small = gate(
    ["acc:max:alpha=0.05:abs=0.01"],
    runs("acc", Array.from({ length: 40 }, () => 0.892)),
    runs("acc", Array.from({ length: 40 }, () => 0.9)),
    { history },
  );
  assertEquals(small.verdicts[0]!.test!.significant, true);
  assertEquals(small.verdicts[0]!.status, "inconclusive");
});

Deno.test("ten alike rules ask for one number of seeds, at the family's α/m (R: 26 with 40 df)", () => {
  const metrics = Array.from({ length: 10 }, (_, i) => `m${i}`);
  const history = Object.fromEntries(
    metrics.map((m) => [m, { sd: 0.01, df: 40, commits: 20, runs: 60 }]),
  );
  const candidates = [run(Object.fromEntries(metrics.map((m) => [m, 0.9])))];
  const baselines = [run(Object.fromEntries(metrics.map((m) => [m, 0.9])))];
  const result = gate(metrics.map((m) => `${m}:max:alpha=0.05:mde=0.01`), candidates, baselines, {
    history,
  });
  const seeds = result.verdicts.map((v) => v.test!.seedsNeeded);
  // R: min n with pt(qt(1 − 0.005, 40), 40, ncp = 0.01/(0.01·√(2/n)), lower = FALSE) ≥ 0.8.
  assertEquals(seeds, metrics.map(() => 26));
  assertEquals(result.verdicts.every((v) => v.test!.boundLevel === 0.005), true);
});

Deno.test("one family per report: groups share one Holm family, at most α per report", () => {
  const groups = 10;
  const candidates = Array.from(
    { length: groups * 3 },
    (_, i) => run({ acc: 0.9 + (i % 3) * 0.001 }, { lr: Math.floor(i / 3) }),
  );
  const baselines = runs("acc", [0.9, 0.901, 0.902]);
  const judged = judgeReport({
    candidates,
    baselines,
    classification: classify(candidates, baselines),
  }, {
    metrics: [],
    directions: {},
    reference: { kind: "best" },
    gate: [parseGateRule("acc:max:alpha=0.05", "--gate")],
    requireComplete: false,
    groupBy: { kind: "config", key: "lr" },
  });
  const tests = judged.gate.verdicts.map((v) => v.test!);
  assertEquals(tests.length, groups);
  assertEquals(tests.every((t) => t.family === groups && t.alpha === 0.05), true);
  // Holm's first step faces α/10 in the one family (not α in ten families of one).
  assertEquals(Math.min(...tests.map((t) => t.level)), 0.005);
});

/** A history of `commits` commits × 3 seeds of one metric (newest first), σ 0.01 unless given. */
function historyOf(
  values: (c: number, s: number) => number,
  commits = 20,
): Record<string, PooledNoise> {
  const cells = Array.from({ length: commits }, (_, c) => [0, 1, 2].map((s) => values(c, s)));
  return { acc: { ...pooledNoise(cells)!, cells } };
}

Deno.test("robust: a seed far off main's level is left out and named; more than main's rate fail the rule", () => {
  // main: every commit 0.89, 0.90, 0.91 (s = 0.01), one seed in 60 diverged (0.3).
  const history = historyOf((c, s) => (c === 7 && s === 2 ? 0.3 : 0.89 + s * 0.01));
  const one = gate(
    ["acc:max:alpha=0.05:mde=0.01"],
    runs("acc", [0.9, 0.91, 0.2]),
    runs("acc", [0.9, 0.9, 0.91]),
    { history },
  );
  const v = one.verdicts[0]!;
  assertEquals(v.n, 2); // the mean is of the two kept seeds
  assertEquals(v.divergence?.names.length, 1);
  // σ pooled from main's cleaned commits by hand: √((19·2·0.0001 + 1·0.00005) / 39) = 0.009936.
  assertMatch(
    one.notes!.join("\n"),
    /seed \d+ left out: more than 6 robust σ \(0\.009936\) from main's level 0\.9/,
  );
  // One of three at main's rate (1.5 in 61, smoothed): P(≥ 1 of 3) = 0.072, no signal.
  assertEquals(v.divergence!.p.toFixed(3), (1 - (1 - 1.5 / 61) ** 3).toFixed(3));
  assert(v.status !== "fail", v.message);
  // Three of three: p = (1.5/61)³ = 1.5e-5, a regression of its own kind.
  const all = gate(
    ["acc:max:alpha=0.05:mde=0.01"],
    runs("acc", [0.2, 0.1, 0.3]),
    runs("acc", [0.9, 0.9, 0.91]),
    { history },
  );
  assertEquals(all.verdicts[0]!.status, "fail");
  assertMatch(all.verdicts[0]!.message, /acc diverged: all 3 seeds are more than 6 robust σ/);
  // Two of three diverged, one kept: the count is tested and fails.
  const two = gate(
    ["acc:max:alpha=0.05:mde=0.01"],
    runs("acc", [0.2, 0.1, 0.9]),
    runs("acc", [0.9, 0.9, 0.91]),
    { history },
  );
  assertMatch(two.verdicts[0]!.message, /2 of 3 seeds diverged \(more than 6 robust σ/);
});

Deno.test("robust: where main's σ moved is found, not assumed: σ from the commits since and the PR's seeds", () => {
  // The newest k commits spread 0.04 (sd), the older 0.01. A fixed window of the newest 5 mixed
  // two calm commits in when k is 3 (σ² 0.00106 instead of 0.0016, a σ a fifth too small).
  for (const k of [5, 3]) {
    const history = historyOf((c, s) => 0.9 + (s - 1) * (c < k ? 0.04 : 0.01));
    const judged = gate(
      ["acc:max:alpha=0.05"],
      runs("acc", [0.86, 0.9, 0.94]),
      runs("acc", [0.9, 0.9, 0.9]),
      { history },
    );
    assertMatch(
      judged.notes!.join("\n"),
      new RegExp(
        `σ from the newest ${k} commits and the PR's seeds: the spread changed ${k} ` +
          `commits ago \\(p 0\\.00\\d\\)`,
      ),
    );
    // Pooled by hand from the k commits (2 df each, s² 0.0016) and the PR's seeds (s² 0.0016).
    assertEquals(judged.verdicts[0]!.noise!.sd.toFixed(4), "0.0400");
    assertEquals(judged.verdicts[0]!.noise!.df, 2 * k + 2);
  }
});

Deno.test("robust: when σ grew on main, its newest commits' noisier seeds are not taken for diverged", () => {
  // The newest 3 commits spread 0.04, the 17 older 0.01. Commit 1's third seed is 0.1 off its
  // median: 10 of history's σ (main's whole-history cleaning left it out), 2.5 of the grown σ.
  const history = historyOf((c, s) =>
    c === 1 && s === 2 ? 1.0 : 0.9 + (s - 1) * (c < 3 ? 0.04 : 0.01)
  );
  const judged = gate(
    ["acc:max:alpha=0.05"],
    runs("acc", [0.86, 0.9, 0.94]),
    runs("acc", [0.9, 0.9, 0.9]),
    { history },
  );
  assertMatch(judged.notes!.join("\n"), /σ from the newest 3 commits/);
  // Every seed of the 3 commits counts: 2 df each, and the PR's 2.
  assertEquals(judged.verdicts[0]!.noise!.df, 8);
});

Deno.test("robust: baselines across commits add the drift between commits' means to the noise", () => {
  // Commits' means 0.88 and 0.92 alternating, seeds 0.001 apart within.
  const history = historyOf((c, s) => (c % 2 ? 0.92 : 0.88) + (s - 1) * 0.001);
  const candidates = runs("acc", [0.9, 0.9, 0.9]);
  const baselines = runs("acc", [0.9, 0.9, 0.9]);
  const own = evaluateGate(candidates, baselines, classify(candidates, baselines), {
    rules: [parseGateRule("acc:max:alpha=0.05", "--gate")],
    requireComplete: false,
    reference: { kind: "mean" },
    history,
  });
  const across = evaluateGate(candidates, baselines, classify(candidates, baselines), {
    rules: [parseGateRule("acc:max:alpha=0.05", "--gate")],
    requireComplete: false,
    reference: { kind: "mean" },
    history,
    drift: true,
  });
  // SE² grows by 2τ². τ² by hand, robustly: the commits' medians are 0.88 and 0.92 (their
  // median 0.90, every one 0.02 off it), 1.4826 · 0.02 squared, less σ² π / (2 · 3) (σ 0.001).
  const tau2 = (1.4826 * 0.02) ** 2 - (0.001 ** 2 * Math.PI) / 6;
  const expected = Math.sqrt(own.verdicts[0]!.se! ** 2 + 2 * tau2);
  assertEquals(across.verdicts[0]!.se!.toFixed(6), expected.toFixed(6));
  assertMatch(across.notes!.join("\n"), /drift between commits \(τ 0\.0296\d*\) is added/);
});

Deno.test("negative metrics: exactly at the tolerance passes, whatever the float error", () => {
  // -100 - (-100.01) is 0.010000000000005116 in floats: 5e-15 over 0.01, noise at this size.
  const at = gate(["ll:max:abs=0.01"], runs("ll", [-100.01]), runs("ll", [-100]));
  assertEquals([at.passed, at.verdicts[0]!.status], [true, "pass"]);
  // A real step past it fails.
  const past = gate(["ll:max:abs=0.01"], runs("ll", [-100.02]), runs("ll", [-100]));
  assertEquals([past.passed, past.verdicts[0]!.status], [false, "fail"]);
});

Deno.test("the noise against R: one side's spread has n − 1 df; Welch's σ is both sides' and its p is t.test's", () => {
  const candidates = runs("acc", [0.9, 0.91, 0.92]);
  // One baseline: σ from the candidates alone, df 3 − 1 = 2.
  // R: pt(0.02 / (sd(c) * sqrt(1/3 + 1)), 2, lower.tail = FALSE) = 0.1127016654
  const one = gate(["acc:max:alpha=0.05"], candidates, runs("acc", [0.93])).verdicts[0]!;
  assertEquals([one.noise?.source, one.noise?.df], ["one-side", 2]);
  assert(Math.abs(one.test!.p - 0.1127016654) < 1e-8, String(one.test!.p));
  // Three baselines: Welch. R: t.test(c, b, alternative = "less") gives p = 0.1847971509 on
  // df = 2.43902439; the σ shown is both sides' (√((0.01² + 0.03²) / 2)), not one side's.
  const welch = gate(["acc:max:alpha=0.05"], candidates, runs("acc", [0.9, 0.93, 0.96]))
    .verdicts[0]!;
  assertEquals(welch.noise?.source, "welch");
  assert(Math.abs(welch.noise!.df - 2.43902439) < 1e-6, String(welch.noise!.df));
  assert(Math.abs(welch.noise!.sd - Math.sqrt((0.01 ** 2 + 0.03 ** 2) / 2)) < 1e-12);
  assert(Math.abs(welch.test!.p - 0.1847971509) < 1e-8, String(welch.test!.p));
  // Not significant, a drop this size cannot be ruled out with 3 seeds: never a fail.
  assert(welch.status !== "fail" && one.status !== "fail");
});

Deno.test("a family with mixed α: the smallest α for all, Holm's levels, power at the rule's level (R)", () => {
  const c = [-0.01, 0, 0.01].map((d) => run({ acc: 0.895 + d, loss: 0.301 + d }));
  const b = [-0.01, 0, 0.01].map((d) => run({ acc: 0.9 + d, loss: 0.3 + d }));
  const h = { sd: 0.01, df: 60, commits: 30, runs: 90 };
  const result = gate(["acc:max:alpha=0.05:mde=0.01", "loss:min:alpha=0.01:mde=0.01"], c, b, {
    history: { acc: h, loss: h },
  });
  const [acc, loss] = result.verdicts.map((v) => v.test!);
  // The family is held to its strictest rule: α 0.01 for both, Holm's steps 0.005 then 0.01.
  assertEquals([acc!.alpha, loss!.alpha, acc!.family], [0.01, 0.01, 2]);
  assertEquals([acc!.level, loss!.level], [0.005, 0.01]);
  // R: se = 0.01 * sqrt(2/3); pt(0.005 / se, 60, lower.tail = FALSE) = 0.2713026549,
  // pt(0.001 / se, 60, lower.tail = FALSE) = 0.4514662788.
  assert(Math.abs(acc!.p - 0.2713026549) < 1e-8, String(acc!.p));
  assert(Math.abs(loss!.p - 0.4514662788) < 1e-8, String(loss!.p));
  // Power to see a 0.01 drop at the level the rule is judged at, 0.005:
  // R: pt(qt(1 - 0.005, 60), 60, ncp = 0.01 / se, lower.tail = FALSE) = 0.08308899282
  // (at 0.05 it would be 0.3321738131).
  assertEquals(acc!.boundLevel, 0.005);
  assert(Math.abs(acc!.power! - 0.08308899282) < 1e-7, String(acc!.power));
  // Neither significant, too little power to rule the drop out: inconclusive, never a fail.
  assertEquals(result.verdicts.map((v) => v.status), ["inconclusive", "inconclusive"]);
});

Deno.test("Welch inconclusive: the bound is R's, past the tolerance, so neither pass nor fail", () => {
  const result = gate(
    ["acc:max:alpha=0.05:rel=0.5%"],
    runs("acc", [0.9, 0.91, 0.92]),
    runs("acc", [0.9, 0.93, 0.96]),
  );
  const v = result.verdicts[0]!;
  assertEquals([result.verdict, result.passed, v.status, v.noise?.source], [
    "inconclusive",
    true,
    "inconclusive",
    "welch",
  ]);
  // R: 0.02 + qt(0.95, 2.43902439) * sqrt(var(c)/3 + var(b)/3) = 0.06731049504, beyond 0.5 % of 0.93.
  assert(Math.abs(v.test!.bound! - 0.06731049504) < 1e-9, String(v.test!.bound));
  assertMatch(v.message, /worse by at most 0\.06731 at 95 %, more than the 0\.00465 allowed/);
  // Seeds for 80 % power with the sides' own df (2n − 2, σ not from history). R: the smallest n
  // with pt(qt(0.95, 2n − 2), 2n − 2, ncp = 0.00465 / (σ √(2/n)), lower.tail = FALSE) ≥ 0.8 is
  // 287 (n − 1 df would say 288).
  assertEquals(v.test!.seedsNeeded, 287);
  // Blocking when asked: the same verdict fails the gate.
  const strict = gate(
    ["acc:max:alpha=0.05:rel=0.5%"],
    runs("acc", [0.9, 0.91, 0.92]),
    runs("acc", [0.9, 0.93, 0.96]),
    { onInconclusive: "fail" },
  );
  assertEquals([strict.verdict, strict.passed], ["inconclusive", false]);
});

Deno.test("robust: a 10σ seed leaves main's σ even when the median's σ comes out high (noisy, 3 seeds a commit)", () => {
  // 20 commits × 3 seeds of σ 1 (a draw of the worlds bench), three seeds diverged by about −10:
  // the median-based σ of these is 1.56, and 6 of it (9.4) would keep −9.26 (8.5 from its median).
  const cells = [
    [0.7, -0.7, -1.71],
    [1.13, -0.19, -2.19],
    [2.3, 0.66, -0.38],
    [0.35, -1.08, 0.28],
    [2.34, 0.94, -0.13],
    [-1.39, -1.3, 0.01],
    [-1.26, -2.46, 0.38],
    [-0.08, -1.62, -0.03],
    [0.19, -0.59, -2.07],
    [-0.74, -0.14, -9.26],
    [-1.02, -1.59, -0.88],
    [-2.32, -11.02, 2.01],
    [1.51, 1.39, 0],
    [-1.69, 0.58, -0.59],
    [-0.91, -0.68, -0.79],
    [0.2, 0.36, 0.72],
    [-0.42, 0.92, -7.59],
    [-0.62, -0.9, 0.49],
    [1.4, 0.41, 1.25],
    [0, 0.54, -0.78],
  ];
  const diverged = new Set([-9.26, -11.02, -7.59]);
  const h = robustHistory(cells)!;
  assertEquals(h.clean, cells.map((c) => c.filter((v) => !diverged.has(v))));
  // σ pooled from the rest by the textbook formula: Σ (v − cell mean)² / Σ (n − 1).
  let squares = 0;
  let df = 0;
  for (const c of h.clean) {
    const m = c.reduce((a, b) => a + b, 0) / c.length;
    squares += c.reduce((a, v) => a + (v - m) ** 2, 0);
    df += c.length - 1;
  }
  assertEquals(h.sd.toFixed(6), Math.sqrt(squares / df).toFixed(6));
  assert(h.sd > 0.8 && h.sd < 1.2, `σ ${h.sd}`);
  // Main's own rate counts the three (smoothed): 3.5 in 61.
  assertEquals(h.rate, 3.5 / 61);
});

Deno.test("robust: σ that varies between commits lets each side's own seeds weigh in (checked against R)", () => {
  // R 4 (an independent computation of the same model): ν₀ solves trigamma(ν₀/2) = v, v the
  // variance of the commits' log s² less trigamma(1) (1.856968919), less its standard error
  // √((m₄ − s⁴)/N) (0.796174208); each side's σ² is the posterior mean
  // (ν₀·1 + 2·s²_own) / (ν₀ + 2) with ν₀ + 2 df; the df of the sum by Welch–Satterthwaite with
  // history's s² (16 df) counted once, both sides' prior parts leaning on it.
  // uniroot(...) gives ν₀ = 2.730628942273748, variance 0.637072293125987, df 6.962756407609331.
  const spreads = [0.2, 0.5, 1, 2, 0.3, 1.5, 0.8, 3];
  const cells = spreads.map((a) => [-a, 0, 1.3 * a]);
  assertEquals(priorDf(1).toFixed(6), "2.852510"); // uniroot(trigamma(n/2) - 1)
  assertEquals(priorDf(0.64).toFixed(6), "4.024603");
  assertEquals(priorDf(0.1).toFixed(6), "20.983364");
  const sides = sidesNoise(cells, { sd: 1, df: 16, from: "pooled" }, [0, 0.5, 2.5], [1, 1.2, 1.4])!;
  assertEquals(sides.priorDf.toFixed(9), "2.730628942");
  assertEquals(sides.variance.toFixed(9), "0.637072293");
  assertEquals(sides.df.toFixed(9), "6.962756408");
  // Commits whose seeds spread alike: history's σ is every commit's (no own weight).
  assertEquals(
    sidesNoise(spreads.map(() => [-1, 0, 1.3]), { sd: 1, df: 16, from: "pooled" }, [0], [0]),
    undefined,
  );
});

Deno.test("robust: a history whose commits' σ differ says so, and the rule's df are the two sides' (Welch), not history's", () => {
  const spreads = [0.2, 0.5, 1, 2, 0.3, 1.5, 0.8, 3, 0.4, 1.2];
  const history = historyOf((c, s) => 0.9 + (s - 1) * 0.01 * spreads[c % spreads.length]!);
  const judged = gate(
    ["acc:max:alpha=0.05"],
    runs("acc", [0.89, 0.9, 0.91]),
    runs("acc", [0.9, 0.9, 0.91]),
    { history },
  );
  const v = judged.verdicts[0]!;
  assertMatch(judged.notes!.join("\n"), /σ varies between commits more than their seeds explain/);
  // History alone has 40 df; two sides of 3 seeds with a prior of a few df have far fewer.
  assert(v.noise!.df < 20, `df ${v.noise!.df}`);
});
