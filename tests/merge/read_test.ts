// lib/merge/read.ts as a unit, and the contract between the two ends of a
// matrix: the JSON document a leg's report writes (renderReport, the real
// renderer, not a made-up leg) is what the merge reads, verdicts and all;
// a folder's reports are read at any depth, sorted; other versions are set
// aside, not merged.
import { assertEquals, assertRejects } from "../_assert.ts";
import { parseGateRule } from "../../lib/inputs/rules.ts";
import { judgeReport } from "../../lib/pipeline/judge.ts";
import { renderReport } from "../../lib/pipeline/render.ts";
import { readLegs } from "../../lib/merge/read.ts";
import { InvalidInputError } from "../../lib/ground/errors.ts";
import type { Run } from "../../lib/ground/model.ts";
import { collected } from "../_helpers.ts";

const SHA = "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345";

function run(name: string, acc: number, baseline = false): Run {
  return {
    name,
    state: "finished",
    tags: baseline ? ["baseline"] : [],
    config: { github_sha: baseline ? "0".repeat(40) : SHA },
    summary: { acc },
  };
}

/** A leg's JSON as `deno task report --format json` writes it. */
function legJson(reportKey: string, candidateAcc: number): string {
  const result = collected([run("c1", candidateAcc), run("c2", candidateAcc)], [
    run("b1", 0.9, true),
    run("b2", 0.92, true),
  ], SHA);
  const options = {
    metrics: ["acc"],
    configVars: [],
    directions: {},
    reference: { kind: "mean" as const },
    gate: [parseGateRule("acc:max:abs=0.05", "--gate")],
    requireComplete: false,
    match: { by: "sha" as const, sha: SHA, matchCommit: false },
    notes: [],
    baselineTags: ["baseline"],
    chart: false,
    reportKey,
  };
  return renderReport(result, judgeReport(result, options), options, { csvPath: "x.csv" }).json;
}

async function withLegs(files: Record<string, string>, fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "wandb-legs-" });
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.mkdir(`${dir}/${name}`.replace(/\/[^/]+$/, ""), { recursive: true });
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readLegs: what a leg's report writes is what the merge reads: key, commit, verdicts", async () => {
  await withLegs({
    "b/acme-nlp.json": legJson("acme/nlp", 0.5),
    "a/deep/acme-vision.json": legJson("acme/vision", 0.93),
    "notes.txt": "not a report",
  }, async (dir) => {
    const { legs, incompatible } = await readLegs([dir]);
    // At any depth, sorted by path; only .json files.
    assertEquals(legs.map((l) => [l.name, l.report.sha, l.report.gate.verdict]), [
      ["acme/vision", SHA, "passed"],
      ["acme/nlp", SHA, "failed"],
    ]);
    const failed = legs[1]!.report.gate.verdicts.filter((v) => v.failed);
    assertEquals(failed.map((v) => [v.rule, v.status]), [
      ["acc:max:abs=0.05", "fail"],
      ["acc:max:abs=0.05", "fail"],
    ]);
    assertEquals(legs[0]!.report.counts.candidates, 2);
    assertEquals(incompatible, []);
  });
});

Deno.test("readLegs: another version is set aside; a file that is no report is one input error naming it", async () => {
  const v2 = JSON.stringify({ ...JSON.parse(legJson("acme/a", 0.93)), version: 2 });
  await withLegs({ "a.json": legJson("acme/a", 0.93), "b.json": v2 }, async (dir) => {
    const { legs, incompatible } = await readLegs([dir]);
    assertEquals([legs.length, incompatible], [1, [{ file: `${dir}/b.json`, version: 2 }]]);
  });
  await withLegs({ "a.json": '{"project": "a/b"}' }, async (dir) => {
    const error = await assertRejects(() => readLegs([dir], "--reports"), InvalidInputError);
    assertEquals(
      error.message.startsWith("--reports: expected a report's JSON"),
      true,
      error.message,
    );
    assertEquals(error.message.includes(`${dir}/a.json`), true, error.message);
  });
  await withLegs({}, async (dir) => {
    await assertRejects(() => readLegs([dir]), InvalidInputError, "none found");
    assertEquals(await readLegs([dir], "--reports", { allowNone: true }), {
      legs: [],
      incompatible: [],
    });
  });
});
