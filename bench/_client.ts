// One benchmark client, run in its own process so that its peak memory is its
// own. Usage: _client.ts (report|floor|sdk) URL
// Prints one JSON line: { ms, cpuMs, requests, bytes, rows, peakRssMb }.
// BENCH_PAGE_SIZE changes the page size of (a) and (b) (default 100, the report's).
import process from "node:process";
import { resolveInputs } from "../lib/inputs/report.ts";
import { runReport } from "../lib/pipeline/mod.ts";
import { baselineFilter, candidateFilter, reportQuery } from "../lib/wandb/queries.ts";
import { writeFileAtomic } from "../lib/fs.ts";
import { SDK_RUNS_QUERY } from "../lib/emulator/sdk_queries.ts";
import {
  BENCH_CHAIN,
  BENCH_CONFIG,
  BENCH_ENTITY,
  BENCH_KEY,
  BENCH_METRICS,
  BENCH_PROJECT,
  BENCH_SHA,
} from "./_fixture.ts";
import { GitHubClient } from "../lib/github/client.ts";
import { githubHistory } from "../lib/history/github.ts";

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

/**
 * (f) The report with its baselines from a 50-commit search back along the
 * base branch and a 50-commit trend (history from the emulator's GitHub
 * shape): one history query, and the runs of every commit in the same pages.
 */
async function search(): Promise<number> {
  const run = resolveInputs([
    "--project",
    `${BENCH_ENTITY}/${BENCH_PROJECT}`,
    "--sha",
    BENCH_SHA,
    "--baseline-sha",
    BENCH_CHAIN[0]!,
    "--baseline-search",
    "50",
    "--trend",
    "50",
    "--metrics",
    BENCH_METRICS.join(","),
    "--config-vars",
    BENCH_CONFIG.join(","),
    "--out",
    "/tmp/wandb-report-bench.csv",
    "--page-size",
    PAGE_SIZE,
  ], { WANDB_API_KEY: BENCH_KEY, WANDB_BASE_URL: url, GITHUB_TOKEN: "bench-github-token" });
  if (run.kind !== "report") throw new Error("bad bench inputs");
  const github = new GitHubClient({
    token: "bench-github-token",
    url: `${url}/github/graphql`,
    retry: { maxAttempts: 1, maxElapsedMs: 0, timeoutMs: 60_000 },
  });
  const { result, rendered } = await runReport(run.options, {
    csvPath: run.options.out,
    history: {
      cwd: "/nonexistent",
      github: () => githubHistory(github, { owner: "bench", name: "large" }),
    },
  });
  await writeFileAtomic(run.options.out, rendered.csv);
  requests = result.traffic.requests + github.stats.requests;
  bytes = result.traffic.responseBytes;
  return rendered.rows;
}

/**
 * Walks the report's pages with the report's documents, variables and
 * cursors, handing each response's text to `onPage`; finds the cursors with
 * one regular expression, so that the walk itself decodes nothing.
 */
async function walkPages(onPage: (text: string) => void): Promise<void> {
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
    onPage(text);
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
}

/** (b) The floor: the same documents, variables and cursors, no decoding at all. */
async function floor(): Promise<number> {
  await walkPages(() => {});
  return 0;
}

/** A run node as the report query returns it (the reference variants trust the server). */
interface Node {
  name: string;
  displayName: string | null;
  state: string | null;
  tags: string[] | null;
  description: string | null;
  config: string | null;
  summaryMetrics: string | null;
}
interface Connection {
  edges: { node: Node }[];
}
interface Page {
  data: { project: { candidates?: Connection | null; baselines?: Connection | null } };
}

/** (d) Reading the answers and nothing more: every page and every run's two JSON strings parsed, nothing kept. */
async function parse(): Promise<number> {
  let runs = 0;
  await walkPages((text) => {
    const { candidates, baselines } = (JSON.parse(text) as Page).data.project;
    for (const connection of [candidates, baselines]) {
      for (const { node } of connection?.edges ?? []) {
        if (node.config) JSON.parse(node.config);
        if (node.summaryMetrics) JSON.parse(node.summaryMetrics);
        runs++;
      }
    }
  });
  return runs;
}

/**
 * (e) The least a report can do, written with the same care as (a): (d),
 * keeping each run's fields and decoded config and summary, then the same
 * CSV rows as (a) written to a file, joined in chunks. No checks of any
 * kind, no classification, comparison or gate, no formula guard, no link
 * encoding.
 */
async function bare(): Promise<number> {
  interface Kept {
    name: string;
    displayName: string | null;
    state: string | null;
    tags: string[] | null;
    description: string | null;
    config: Record<string, unknown>;
    summary: Record<string, unknown>;
  }
  const kept: { candidates: Kept[]; baselines: Kept[] } = { candidates: [], baselines: [] };
  await walkPages((text) => {
    const project = (JSON.parse(text) as Page).data.project;
    for (const key of ["candidates", "baselines"] as const) {
      for (const { node } of project[key]?.edges ?? []) {
        const wrapped = JSON.parse(node.config ?? "{}") as Record<string, { value: unknown }>;
        const config: Record<string, unknown> = {};
        for (const name in wrapped) config[name] = wrapped[name]?.value;
        const { name, displayName, state, tags, description } = node;
        const summary = JSON.parse(node.summaryMetrics ?? "{}");
        kept[key].push({ name, displayName, state, tags, description, config, summary });
      }
    }
  });
  const text = (value: unknown) => {
    const t = value === undefined || value === null
      ? ""
      : typeof value === "string"
      ? value
      : typeof value === "number"
      ? String(value)
      : JSON.stringify(value);
    return /[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  };
  const lines: string[] = [];
  const chunks: string[] = [];
  let rows = 0;
  for (const [category, runs] of Object.entries(kept)) {
    for (const run of runs) {
      if (category === "candidates" && run.state !== "finished") continue;
      let line = `${url}/${BENCH_ENTITY}/${BENCH_PROJECT}/runs/${run.name},` +
        `${text(run.displayName)},${text(JSON.stringify(run.tags ?? []))},${run.name},` +
        `${BENCH_ENTITY},${BENCH_PROJECT},${text(run.config.github_sha)},${text(run.description)}`;
      for (const metric of BENCH_METRICS) line += `,${text(run.summary[metric])}`;
      for (const key of BENCH_CONFIG) line += `,${text(run.config[key])}`;
      lines.push(`${line},${category.slice(0, -1)}\n`);
      rows++;
      if (lines.length === 256) chunks.push(lines.splice(0).join(""));
    }
  }
  chunks.push(lines.join(""));
  await Deno.writeTextFile("/tmp/wandb-report-bench-bare.csv", chunks.join(""));
  return rows;
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

const run = { report, floor, sdk, parse, bare, search }[mode as "report" | "floor" | "sdk"];
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
