// A report too long for a comment keeps, in this order: the verdict, every
// failing rule that fits (the rest counted), the summary, then the tables.
import { parseGateRule } from "../../lib/inputs/rules.ts";
import type { Run } from "../../lib/ground/model.ts";
import { judgeReport, renderReport } from "../../lib/pipeline/mod.ts";
import { assert, assertMatch, assertStringIncludes } from "../_assert.ts";
import { collected } from "../_helpers.ts";

const MAX = 65_536;

function render(groups: number, failing: (g: number) => boolean): string {
  const candidates: Run[] = [];
  for (let g = 0; g < groups; g++) {
    candidates.push({
      name: `c${g}`,
      state: "finished",
      tags: [],
      config: { lr: g },
      summary: { acc: failing(g) ? 0.5 : 0.9 },
    });
  }
  const baselines: Run[] = [{
    name: "b1",
    state: "finished",
    tags: ["base"],
    config: {},
    summary: { acc: 0.9 },
  }];
  const result = collected(candidates, baselines);
  const options = {
    metrics: ["acc"],
    directions: {},
    reference: { kind: "best" as const },
    gate: [parseGateRule("acc:max:abs=0.01", "--gate")],
    requireComplete: false,
    groupBy: { kind: "config" as const, key: "lr" },
    match: { by: "sha" as const, sha: "abc1234", matchCommit: false },
    configVars: [],
    chart: false,
    notes: [],
    baselineTags: ["base"],
  };
  return renderReport(result, judgeReport(result, options), options, { csvPath: "r.csv" })
    .markdown;
}

Deno.test("a report of 5,000 groups with one regressing keeps the verdict and names the group", () => {
  const md = render(5000, (g) => g === 1234);
  assert(new TextEncoder().encode(md).length <= MAX, String(md.length));
  assertStringIncludes(md, "❌ **Gate failed** (1 problem).");
  assertMatch(md, /^- ❌ acc regressed \\\(group lr=1234\\\) in c1234/m);
  assertStringIncludes(md, "**5000 finished candidates for `abc1234` vs 1 baseline");
  assertStringIncludes(md, "longer than a comment allows");
  // The verdict comes before any table.
  assert(md.indexOf("Gate failed") < md.indexOf("| rule |"));
});

Deno.test("too many failing rules for a comment: as many as fit, worst first, the rest counted", () => {
  const md = render(3000, (g) => g % 2 === 0);
  assert(new TextEncoder().encode(md).length <= MAX);
  assertStringIncludes(md, "❌ **Gate failed** (1500 problems).");
  const listed = md.split("\n").filter((l) => l.startsWith("- ❌ ")).length;
  assert(listed > 50 && listed < 1500, String(listed));
  assertMatch(
    md,
    new RegExp(
      `^- … and ${1500 - listed} more failing verdicts: every one is in the job summary`,
      "m",
    ),
  );
});

Deno.test("a failed gate's comment leads with its failures, worst first, each once, before what could not tell", () => {
  const md = render(4, (g) => g >= 2);
  const lines = md.split("\n");
  const head = lines.findIndex((l) => l.startsWith("❌ **Gate failed** (2 problems)."));
  assert(head > 0, md);
  // Right under the verdict: the two failures, then nothing else failing repeated.
  assertMatch(lines[head + 2]!, /^- ❌ acc regressed \\\(group lr=[23]\\\)/);
  assertMatch(lines[head + 3]!, /^- ❌ acc regressed \\\(group lr=[23]\\\)/);
  assert(lines[head + 2] !== lines[head + 3]);
  assert(!lines[head + 4]!.startsWith("- ❌"));
});
