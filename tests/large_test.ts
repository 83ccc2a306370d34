// A large project through every view: about 125,000 runs overflowed the stack
// (`Math.max(...values)`), so nothing was written. 200,000 runs here, with a
// gate, charts and config, rendered as CSV, markdown, JSON, the terminal
// table and the summary.
import { assert, assertEquals } from "./_assert.ts";
import { judgeReport, parseGateRule, renderReport, type Run } from "../mod.ts";
import { renderTable } from "../lib/report/table.ts";
import { collected } from "./_helpers.ts";

const RUNS = 200_000;

Deno.test("200,000 runs through every renderer: no stack overflow, the markdown under its cap", () => {
  const runs: Run[] = Array.from({ length: RUNS }, (_, i) => ({
    name: `r${i.toString(36).padStart(7, "0")}`,
    displayName: `run ${i}`,
    state: i % 7 === 0 ? "running" : "finished",
    tags: i % 2 ? ["baseline"] : [],
    config: { github_sha: "abc1234", lr: i / RUNS },
    summary: { accuracy: 0.5 + (i % 1000) / 2000, loss: 1 - (i % 977) / 1000 },
  }));
  const candidates = runs.filter((_, i) => i % 2 === 0);
  const baselines = runs.filter((_, i) => i % 2 === 1);
  const options = {
    metrics: ["accuracy", "loss"],
    configVars: ["lr"],
    directions: {},
    reference: { kind: "mean" as const },
    gate: [parseGateRule("accuracy:max:abs=0.5", "--gate")],
    requireComplete: false,
    match: { by: "sha" as const, sha: "abc1234", matchCommit: false },
    chart: true,
    notes: [],
    baselineTags: ["baseline"],
  };
  const result = collected(candidates, baselines);
  const judgement = judgeReport(result, options);
  const rendered = renderReport(result, judgement, options, { csvPath: "wandb_report.csv" });
  assertEquals(rendered.rows, RUNS - Math.ceil(RUNS / 2 / 7));
  assert(new TextEncoder().encode(rendered.markdown).byteLength <= 60_000);
  assert(rendered.markdown.includes("longer than a comment allows"));
  assertEquals(JSON.parse(rendered.json).candidates.length, RUNS / 2);
  assert(rendered.summary.includes(`candidates: ${RUNS / 2}`));
  const table = renderTable({ ...result, comparisons: judgement.comparisons }, {
    color: false,
    width: 100,
  });
  // Header, rule, a mean ± sd row per side, then every run (then the legend and notes).
  const lines = table.split("\n");
  assertEquals(lines.filter((l) => /^(candidate|baseline) /.test(l)).length, RUNS);
  assert(lines.every((l) => [...l].length <= 100), "fits 100 columns");
});
