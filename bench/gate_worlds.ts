/**
 * The gate in the worlds seeds really live in: false alarms per report and
 * power, each with its 95 % Wilson interval, judged by the gate a report
 * runs (`judgeReport`: one family per report, the robust history steps).
 *
 * Every world: 10 gated metrics `mK:max:alpha=0.05`, seed noise σ = 1, each
 * commit's true mean drifting by sd 0.3σ, main's history 20 commits × 3
 * seeds (the newest is the PR's base), the PR's candidates of the base's true
 * mean (minus the effect on m0). What changes per world:
 *
 * - `normal`: all of the above.
 * - `t(3)`: seed noise Student's t with 3 df, scaled to σ.
 * - `diverge`: 1 seed in 10 (anywhere) is 10σ worse.
 * - `σ×2 5 ago`, `σ÷2 5 ago`: the newest 5 commits, the base and the PR have twice (half) the σ.
 * - `σ×2 3 ago`: the same with 3 (a probe beyond issue 31's worlds: where σ moved is found, not
 *   assumed).
 * - `σ by commit`: each commit's σ is σ·exp(0.4 Z).
 * - `baseline 3 back`: the baselines are the seeds of the commit 3 back (drift), not the base's.
 * - `ρ 0.9`: the metrics of one seed are correlated 0.9.
 * - `groups G`: `--group-by` with G groups of n seeds each (one family for the report).
 *
 * Usage: deno task bench:worlds [--prs N] [--seed S] [--write docs/gate-calibration.md]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { classify } from "../lib/classify.ts";
import type { PooledNoise } from "../lib/ground/inference.ts";
import { pooledNoise } from "../lib/ground/inference.ts";
import { parseGateRule } from "../lib/inputs/rules.ts";
import type { Run } from "../lib/ground/model.ts";
import { judgeReport } from "../lib/pipeline/mod.ts";
import { generator } from "./_random.ts";
import { rateCell, wilson, writeBetweenMarkers } from "./_table.ts";

const METRICS = 10;
const HISTORY = 20;
const SEEDS = 3;
const DRIFT = 0.3;

type World =
  | "normal"
  | "t(3)"
  | "diverge"
  | "σ×2 5 ago"
  | "σ×2 3 ago"
  | "σ÷2 5 ago"
  | "σ by commit"
  | "baseline 3 back"
  | "ρ 0.9"
  | "groups 3"
  | "groups 5"
  | "groups 10";

const WORLDS: World[] = [
  "normal",
  "t(3)",
  "diverge",
  "σ×2 5 ago",
  "σ×2 3 ago",
  "σ÷2 5 ago",
  "σ by commit",
  "baseline 3 back",
  "ρ 0.9",
  "groups 3",
  "groups 5",
  "groups 10",
];

let ids = 0;
const finished = (summary: Record<string, number>, config: Record<string, unknown> = {}): Run => ({
  name: `r${++ids}`,
  state: "finished",
  tags: [],
  config,
  summary,
});

/** One simulated PR: does the report fail? */
function onePr(world: World, n: number, effect: number, rng: ReturnType<typeof generator>) {
  const keys = Array.from({ length: METRICS }, (_, i) => `m${i}`);
  const noise = world === "t(3)" ? rng.t3 : rng.normal;
  // Commit 0 is the PR's base (newest); the PR itself is "commit −1".
  const means = Array.from({ length: HISTORY + 3 }, () => DRIFT * rng.normal());
  const sigmaOf = (commit: number) =>
    world === "σ×2 5 ago"
      ? (commit < 5 ? 2 : 1)
      : world === "σ×2 3 ago"
      ? (commit < 3 ? 2 : 1)
      : world === "σ÷2 5 ago"
      ? (commit < 5 ? 0.5 : 1)
      : 1;
  const commitSigma = Array.from(
    { length: HISTORY + 4 },
    (_, c) => world === "σ by commit" ? Math.exp(0.4 * rng.normal()) : sigmaOf(c - 1),
  );
  // One seed's values of every metric: noise (correlated in ρ 0.9), diverging in "diverge".
  const seed = (mean: number, sigma: number, shift: (k: string) => number) => {
    const common = rng.normal();
    const values = Object.fromEntries(keys.map((k) => {
      const e = world === "ρ 0.9"
        ? Math.sqrt(0.9) * common + Math.sqrt(0.1) * rng.normal()
        : noise();
      const diverged = world === "diverge" && rng.uniform() < 0.1 ? -10 : 0;
      return [k, mean + sigma * e + shift(k) + diverged];
    }));
    return values;
  };
  // History: commits 0..HISTORY−1 (0 the base), newest first, SEEDS each.
  const history: Record<string, PooledNoise> = {};
  const cellsByKey: Record<string, number[][]> = Object.fromEntries(keys.map((k) => [k, []]));
  for (let c = 0; c < HISTORY; c++) {
    const seeds = Array.from(
      { length: SEEDS },
      () => seed(means[c]!, commitSigma[c + 1]!, () => 0),
    );
    for (const k of keys) cellsByKey[k]!.push(seeds.map((s) => s[k]!));
  }
  for (const k of keys) {
    history[k] = {
      ...pooledNoise(cellsByKey[k]!)!,
      cells: cellsByKey[k]!,
      keys: cellsByKey[k]!.map((_, c) => `c${c}`),
    };
  }
  const groups = world.startsWith("groups") ? Number(world.split(" ")[1]) : 1;
  const baseCommit = world === "baseline 3 back" ? 3 : 0;
  const baselines = Array.from(
    { length: n },
    () => finished(seed(means[baseCommit]!, commitSigma[baseCommit + 1]!, () => 0)),
  );
  const candidates = Array.from({ length: n * groups }, (_, i) =>
    finished(
      // The effect in the PR's own σ: a 3σ regression is 3σ of the seeds it is judged by.
      seed(
        means[0]!,
        commitSigma[0]!,
        (k) => (k === "m0" && i < n ? -effect * commitSigma[0]! : 0),
      ),
      { g: Math.floor(i / n) },
    ));
  const judged = judgeReport({
    candidates,
    baselines,
    classification: classify(candidates, baselines),
    noise: history,
  }, {
    metrics: [],
    directions: {},
    reference: { kind: "mean" },
    gate: keys.map((k) => parseGateRule(`${k}:max:alpha=0.05`, "--gate")),
    requireComplete: false,
    groupBy: groups > 1 ? { kind: "config", key: "g" } : undefined,
    drift: world === "baseline 3 back",
  });
  return judged.gate.verdict === "failed";
}

function main() {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      prs: { type: "string", default: "1000" },
      seed: { type: "string", default: "20261207" },
      write: { type: "string" },
    },
  });
  const prs = Number(values.prs);
  const seed = Number(values.seed);
  if (!Number.isInteger(prs) || prs < 10) {
    console.error(
      `--prs: expected a whole number of at least 10, got ${JSON.stringify(values.prs)}`,
    );
    Deno.exit(2);
  }
  const started = performance.now();
  const rows: string[] = [];
  WORLDS.forEach((world, w) => {
    const count = (n: number, effect: number, salt: number) => {
      const rng = generator(seed + 7919 * (w * 10 + salt));
      let failed = 0;
      for (let pr = 0; pr < prs; pr++) if (onePr(world, n, effect, rng)) failed++;
      return failed;
    };
    const fa3 = count(3, 0, 1);
    const fa5 = count(5, 0, 2);
    const power3 = count(3, 3, 3);
    const power5 = count(5, 3, 4);
    const met = wilson(fa3, prs)[0] <= 0.05 + 0.01 && fa3 / prs <= 0.06 &&
      power5 / prs >= 0.8;
    rows.push(
      `| ${world} | ${rateCell(fa3, prs)} | ${rateCell(fa5, prs)} | ${rateCell(power3, prs)} | ${
        rateCell(power5, prs)
      } | ${met ? "yes" : "no"} |`,
    );
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const table = [
    `${prs} simulated PRs per cell, seed ${seed}; 10 metrics \`mK:max:alpha=0.05\`, σ = 1, commits' ` +
    `means drifting by 0.3σ, history 20 commits × 3 seeds. Percentages of reports whose gate ` +
    `failed, with 95 % Wilson intervals. Targets: false alarms ≤ 5 % (±1) at 3 seeds a side, ` +
    `≥ 80 % of 3σ regressions on one metric caught at 5 seeds a side. Took ${seconds} s.`,
    "",
    "| world | false alarms 3v3, % | false alarms 5v5, % | power at 3σ 3v3, % | power at 3σ 5v5, % | targets met |",
    "|---|---:|---:|---:|---:|---|",
    ...rows,
  ].join("\n");
  console.log(table);
  if (values.write) writeBetweenMarkers(values.write, "worlds", table);
}

if (import.meta.main) main();
