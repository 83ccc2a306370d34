/**
 * The gate's calibration: simulated projects judged by the real gate
 * (`evaluateGate`, the code a report runs), counting false alarms per
 * report (PRs that change nothing and fail) and power (PRs that lose kσ on
 * one metric and fail), each with a 95 % Wilson interval.
 *
 * A world: seed noise σ = 0.01 (normal, or Student's t with 3 df scaled to
 * the same σ: heavy tails); each commit of main has its own true mean,
 * drifting by sd 0.003 between commits; the PR branches from one commit, so
 * its baselines are that commit's n seeds and its candidates are n seeds of
 * the same true mean minus the effect (on the first metric only). History:
 * the 20 commits before it, 3 seeds each (σ pooled within commits).
 *
 * Usage: deno task bench:gate [--prs N] [--seed S] [--write docs/gate-calibration.md]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { classify } from "../lib/classify.ts";
import { evaluateGate } from "../lib/gate/mod.ts";
import { type PooledNoise, pooledNoise } from "../lib/ground/inference.ts";
import { parseGateRule } from "../lib/inputs/rules.ts";
import type { GateRule, Run } from "../lib/ground/model.ts";
import { generator } from "./_random.ts";
import { pct, rateCell, writeBetweenMarkers } from "./_table.ts";

const SIGMA = 0.01;
const DRIFT = 0.003;
const HISTORY_COMMITS = 20;
const HISTORY_SEEDS = 3;

type World = "normal" | "t(3)";
type Method = "noise=2" | "alpha=0.05, own seeds" | "alpha=0.05, history σ";

interface Cell {
  world: World;
  method: Method;
  n: number;
  metrics: number;
  effect: number;
}

let ids = 0;
const finished = (summary: Record<string, number>): Run => ({
  name: `r${++ids}`,
  state: "finished",
  tags: [],
  config: {},
  summary,
});

/** One simulated PR: the share of reports that fail and that are inconclusive. */
function simulate(cell: Cell, prs: number, seed: number) {
  const rng = generator(seed);
  const noise = cell.world === "normal" ? rng.normal : rng.t3;
  const keys = Array.from({ length: cell.metrics }, (_, i) => `m${i}`);
  const text = (key: string) =>
    cell.method === "noise=2" ? `${key}:max:noise=2` : `${key}:max:alpha=0.05`;
  const rules: GateRule[] = keys.map((key) => parseGateRule(text(key), "--gate"));
  let failed = 0;
  let inconclusive = 0;
  for (let pr = 0; pr < prs; pr++) {
    const side = (offset: (key: string) => number) =>
      Array.from({ length: cell.n }, () =>
        finished(
          Object.fromEntries(keys.map((k) => [k, 0.9 + offset(k) + SIGMA * noise()])),
        ));
    const base = Object.fromEntries(keys.map((k) => [k, DRIFT * rng.normal()]));
    const baselines = side((k) => base[k]!);
    const candidates = side((k) => base[k]! - (k === "m0" ? cell.effect * SIGMA : 0));
    let history: Record<string, PooledNoise> | undefined;
    if (cell.method === "alpha=0.05, history σ") {
      history = {};
      const commits = Array.from({ length: HISTORY_COMMITS }, () => DRIFT * rng.normal());
      for (const key of keys) {
        history[key] = pooledNoise(
          commits.map((mean) =>
            Array.from({ length: HISTORY_SEEDS }, () => 0.9 + mean + SIGMA * noise())
          ),
        )!;
      }
    }
    const gate = evaluateGate(candidates, baselines, classify(candidates, baselines), {
      rules,
      requireComplete: false,
      reference: { kind: "mean" },
      history,
    });
    if (gate.verdict === "failed") failed++;
    else if (gate.verdict === "inconclusive") inconclusive++;
  }
  return { failed, inconclusive };
}

function main() {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      prs: { type: "string", default: "1000" },
      seed: { type: "string", default: "20261205" },
      write: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log("Usage: deno task bench:gate [--prs N] [--seed S] [--write FILE]");
    return;
  }
  const prs = Number(values.prs);
  const seed = Number(values.seed);
  if (!Number.isInteger(prs) || prs < 10) {
    console.error(
      `--prs: expected a whole number of at least 10, got ${JSON.stringify(values.prs)}`,
    );
    Deno.exit(2);
  }
  if (!Number.isInteger(seed)) {
    console.error(`--seed: expected a whole number, got ${JSON.stringify(values.seed)}`);
    Deno.exit(2);
  }
  const methods: Method[] = ["noise=2", "alpha=0.05, own seeds", "alpha=0.05, history σ"];
  const rows: string[] = [];
  const started = performance.now();
  let cellNo = 0;
  for (const world of ["normal", "t(3)"] as World[]) {
    for (const metrics of [1, 10]) {
      for (const n of [1, 2, 3, 5]) {
        for (const method of methods) {
          const cells = [0, 1, 2, 3].map((effect) => {
            const r = simulate({ world, method, n, metrics, effect }, prs, seed + 7919 * ++cellNo);
            return { effect, ...r };
          });
          const show = ({ failed }: { failed: number }) => rateCell(failed, prs);
          rows.push(
            `| ${world} | ${metrics} | ${n} | ${method} | ${show(cells[0]!)} | ${
              pct(cells[0]!.inconclusive / prs)
            } | ${show(cells[1]!)} | ${show(cells[2]!)} | ${show(cells[3]!)} |`,
          );
        }
      }
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const table = [
    `Each row: ${prs} simulated PRs per column, seed ${seed}; σ = ${SIGMA}, drift between commits sd ${DRIFT}; ` +
    `history: ${HISTORY_COMMITS} commits × ${HISTORY_SEEDS} seeds. Percentages of reports whose gate *failed*, ` +
    "with 95 % Wilson intervals; `inconclusive` is the share of no-change PRs the gate could not tell " +
    `(counted as a pass by default). Took ${seconds} s.`,
    "",
    "| seed noise | gated metrics | seeds a side | rule on every metric | false alarms, % | inconclusive, % | power at 1σ, % | at 2σ, % | at 3σ, % |",
    "|---|---:|---:|---|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
  console.log(table);
  if (values.write) writeBetweenMarkers(values.write, "gate", table);
}

if (import.meta.main) main();
