// Every chart the report can draw is read by Mermaid's own parser (Mermaid
// 11, as GitHub renders it, under jsdom), over generated inputs: long and
// unicode names, one run, 50 runs, equal, negative, tiny and huge values,
// NaN and missing ones. And the charts say what a person needs: the axis
// fitted to the data, candidates and baselines apart, the reference drawn.
import fc from "fast-check";
import { JSDOM } from "jsdom";
import { classify } from "../../lib/classify.ts";
import { compareRuns } from "../../lib/compare.ts";
import { evaluateGate } from "../../lib/gate/mod.ts";
import { chartNumber, MAX_CHART_RUNS, renderMarkdown } from "../../lib/report/markdown.ts";
import type { WandbRun } from "../../lib/wandb/runs.ts";
import { assert, assertEquals, assertMatch } from "../_assert.ts";

// Mermaid needs a DOM to load (DOMPurify); parsing itself draws nothing.
const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
const g = globalThis as Record<string, unknown>;
for (const key of ["window", "document", "DOMParser", "Element", "HTMLElement"]) {
  g[key] ??= key === "window"
    ? dom.window
    : key === "document"
    ? dom.window.document
    : (dom.window as unknown as Record<string, unknown>)[key];
}
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

const SHA = "1111111aaaaaaabbbbbbbcccccccdddddddeeeee";

function runOf(name: string, state: string, value: unknown, displayName = name): WandbRun {
  return {
    name,
    displayName,
    state,
    tags: [],
    createdAt: "2026-11-27T12:00:00",
    config: { github_sha: SHA },
    summary: value === undefined ? {} : { acc: value },
  } as unknown as WandbRun;
}

function render(candidates: WandbRun[], baselines: WandbRun[], trend = false): string {
  const classification = classify(candidates, baselines);
  const comparisons = compareRuns(candidates, baselines, {
    metrics: ["acc"],
    reference: { kind: "best" },
  });
  return renderMarkdown({
    appUrl: "https://wandb.ai",
    entity: "acme",
    project: "vision",
    sha: SHA,
    candidates,
    baselines,
    classification,
    comparisons,
    gate: evaluateGate(candidates, baselines, classification, {
      rules: [],
      requireComplete: false,
      reference: { kind: "best" },
    }),
    configVars: [],
    chart: true,
    trend: trend
      ? baselines.map((run, i) => ({
        sha: `${i}`.repeat(40).slice(0, 40),
        date: "2026-11-20T00:00:00Z",
        n: 1,
        means: { acc: (run.summary as { acc?: number }).acc ?? 0 },
      })).filter((p) => Number.isFinite(p.means.acc))
      : undefined,
  });
}

const blocks = (md: string) =>
  (md.match(/```mermaid\n([\s\S]*?)```/g) ?? []).map((b) => b.slice(11, -3));

async function assertParses(md: string) {
  for (const block of blocks(md)) {
    try {
      await mermaid.parse(block);
    } catch (error) {
      throw new Error(`Mermaid cannot parse:\n${block}\n${(error as Error).message}`);
    }
  }
}

const value = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }),
  fc.double({ min: -1e-6, max: 1e-6, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, "NaN", undefined, 0.9187, 0.9112, -3),
);
const name = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 120 }),
  fc.constantFrom(
    "pr-412-resnet50-augmix-seed1",
    "pr-412-resnet50-augmix-seed2",
    '"]]; x',
    "実験-α",
  ),
);
const runs = (max: number) =>
  fc.array(fc.tuple(name, value, fc.constantFrom("finished", "finished", "running", "crashed")), {
    minLength: 0,
    maxLength: max,
  });

Deno.test("charts: Mermaid parses every chart over generated runs (names, counts, values)", async () => {
  await fc.assert(
    fc.asyncProperty(runs(12), runs(8), fc.boolean(), async (cs, bs, trend) => {
      const md = render(
        cs.map(([n, v, s], i) => runOf(`c${i}x`, s, v, n)),
        bs.map(([n, v, s], i) => runOf(`b${i}x`, s, v, n)),
        trend,
      );
      await assertParses(md);
    }),
    { numRuns: 150 },
  );
});

Deno.test("charts: one run, 50 runs, equal and negative values all parse; more than 50 is said", async () => {
  const finished = (prefix: string, values: number[]) =>
    values.map((v, i) =>
      runOf(`${prefix}${i}`, "finished", v, `${prefix}-${"長い名前".repeat(20)}-${i}`)
    );
  const cases: [WandbRun[], WandbRun[]][] = [
    [finished("c", [0.9]), finished("b", [0.8])],
    [finished("c", [0.9]), []],
    [
      finished("c", Array.from({ length: 30 }, (_, i) => 0.9 + i / 1000)),
      finished("b", Array.from({ length: 20 }, () => 0.91)),
    ],
    [finished("c", [0.5, 0.5, 0.5]), finished("b", [0.5])],
    [finished("c", [-3.5, -2]), finished("b", [-4])],
    [finished("c", [1e-9, 2e-9]), finished("b", [3e12])],
  ];
  for (const [c, b] of cases) {
    const md = render(c, b);
    await assertParses(md);
    if (c.length + b.length > 1) assertEquals(blocks(md).length, 1, md);
  }
  const many = render(finished("c", Array.from({ length: MAX_CHART_RUNS + 1 }, (_, i) => i)), []);
  assertEquals(blocks(many).length, 0);
  assertMatch(many, /acc: 51 runs, more than a chart draws \(50\): see the table/);
});

Deno.test("charts: the axis fits the data, two series apart, the reference drawn, labels keyed to the table", async () => {
  const md = render(
    [
      runOf("c1x", "finished", 0.9187, "pr-412-resnet50-augmix-seed1"),
      runOf("c2x", "finished", Number.NaN, "pr-412-resnet50-augmix-seed2"),
      runOf("c3x", "running", 0.5),
    ],
    [runOf("b1x", "finished", 0.9112, "main"), runOf("b2x", "finished", 0.91, "main-2")],
  );
  await assertParses(md);
  const [chart] = blocks(md);
  const axis = chart!.match(/y-axis "acc" (\S+) --> (\S+)/)!;
  const [low, high] = [Number(axis[1]), Number(axis[2])];
  // 0.9112 against 0.9187: the axis starts near the data, not at 0.
  assert(low > 0.9 && low < 0.91 && high > 0.9187 && high < 0.93, axis[0]);
  // Labels, not names: NaN and unfinished runs are not drawn.
  assertMatch(chart!, /x-axis \["c1", "b1", "b2"\]/);
  // Candidates first series, baselines second, each with a value below the axis at the other's places.
  const below = Number(chart!.match(/bar \[0\.9187, (\S+),/)![1]);
  assert(below < low, `${below} is drawn`);
  const b = String(below).replace(".", "\\.");
  assertMatch(chart!, new RegExp(`bar \\[0\\.9187, ${b}, ${b}\\]`));
  assertMatch(chart!, new RegExp(`bar \\[${b}, 0\\.9112, 0\\.91\\]`));
  assertMatch(chart!, /plotColorPalette: "#2563eb, #f59e0b, #dc2626"/);
  assertMatch(chart!, /line \[0\.9112, 0\.9112, 0\.9112\]/);
  assertMatch(chart!, /title "acc \(higher is better\)"/);
  assertMatch(md, /Not drawn: c2 \(NaN\)/);
  // The table keys the labels to the names.
  assertMatch(md, /^\| `c1` \[pr\\-412\\-resnet50\\-augmix\\-seed1\]/m);
  assertMatch(md, /^\| `b2` \[main\\-2\]/m);
});

Deno.test("charts: the lowest bar stands at least a fifth of the chart; trend labels as short as a SHA", async () => {
  const md = render(
    [runOf("c1x", "finished", 0.9187), runOf("c2x", "finished", 0.9171)],
    [runOf("b1x", "finished", 0.9112), runOf("b2x", "finished", 0.8801)],
    true,
  );
  await assertParses(md);
  const bars = blocks(md).find((b) => b.includes("bar ["));
  const trend = blocks(md).find((b) => b.includes("oldest to newest"));
  const axis = bars!.match(/y-axis "acc" (\S+) --> (\S+)/)!;
  const [low, high] = [Number(axis[1]), Number(axis[2])];
  // The lowest value's bar, as tall as it is drawn, against the chart's height.
  assert((0.8801 - low) / (high - low) >= 0.2, `${axis[0]}: the 0.8801 bar is too short to see`);
  // The trend's x-axis: SHAs and "this PR", none longer (labels would run together); n in the title.
  const labels = JSON.parse(trend!.match(/x-axis (\[.*\])/)![1]!) as string[];
  assertEquals(labels.at(-1), "this PR");
  assert(labels.every((l) => l.length <= 7), labels.join(", "));
  assertMatch(trend!, /title "acc: the base branch, oldest to newest, then this PR \(n=2\)"/);
});

Deno.test("chartNumber: plain decimals Mermaid reads, never an exponent", () => {
  assertEquals(chartNumber(1e-9), "0.000000001");
  assertEquals(chartNumber(3e12), "3000000000000");
  assertEquals(chartNumber(-0.5), "-0.5");
  assertEquals(chartNumber(0.91871234567), "0.91871235");
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
    assert(/^-?\d+(\.\d+)?$/.test(chartNumber(n)), chartNumber(n));
  }));
});

Deno.test("charts: a span that cannot be drawn faithfully is said, not drawn", async () => {
  const finished = (prefix: string, values: number[]) =>
    values.map((v, i) => runOf(`${prefix}${i}`, "finished", v));
  const cases: [number[], number[]][] = [
    [[1e-300, 3e-300], [2e-300]], // the axis would read 0 --> 0
    [[0.900000001], [0.9000000015]], // 0.9 --> 0.9
    [[1.7e308], [-1.7e308]], // the span overflows: -Infinity
  ];
  for (const [c, b] of cases) {
    for (const trend of [false, true]) {
      const md = render(finished("c", c), finished("b", b), trend);
      assertEquals(blocks(md).length, 0, md);
      assertMatch(md, /acc(?: \(trend\))?: values from .* cannot be drawn faithfully/);
      assertEquals(/-?Infinity|NaN/.test(md.replace(/NaN \(n=/g, "")), false, md);
    }
  }
  // A drawable neighbour still is: 0.90 against 0.91.
  await assertParses(render(finished("c", [0.9]), finished("b", [0.91])));
  assertEquals(blocks(render(finished("c", [0.9]), finished("b", [0.91]))).length, 1);
});

Deno.test("charts: metric names that read alike in a chart get distinct titles", async () => {
  const metrics = ["m?x", "m!x", "m#x", "mx"];
  const run = (name: string, v: number) =>
    ({
      name,
      state: "finished",
      tags: [],
      config: {},
      summary: Object.fromEntries(metrics.map((m) => [m, v])),
    }) as unknown as WandbRun;
  const candidates = [run("c1", 0.9), run("c2", 0.92)];
  const baselines = [run("b1", 0.91)];
  const classification = classify(candidates, baselines);
  const md = renderMarkdown({
    appUrl: "https://wandb.ai",
    entity: "acme",
    project: "vision",
    sha: SHA,
    candidates,
    baselines,
    classification,
    comparisons: compareRuns(candidates, baselines, {
      metrics,
      reference: { kind: "best" },
      directions: Object.fromEntries(metrics.map((m) => [m, "max" as const])),
    }),
    gate: { enabled: false, passed: true, verdicts: [] },
    configVars: [],
    chart: true,
  });
  const titles = [...md.matchAll(/^ {4}title "(.*)"$/gm)].map((m) => m[1]);
  assertEquals(titles, [
    "mx (higher is better)",
    "mx (2) (higher is better)",
    "mx (3) (higher is better)",
    "mx (4) (higher is better)",
  ]);
  await assertParses(md);
});

Deno.test("charts: every Mermaid diagram in the docs (the PR lifecycle's among them) parses", async () => {
  const docs = [...Deno.readDirSync(new URL("../../docs/", import.meta.url))]
    .filter((e) => e.name.endsWith(".md"))
    .map((e) => Deno.readTextFileSync(new URL(`../../docs/${e.name}`, import.meta.url)));
  const found = docs.flatMap(blocks);
  assert(found.some((b) => b.startsWith("stateDiagram-v2")), "the lifecycle diagram");
  for (const doc of docs) await assertParses(doc);
  // …and the parser does refuse a broken one.
  let refused = false;
  await mermaid.parse("stateDiagram-v2\n  [*] --> --> x").catch(() => (refused = true));
  assert(refused);
});

Deno.test("charts: a trend of one point is not drawn; two points are", async () => {
  const trendOf = (md: string) => blocks(md).filter((b) => b.includes("oldest to newest"));
  // The candidate has not finished: the trend is one commit alone.
  const one = render([runOf("c1x", "running", 0.5)], [runOf("b1x", "finished", 0.9)], true);
  await assertParses(one);
  assertEquals(trendOf(one), []);
  const two = render(
    [runOf("c1x", "running", 0.5)],
    [runOf("b1x", "finished", 0.9), runOf("b2x", "finished", 0.91)],
    true,
  );
  await assertParses(two);
  assertEquals(trendOf(two).length, 1);
  assertMatch(trendOf(two)[0]!, /line \[0\.9, 0\.91\]/);
});
