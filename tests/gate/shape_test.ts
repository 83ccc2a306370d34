// What a report's gated metrics say together about main's noise (lib/gate/_shape.ts): each
// case here was judged one metric at a time before, and a metric alone could not tell.
import { classify } from "../../lib/classify.ts";
import { evaluateGate } from "../../lib/gate/mod.ts";
import { changePoint, commitSeries, JOINT_LEVELS } from "../../lib/gate/_shape.ts";
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

Deno.test("shape: where σ moved is the largest pooled t over the splits (checked against R), its p by permutation (checked by enumeration)", () => {
  // R 4: sapply(2:(n-4), function(k) t.test(x[1:k], x[(k+1):n], var.equal = TRUE)$statistic)
  // peaks at k = 3 with t 17.539158198514.
  const x = [1.4, 1.3, 1.5, 0.1, -0.1, 0, 0.2, -0.2, 0.1, 0, -0.1, 0.05];
  const found = changePoint(x, JOINT_LEVELS)!;
  assertEquals([found.direction, found.at, found.t.toFixed(9)], ["up", 3, "17.539158199"]);
  // R: the same for y peaks at k = 3 with t 1.786698724539; its exact p over all 8! orders,
  // told here by an independent enumeration, against the 999 permutations' estimate.
  const y = [0.9, -0.2, 0.7, 0.1, -0.3, 0.2, -0.1, 0.0];
  const scanned = changePoint(y, { up: 1, down: 1 })!;
  assertEquals([scanned.at, scanned.t.toFixed(9)], [3, "1.786698725"]);
  const largest = (v: number[]) => {
    let best = -Infinity;
    for (let k = 2; k <= v.length - 4; k++) {
      const [a, b] = [v.slice(0, k), v.slice(k)];
      const m = (w: number[]) => w.reduce((s, e) => s + e, 0) / w.length;
      const ss = (w: number[]) => w.reduce((s, e) => s + (e - m(w)) ** 2, 0);
      const sp = Math.sqrt((ss(a) + ss(b)) / (v.length - 2));
      best = Math.max(best, (m(a) - m(b)) / (sp * Math.sqrt(1 / a.length + 1 / b.length)));
    }
    return best;
  };
  let [above, all] = [0, 0];
  const permute = (rest: number[], head: number[]) => {
    if (rest.length === 0) {
      all++;
      if (largest(head) >= scanned.t - 1e-12) above++;
      return;
    }
    rest.forEach((v, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...head, v]));
  };
  permute(y, []);
  assertEquals(all, 40_320);
  const exact = above / all;
  assert(Math.abs(scanned.p - exact) < 0.03, `p ${scanned.p} against exact ${exact}`);
  // Metrics are matched by commit, not by position: one metric missing a commit shifts nothing.
  const keys = Array.from({ length: 12 }, (_, c) => `sha${c}#0`);
  const cells = keys.map((_, c) => [0, 1 + (c % 3) / 10]);
  const gap = { cells: cells.slice(1), keys: keys.slice(1) };
  assertEquals(commitSeries([gap, { cells, keys }])!.keys, keys);
});

Deno.test("shape: σ that grew on main in every metric is seen in one whose own scan cannot tell", () => {
  // Seeds spread 1 to 1.2 (× 0.01) on the older 15 commits; on the newest 5, twice that in
  // a and b, and only 1.15 times in c: c's own scan (its commits' log s², one-sided 0.10)
  // does not see it, the three metrics together do.
  const history = historyOf(["a", "b", "c"], (m, c) => {
    const f = (1 + (c % 3) / 10) * (c < 5 ? (m === 2 ? 1.15 : 2) : 1) * 0.01;
    return [0.9, 0.9 + f, 0.9 + 2 * f];
  });
  const changed = (notes: string[], metric: string) =>
    notes.some((n) => n.startsWith(`${metric}: σ from the newest 5 commits`));
  // c alone: its own scan keeps everything pooled.
  assertEquals(changed(notesOf({ c: history.c! }), "c"), false);
  const together = notesOf(history);
  for (const metric of ["a", "b", "c"]) assert(changed(together, metric), metric);
  assertMatch(
    together.join("\n"),
    /c: σ from the newest 5 commits and the PR's seeds: the spread changed 5 commits ago in the report's metrics together \(p /,
  );
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
