import fc from "fast-check";
import { parse, validate } from "graphql";
import { selectRuns } from "../lib/emulator/filter.ts";
import { wandbSchema } from "../lib/emulator/schema.ts";
import type { Match } from "../lib/inputs.ts";
import { baselineFilter, candidateFilter, reportQuery } from "../lib/wandb/queries.ts";
import { assertEquals } from "./_assert.ts";

const S = "aaaaaaa";
const S2 = "bbbbbbb";

Deno.test("candidateFilter: the old action's filters, plus commit", () => {
  assertEquals(candidateFilter({ by: "run-id", runId: "r1" }), { name: "r1" });
  assertEquals(candidateFilter({ by: "sha", sha: S, matchCommit: false }), {
    "config.github_sha": S,
  });
  assertEquals(candidateFilter({ by: "sha", sha: S, secondarySha: S2, matchCommit: false }), {
    $and: [{ "config.github_sha": S }, { "config.secondary_sha": S2 }],
  });
  assertEquals(candidateFilter({ by: "sha", sha: S, matchCommit: true }), {
    $or: [{ "config.github_sha": S }, { commit: S }],
  });
});

Deno.test("baselineFilter: tags, and never a candidate", () => {
  assertEquals(baselineFilter({ by: "run-id", runId: "r1" }, ["baseline"]), {
    $and: [{ tags: { $in: ["baseline"] } }, { name: { $ne: "r1" } }],
  });
  assertEquals(baselineFilter({ by: "sha", sha: S, matchCommit: false }, ["a", "b"]), {
    $and: [
      { tags: { $in: ["a", "b"] } },
      { $or: [{ "config.github_sha": { $ne: S } }, { "config.github_sha": { $exists: false } }] },
    ],
  });
});

// Runs over every combination that matters to the filters.
const runArb = fc.record({
  name: fc.constantFrom("r1", "r2", "r3"),
  tags: fc.subarray(["baseline", "reference", "other"]),
  commit: fc.constantFrom(S, "ccccccc", null),
  config: fc.record(
    { github_sha: fc.constantFrom(S, "ccccccc"), secondary_sha: fc.constantFrom(S2, "ddddddd") },
    { requiredKeys: [] },
  ),
});
type RunShape = typeof runArb extends fc.Arbitrary<infer T> ? T : never;
const matchArb: fc.Arbitrary<Match> = fc.oneof(
  fc.constant<Match>({ by: "run-id", runId: "r1" }),
  fc.record({
    by: fc.constant("sha" as const),
    sha: fc.constant(S),
    secondarySha: fc.constantFrom(undefined, S2),
    matchCommit: fc.boolean(),
  }),
);

function isCandidate(m: Match, run: RunShape): boolean {
  if (m.by === "run-id") return run.name === m.runId;
  const bySha = run.config.github_sha === m.sha || (m.matchCommit && run.commit === m.sha);
  return bySha && (m.secondarySha === undefined || run.config.secondary_sha === m.secondarySha);
}

Deno.test("filters (property): candidates are exactly the matching runs; baselines the tagged rest", () => {
  fc.assert(
    fc.property(matchArb, fc.array(runArb, { maxLength: 8 }), (m, runs) => {
      const docs = runs.map((r, i) => ({ ...r, i }));
      const tags = ["baseline", "reference"];
      const candidates = selectRuns(docs, candidateFilter(m), "+i").map((d) => d.i);
      const baselines = selectRuns(docs, baselineFilter(m, tags), "+i").map((d) => d.i);
      assertEquals(candidates, docs.filter((d) => isCandidate(m, d)).map((d) => d.i));
      assertEquals(
        baselines,
        docs.filter((d) => !isCandidate(m, d) && d.tags.some((t) => tags.includes(t))).map((d) =>
          d.i
        ),
      );
    }),
    { numRuns: 400 },
  );
});

Deno.test("reportQuery: valid against the W&B schema, with and without projections", () => {
  const withKeys = wandbSchema({ keysArgument: true });
  const withoutKeys = wandbSchema({ keysArgument: false });
  assertEquals(validate(withKeys, parse(reportQuery({ projectKeys: true }))), []);
  assertEquals(validate(withKeys, parse(reportQuery({ projectKeys: false }))), []);
  assertEquals(validate(withoutKeys, parse(reportQuery({ projectKeys: false }))), []);
  const rejected = validate(withoutKeys, parse(reportQuery({ projectKeys: true })));
  assertEquals(rejected.map((e) => e.message), [
    'Unknown argument "keys" on field "Run.config".',
    'Unknown argument "keys" on field "Run.summaryMetrics".',
  ]);
});

Deno.test("reportQuery: asks only for what the report prints", () => {
  const fields = reportQuery({ projectKeys: true }).match(
    /fragment ReportRun on Run \{([^}]*)\}/,
  )![1]!
    .trim().split(/\s+/);
  assertEquals(fields, [
    "name",
    "displayName",
    "state",
    "tags",
    "description",
    "createdAt",
    "config(keys:",
    "$configKeys)",
    "summaryMetrics(keys:",
    "$metricKeys)",
  ]);
});
