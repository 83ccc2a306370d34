// lib/history/baseline.ts as a unit: runs by commit, the nearest commit with
// enough finished runs, the trend, and main's seed noise pooled within commits
// (and groups). The pooled σ is checked against R 4 (values in each test).
import { assert, assertEquals } from "../_assert.ts";
import {
  historyNoise,
  pickBaselineCommit,
  runsByCommit,
  trendOf,
} from "../../lib/history/baseline.ts";
import type { Run } from "../../lib/ground/model.ts";

const C1 = "c1".repeat(20);
const C2 = "c2".repeat(20);
const C3 = "c3".repeat(20);
const CHAIN = [{ sha: C3, date: "2026-12-03" }, { sha: C2, date: "2026-12-02" }, { sha: C1 }];

function run(sha: string, acc: unknown, extra: Partial<Run> = {}): Run {
  return {
    name: `${sha.slice(0, 4)}-${String(acc)}-${extra.state ?? "finished"}`,
    state: "finished",
    tags: [],
    config: { github_sha: sha, ...(extra.config ?? {}) },
    summary: { acc },
    ...extra,
  };
}

Deno.test("runsByCommit: by the full SHA the run logged, lower-cased; runs without one are left out", () => {
  const byCommit = runsByCommit([
    run(C1, 0.5),
    run(C1.toUpperCase(), 0.6),
    run(C2, 0.7),
    { name: "no-sha", state: "finished", tags: [], config: {}, summary: {} },
    { name: "odd-sha", state: "finished", tags: [], config: { github_sha: 7 }, summary: {} },
  ]);
  assertEquals([...byCommit.keys()], [C1, C2]);
  assertEquals(byCommit.get(C1)!.map((r) => r.summary.acc), [0.5, 0.6]);
});

Deno.test("pickBaselineCommit: the nearest commit with enough finished runs; running and crashed runs do not count", () => {
  const byCommit = new Map([
    [C3, [run(C3, 0.5, { state: "running" }), run(C3, 0.6)]],
    [C2, [run(C2, 0.5), run(C2, 0.6, { state: "crashed" })]],
    [C1, [run(C1, 0.5), run(C1, 0.6)]],
  ]);
  assertEquals(pickBaselineCommit(CHAIN, byCommit, 1), {
    requested: C3,
    sha: C3,
    distance: 0,
    skipped: 0,
    searched: 3,
  });
  assertEquals(pickBaselineCommit(CHAIN, byCommit, 2), {
    requested: C3,
    sha: C1,
    distance: 2,
    skipped: 2,
    searched: 3,
  });
  // None has three: nothing picked, every commit searched and passed over.
  assertEquals(pickBaselineCommit(CHAIN, byCommit, 3), { requested: C3, skipped: 3, searched: 3 });
  assertEquals(pickBaselineCommit([], byCommit, 1), { requested: "", skipped: 0, searched: 0 });
});

Deno.test("trendOf: oldest to newest, commits with finished runs only, means of finite values", () => {
  const byCommit = new Map([
    [C3, [run(C3, 0.9, { state: "running" })]],
    [C2, [run(C2, 0.7), run(C2, 0.8), run(C2, NaN), run(C2, "n/a")]],
    [C1, [run(C1, "text")]],
  ]);
  const trend = trendOf(CHAIN, byCommit, ["acc", "loss"]);
  // C3 has no finished run; C1's only value is not a number, so it has no mean.
  assertEquals(trend.map((p) => [p.sha, p.date, p.n, p.means]), [
    [C1, undefined, 1, {}],
    [C2, "2026-12-02", 4, { acc: 0.75 }],
  ]);
});

// R 4: pooled <- function(l) { l <- Filter(function(v) length(v) >= 2, l);
//   sqrt(sum(sapply(l, function(v) sum((v - mean(v))^2))) / sum(sapply(l, length) - 1)) }
Deno.test("historyNoise: σ pooled within each commit (and each group), against R; the candidates' commit left out", () => {
  const lr = (value: number) => ({ config: { lr: value } });
  const byCommit = new Map([
    // The candidates' own commit: never history.
    [C3, [run(C3, 0.1), run(C3, 0.9)]],
    [C2, [
      run(C2, 0.51, lr(0.1)),
      run(C2, 0.55, lr(0.1)),
      run(C2, 0.50, lr(0.1)),
      run(C2, 0.90, lr(0.2)),
      run(C2, 0.93, lr(0.2)),
    ]],
    [C1, [
      run(C1, 0.48, lr(0.1)),
      run(C1, 0.53, lr(0.1)),
      run(C1, 0.88, lr(0.2)),
      run(C1, 0.2, { state: "running", ...lr(0.1) }),
      run(C1, NaN, lr(0.1)),
    ]],
  ]);
  const exclude = new Set([C3]);
  // By commit: pooled(list(c(.51,.55,.50,.90,.93), c(.48,.53,.88))) = 0.217592892041, df 6.
  const plain = historyNoise(CHAIN, byCommit, ["acc", "loss"], { exclude }).acc!;
  assert(Math.abs(plain.sd - 0.217592892041) < 1e-12, String(plain.sd));
  assertEquals([plain.df, plain.commits, plain.keys], [6, 2, [`${C2}#0`, `${C1}#0`]]);
  // By commit and lr, the learning rates' spread is not seed noise:
  // pooled(list(c(.51,.55,.50), c(.90,.93), c(.48,.53), c(.88))) = 0.027838821814, df 4.
  const grouped = historyNoise(CHAIN, byCommit, ["acc"], {
    exclude,
    groupBy: { kind: "config", key: "lr" },
  }).acc!;
  assert(Math.abs(grouped.sd - 0.027838821814) < 1e-12, String(grouped.sd));
  // Two commits however many groups; C1's lone lr=0.2 run is no cell.
  assertEquals([grouped.df, grouped.commits, grouped.keys], [4, 2, [
    `${C2}#0`,
    `${C2}#1`,
    `${C1}#0`,
  ]]);
  assertEquals(grouped.cells, [[0.51, 0.55, 0.50], [0.90, 0.93], [0.48, 0.53]]);
  // No metric without two finite values in one commit; without the exclusion C3 counts.
  assertEquals(Object.keys(historyNoise(CHAIN, byCommit, ["loss"], { exclude })), []);
  assertEquals(historyNoise(CHAIN, byCommit, ["acc"]).acc!.commits, 3);
});
