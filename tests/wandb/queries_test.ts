import fc from "fast-check";
import { parse, validate } from "graphql";
import { selectRuns } from "../../lib/emulator/filter.ts";
import { wandbSchema } from "../../lib/emulator/schema.ts";
import type { Match } from "../../lib/inputs/report.ts";
import {
  baselineFilter,
  candidateFilter,
  commitScanFilters,
  isCandidate as libIsCandidate,
  reportQuery,
} from "../../lib/wandb/queries.ts";
import { assertEquals } from "../_assert.ts";

// Full SHAs match exactly; 7-39 hex characters match as a prefix.
const S = "a".repeat(40);
const S2 = "b".repeat(40);

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

Deno.test("candidateFilter: a short hex SHA matches as an anchored prefix; anything else exactly", () => {
  assertEquals(candidateFilter({ by: "sha", sha: "3f2c9a1", matchCommit: false }), {
    "config.github_sha": { $regex: "^3f2c9a1" },
  });
  assertEquals(candidateFilter({ by: "sha", sha: "v1.2+x", matchCommit: false }), {
    "config.github_sha": "v1.2+x",
  });
  assertEquals(
    candidateFilter({ by: "sha", sha: "3f2c9a1", secondarySha: "b".repeat(39), matchCommit: true }),
    {
      $and: [
        {
          $or: [{ "config.github_sha": { $regex: "^3f2c9a1" } }, {
            commit: { $regex: "^3f2c9a1" },
          }],
        },
        { "config.secondary_sha": { $regex: `^${"b".repeat(39)}` } },
      ],
    },
  );
  assertEquals(baselineFilter({ by: "sha", sha: "3f2c9a1", matchCommit: false }, ["a"]), {
    $and: [{ tags: { $in: ["a"] } }, { $nor: [{ "config.github_sha": { $regex: "^3f2c9a1" } }] }],
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
  commit: fc.constantFrom(S, "aaaaaaab", "c".repeat(40), "v1.2", null),
  config: fc.record(
    {
      github_sha: fc.constantFrom(S, "aaaaaaab", "c".repeat(40), "v1.2", "v1.20"),
      secondary_sha: fc.constantFrom(S2, "bbbbbbbc", "d".repeat(40)),
    },
    { requiredKeys: [] },
  ),
});
type RunShape = typeof runArb extends fc.Arbitrary<infer T> ? T : never;
const matchArb: fc.Arbitrary<Match> = fc.oneof(
  fc.constant<Match>({ by: "run-id", runId: "r1" }),
  fc.record({
    by: fc.constant("sha" as const),
    sha: fc.constantFrom(S, "aaaaaaa", "v1.2", "v1.2."),
    secondarySha: fc.constantFrom(undefined, S2, "bbbbbbb"),
    matchCommit: fc.boolean(),
  }),
);

// Written out independently of lib/: prefix for 7-39 hex, equality otherwise.
function same(wanted: string, logged: string | null | undefined): boolean {
  if (typeof logged !== "string") return false;
  return /^[0-9a-f]{7,39}$/.test(wanted) ? logged.startsWith(wanted) : logged === wanted;
}

function isCandidate(m: Match, run: RunShape): boolean {
  if (m.by === "run-id") return run.name === m.runId;
  const bySha = same(m.sha, run.config.github_sha) || (m.matchCommit && same(m.sha, run.commit));
  return bySha && (m.secondarySha === undefined || same(m.secondarySha, run.config.secondary_sha));
}

/** What the model says: candidates match; baselines are the tagged rest. Positions in `docs`. */
function expected(
  m: Match,
  docs: (RunShape & { i: number })[],
  tags: string[],
) {
  return {
    candidates: docs.filter((d) => isCandidate(m, d)).map((d) => d.i),
    baselines: docs.filter((d) => !isCandidate(m, d) && d.tags.some((t) => tags.includes(t)))
      .map((d) => d.i),
  };
}

Deno.test("filters (property): candidates are exactly the matching runs; baselines the tagged rest", () => {
  fc.assert(
    fc.property(matchArb, fc.array(runArb, { maxLength: 8 }), (m, runs) => {
      const docs = runs.map((r, i) => ({ ...r, i }));
      const tags = ["baseline", "reference"];
      const candidates = selectRuns(docs, candidateFilter(m), "+i").map((d) => d.i);
      const baselines = selectRuns(docs, baselineFilter(m, tags), "+i").map((d) => d.i);
      assertEquals({ candidates, baselines }, expected(m, docs, tags));
    }),
    { numRuns: 400 },
  );
});

Deno.test("commit scan (property): server filter plus our isCandidate selects exactly the candidates", () => {
  fc.assert(
    fc.property(matchArb, fc.array(runArb, { maxLength: 8 }), (m, runs) => {
      const docs = runs.map((r, i) => ({ ...r, i, createdAt: `2026-01-0${1 + (i % 3)}T00:00:00` }));
      const since = "2026-01-01T00:00:00"; // every run is inside the window here
      const tags = ["baseline", "reference"];
      const filters = commitScanFilters(m, tags, since);
      const test = (d: (typeof docs)[number]) => libIsCandidate(m, d);
      const candidates = selectRuns(docs, filters.candidates, "+i").filter(test).map((d) => d.i);
      const baselines = selectRuns(docs, filters.baselines ?? { name: "-" }, "+i")
        .filter((d) => !test(d)).map((d) => d.i);
      assertEquals({ candidates, baselines }, expected(m, docs, tags));
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
    "heartbeatAt",
    "config(keys:",
    "$configKeys)",
    "summaryMetrics(keys:",
    "$metricKeys)",
  ]);
});

Deno.test("the summary-keys query is valid against the W&B schema, with or without projections", async () => {
  const { SUMMARY_KEYS_QUERY } = await import("../../lib/wandb/summary_keys.ts");
  for (const keysArgument of [true, false]) {
    assertEquals(validate(wandbSchema({ keysArgument }), parse(SUMMARY_KEYS_QUERY)), []);
  }
});
