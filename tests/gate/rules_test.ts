// The gate, rule by rule, each with a case that a wrong change would get
// wrong: the rule's own direction (never comparisons made for another),
// rel= of the reference's size (negative metrics too), finished baselines
// only, of=mean, noise=K, min-runs=N, groups, and the edge cases (a zero
// reference, NaN, ±Infinity, missing values, one run a side, nothing finished).
import { classify } from "../../lib/classify.ts";
import { compareRuns } from "../../lib/compare.ts";
import { evaluateGate, type GateResult } from "../../lib/gate/mod.ts";
import { parseGateRule } from "../../lib/inputs/rules.ts";
import type { Reference, Run } from "../../lib/ground/model.ts";
import { judgeReport } from "../../lib/pipeline/mod.ts";
import { assert, assertEquals, assertMatch, assertThrows } from "../_assert.ts";
import { InvalidInputError } from "../../lib/ground/errors.ts";

let ids = 0;
const run = (m: unknown, state = "finished", config: Record<string, unknown> = {}): Run => ({
  name: `r${++ids}`,
  displayName: `run ${ids}`,
  state,
  tags: [],
  config,
  summary: m === undefined ? {} : { m },
});

function gate(
  rule: string,
  candidates: Run[],
  baselines: Run[],
  opts: { reference?: Reference; directions?: Record<string, "max" | "min"> } = {},
): GateResult {
  const reference = opts.reference ?? { kind: "best" };
  const parsed = parseGateRule(rule, "--gate");
  // The report's comparisons, made as the report makes them (its --direction may differ).
  const comparisons = compareRuns(candidates, baselines, {
    metrics: ["m"],
    directions: { m: parsed.direction, ...opts.directions },
    reference,
  });
  return evaluateGate(candidates, baselines, classify(candidates, baselines), {
    rules: [parsed],
    requireComplete: false,
    reference,
    comparisons,
  });
}

Deno.test("gate: a rule is judged in its own direction, never by comparisons made for another", () => {
  // --direction m=min made the report's comparisons; the rule says m:max.
  // Against the best baseline for max (0.9), 0.85 regressed; "vs 0.8" would pass it.
  const result = gate("m:max", [run(0.85)], [run(0.8), run(0.9)], { directions: { m: "min" } });
  assertEquals(result.passed, false);
  assertEquals(result.verdicts[0]!.reference, 0.9);
  // Mixed directions in one gate: each rule by its own.
  const candidates = [run(0.85)];
  const baselines = [run(0.8), run(0.9)];
  const both = evaluateGate(candidates, baselines, classify(candidates, baselines), {
    rules: [parseGateRule("m:max", "--gate"), parseGateRule("m:min", "--gate")],
    requireComplete: false,
    reference: { kind: "best" },
  });
  assertEquals(both.verdicts.map((v) => [v.rule.text, v.reference, v.status]), [
    ["m:max", 0.9, "fail"],
    ["m:min", 0.8, "fail"],
  ]);
});

Deno.test("gate: rel= is of the reference's size, so negative metrics get an allowance too", () => {
  // A log-likelihood: -100 is the best baseline; -100.5 is 0.5 worse, within 1% of 100.
  const ll = gate("m:max:rel=1%", [run(-100.5)], [run(-100)]);
  assertEquals([ll.passed, ll.verdicts[0]!.allowed], [true, 1]);
  const beyond = gate("m:max:rel=1%", [run(-101.5)], [run(-100)]);
  assertEquals(beyond.passed, false);
  // min direction, negative values: -5 is better than -4.
  assertEquals(gate("m:min", [run(-5)], [run(-4)]).passed, true);
  assertEquals(gate("m:min:abs=0.5", [run(-3.6)], [run(-4)]).passed, true);
  assertEquals(gate("m:min:abs=0.5", [run(-3.4)], [run(-4)]).passed, false);
});

Deno.test("gate: only finished baselines feed the reference; a killed one is shown, not used", () => {
  const baselines = [run(0.9), run(0.892), run(0.70, "killed")];
  const [m] = compareRuns([run(0.89)], baselines, { metrics: ["m"], reference: { kind: "mean" } });
  assertEquals(m!.reference.value, 0.896);
  assertEquals(m!.baselines.map((b) => b.used), [true, true, false]);
  assertEquals(m!.stats.baselines.n, 2);
  // run=ID of a baseline that did not finish: a note, and missing= decides.
  const killed = baselines[2]!;
  const candidates = [run(0.89)];
  const byRun = (missing: string) =>
    evaluateGate(candidates, baselines, classify(candidates, baselines), {
      rules: [parseGateRule(`m:max:ref=run=${killed.name}:missing=${missing}`, "--gate")],
      requireComplete: false,
      reference: { kind: "best" },
    });
  assertEquals(byRun("fail").passed, false);
  assertEquals(byRun("pass").passed, true);
  assertMatch(
    byRun("fail").notes![0]!,
    new RegExp(`reference run ${killed.name} is killed, not finished`),
  );
});

Deno.test("gate: of=mean judges the seeds together; noise=K forgives what is within K standard errors", () => {
  // Per run every seed is within 0.03 of 0.92; the mean is 0.02 worse, far beyond its noise.
  const seeds = [run(0.9), run(0.901), run(0.899)];
  const base = [run(0.92), run(0.921), run(0.919)];
  assertEquals(gate("m:max:abs=0.03", seeds, base, { reference: { kind: "mean" } }).passed, true);
  const mean = gate("m:max:abs=0.01:noise=2", seeds, base, { reference: { kind: "mean" } });
  assertEquals(mean.passed, false);
  const v = mean.verdicts[0]!;
  assertEquals([v.rule.of, v.n, v.runName], ["mean", 3, "mean of 3"]);
  assertEquals(v.se!.toFixed(6), Math.sqrt(0.001 ** 2 / 3 + 0.001 ** 2 / 3).toFixed(6));
  assertMatch(
    v.reason,
    /^worse by 0\.02, beyond the 0\.01 allowed and 2 × 0\.000816\d* of noise: fail$/,
  );
  // One seed fails per run, yet the means are equal within the noise: of=mean passes.
  const noisy = [run(0.85), run(0.95), run(0.9)];
  const noisyBase = [run(0.88), run(0.92), run(0.9)];
  assertEquals(
    gate("m:max:abs=0.01", noisy, noisyBase, { reference: { kind: "mean" } }).passed,
    false,
  );
  const forgiven = gate("m:max:noise=2", [run(0.885), run(0.915), run(0.89)], noisyBase, {
    reference: { kind: "mean" },
  });
  assertEquals(forgiven.passed, true);
  assertMatch(
    forgiven.verdicts[0]!.reason,
    /^worse by 0\.00333\d*, within 2 × 0\.0\d+ of noise: pass$/,
  );
});

Deno.test("gate: with one run a side the noise is unknown: the plain tolerance, and a note", () => {
  const result = gate("m:max:abs=0.01:noise=3", [run(0.88)], [run(0.9)], {
    reference: { kind: "mean" },
  });
  assertEquals(result.passed, false);
  assertEquals(result.verdicts[0]!.se, undefined);
  assertMatch(result.notes![0]!, /the noise is unknown with 1 candidate and 1 baseline value /);
  // Two values on one side: that side's spread, its n - 1 degrees of freedom, said.
  const one = gate("m:max:abs=0.01:noise=3", [run(0.88)], [run(0.9), run(0.91)]);
  assertEquals(one.verdicts[0]!.noise?.source, "one-side");
  assertEquals(one.verdicts[0]!.se!.toFixed(6), (Math.sqrt(0.00005) * Math.sqrt(1.5)).toFixed(6));
});

Deno.test("gate: min-runs=N fails a rule with fewer finished candidates, saying how many", () => {
  const result = gate("m:max:min-runs=3", [run(0.95), run(0.96), run(0.5, "crashed")], [run(0.9)]);
  assertEquals(result.passed, false);
  assertEquals(
    result.verdicts[0]!.message,
    "m: 2 finished candidates with a numeric value, fewer than min-runs=3 (m:max:min-runs=3)",
  );
  assertEquals(gate("m:max:min-runs=2", [run(0.95), run(0.96)], [run(0.9)]).passed, true);
});

Deno.test("gate edge cases: a zero reference, NaN, ±Infinity, missing values, nothing finished", () => {
  // A reference of 0 with rel=: no division by zero, no NaN; the allowance is 0.
  const zero = gate("m:min:rel=5%", [run(0.001)], [run(0)]);
  assertEquals([zero.passed, zero.verdicts[0]!.allowed], [false, 0]);
  const [delta] = compareRuns([run(0.001)], [run(0)], {
    metrics: ["m"],
    reference: { kind: "best" },
    directions: { m: "min" },
  });
  assertEquals(delta!.candidates[0]!.rel, undefined);
  assertEquals(gate("m:min:rel=5%", [run(0)], [run(0)]).passed, true);
  // NaN, ±Infinity, text and missing candidate values are missing (missing= decides).
  for (const value of [NaN, Infinity, -Infinity, "0.9", undefined]) {
    assertEquals(
      gate("m:max", [run(value)], [run(0.9)]).verdicts[0]!.status,
      "missing",
      String(value),
    );
    assertEquals(gate("m:max:missing=pass", [run(value)], [run(0.9)]).passed, true);
  }
  // On the baseline side they are left out of the reference.
  assertEquals(
    gate("m:max", [run(0.9)], [run(NaN), run(Infinity), run(0.85)]).verdicts[0]!.reference,
    0.85,
  );
  // of=mean: a diverged seed is a missing value: missing=fail fails, naming it;
  // missing=pass leaves it out of the mean and counts n without it.
  const mean = gate("m:max:of=mean:missing=pass", [run(0.9), run(NaN), run(0.92)], [run(0.9)]);
  assertEquals([mean.verdicts[0]!.n, mean.verdicts[0]!.value], [2, 0.91]);
  const strict = gate("m:max:of=mean", [run(0.9), run(NaN), run(0.92)], [run(0.9)]);
  assertEquals([strict.passed, strict.verdicts[0]!.diverged?.length], [false, 1]);
  assertMatch(
    strict.verdicts[0]!.message,
    /1 of 3 finished candidates have no numeric value: run \d+ \(nan\)/,
  );
  // Nothing finished: missing, never a silent pass.
  const none = gate("m:max:of=mean", [run(0.9, "running")], [run(0.9)]);
  assertEquals([none.passed, none.verdicts[0]!.status], [false, "missing"]);
});

Deno.test("gate rules: of=, noise= and min-runs= are parsed strictly", () => {
  assertEquals(parseGateRule("m:max:noise=2", "--gate").of, "mean");
  assertEquals(parseGateRule("m:max", "--gate").of, "each");
  for (
    const [rule, why] of [
      ["m:max:noise=-1", /noise must be a number of standard errors > 0, not "-1"/],
      ["m:max:noise=0", /noise must be/],
      ["m:max:min-runs=0.5", /min-runs must be a whole number ≥ 1, not "0\.5"/],
      ["m:max:of=median", /of must be each or mean, not "median"/],
      ["m:max:of=each:noise=2", /noise= judges the mean of the candidates: use of=mean/],
      ["m:max:of=mean:of=mean", /of is given twice/],
      ["m:max:seeds=3", /unknown option "seeds=3"/],
    ] as const
  ) {
    const error = assertThrows(() => parseGateRule(rule, "--gate"), InvalidInputError);
    assertMatch(
      error.message,
      /^--gate: expected METRIC:max\|min.*\[:of=each\|mean\]\[:noise=K\]\[:alpha=P\]\[:mde=D\]\[:min-runs=N\], got /,
    );
    assertMatch(error.message, why);
  }
});

Deno.test("groups: a sweep in one commit is judged per group against the same reference", () => {
  const candidates = [
    run(0.91, "finished", { lr: 0.1 }),
    run(0.92, "finished", { lr: 0.1 }),
    run(0.80, "finished", { lr: 0.01 }),
    run(0.81, "finished", { lr: 0.01 }),
  ];
  const baselines = [run(0.9), run(0.9)];
  const judged = judgeReport(
    { candidates, baselines, classification: classify(candidates, baselines) },
    {
      metrics: ["m"],
      directions: {},
      reference: { kind: "mean" },
      gate: [parseGateRule("m:max:of=mean:abs=0.01", "--gate")],
      requireComplete: false,
      groupBy: { kind: "config", key: "lr" },
    },
  );
  assertEquals(judged.groups.map((g) => [g.name, g.candidates.length]), [["lr=0.1", 2], [
    "lr=0.01",
    2,
  ]]);
  assertEquals(judged.gate.verdicts.map((v) => [v.group, v.status]), [["lr=0.1", "pass"], [
    "lr=0.01",
    "fail",
  ]]);
  assertEquals(judged.groups[1]!.comparisons[0]!.stats.candidates.mean, 0.805);
  // A key no candidate has: a note, one group.
  const none = judgeReport(
    { candidates, baselines, classification: classify(candidates, baselines) },
    {
      metrics: ["m"],
      directions: {},
      reference: { kind: "mean" },
      gate: [],
      requireComplete: false,
      groupBy: { kind: "config", key: "seed" },
    },
  );
  assertEquals(none.groups.length, 1);
  assert(none.notes.some((n) => /--group-by seed: no candidate has the config key "seed"/.test(n)));
});

Deno.test("gate: --require-complete fails on a stalled run, saying so", () => {
  const stalled = { ...run(0.9, "running"), heartbeatAt: "2026-12-05T11:00:00" };
  const done = run(0.9);
  const classification = classify([done, stalled], [], {
    now: Date.parse("2026-12-05T12:00:00Z"),
    staleAfterMs: 15 * 60_000,
  });
  assertEquals(classification.counts.stalled, 1);
  const result = evaluateGate([done, stalled], [], classification, {
    rules: [],
    requireComplete: true,
    reference: { kind: "best" },
  });
  assertEquals([result.passed, result.verdict], [false, "failed"]);
  assertMatch(result.complete!.message, /1 candidate run has stalled/);
});
