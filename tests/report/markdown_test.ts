import fc from "fast-check";
import { classify } from "../../lib/classify.ts";
import { compareRuns } from "../../lib/compare.ts";
import { evaluateGate } from "../../lib/gate/mod.ts";
import { parseGateRule } from "../../lib/inputs/rules.ts";
import { escapeMarkdown, MAX_MARKDOWN, renderMarkdown } from "../../lib/report/markdown.ts";
import type { WandbRun } from "../../lib/wandb/runs.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";

function render(
  candidates: WandbRun[],
  baselines: WandbRun[],
  opts: { chart?: boolean; rules?: string[]; maxLength?: number } = {},
) {
  const metrics = ["acc", "val_loss"];
  const classification = classify(candidates, baselines);
  const rules = (opts.rules ?? ["acc:max:abs=0.01"]).map((r) => parseGateRule(r, "--gate"));
  return renderMarkdown({
    appUrl: "https://wandb.ai",
    entity: "acme",
    project: "vision",
    sha: "1111111aaaaaaabbbbbbbcccccccdddddddeeeee",
    candidates,
    baselines,
    classification,
    comparisons: compareRuns(candidates, baselines, { metrics, reference: { kind: "best" } }),
    gate: evaluateGate(candidates, baselines, classification, {
      rules,
      requireComplete: true,
      reference: { kind: "best" },
    }),
    configVars: ["note", "model"],
    chart: opts.chart ?? true,
    marker: "<!-- wandb-report key=acme/vision workflow=ci -->",
    maxLength: opts.maxLength,
  });
}

const OUR_TAGS =
  /<(\/?details( open)?|\/?summary|!-- wandb-report key=acme\/vision workflow=ci --|!-- wandb-report verdict=(pass|fail|incomplete) digest=[0-9a-f]{32} --)>/g;

/** The properties every rendering must have, whatever users named things. */
function assertSafe(md: string) {
  assert(md.length <= MAX_MARKDOWN, `length ${md.length}`);
  assertEquals(md.replace(OUR_TAGS, "").includes("<"), false, "raw HTML");
  assertEquals(/@[A-Za-z0-9]/.test(md), false, "an @-mention");
  // Each table keeps its shape: every row has as many cell separators as its header.
  let columns = -1;
  for (const line of md.split("\n")) {
    if (!line.startsWith("|")) {
      columns = -1;
      continue;
    }
    const pipes = line.replace(/\\\\/g, "").match(/(?<!\\)\|/g)!.length;
    if (columns < 0) columns = pipes;
    else assertEquals(pipes, columns, `broken row: ${line}`);
  }
  // Mermaid blocks: labels only from a safe alphabet.
  for (const block of md.match(/```mermaid[\s\S]*?```/g) ?? []) {
    for (const label of block.match(/"[^"]*"/g) ?? []) {
      // Our palette, else the chart text alphabet.
      assertMatch(label, /^"(#[0-9a-f]{6}(, #[0-9a-f]{6})*|[\p{L}\p{N} _.:/()%+=,-]*)"$/u);
    }
  }
}

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "<script>alert(1)</script>",
    "a | b | c",
    "@octocat please look",
    "[x](javascript:alert(1))",
    "**bold** _it_ `code`",
    "line\nbreak\r\nhere",
    "<!-- wandb-report key=acme/vision workflow=ci -->",
    "</details><img src=x onerror=alert(1)>",
    "\\| escaped pipe",
    '"quoted" name',
    "```mermaid\ngraph TD\n```",
  ),
);

const arbRun = (state: fc.Arbitrary<string>) =>
  fc.record({
    name: fc.stringMatching(/^[a-z0-9]{1,8}$/),
    displayName: nasty,
    state,
    tags: fc.array(nasty, { maxLength: 3 }),
    config: fc.record({ note: nasty, model: fc.oneof(nasty, fc.dictionary(nasty, nasty)) }),
    summary: fc.record({
      acc: fc.oneof(fc.double(), nasty, fc.constant(undefined)),
      val_loss: fc.oneof(fc.double(), fc.constant(NaN)),
    }),
  }) as fc.Arbitrary<WandbRun>;

Deno.test("markdown property: no user string escapes, tables keep their shape, under the cap", () => {
  fc.assert(
    fc.property(
      fc.array(arbRun(fc.constantFrom("finished", "running", "crashed", "weird")), {
        maxLength: 6,
      }),
      fc.array(arbRun(fc.constant("finished")), { maxLength: 4 }),
      (candidates, baselines) => assertSafe(render(candidates, baselines)),
    ),
    { numRuns: 300 },
  );
});

Deno.test("markdown property: thousands of runs with long names stay under the cap, summary first", () => {
  fc.assert(
    fc.property(fc.integer({ min: 300, max: 3000 }), (n) => {
      const runs = Array.from({ length: n }, (_, i): WandbRun => ({
        name: `run${i}`,
        displayName: `${"very-long-sweep-name-".repeat(3)}${i} @someone <b>`,
        state: "finished",
        tags: [],
        config: { note: "x".repeat(200), model: { depth: i } },
        summary: { acc: 0.5 + (i % 100) / 1000, val_loss: 1 - (i % 50) / 100 },
      }));
      const md = render(runs.slice(0, n - 10), runs.slice(n - 10), {
        rules: ["acc:max", "val_loss:min"],
      });
      assertSafe(md);
      assertMatch(md, /finished candidates for `1111111` vs 10 baselines/);
      assertMatch(md, /wandb_report\.csv artifact/);
      assertMatch(md, /❌ \*\*Gate failed\*\*/);
    }),
    { numRuns: 5 },
  );
});

Deno.test("escapeMarkdown: HTML, table pipes, mentions, links and emphasis are literal", () => {
  assertEquals(escapeMarkdown("<b>|@x"), "&lt;b&gt;\\|@&#8203;x");
  assertEquals(escapeMarkdown("[a](b) *c* _d_"), "\\[a\\]\\(b\\) \\*c\\* \\_d\\_");
  assertEquals(escapeMarkdown("a\nb"), "a b");
});

Deno.test("markdown: ▲/▼ with signed deltas, the best value bold, missing shown as such", () => {
  const candidates: WandbRun[] = [
    {
      name: "c1",
      displayName: "cand",
      state: "finished",
      tags: [],
      config: {},
      summary: { acc: 0.92, val_loss: 0.2 },
    },
    {
      name: "c2",
      displayName: "worse",
      state: "finished",
      tags: [],
      config: {},
      summary: { acc: 0.85, val_loss: NaN },
    },
  ];
  const baselines: WandbRun[] = [
    {
      name: "b1",
      displayName: "base",
      state: "finished",
      tags: [],
      config: {},
      summary: { acc: 0.9, val_loss: 0.25 },
    },
  ];
  const md = render(candidates, baselines, { chart: true });
  assertMatch(md, /\*\*0\.92\*\* ▲ \+0\.02 \(\+2\.222%\)/);
  assertMatch(md, /0\.85 ▼ −0\.05 \(−5\.556%\)/);
  assertMatch(md, /\| NaN \|/);
  assertMatch(md, /0\.9 ⟵ ref/);
  assertMatch(md, /❌ \*\*Gate failed\*\*/);
  assertMatch(md, /acc regressed|❌ worse by/);
  assertMatch(
    md,
    /```mermaid\n---\n[\s\S]*?\n---\nxychart-beta\n {4}title "acc \(higher is better\)"\n {4}x-axis \["c1", "c2", "b1"\]/,
  );
  // One number alone makes no chart.
  assertEquals(render([candidates[0]!], [], { chart: true }).includes("mermaid"), false);
  assertEquals(render(candidates, baselines, { chart: false }).includes("mermaid"), false);
});

Deno.test("the demo's report says what it must: verdict, counts, numbers, sections", async () => {
  // examples/report.md is kept as an example (regenerate with: deno task demo --app-url
  // https://wandb.ai --markdown examples/report.md); the test holds what the report must say,
  // with numbers computed here from the demo fixture's values, not its last output.
  const { runDemoCli } = await import("../../lib/cli/mod.ts");
  const dir = await Deno.makeTempDir();
  try {
    let stderr = "";
    const code = await runDemoCli([
      "--out",
      `${dir}/r.csv`,
      "--markdown",
      `${dir}/r.md`,
      "--app-url",
      "https://wandb.ai",
      "--format",
      "csv",
    ], { env: {}, stdout: () => {}, stderr: (t) => (stderr += t) });
    assertEquals(code, 0, stderr);
    const md = await Deno.readTextFile(`${dir}/r.md`);
    const lines = md.split("\n");
    // The marker, then the state: training still runs, so the verdict is incomplete.
    assertEquals(
      lines[0],
      "<!-- wandb-report key=demo-team/image-classifier workflow=wandb-report -->",
    );
    assertMatch(lines[1]!, /^<!-- wandb-report verdict=incomplete digest=[0-9a-f]{32} -->$/);
    assertStringIncludes(md, "**3 finished candidates for `3f2c9a1` vs 5 baselines");
    assertStringIncludes(md, "Candidates: 5 (3 finished, 1 running, 1 crashed) · complete: no");
    assertStringIncludes(md, "✅ **Gate passed.**");
    // Each side's mean ± sd of accuracy, from the fixture's values (finished runs only).
    const meanSd = (xs: number[]) => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
      return [m, sd] as const;
    };
    const [cm, csd] = meanSd([0.9187, 0.9163, 0.9171]);
    const [bm, bsd] = meanSd([0.9112, 0.9054, 0.8987, 0.8801]); // the killed 0.7012 is not used
    assertEquals([cm.toFixed(4), csd.toFixed(4)], ["0.9174", "0.0012"]);
    assertEquals([bm.toFixed(3), bsd.toFixed(3)], ["0.899", "0.014"]);
    assertStringIncludes(md, `| ${cm.toFixed(4)} ± ${csd.toFixed(4)} (n=3) |`);
    assertStringIncludes(md, `| ${bm.toFixed(3)} ± ${bsd.toFixed(3)} (n=4) |`);
    // The best baseline is the reference; the first candidate's delta against it.
    assertMatch(
      md,
      /\| `b1` \[resnet18\\-main\\-baseline\]\([^)]*\) \| baseline \| finished \| 0\.9112 ⟵ ref \|/,
    );
    assertStringIncludes(md, `**0.9187** ▲ +${(0.9187 - 0.9112).toFixed(4)}`);
    assertStringIncludes(md, "| baseline | killed (not used) | 0.7012 |");
    assertMatch(md, /\| candidate \| crashed \| — \| NaN \|/);
    // The sections: gate table, trend and charts.
    assertStringIncludes(
      md,
      "| rule | run | value | reference | difference | allowed | noise (SE) | verdict |",
    );
    assertStringIncludes(
      md,
      "<details open><summary>Trend: the mean per commit of the base branch",
    );
    assertStringIncludes(md, "<details open><summary>Charts</summary>");
    assertEquals((md.match(/```mermaid/g) ?? []).length >= 4, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("markdown: every piece of data is escaped, the SHA and the app URL included; bidi controls removed", () => {
  const classification = classify([], []);
  const md = renderMarkdown({
    appUrl: "https://w.example/a)b<c> d",
    entity: "acme",
    project: "vision",
    sha: "`x`<b>@ana\u202e",
    candidates: [],
    baselines: [],
    classification,
    comparisons: [],
    gate: { enabled: false, passed: true, verdicts: [] },
    configVars: [],
    chart: false,
  });
  const heading = md.split("\n")[0]!;
  assertEquals(
    heading,
    "### W&B report: [acme/vision](https://w.example/a%29b%3Cc%3E%20d/acme/vision) @ \\`x\\`&lt;b&gt;@&#8203;ana",
  );
  assertEquals(/[\u202a-\u202e\u2066-\u2069]/.test(md), false, "no bidi control");
  assertEquals(escapeMarkdown("a\u2066b\u2069c\u202ed"), "abcd");
  // A hex SHA still shows as a short code span.
  assertMatch(render([], []), /@ `1111111`/);
});

Deno.test("markdown: the cap is in UTF-8 bytes, so CJK text cannot pass GitHub's limit", () => {
  const runs = Array.from({ length: 400 }, (_, i): WandbRun => ({
    name: `run${i}`,
    displayName: "実験".repeat(30),
    state: "finished",
    tags: [],
    config: { note: "説明".repeat(60), model: "モデル" },
    summary: { acc: 0.5, val_loss: 0.4 },
  }));
  const md = render(runs.slice(0, 390), runs.slice(390), { rules: ["acc:max"] });
  const bytes = new TextEncoder().encode(md).byteLength;
  assert(bytes <= MAX_MARKDOWN, `${bytes} bytes`);
  assertMatch(md, /wandb_report\.csv artifact/);
});

Deno.test("markdown: the cap holds with the hidden lines counted; the state line says the gate's verdict", () => {
  const runs = Array.from({ length: 120 }, (_, i): WandbRun => ({
    name: `run${i}`,
    displayName: `seed-${i}-${"x".repeat(40)}`,
    state: "finished",
    tags: [],
    config: { note: "n".repeat(50), model: "m" },
    summary: { acc: 0.5 + (i % 7) / 100, val_loss: 0.4 },
  }));
  for (let cap = 3000; cap <= 12_000; cap += 1500) {
    const md = render(runs.slice(0, 100), runs.slice(100), { maxLength: cap });
    const bytes = new TextEncoder().encode(md).byteLength;
    assert(bytes <= cap, `${bytes} bytes for a cap of ${cap}`);
    assertMatch(md.split("\n")[1]!, /^<!-- wandb-report verdict=\w+ digest=[0-9a-f]{32} -->$/);
  }
  // The state follows the gate: a failed rule says fail; all passed and complete says pass.
  const failing = render(runs.slice(0, 3), runs.slice(100, 103), { rules: ["acc:max:abs=0"] });
  assertMatch(failing.split("\n")[1]!, /verdict=fail /);
  const passing = render(runs.slice(0, 3), runs.slice(100, 103), { rules: ["acc:max:abs=1"] });
  assertMatch(passing.split("\n")[1]!, /verdict=pass /);
});

Deno.test("markdown: the 'N more runs' row only when rows are left out, and N is how many", () => {
  const runs = Array.from({ length: 200 }, (_, i): WandbRun => ({
    name: `run${i}`,
    displayName: `s${i}`,
    state: "finished",
    tags: [],
    config: { note: "n".repeat(300), model: "m" },
    summary: { acc: 0.5 + (i % 7) / 100, val_loss: 0.4 },
  }));
  const table = (md: string) =>
    md.split("\n").filter((l) => /^\| `[cb]\d+` \[s\d+\]|^\| \[s\d+\]/.test(l));
  const more = (md: string) => md.match(/^\| … (\d+) more runs \|/m)?.[1];
  // Cut to 200 rows a table, and 200 runs: every run shown, so no "… 0 more runs".
  const all = render(runs.slice(0, 150), runs.slice(150), { chart: false, maxLength: 60_000 });
  assertMatch(all, /longer than a comment allows/);
  assertEquals([table(all).length, more(all)], [200, undefined]);
  // Cut to 100: the other 100 counted.
  const half = render(runs.slice(0, 150), runs.slice(150), { chart: false, maxLength: 45_000 });
  assertEquals([table(half).length, more(half)], [100, "100"]);
});

Deno.test("markdown: a failed gate lists its worst failure first, whatever order the rules came in", () => {
  const one = (name: string, acc: number, valLoss: number): WandbRun => ({
    name,
    displayName: name,
    state: "finished",
    tags: [],
    config: {},
    summary: { acc, val_loss: valLoss },
  });
  // val_loss is 0.01 worse, acc 0.4 worse; the val_loss rule is given first.
  const md = render([one("c1", 0.5, 0.41)], [one("b1", 0.9, 0.4)], {
    chart: false,
    rules: ["val_loss:min:abs=0", "acc:max:abs=0"],
  });
  const failures = md.split("\n").filter((l) => l.startsWith("- ❌"));
  assertEquals(failures.length, 2, md);
  assertMatch(failures[0]!, /^- ❌ acc regressed in c1/);
  assertMatch(failures[1]!, /^- ❌ val\\_loss regressed in c1/);
  const rows = md.split("\n").filter((l) => /^\| (acc|val\\_loss)\\:/.test(l));
  assertMatch(rows[0]!, /^\| acc\\:max\\:abs=0 \|/);
});
