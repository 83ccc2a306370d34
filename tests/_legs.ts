/**
 * Legs of a matrix as `deno task report --json` writes them, made up for the
 * merge's tests and benchmark: each leg a project with its runs, a gate, and
 * a verdict.
 *
 * @module
 */

/** One made-up leg's JSON document. */
export function legJson(options: {
  key: string;
  sha?: string;
  runs?: number;
  failing?: number;
  version?: number | null;
  inconclusive?: boolean;
  /** The inconclusive rule blocks (its report ran with --on-inconclusive fail). */
  blocking?: boolean;
}): Record<string, unknown> {
  const sha = options.sha ?? "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345";
  const runs = options.runs ?? 6;
  const candidates = Math.ceil(runs / 2);
  const failing = options.failing ?? 0;
  const run = (i: number, role: string) => ({
    id: `${role}${String(i).padStart(4, "0")}`,
    name: `${options.key}-${role}-${i}`,
    state: "finished",
    url: `https://wandb.ai/acme/${options.key}/runs/${role}${i}`,
    tags: role === "b" ? ["baseline"] : [],
    createdAt: "2026-12-01T00:00:00",
    github_sha: role === "c" ? sha : "0".repeat(40),
    metrics: { acc: 0.9 + (i % 7) / 1000, loss: 0.3 - (i % 5) / 1000 },
    config: { lr: 0.01 },
  });
  const verdicts = [
    ...Array.from({ length: failing }, (_, i) => ({
      rule: `acc:max:abs=0.0${i + 1}`,
      of: "each",
      group: null,
      run: `c${i}`,
      n: null,
      status: "fail",
      verdict: "failed",
      failed: true,
      value: 0.8,
      reference: 0.9,
      worse: 0.1 + i / 100,
      allowed: 0.01,
      se: null,
      reason: "worse by 0.1, more than the 0.01 allowed: fail",
      message: `acc regressed in c${i}: 0.8 vs 0.9 (best baseline b1), worse by ${
        0.1 + i / 100
      }, more than the 0.01 allowed (acc:max:abs=0.0${i + 1})`,
    })),
    {
      rule: "loss:min:rel=5%",
      of: "each",
      group: null,
      run: "c9",
      n: null,
      status: options.inconclusive ? "inconclusive" : "pass",
      verdict: options.inconclusive ? "inconclusive" : "passed",
      failed: Boolean(options.inconclusive && options.blocking),
      value: 0.3,
      reference: 0.31,
      worse: -0.01,
      allowed: 0.0155,
      se: null,
      reason: "better by 0.01: pass",
      message: "loss in c9: 0.3 vs 0.31 is within loss:min:rel=5%",
    },
  ];
  const doc: Record<string, unknown> = {
    project: `acme/${options.key.replaceAll("/", "-")}`,
    reportKey: options.key,
    match: { by: "sha", sha, matchCommit: false, shaMode: "exact" },
    sha,
    complete: true,
    singleRun: false,
    counts: {
      candidates,
      baselines: runs - candidates,
      finished: candidates,
      running: 0,
      pending: 0,
      failed: 0,
      crashed: 0,
      aborted: 0,
      preempted: 0,
      unknown: 0,
      stalled: 0,
    },
    stalled: [],
    outputs: { BOOL_COMPLETE: "True", NUM_FINISHED: String(candidates) },
    baselineSource: 'runs that carry any of the tags "baseline"',
    candidates: Array.from({ length: candidates }, (_, i) => run(i, "c")),
    baselines: Array.from({ length: runs - candidates }, (_, i) => run(i, "b")),
    notes: [],
    gate: {
      enabled: true,
      passed: failing === 0 && !(options.inconclusive && options.blocking),
      verdict: failing > 0 ? "failed" : options.inconclusive ? "inconclusive" : "passed",
      complete: null,
      verdicts,
    },
    comparisons: [
      {
        metric: "acc",
        direction: "max",
        directionSource: "name",
        reference: { kind: "best", run: "b1", value: 0.906 },
        stats: {
          candidates: { n: candidates, mean: 0.903, sd: 0.002, min: 0.9, max: 0.906 },
          baselines: { n: runs - candidates, mean: 0.903, sd: 0.002, min: 0.9, max: 0.906 },
        },
      },
    ],
  };
  if (options.version !== null) doc.version = options.version ?? 1;
  return doc;
}

/** Writes legs into a new folder, one `<key>.json` each; returns the folder. */
export async function writeLegs(legs: Record<string, unknown>[]): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "wandb-legs-" });
  for (const [i, leg] of legs.entries()) {
    await Deno.writeTextFile(`${dir}/leg-${String(i).padStart(3, "0")}.json`, JSON.stringify(leg));
  }
  return dir;
}
