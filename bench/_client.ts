// One benchmark client, run in its own process so that its peak memory is its
// own. Usage: _client.ts (report|floor|sdk) URL
// Prints one JSON line: { ms, cpuMs, requests, bytes, rows, peakRssMb }.
// BENCH_PAGE_SIZE changes the page size of (a) and (b) (default 100, the report's).
import process from "node:process";
import { resolveInputs } from "../lib/inputs/report.ts";
import { runReport } from "../lib/pipeline.ts";
import { baselineFilter, candidateFilter, reportQuery } from "../lib/wandb/queries.ts";
import { writeFileAtomic } from "../lib/fs.ts";
import { SDK_RUNS_QUERY } from "../lib/emulator/sdk_queries.ts";
import {
  BENCH_CONFIG,
  BENCH_ENTITY,
  BENCH_KEY,
  BENCH_METRICS,
  BENCH_PROJECT,
  BENCH_SHA,
} from "./_fixture.ts";

const [mode, url] = Deno.args;
const PAGE_SIZE = Deno.env.get("BENCH_PAGE_SIZE") ?? "100";
const auth = {
  authorization: `Basic ${btoa(`api:${BENCH_KEY}`)}`,
  "content-type": "application/json",
};
const match = { by: "sha" as const, sha: BENCH_SHA, matchCommit: false };
let requests = 0;
let bytes = 0;

async function post(body: unknown): Promise<string> {
  requests++;
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify(body),
  });
  const text = await response.text();
  bytes += new TextEncoder().encode(text).byteLength;
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  return text;
}

/** (a) The report itself: fetch, decode, classify, compare, render every format, write the CSV. */
async function report(): Promise<number> {
  const run = resolveInputs([
    "--project",
    `${BENCH_ENTITY}/${BENCH_PROJECT}`,
    "--sha",
    BENCH_SHA,
    "--baseline-tags",
    "baseline",
    "--metrics",
    BENCH_METRICS.join(","),
    "--config-vars",
    BENCH_CONFIG.join(","),
    "--out",
    "/tmp/wandb-report-bench.csv",
    "--page-size",
    PAGE_SIZE,
  ], { WANDB_API_KEY: BENCH_KEY, WANDB_BASE_URL: url });
  if (run.kind !== "report") throw new Error("bad bench inputs");
  const { result, rendered } = await runReport(run.options, { csvPath: run.options.out });
  await writeFileAtomic(run.options.out, rendered.csv);
  requests = result.traffic.requests;
  bytes = result.traffic.responseBytes;
  return rendered.rows;
}

/** (b) The floor: the same documents, variables and cursors, no decoding at all. */
async function floor(): Promise<number> {
  const document = reportQuery({ projectKeys: true });
  const state = {
    candidate: { after: null as string | null, done: false },
    baseline: { after: null as string | null, done: false },
  };
  const pageInfo = /"pageInfo":\{"hasNextPage":(true|false),"endCursor":(?:"([^"]*)"|null)\}/;
  while (!state.candidate.done || !state.baseline.done) {
    const text = await post({
      query: document,
      variables: {
        entity: BENCH_ENTITY,
        project: BENCH_PROJECT,
        order: "+created_at",
        perPage: Number(PAGE_SIZE),
        withCandidates: !state.candidate.done,
        candidateFilters: JSON.stringify(candidateFilter(match)),
        candidateCursor: state.candidate.after,
        withBaselines: !state.baseline.done,
        baselineFilters: JSON.stringify(baselineFilter(match, ["baseline"])),
        baselineCursor: state.baseline.after,
        // The same counts the report asks with its first page, to bound paging.
        withCounts: requests === 0,
        countBaselines: requests === 0,
        metricKeys: BENCH_METRICS,
        configKeys: [...BENCH_CONFIG, "github_sha", "secondary_sha"],
      },
    });
    for (
      const [key, section] of [["candidate", '"candidates":'], [
        "baseline",
        '"baselines":',
      ]] as const
    ) {
      const s = state[key];
      if (s.done) continue;
      const at = text.indexOf(section);
      const info = pageInfo.exec(text.slice(at));
      s.done = !info || info[1] === "false";
      s.after = info?.[2] ?? null;
    }
  }
  return 0;
}

/** (c) The SDK's request pattern: two api.runs() walks, 50 full runs a page, parsed as the SDK does. */
async function sdk(): Promise<number> {
  let runs = 0;
  for (const filters of [candidateFilter(match), baselineFilter(match, ["baseline"])]) {
    let cursor: string | null = null;
    for (let more = true; more;) {
      const text = await post({
        query: SDK_RUNS_QUERY,
        variables: {
          entity: BENCH_ENTITY,
          project: BENCH_PROJECT,
          filters: JSON.stringify(filters),
          order: "+created_at",
          perPage: 50,
          cursor,
        },
      });
      const page = JSON.parse(text).data.project.runs;
      for (const edge of page.edges) {
        JSON.parse(edge.node.config);
        JSON.parse(edge.node.summaryMetrics.replace(/\bNaN\b/g, "null"));
        runs++;
      }
      more = page.pageInfo.hasNextPage;
      cursor = page.edges.at(-1)?.cursor ?? null;
    }
  }
  return runs;
}

const run = { report, floor, sdk }[mode as "report" | "floor" | "sdk"];
if (!run) throw new Error(`unknown mode ${mode}`);
const cpu0 = process.cpuUsage();
const started = performance.now();
const rows = await run();
const ms = performance.now() - started;
const status = await Deno.readTextFile("/proc/self/status");
const peakKb = Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? NaN);
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    ms,
    requests,
    bytes,
    rows,
    peakRssMb: peakKb / 1024,
    cpuMs: (cpu.user + cpu.system) / 1000,
  }),
);
