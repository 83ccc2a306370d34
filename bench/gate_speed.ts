/**
 * The gate's speed targets (issue 31): `seedsForPower` per rule, on inputs
 * that differ (no remembered answer), and judging a report of 1,000
 * candidates with `--group-by seed` (1,000 groups, one `alpha=` family).
 *
 * Usage: deno task bench:gate-speed
 *
 * @module
 */
import { classify } from "../lib/classify.ts";
import { type PooledNoise, pooledNoise, seedsForPower } from "../lib/ground/inference.ts";
import { seededRandom } from "../lib/ground/random.ts";
import { parseGateRule } from "../lib/inputs/rules.ts";
import type { Run } from "../lib/ground/model.ts";
import { judgeReport } from "../lib/pipeline/mod.ts";

function seedsPerRule(): { ms: number; rules: number } {
  const rules = 200;
  const started = performance.now();
  for (let i = 0; i < rules; i++) {
    // Every rule its own σ, level and df mode: nothing is remembered between them.
    seedsForPower(0.01, 0.01 * (1 + i / 97), 0.05 / (1 + (i % 10)), i % 2 ? { df: 20 + i } : {});
  }
  return { ms: (performance.now() - started) / rules, rules };
}

/** main's history of `metrics` (commits × 3 seeds, keyed), its σ changed on the newest 3. */
function historyOf(metrics: readonly string[], commits: number): Record<string, PooledNoise> {
  const { normal } = seededRandom(7);
  return Object.fromEntries(metrics.map((metric) => {
    const cells = Array.from(
      { length: commits },
      (_, c) => [0, 1, 2].map(() => 0.9 + 0.001 * normal() * (c < 3 ? 2 : 1)),
    );
    const keys = cells.map((_, c) => `sha${c}`);
    return [metric, { ...pooledNoise(cells)!, cells, keys }];
  }));
}

function groupedReport(withHistory = false): number {
  const run = (name: string, acc: number, config: Record<string, unknown>): Run => ({
    name,
    state: "finished",
    tags: [],
    config,
    summary: { acc, loss: 1 - acc },
  });
  const candidates = Array.from(
    { length: 1000 },
    (_, i) => run(`c${i}`, 0.9 + (i % 7) * 0.001, { seed: i }),
  );
  const baselines = [0.9, 0.901, 0.899].map((v, i) => run(`b${i}`, v, {}));
  const noise = withHistory ? historyOf(["acc", "loss"], 20) : undefined;
  const started = performance.now();
  judgeReport({ candidates, baselines, classification: classify(candidates, baselines), noise }, {
    metrics: ["acc"],
    directions: {},
    reference: { kind: "best" },
    gate: [
      parseGateRule("acc:max:alpha=0.05:mde=0.01", "--gate"),
      ...(withHistory ? [parseGateRule("loss:min:alpha=0.05", "--gate")] : []),
    ],
    requireComplete: false,
    groupBy: { kind: "config", key: "seed" },
  });
  return performance.now() - started;
}

if (import.meta.main) {
  const seeds = seedsPerRule();
  const report = groupedReport();
  const withHistory = groupedReport(true);
  console.log(
    [
      "| what | measured | target |",
      "|---|---:|---:|",
      `| seedsForPower, per rule (${seeds.rules} distinct rules) | ${
        seeds.ms.toFixed(2)
      } ms | 5 ms |`,
      `| judging 1,000 candidates, --group-by seed (1,000 groups) | ${
        report.toFixed(0)
      } ms | 2,000 ms |`,
      `| the same, 2 rules, with main's history (20 commits, σ changed on the newest 3) | ${
        withHistory.toFixed(0)
      } ms | 2,000 ms |`,
    ].join("\n"),
  );
}
