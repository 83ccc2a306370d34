// What a report's gated metrics say together about main's noise (lib/gate/_shape.ts): each
// case here was judged one metric at a time before, and a metric alone could not tell.
import { classify } from "../../lib/classify.ts";
import { evaluateGate } from "../../lib/gate/mod.ts";
import { commitSeries, sharedChange } from "../../lib/gate/_shape.ts";
import { type PooledNoise, pooledNoise } from "../../lib/ground/inference.ts";
import type { Run } from "../../lib/ground/model.ts";
import { parseGateRule } from "../../lib/inputs/rules.ts";
import { assert, assertEquals, assertMatch } from "../_assert.ts";

let ids = 0;
const run = (summary: Record<string, number>): Run => ({
  name: `r${++ids}`,
  displayName: `seed ${ids}`,
  state: "finished",
  tags: [],
  config: {},
  summary,
});

/** main's history of each metric from `cellOf(metric, commit)`, commits keyed and newest first. */
function historyOf(
  metrics: readonly string[],
  cellOf: (m: number, c: number) => number[],
  commits = 20,
): Record<string, PooledNoise> {
  return Object.fromEntries(metrics.map((metric, m) => {
    const cells = Array.from({ length: commits }, (_, c) => cellOf(m, c));
    const keys = cells.map((_, c) => `sha${c}#0`);
    return [metric, { ...pooledNoise(cells)!, cells, keys }];
  }));
}

/** Every metric gated `alpha=0.05` on three seeds a side that did not move; the notes. */
function notesOf(history: Record<string, PooledNoise>): string[] {
  const metrics = Object.keys(history);
  const seeds = (values: number[]) =>
    values.map((v) => run(Object.fromEntries(metrics.map((k) => [k, v]))));
  const candidates = seeds([0.9, 0.91, 0.92]);
  const baselines = seeds([0.9, 0.91, 0.92]);
  return evaluateGate(candidates, baselines, classify(candidates, baselines), {
    rules: metrics.map((k) => parseGateRule(`${k}:max:alpha=0.05`, "--gate")),
    requireComplete: false,
    reference: { kind: "mean" },
    history,
  }).notes ?? [];
}

Deno.test("shape: the metrics' joint say on a changed σ is Welch's t on the commits' log s² (checked against R)", () => {
  // R 4: the same cells; series = each commit's log var less its metric's mean, averaged over
  // the metrics; t.test(series[1:5], series[6:12], alternative = "greater") gives
  // t 6.542567050503, df 8.943868512283 (p 5.5e-05).
  const cellOf = (m: number, c: number) => {
    const f = (1 + ((c * 7 + m * 3) % 5) / 4) * (c < 5 && m !== 2 ? 1.8 : 1);
    return [0, f, 2.5 * f + (c % 2) / 3];
  };
  const history = Object.values(historyOf(["a", "b", "c"], cellOf, 12))
    .map(({ cells, keys }) => ({ cells: cells!, keys }));
  const joint = sharedChange(history)!;
  assertEquals([joint.change, joint.t.toFixed(9), joint.df.toFixed(9)], [
    "up",
    "6.542567051",
    "8.943868512",
  ]);
  // Metrics are matched by commit, not by position: one metric missing a commit shifts nothing.
  const [a, b] = history;
  const gap = { cells: a!.cells.slice(1), keys: a!.keys!.slice(1) };
  assertEquals(commitSeries([gap, b!])!.length, 12);
});

Deno.test("shape: σ that grew on main in every metric is seen in one whose own F-test cannot tell", () => {
  // Seeds spread 1 to 1.2 (× 0.01) on the older 15 commits; on the newest 5, twice that in
  // a and b, and only 1.15 times in c: c's own F (5 commits and the PR's seeds against 15, at
  // one-sided 0.10) does not see it, the three metrics together do.
  const history = historyOf(["a", "b", "c"], (m, c) => {
    const f = (1 + (c % 3) / 10) * (c < 5 ? (m === 2 ? 1.15 : 2) : 1) * 0.01;
    return [0.9, 0.9 + f, 0.9 + 2 * f];
  });
  const changed = (notes: string[], metric: string) =>
    notes.some((n) => n.startsWith(`${metric}: σ from the newest 5 commits`));
  // c alone: its own F-test keeps everything pooled.
  assertEquals(changed(notesOf({ c: history.c! }), "c"), false);
  const together = notesOf(history);
  for (const metric of ["a", "b", "c"]) assert(changed(together, metric), metric);
  assertMatch(together.join("\n"), /c: σ from .* changed in the report's metrics together \(F = /);
});

Deno.test("shape: how much σ varies between commits is told from every gated metric", () => {
  // a and b: commits' spreads from 0.3 to 3 times (σ by commit); c: every commit alike. c alone
  // says nothing varies; the project's commits do, and c's sides weigh their own seeds too.
  const factors = [0.3, 3, 1, 0.5, 2];
  const history = historyOf(["a", "b", "c"], (m, c) => {
    const f = (m === 2 ? 1 : factors[(c + m) % factors.length]!) * 0.01;
    return [0.9, 0.9 + f, 0.9 + 2.2 * f];
  });
  const varies = (notes: string[], metric: string) =>
    notes.some((n) => n.startsWith(`${metric}: σ varies between commits`));
  assertEquals(varies(notesOf({ c: history.c! }), "c"), false);
  assert(varies(notesOf(history), "c"));
});
