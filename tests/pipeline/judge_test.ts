// lib/pipeline/judge.ts as a unit: what a report compares (the metrics asked
// for and every gated one, with the rule's direction unless the user set one),
// each --group-by group judged on its own against the same baselines, and a
// commit still training waiting rather than judged.
import { assertEquals } from "../_assert.ts";
import { judgeReport } from "../../lib/pipeline/judge.ts";
import { parseGateRule } from "../../lib/inputs/rules.ts";
import type { Run } from "../../lib/ground/model.ts";
import { collected } from "../_helpers.ts";

const SHA = "abc1234";

function run(name: string, summary: Record<string, number>, extra: Partial<Run> = {}): Run {
  return {
    name,
    state: "finished",
    tags: [],
    config: { github_sha: SHA, ...(extra.config ?? {}) },
    summary,
    ...extra,
  };
}

const BASELINES = [run("b1", { acc: 0.8, loss: 0.5 }), run("b2", { acc: 0.9, loss: 0.3 })];
const OPTIONS = {
  metrics: ["loss"],
  directions: {},
  reference: { kind: "mean" as const },
  gate: [] as ReturnType<typeof parseGateRule>[],
  requireComplete: false,
};

Deno.test("judgeReport: a gated metric is compared though not asked for, in the rule's direction unless the user gave one", () => {
  const result = collected([run("c1", { acc: 0.82, loss: 0.45 })], BASELINES, SHA);
  const gate = [parseGateRule("acc:max:abs=0.1", "--gate")];
  const judged = judgeReport(result, { ...OPTIONS, gate });
  assertEquals(judged.comparisons.map((c) => [c.metric, c.direction, c.directionSource]), [
    ["loss", "min", "name"],
    ["acc", "max", "given"],
  ]);
  // Mean of the baselines 0.85; 0.82 is 0.03 worse, within 0.1.
  assertEquals(judged.gate.verdicts.map((v) => [v.status, v.failed]), [["pass", false]]);
  assertEquals([judged.gate.passed, judged.gate.verdict], [true, "passed"]);
  // The user's --directions win over the rule's: acc "min" makes 0.82 better, not worse.
  const mine = judgeReport(result, { ...OPTIONS, gate, directions: { acc: "min" } });
  assertEquals(mine.comparisons[1]!.direction, "min");
});

Deno.test("judgeReport: each --group-by group is judged on its own against the same baselines", () => {
  const lr = (value: number) => ({ config: { lr: value } });
  const candidates = [
    run("fast-1", { acc: 0.6 }, lr(0.1)),
    run("fast-2", { acc: 0.62 }, lr(0.1)),
    run("slow-1", { acc: 0.86 }, lr(0.01)),
  ];
  const judged = judgeReport(collected(candidates, BASELINES, SHA), {
    ...OPTIONS,
    gate: [parseGateRule("acc:max:abs=0.05:of=mean", "--gate")],
    groupBy: { kind: "config", key: "lr" },
  });
  assertEquals(judged.groups.map((g) => [g.name, g.candidates.map((c) => c.name)]), [
    ["lr=0.1", ["fast-1", "fast-2"]],
    ["lr=0.01", ["slow-1"]],
  ]);
  // lr=0.1's mean 0.61 is 0.24 below the baselines' 0.85; lr=0.01's 0.86 is above it.
  assertEquals(judged.gate.verdicts.map((v) => [v.group, v.status]), [
    ["lr=0.1", "fail"],
    ["lr=0.01", "pass"],
  ]);
  assertEquals(judged.gate.passed, false);
});

Deno.test("judgeReport: a commit still training waits (pending), unless --on-missing fail or a run id asked", () => {
  const training = collected([run("c1", { acc: 0.1 }, { state: "running" })], BASELINES, SHA);
  const gate = [parseGateRule("acc:max:abs=0.05", "--gate")];
  const waiting = judgeReport(training, { ...OPTIONS, gate });
  assertEquals([waiting.gate.verdict, waiting.gate.passed, waiting.gate.verdicts], [
    "pending",
    true,
    [],
  ]);
  assertEquals(typeof waiting.gate.waiting, "string");
  const judged = judgeReport(training, { ...OPTIONS, gate, onMissing: "fail" });
  assertEquals(judged.gate.verdict === "pending", false);
  const byId = judgeReport(training, {
    ...OPTIONS,
    gate,
    match: { by: "run-id", runId: "c1" },
  });
  assertEquals(byId.gate.verdict === "pending", false);
});
