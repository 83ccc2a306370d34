import fc from "fast-check";
import { classify } from "../lib/classify.ts";
import { compareRuns, defaultDirection, metricValue } from "../lib/compare.ts";
import { InvalidInputError } from "../lib/ground/errors.ts";
import { evaluateGate } from "../lib/gate/mod.ts";
import { parseGateRule, parseReference } from "../lib/inputs/rules.ts";
import type { WandbRun } from "../lib/wandb/runs.ts";
import { assert, assertEquals, assertThrows } from "./_assert.ts";

const run = (name: string, summary: Record<string, unknown>, state = "finished"): WandbRun => ({
  name,
  displayName: name,
  state,
  tags: [],
  config: {},
  summary,
});

Deno.test("metricValue: missing, NaN, infinite, text and nested are never numbers", () => {
  assertEquals(metricValue(0), { kind: "number", value: 0 });
  assertEquals(metricValue(undefined), { kind: "missing" });
  assertEquals(metricValue(null), { kind: "missing" });
  assertEquals(metricValue(NaN), { kind: "nan" });
  assertEquals(metricValue(-Infinity), { kind: "infinite", value: -Infinity });
  assertEquals(metricValue("0.9"), { kind: "text", text: "0.9" });
  assertEquals(metricValue(true), { kind: "text", text: "true" });
  assertEquals(metricValue({ mean: 1 }), { kind: "nested" });
  assertEquals(metricValue([1]), { kind: "nested" });
});

Deno.test("defaultDirection: names that clearly say it, nothing otherwise", () => {
  for (const name of ["loss", "val_loss", "train/loss", "error", "val_mse", "wer", "perplexity"]) {
    assertEquals(defaultDirection(name), "min", name);
  }
  for (const name of ["acc", "val_acc", "accuracy", "f1", "val/auc", "top5", "bleu", "rouge_l"]) {
    assertEquals(defaultDirection(name), "max", name);
  }
  for (const name of ["throughput", "epoch", "glossary", "accuracy_loss", "lr"]) {
    assertEquals(defaultDirection(name), undefined, name);
  }
});

Deno.test("references: best by direction, mean, a named run; bad ones are input errors", () => {
  const baselines = [run("b1", { acc: 0.8, loss: 0.5 }), run("b2", { acc: 0.9, loss: 0.3 })];
  const cands = [run("c1", { acc: 0.85, loss: 0.4 })];
  const best = compareRuns(cands, baselines, {
    metrics: ["acc", "loss"],
    reference: { kind: "best" },
  });
  assertEquals(best.map((c) => [c.reference.value, c.reference.runId]), [[0.9, "b2"], [0.3, "b2"]]);
  assertEquals(best[0]!.candidates[0]!.verdict, "worse");
  assertEquals(best[1]!.candidates[0]!.verdict, "worse");
  const mean = compareRuns(cands, baselines, { metrics: ["acc"], reference: { kind: "mean" } });
  assert(Math.abs(mean[0]!.reference.value! - 0.85) < 1e-12);
  assertEquals(mean[0]!.candidates[0]!.verdict, "equal");
  const named = compareRuns(cands, baselines, {
    metrics: ["acc"],
    reference: { kind: "run", runId: "b1" },
  });
  const d = named[0]!.candidates[0]!;
  assert(Math.abs(d.abs! - 0.05) < 1e-12 && Math.abs(d.rel! - 0.0625) < 1e-12);
  assertEquals(d.verdict, "better");
  assertThrows(
    () =>
      compareRuns(cands, baselines, { metrics: ["acc"], reference: { kind: "run", runId: "zz" } }),
    InvalidInputError,
    "the id of a baseline run (b1, b2)",
  );
  assertEquals(parseReference("mean", "--reference"), { kind: "mean" });
  assertThrows(
    () => parseReference("worst", "--reference"),
    InvalidInputError,
    "best, mean or run=RUN_ID",
  );
});

Deno.test("deltas: only finished candidates; missing and NaN values get none; no direction, no verdict", () => {
  const baselines = [run("b1", { acc: 0.5, thing: 2 }), run("b2", { acc: NaN })];
  const cands = [
    run("c1", { acc: NaN, thing: 3 }),
    run("c2", {}),
    run("c3", { acc: 0.6 }, "running"),
    run("c4", { acc: "high" }),
  ];
  const [acc, thing] = compareRuns(cands, baselines, {
    metrics: ["acc", "thing"],
    reference: { kind: "best" },
  });
  assertEquals(acc!.reference.value, 0.5); // the NaN baseline is skipped, not read as 0
  assertEquals(acc!.candidates.map((c) => [c.run.name, c.value.kind, c.abs, c.verdict]), [
    ["c1", "nan", undefined, "n/a"],
    ["c2", "missing", undefined, "n/a"],
    ["c4", "text", undefined, "n/a"],
  ]);
  // "thing" has no direction: no best baseline, so no delta and no verdict.
  assertEquals(thing!.directionSource, "none");
  assertEquals(thing!.reference.value, undefined);
  const mean = compareRuns(cands, baselines, {
    metrics: ["thing"],
    reference: { kind: "mean" },
  });
  assertEquals([mean[0]!.candidates[0]!.abs, mean[0]!.candidates[0]!.verdict], [1, "n/a"]);
});

Deno.test("gate rules: syntax, percentages, and one-line errors naming the problem", () => {
  const rule = parseGateRule("val_loss:min:rel=2%:abs=0.1:ref=run=b1:missing=pass", "--gate");
  assertEquals([rule.metric, rule.direction, rule.rel, rule.abs, rule.reference, rule.missing], [
    "val_loss",
    "min",
    0.02,
    0.1,
    { kind: "run", runId: "b1" },
    "pass",
  ]);
  for (
    const [text, why] of [
      ["acc", "the direction must be max or min"],
      ["acc:up", 'not "up"'],
      ["acc:max:abs=-1", "abs must be a number ≥ 0"],
      ["acc:max:rel=x%", "rel must be a fraction or a percentage"],
      ["acc:max:ref=worst", "best, mean or run=RUN_ID"],
      ["acc:max:tol=1", 'unknown option "tol=1"'],
      ["acc:max:abs=1:abs=2", "abs is given twice"],
      [":max", "no metric name"],
    ]
  ) {
    assertThrows(() => parseGateRule(text!, "--gate"), InvalidInputError, why);
  }
});

function gate(rule: string, candidate: number, reference: number) {
  const cands = [run("c1", { m: candidate })];
  const bases = [run("b1", { m: reference })];
  return evaluateGate(cands, bases, classify(cands, bases), {
    rules: [parseGateRule(rule, "--gate")],
    requireComplete: false,
    reference: { kind: "best" },
  });
}

Deno.test("gate: exactly at the tolerance passes, just beyond fails (abs, rel, both)", () => {
  assertEquals(gate("m:max:abs=0.01", 0.89, 0.9).passed, true);
  assertEquals(gate("m:max:abs=0.01", 0.8899, 0.9).passed, false);
  assertEquals(gate("m:min:rel=2%", 0.306, 0.3).passed, true);
  assertEquals(gate("m:min:rel=2%", 0.30601, 0.3).passed, false);
  assertEquals(gate("m:max", 0.9, 0.9).passed, true);
  assertEquals(gate("m:max", 0.8999999, 0.9).passed, false);
  // Both: the larger allowance applies (here rel: 10% of 0.9 = 0.09).
  assertEquals(gate("m:max:abs=0.01:rel=10%", 0.81, 0.9).passed, true);
  assertEquals(gate("m:max:abs=0.01:rel=10%", 0.8, 0.9).passed, false);
  // Better is always fine.
  assertEquals(gate("m:min:abs=0", 0.1, 0.9).passed, true);
  const failed = gate("m:max:abs=0.01", 0.8, 0.9);
  assertEquals(failed.verdicts[0]!.status, "fail");
  assert(/m regressed in c1: 0\.8 vs 0\.9 \(best baseline b1\)/.test(failed.verdicts[0]!.message));
});

Deno.test("gate property: pass exactly when the regression is within the allowance", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -1e3, max: 1e3, noNaN: true }),
      fc.double({ min: -1e3, max: 1e3, noNaN: true }),
      fc.double({ min: 0, max: 10, noNaN: true }),
      fc.constantFrom("max", "min"),
      (candidate, reference, abs, direction) => {
        const result = gate(`m:${direction}:abs=${abs}`, candidate, reference);
        const worse = direction === "max" ? reference - candidate : candidate - reference;
        const margin = 1e-6 * Math.max(1, Math.abs(reference), Math.abs(candidate), abs);
        if (worse > abs + margin) assertEquals(result.passed, false);
        if (worse < abs - margin) assertEquals(result.passed, true);
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("gate property: exactly at the allowance passes and one step past fails, at any scale and sign", () => {
  // Decimal numbers on a grid of `unit`: at the allowance in decimals is a pass whatever the
  // float error of the subtraction; one grid step past it is a fail (no absolute floor).
  fc.assert(
    fc.property(
      fc.integer({ min: -10_000, max: 10_000 }),
      fc.integer({ min: 0, max: 500 }),
      fc.integer({ min: -12, max: 3 }),
      fc.constantFrom("max", "min"),
      (r, a, k, direction) => {
        const unit = 10 ** k;
        const at = (n: number) => Number((n * unit).toPrecision(12));
        const sign = direction === "max" ? -1 : 1;
        const reference = at(r);
        const abs = at(a);
        const onEdge = gate(`m:${direction}:abs=${abs}`, at(r + sign * a), reference);
        assertEquals(onEdge.passed, true, `${at(r + sign * a)} vs ${reference}, abs=${abs}`);
        const past = gate(`m:${direction}:abs=${abs}`, at(r + sign * (a + 1)), reference);
        assertEquals(past.passed, false, `${at(r + sign * (a + 1))} vs ${reference}, abs=${abs}`);
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("gate: missing values, no baselines and no finished candidates follow missing=", () => {
  const bases = [run("b1", { m: 1 })];
  const check = (cands: WandbRun[], rule: string, baselines = bases) =>
    evaluateGate(cands, baselines, classify(cands, baselines), {
      rules: [parseGateRule(rule, "--gate")],
      requireComplete: false,
      reference: { kind: "best" },
    });
  assertEquals(check([run("c1", { m: NaN })], "m:max").passed, false);
  assertEquals(check([run("c1", { m: NaN })], "m:max:missing=pass").passed, true);
  assertEquals(check([run("c1", {})], "m:max").verdicts[0]!.status, "missing");
  assertEquals(check([run("c1", { m: 2 })], "m:max", []).passed, false);
  assertEquals(check([run("c1", { m: 2 }, "running")], "m:max").passed, false);
  assertEquals(check([run("c1", { m: 2 }, "running")], "m:max:missing=pass").passed, true);
});

Deno.test("--require-complete: fails with nothing finished or something still running", () => {
  const verdict = (cands: WandbRun[]) =>
    evaluateGate(cands, [], classify(cands, []), {
      rules: [],
      requireComplete: true,
      reference: { kind: "best" },
    });
  assertEquals(verdict([]).passed, false);
  assertEquals(
    verdict([run("c1", {}, "crashed")]).complete!.message,
    "no candidate run has finished (--require-complete)",
  );
  assertEquals(verdict([run("c1", {}), run("c2", {}, "running")]).passed, false);
  assertEquals(verdict([run("c1", {}), run("c2", {}, "crashed")]).passed, true);
  assertEquals(
    evaluateGate([], [], classify([], []), {
      rules: [],
      requireComplete: false,
      reference: { kind: "best" },
    }).enabled,
    false,
  );
});

Deno.test("ref=mean of huge baselines stays finite; the gate never passes on a non-finite reference", () => {
  const baselines = [run("b1", { m: -1.7e308 }), run("b2", { m: -1.7e308 })];
  // Worse than both baselines, by 0.09e308: the old sum overflowed to -Infinity and passed it.
  const candidates = [run("c1", { m: -1.79e308 })];
  const [m] = compareRuns(candidates, baselines, { metrics: ["m"], reference: { kind: "mean" } });
  assertEquals(m!.reference.value, -1.7e308);
  const gate = evaluateGate(candidates, baselines, classify(candidates, baselines), {
    rules: [parseGateRule("m:max:ref=mean", "--gate")],
    requireComplete: false,
    reference: { kind: "mean" },
  });
  assertEquals([gate.passed, gate.verdicts[0]!.status], [false, "fail"]);
  // A reference that is not finite (from a comparison made elsewhere) fails the rule, whatever missing= says.
  const broken = {
    ...m!,
    direction: "max" as const,
    reference: { spec: { kind: "mean" as const }, value: Infinity },
  };
  const strict = evaluateGate(candidates, baselines, classify(candidates, baselines), {
    rules: [parseGateRule("m:max:ref=mean:missing=pass", "--gate")],
    requireComplete: false,
    reference: { kind: "mean" },
    comparisons: [broken],
  });
  assertEquals(strict.passed, false);
  assert(strict.verdicts[0]!.message.includes("is Infinity, not a finite number"));
});
