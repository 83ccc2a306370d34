/**
 * The `--json` document: everything a report found and judged, never a
 * secret, as text that no GitHub Actions runner can read as a command.
 *
 * @module
 */
import type { MetricComparison, MetricValue } from "../compare.ts";
import { type GateResult, verdictWord } from "../gate/mod.ts";
import type { Summary } from "../ground/stats.ts";
import type { BaselineCommit } from "../history/baseline.ts";
import { field, type Match, type Run, SHA_KEY, shaMatch } from "../ground/model.ts";
import { runUrl } from "../ground/urls.ts";
import { reportKeyOf } from "../ground/marker.ts";
import { projectPath, type ReportView } from "./view.ts";

/** The JSON document's version (`version`): 1 is the first with it. */
export const JSON_VERSION = 1;

/** What the JSON document is made from. */
export interface JsonInput extends ReportView {
  /** The report's key (`--report-key`; default `entity/project`). */
  reportKey?: string;
  /** How candidates were matched. */
  match: Match;
  /** The step outputs. */
  outputs: Readonly<Record<string, string>>;
  /** Where the baselines came from, in words. */
  baselineSource: string;
  /** The commit a baseline search used, and how it was found. */
  baselineCommit?: BaselineCommit;
  /** Where the CSV was written. */
  csvPath: string;
  /** The metrics asked for (gated ones included). */
  metrics: readonly string[];
  /** The config keys asked for. */
  configVars: readonly string[];
  /** Everything the user was told. */
  notes: readonly string[];
}

/**
 * The JSON document as text: two-space indented (so no line can start with
 * `::`), `NaN` and `Infinity` as strings (JSON has neither; `null` would look
 * missing), `##[` inside strings written `#\u0023[`, the same text to any
 * JSON reader but never the runner's legacy command form, and DEL, C1 and
 * invisible format characters written `\uXXXX` (JSON.stringify escapes only
 * the C0 range), so no terminal obeys or hides them.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { jsonText } from "./json.ts";
 * assertEquals(jsonText({ loss: NaN, name: "##[x]" }), '{\n  "loss": "NaN",\n  "name": "#\\u0023[x]"\n}\n');
 * assertEquals(jsonText("\x9b2J\u202e"), '"\\u009b2J\\u202e"\n');
 * ```
 */
export function jsonText(value: unknown): string {
  return `${
    JSON.stringify(value, nonFinite, 2).replaceAll("##[", "#\\u0023[").replace(
      INVISIBLE,
      unicodeEscape,
    )
  }\n`;
}

// What JSON.stringify leaves raw but a terminal obeys or hides: DEL, C1,
// format characters (bidi, zero-width), line and paragraph separators.
// Outside strings JSON has none of them, so each is replaced where it is.
const INVISIBLE = /[\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/** `\uXXXX` for each UTF-16 unit of `c`: the same text to any JSON reader. */
function unicodeEscape(c: string): string {
  let out = "";
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}

// JSON has no NaN or Infinity; strings keep them distinguishable from a missing value.
function nonFinite(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

/**
 * The JSON document: project, match (with `shaMode`), SHA, counts, outputs,
 * the CSV path, every run with its requested metrics and config, the gate and
 * the comparisons, and the notes.
 *
 * @example
 * ```ts ignore
 * import { jsonText, reportJson } from "./json.ts";
 * console.log(jsonText(reportJson(input)));
 * ```
 */
export function reportJson(input: JsonInput): Record<string, unknown> {
  const pick = (from: Record<string, unknown>, keys: readonly string[]) =>
    Object.fromEntries(keys.filter((k) => Object.hasOwn(from, k)).map((k) => [k, from[k]]));
  const run = (r: Run) => ({
    id: r.name,
    name: r.displayName ?? null,
    state: r.state ?? null,
    url: runUrl(input.appUrl, input.entity, input.project, r.name),
    tags: r.tags,
    createdAt: r.createdAt ?? null,
    github_sha: field(r.config, SHA_KEY) ?? null,
    metrics: pick(r.summary, input.metrics),
    config: pick(r.config, input.configVars),
  });
  return {
    // The document's version: `deno task merge` refuses versions it does not read.
    version: JSON_VERSION,
    project: projectPath(input),
    reportKey: reportKeyOf(input),
    match: input.match.by === "sha"
      ? { ...input.match, shaMode: shaMatch(input.match.sha).mode }
      : input.match,
    sha: input.sha,
    complete: input.classification.complete,
    singleRun: input.classification.singleRun,
    counts: input.classification.counts,
    stalled: input.classification.stalled.map((s) => ({
      run: s.run.name,
      state: s.run.state ?? null,
      lastSeen: s.lastSeen,
      ageSeconds: Math.round(s.ageMs / 1000),
    })),
    outputs: input.outputs,
    baselineSource: input.baselineSource,
    baseline: input.baselineCommit
      ? {
        requested: input.baselineCommit.requested,
        sha: input.baselineCommit.sha ?? null,
        distance: input.baselineCommit.distance ?? null,
        skipped: input.baselineCommit.skipped,
        searched: input.baselineCommit.searched,
        source: input.baselineCommit.source ?? null,
      }
      : null,
    trend: (input.trend ?? []).map((p) => ({
      sha: p.sha,
      date: p.date ?? null,
      n: p.n,
      means: p.means,
    })),
    csv: input.csvPath,
    candidates: input.candidates.map(run),
    baselines: input.baselines.map(run),
    notes: [...input.notes],
    gate: gateJson(input.gate),
    comparisons: comparisonsJson(input.comparisons),
    groups: (input.groups ?? []).filter((g) => g.name !== undefined).map((g) => ({
      name: g.name,
      candidates: g.candidates.map((r) => r.name),
      comparisons: comparisonsJson(g.comparisons),
    })),
  };
}

function gateJson(gate: GateResult) {
  return {
    enabled: gate.enabled,
    passed: gate.passed,
    verdict: verdictWord(gate),
    // What a pending verdict waits for; null otherwise.
    waiting: gate.waiting ?? null,
    complete: gate.complete ?? null,
    verdicts: gate.verdicts.map((v) => ({
      rule: v.rule.text,
      of: v.rule.of,
      group: v.group ?? null,
      run: v.runId ?? null,
      n: v.n ?? null,
      status: v.status,
      verdict: v.status === "inconclusive" ? "inconclusive" : v.failed ? "failed" : "passed",
      failed: v.failed,
      referenceKind: v.referenceKind ?? null,
      value: v.value ?? null,
      reference: v.reference ?? null,
      worse: v.worse ?? null,
      allowed: v.allowed ?? null,
      se: v.se ?? null,
      noise: v.noise ? { source: v.noise.source, sd: v.noise.sd, df: v.noise.df } : null,
      test: v.test
        ? {
          p: v.test.p,
          level: v.test.level,
          alpha: v.test.alpha,
          family: v.test.family,
          significant: v.test.significant,
          power: v.test.power ?? null,
          effect: v.test.effect ?? null,
          seedsNeeded: v.test.seedsNeeded ?? null,
          bound: v.test.bound ?? null,
          boundLevel: v.test.boundLevel ?? null,
        }
        : null,
      diverged: v.diverged ?? [],
      reason: v.reason,
      message: v.message,
    })),
  };
}

function summaryJson(s: Summary) {
  return { n: s.n, mean: s.mean ?? null, sd: s.sd ?? null, min: s.min ?? null, max: s.max ?? null };
}

function comparisonsJson(comparisons: readonly MetricComparison[]) {
  const shown = (v: MetricValue) =>
    v.kind === "number" || v.kind === "infinite" ? v.value : v.kind === "text" ? v.text : null;
  return comparisons.map((c) => ({
    metric: c.metric,
    direction: c.direction ?? null,
    directionSource: c.directionSource,
    reference: {
      kind: c.reference.spec.kind,
      run: c.reference.runId ?? null,
      value: c.reference.value ?? null,
    },
    // n, mean, sd (n - 1), min and max of the finished candidates and the finished baselines.
    stats: {
      candidates: summaryJson(c.stats.candidates),
      baselines: summaryJson(c.stats.baselines),
    },
    baselines: c.baselines.map((b) => ({
      run: b.run.name,
      value: shown(b.value),
      kind: b.value.kind,
      used: b.used ?? false,
    })),
    candidates: c.candidates.map((d) => ({
      run: d.run.name,
      value: shown(d.value),
      kind: d.value.kind,
      abs: d.abs ?? null,
      rel: d.rel ?? null,
      verdict: d.verdict,
    })),
  }));
}
