// lib/report/summary.ts as a unit: what a report's commit status and the
// wait's line say. The status names the first failing rule first (GitHub
// keeps 140 characters) and counts the rest; waiting is pending, never failing.
import { assertEquals } from "../_assert.ts";
import { classify } from "../../lib/classify.ts";
import { parseGateRule } from "../../lib/inputs/rules.ts";
import type { GateResult, GateVerdict } from "../../lib/gate/mod.ts";
import { statusText, waitingText } from "../../lib/report/summary.ts";

const CLASSIFIED = classify(
  [{ state: "finished" }, { state: "finished" }, { state: "running" }, { state: "crashed" }],
  [{}, {}],
);

function verdict(text: string, status: GateVerdict["status"], failed: boolean): GateVerdict {
  return { rule: parseGateRule(text, "--gate"), status, failed, reason: "", message: "" };
}

function gate(verdicts: GateVerdict[], more: Partial<GateResult> = {}): GateResult {
  const passed = !verdicts.some((v) => v.failed) && more.complete?.passed !== false;
  return { enabled: true, passed, verdicts, ...more };
}

Deno.test("statusText: passed, no gate, and the counts of every state", () => {
  assertEquals(statusText(CLASSIFIED, gate([verdict("acc:max:abs=0.1", "pass", false)])), {
    state: "success",
    description: "gate passed; 2/4 candidates finished (1 running, 1 crashed), 2 baselines",
  });
  assertEquals(
    statusText(CLASSIFIED, { enabled: false, passed: true, verdicts: [] }).description,
    "no gate; 2/4 candidates finished (1 running, 1 crashed), 2 baselines",
  );
});

Deno.test("statusText: a failure names the first failing rule and counts the others, --require-complete included", () => {
  const failed = gate([
    verdict("acc:max:abs=0.1", "pass", false),
    verdict("loss:min:rel=5%", "fail", true),
    verdict("f1:max:abs=0.01", "fail", true),
  ], { complete: { passed: false, message: "2 of 4 finished" } });
  assertEquals(statusText(CLASSIFIED, failed), {
    state: "failure",
    description:
      "gate failed: loss:min:rel=5% (+2 more); 2/4 candidates finished (1 running, 1 crashed), 2 baselines",
  });
  // Only --require-complete failed: it is named.
  const incomplete = gate([], { complete: { passed: false, message: "" } });
  assertEquals(
    statusText(CLASSIFIED, incomplete).description.startsWith("gate failed: --require-complete;"),
    true,
  );
});

Deno.test("statusText: inconclusive names its rule; pending waits, saying for what", () => {
  const unsure = gate([verdict("acc:max:alpha=0.05", "inconclusive", false)], {
    verdict: "inconclusive",
  });
  assertEquals(statusText(CLASSIFIED, unsure), {
    state: "success",
    description:
      "gate inconclusive: acc:max:alpha=0.05; 2/4 candidates finished (1 running, 1 crashed), 2 baselines",
  });
  const pending = gate([], {
    verdict: "pending",
    waiting: "waiting for training: 0 of 1 finished",
  });
  assertEquals(statusText(CLASSIFIED, pending), {
    state: "pending",
    description: "waiting for training: 0 of 1 finished",
  });
});

Deno.test("waitingText: whole minutes, none below zero, and no candidate yet said as such", () => {
  const none = classify([], []).counts;
  assertEquals(
    waitingText(none, -5_000),
    "waiting for training: no candidate run yet, 0 min so far",
  );
  assertEquals(
    waitingText(CLASSIFIED.counts, 119_999, true),
    "wait over after 1 min: 2 of 4 finished, 1 running, 1 crashed; the report comes next",
  );
});
