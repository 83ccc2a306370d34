/**
 * `deno task bench:merge`: merging 50 legs of 200 runs each (the files a
 * matrix's legs upload), timed from reading the files to both renderings
 * (the comment and the job summary), with the process's peak memory.
 * Prints one table line per round and the median. Targets: ≤ 2 s, ≤ 200 MB.
 *
 * @module
 */
import { mergeReports, readLegs, renderMerged } from "../lib/merge/mod.ts";
import { MAX_SUMMARY_BYTES } from "../lib/merge/render.ts";
import { legJson, writeLegs } from "../tests/_legs.ts";

const LEGS = 50;
const RUNS = 200;
const ROUNDS = 5;

const dir = await writeLegs(
  Array.from(
    { length: LEGS },
    (_, i) => legJson({ key: `tasks/leg-${i}`, runs: RUNS, failing: i % 5 === 0 ? 2 : 0 }),
  ),
);
try {
  const times: number[] = [];
  let peak = 0;
  console.log("| round | legs | runs per leg | ms | rss MB |");
  console.log("|---:|---:|---:|---:|---:|");
  for (let round = 1; round <= ROUNDS; round++) {
    const start = performance.now();
    const merged = mergeReports(await readLegs([dir]));
    renderMerged(merged, { marker: "<!-- wandb-report key=matrix workflow=CI -->" });
    renderMerged(merged, { maxBytes: MAX_SUMMARY_BYTES });
    const ms = performance.now() - start;
    const rss = Deno.memoryUsage().rss / 2 ** 20;
    peak = Math.max(peak, rss);
    times.push(ms);
    console.log(`| ${round} | ${LEGS} | ${RUNS} | ${ms.toFixed(0)} | ${rss.toFixed(0)} |`);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  console.log(
    `median ${median.toFixed(0)} ms (target ≤ 2000), peak rss ${peak.toFixed(0)} MB (target ≤ 200)`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
