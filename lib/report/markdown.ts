/**
 * The markdown report: a summary line first, the gate's verdict, one compact
 * table of candidates and baselines with ▲/▼ deltas, a Mermaid bar chart per
 * metric, and config values folded away. Every string that comes from users
 * (run names, tags, config values) is escaped so it cannot break the table,
 * inject HTML or @-mention anyone; the whole is capped below GitHub's 65,536
 * characters per comment.
 *
 * @module
 */
import { type ReportVerdict, STATE_LINE_BYTES, withState } from "../marker.ts";
import { field } from "../model.ts";
import { bucketOf, type Classification, stateList } from "../classify.ts";
import type { MetricComparison } from "../compare.ts";
import { candidateDelta, metricValue } from "../compare.ts";
import type { GateResult } from "../gate.ts";
import type { TrendPoint } from "../history/baseline.ts";
import type { Run as WandbRun } from "../model.ts";
import { runUrl } from "../wandb/urls.ts";
import { formatNumber } from "../numbers.ts";
import { cut } from "../text.ts";
import { maxOf, metricText, minOf, summaryText, type ValueStyle } from "./_format.ts";

/**
 * The report's cap, in UTF-8 bytes. GitHub rejects comments longer than
 * 65,536 characters; a byte cap below that holds for any text (a character
 * is at least one byte), and keeps the body far from the 128 KiB Linux
 * allows one environment variable (the body travels as a file anyway).
 */
export const MAX_MARKDOWN = 60_000;

// The least a run's table row takes: `| [n](https://…/runs/x) | baseline | finished |`.
const MIN_ROW = 40;

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).byteLength;

/** The longest prefix of `text` within `max` UTF-8 bytes, never splitting a character. */
function clipBytes(text: string, max: number): string {
  const bytes = encoder.encode(text);
  if (bytes.byteLength <= max) return text;
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/**
 * Escapes user text for a GFM table cell or a line of prose: HTML is inert,
 * markdown syntax is literal, `|` cannot end a cell, line breaks become
 * spaces, and `@name` cannot mention anyone (a zero-width space follows `@`).
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { escapeMarkdown } from "./markdown.ts";
 * assertEquals(escapeMarkdown("<b>hi</b> | @ana"), "&lt;b&gt;hi&lt;/b&gt; \\| @&#8203;ana");
 * ```
 */
export function escapeMarkdown(text: string): string {
  return text
    // Format characters (bidi overrides and isolates, zero-width characters)
    // could make the text read otherwise than it is, or hide part of it.
    .replace(/\p{Cf}/gu, "")
    // Control characters (C0, DEL, C1) and line breaks become spaces.
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/[\\`*_{}[\]()#+\-.!|~:$]/g, "\\$&")
    .replace(/@/g, "@&#8203;");
}

/** What the sticky comment shows while a report waits for training. */
export interface ProgressInput {
  /** The report's marker: the report replaces this comment. */
  marker: string;
  /** `entity/project`. */
  project: string;
  /** The commit waited for ("" in run-id mode). */
  sha: string;
  /** The line to show (see `waitingText`). */
  text: string;
  /** How long the wait may last, in words (`30m`). */
  waitText: string;
}

/**
 * The sticky comment while `--wait` lasts: the report's marker (so the report
 * replaces it), the counts, and when the report comes. Only the project, the
 * SHA and counts reach it; the project is escaped as the report's is.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert";
 * import { renderProgress } from "./markdown.ts";
 * const body = renderProgress({
 *   marker: "<!-- m -->", project: "acme/vision", sha: "",
 *   text: "waiting for training: 2 of 5 finished, 3 running, 4 min so far", waitText: "30m",
 * });
 * ok(body.startsWith("<!-- m -->\n"));
 * ```
 */
export function renderProgress(input: ProgressInput): string {
  return [
    input.marker,
    `### W&B report: ${escapeMarkdown(input.project)}${
      input.sha ? ` @ \`${input.sha.replace(/[^0-9a-f]/g, "").slice(0, 7)}\`` : ""
    }`,
    "",
    // Ours (counts and words), not escaped: `\:` would show.
    `⏳ ${input.text}`,
    "",
    `<sub>Updated when the counts change, at most once a minute; the report replaces this ` +
    `comment when every run has ended or stalled, or after ${input.waitText}.</sub>`,
  ].join("\n");
}

/** Everything the markdown is made from. */
export interface MarkdownInput {
  /** `entity/project`. */
  project: string;
  /** The W&B UI base URL. */
  appUrl: string;
  /** W&B entity. */
  entity: string;
  /** W&B project name. */
  projectName: string;
  /** The commit reported on ("" in run-id mode without one). */
  sha: string;
  /** The candidates, every state. */
  candidates: readonly WandbRun[];
  /** The baselines. */
  baselines: readonly WandbRun[];
  /** State counts. */
  classification: Classification;
  /** Per-metric comparisons. */
  comparisons: readonly MetricComparison[];
  /** Each metric's mean per commit of the baseline's branch, oldest first (`--trend`). */
  trend?: readonly TrendPoint[];
  /** The groups judged (`--group-by`): a table each. */
  groups?: readonly {
    name?: string;
    candidates: readonly WandbRun[];
    comparisons: readonly MetricComparison[];
  }[];
  /** The gate's result. */
  gate: GateResult;
  /** Config keys to show. */
  configVars: readonly string[];
  /** Draw Mermaid charts. */
  chart: boolean;
  /** A hidden marker to put first (for the sticky comment). */
  marker?: string;
  /** Where the full CSV can be found, for the "too long" note. */
  csvHint?: string;
  /** Where the baselines came from, said under the summary (e.g. with `--baseline-sha`). */
  baselineFrom?: string;
  /** What the reader must know before the numbers (a report that is not the PR head's). */
  notices?: string[];
  /** The cap in UTF-8 bytes (default {@link MAX_MARKDOWN}). */
  maxLength?: number;
  /**
   * Takes secrets out of text (the CLI's redactor), applied to user text
   * before it is cut and escaped: after escaping, `local-…` reads
   * `local\-…` and no redactor would find it.
   */
  redact?: (text: string) => string;
}

const same = (text: string) => text;

/** User text with secrets out and cut to `max` characters, not yet escaped. */
function shownRaw(input: MarkdownInput, text: string, max = Infinity): string {
  const redact = input.redact ?? same;
  return redact(cut(redact(text), max));
}

/**
 * User text for the markdown: secrets out (whole, or the start of one a cut
 * left), cut to `max` characters, then escaped.
 */
function shown(input: MarkdownInput, text: string, max = Infinity): string {
  return escapeMarkdown(shownRaw(input, text, max));
}

const fmt = formatNumber;
const signed = (n: number) => (n > 0 ? `+${fmt(n)}` : n < 0 ? `−${fmt(-n)}` : "±0");

const markdownValues = (input: MarkdownInput): ValueStyle => ({
  number: fmt,
  text: (t) => `“${shown(input, t, 40)}”`,
});

/** A SHA for display: a hex SHA shortened in a code span, anything else escaped text. */
const shaText = (input: MarkdownInput, sha: string) =>
  /^[0-9a-f]{7,40}$/.test(sha) ? `\`${sha.slice(0, 7)}\`` : shown(input, sha, 40);

/** A URL made safe inside a markdown link's parentheses. */
// (encodeURIComponent leaves `(`, `)` and `'` alone, so each is encoded by hand.)
const linkTarget = (url: string) =>
  url.replace(
    /[()<>\s"'\\]/g,
    (c) =>
      encodeURIComponent(c).replace(/^[()']$/, `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  );

function runLink(input: MarkdownInput, run: WandbRun): string {
  const name = run.displayName || run.name;
  const url = runUrl(input.appUrl, input.entity, input.projectName, run.name);
  return `[${shown(input, name, 60)}](${linkTarget(url)})`;
}

/** A run's cell in the runs table: its chart label first (`c1`, `b2`) when there are charts. */
function runCell(input: MarkdownInput, run: WandbRun, key: string | undefined): string {
  return `${key ? `\`${key}\` ` : ""}${runLink(input, run)}`;
}

/** "2 metrics better, 1 worse beyond tolerance" and friends, from the comparisons. */
function metricTally(input: MarkdownInput): string {
  const failing = new Set(
    input.gate.verdicts.filter((v) => v.status === "fail").map((v) => v.rule.metric),
  );
  let better = 0, worse = 0, beyond = 0, unknown = 0;
  for (const c of input.comparisons) {
    const deltas = c.candidates.flatMap((d) => (d.abs === undefined ? [] : [d.abs]));
    if (failing.has(c.metric)) {
      beyond++;
      continue;
    }
    if (!c.direction || deltas.length === 0) {
      unknown++;
      continue;
    }
    const mean = deltas.reduce((a, b) => a + b, 0) / deltas.length;
    if ((c.direction === "max") === (mean > 0) && mean !== 0) better++;
    else if (mean !== 0) worse++;
  }
  const parts = [
    better ? `${better} metric${better === 1 ? "" : "s"} better` : "",
    worse ? `${worse} worse` : "",
    beyond ? `${beyond} worse beyond tolerance` : "",
    unknown ? `${unknown} not comparable` : "",
  ].filter(Boolean);
  return parts.join(", ");
}

function summaryLine(input: MarkdownInput): string {
  const { counts } = input.classification;
  const what = input.sha ? ` for ${shaText(input, input.sha)}` : "";
  const tally = input.comparisons.length ? metricTally(input) : "";
  return `**${counts.finished} finished candidate${
    counts.finished === 1 ? "" : "s"
  }${what} vs ${counts.baselines} baseline${counts.baselines === 1 ? "" : "s"}${
    tally ? `: ${tally}` : ""
  }.**`;
}

function statesLine(input: MarkdownInput): string {
  const { counts, complete } = input.classification;
  const states = stateList(counts);
  return `Candidates: ${counts.candidates}${
    states.length ? ` (${states.join(", ")})` : ""
  } · complete: ${complete ? "yes" : "no"}`;
}

/** The gate's verdict in one line: passed, failed (how many problems), or inconclusive. */
function gateHeadline(input: MarkdownInput): string {
  const { gate } = input;
  const failures = gate.verdicts.filter((v) => v.failed && v.status !== "inconclusive");
  const unsure = gate.verdicts.filter((v) => v.status === "inconclusive");
  const problems = failures.length + (gate.complete?.passed === false ? 1 : 0);
  const rules = (n: number) => `${n} rule${n === 1 ? "" : "s"}`;
  return (gate.verdict ?? (gate.passed ? "passed" : "failed")) === "failed"
    ? `❌ **Gate failed** (${problems} problem${problems === 1 ? "" : "s"}).`
    : gate.verdict === "inconclusive"
    ? gate.passed
      ? `⚠️ **Gate inconclusive**: ${
        rules(unsure.length)
      } could not tell with these seeds; counted as a pass (\`--on-inconclusive pass\`).`
      : `❌ **Gate inconclusive**: ${
        rules(unsure.length)
      } could not tell with these seeds; counted as a failure (\`--on-inconclusive fail\`).`
    : "✅ **Gate passed.**";
}

/**
 * What a report too long for a comment keeps of the gate: the verdict, the
 * completeness problem, and the first `keep` failing verdicts, worst first,
 * one line each; the rest counted.
 */
function gateEssentials(input: MarkdownInput, keep: number): string[] {
  const { gate } = input;
  if (!gate.enabled) return [];
  const failing = worstFirst(gate.verdicts).filter((v) => v.failed);
  const lines = [gateHeadline(input), ""];
  if (gate.complete && !gate.complete.passed) {
    lines.push(`- ${shown(input, gate.complete.message)}`);
  }
  for (const v of failing.slice(0, keep)) lines.push(`- ❌ ${shown(input, v.message, 400)}`);
  if (failing.length > keep) {
    lines.push(
      `- … and ${failing.length - keep} more failing verdict${
        failing.length - keep === 1 ? "" : "s"
      }: every one is in the job summary and the JSON report`,
    );
  }
  if (lines.length > 2) lines.push("");
  return lines;
}

/** Failing verdicts first, then by how far beyond the allowance. */
function worstFirst<T extends { failed: boolean; worse?: number; allowed?: number }>(
  verdicts: readonly T[],
): T[] {
  return [...verdicts].sort((a, b) =>
    Number(b.failed) - Number(a.failed) ||
    ((b.worse ?? 0) - (b.allowed ?? 0)) - ((a.worse ?? 0) - (a.allowed ?? 0))
  );
}

function gateSection(input: MarkdownInput, limit = Infinity): string[] {
  const { gate } = input;
  if (!gate.enabled) return [];
  const unsure = gate.verdicts.filter((v) => v.status === "inconclusive");
  const headline = gateHeadline(input);
  const lines = [headline, ""];
  for (const v of unsure.slice(0, Math.min(limit, 20))) {
    lines.push(`- ⚠️ ${shown(input, v.message)}`);
  }
  // How the noise was known (σ pooled from history, Welch), said once per rule.
  for (const text of (gate.notes ?? []).slice(0, Math.min(limit, 20))) {
    lines.push(`- _${shown(input, text)}_`);
  }
  if (unsure.length || gate.notes?.length) lines.push("");
  if (gate.complete && !gate.complete.passed) {
    lines.push(`- ${shown(input, gate.complete.message)}`);
  }
  lines.push(...gateTable(input, limit));
  lines.push("");
  return lines;
}

/** The gate's table: one row per verdict, failing and worst first, at most `limit` rows. */
function gateTable(input: MarkdownInput, limit = Infinity): string[] {
  const { gate } = input;
  const lines: string[] = [];
  // Worst regressions first, so a truncated report keeps them.
  const ordered = worstFirst(gate.verdicts);
  if (ordered.length) {
    lines.push(
      "| rule | run | value | reference | difference | allowed | noise (SE) | verdict |",
      "|---|---|---:|---:|---:|---:|---:|---|",
    );
    for (const v of ordered.slice(0, limit)) {
      const who = `${v.group === undefined ? "" : `${shown(input, v.group, 40)} · `}${
        v.runName ? shown(input, v.runName, 60) : "—"
      }`;
      // The reason says the verdict in words ("worse by 0.012, within 2 × 0.008 of noise: pass").
      const mark = v.status === "pass"
        ? "✅"
        : v.status === "inconclusive"
        ? "⚠️"
        : v.failed
        ? "❌"
        : "➖";
      lines.push(
        `| ${shown(input, v.rule.text)} | ${who} | ${
          v.value === undefined ? "—" : fmt(v.value)
        } | ${v.reference === undefined ? "—" : fmt(v.reference)} | ${
          v.worse === undefined
            ? "—"
            : v.worse > 0
            ? `worse by ${fmt(v.worse)}`
            : v.worse < 0
            ? `better by ${fmt(-v.worse)}`
            : "equal"
        } | ${v.allowed === undefined ? "—" : fmt(v.allowed)} | ${
          v.se === undefined ? "—" : `${fmt(v.se)}${v.noise ? ` (${v.noise.source})` : ""}`
        } | ${mark} ${shown(input, v.reason)} |`,
      );
    }
    if (ordered.length > limit) lines.push(`| … ${ordered.length - limit} more | | | | | | | |`);
  }
  return lines;
}

function cell(
  input: MarkdownInput,
  comparison: MetricComparison,
  run: WandbRun,
  isCandidate: boolean,
  best?: number,
): string {
  const value = metricValue(field(run.summary, comparison.metric));
  let text = metricText(value, markdownValues(input));
  if (value.kind === "number" && best !== undefined && value.value === best) text = `**${text}**`;
  if (!isCandidate) {
    return comparison.reference.runId === run.name ? `${text} ⟵ ref` : text;
  }
  const d = candidateDelta(comparison, run);
  if (!d || d.abs === undefined) return text;
  const arrow = d.verdict === "better"
    ? "▲"
    : d.verdict === "worse"
    ? "▼"
    : d.verdict === "equal"
    ? "＝"
    : "";
  const rel = d.rel === undefined ? "" : ` (${signed(d.rel * 100)}%)`;
  return `${text} ${arrow} ${signed(d.abs)}${rel}`.replace(/ {2}/g, " ");
}

/** The names of the stalled candidates (`running`, no heartbeat for `--stale-after`). */
const stalledNames = (input: MarkdownInput) =>
  new Set((input.classification.stalled ?? []).map((s) => s.run.name));

/** The best number per metric among some runs, by each metric's direction. */
function bestValues(
  comparisons: readonly MetricComparison[],
  runs: readonly WandbRun[],
): (number | undefined)[] {
  return comparisons.map((c) => {
    const values = runs
      .map((r) => metricValue(field(r.summary, c.metric)))
      .flatMap((v) => (v.kind === "number" ? [v.value] : []));
    if (!values.length || !c.direction) return undefined;
    // A loop, not Math.max(...values): a spread of 125,000 runs overflows the stack.
    return c.direction === "max" ? maxOf(values) : minOf(values);
  });
}

/**
 * One table of runs: a summary row per side shown (mean ± spread of the
 * finished runs, n), then one row per run; baselines that are not finished
 * are marked as not used for the reference.
 */
function runTable(
  input: MarkdownInput,
  comparisons: readonly MetricComparison[],
  candidates: readonly WandbRun[],
  baselines: readonly WandbRun[],
  bests: readonly (number | undefined)[],
  maxRows: number,
): string[] {
  const header = [
    "run",
    "role",
    "state",
    ...comparisons.map((c) =>
      `${escapeMarkdown(c.metric)} ${
        c.direction === "max" ? "(↑)" : c.direction === "min" ? "(↓)" : "(?)"
      }`
    ),
  ];
  const lines = [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i < 3 ? "---" : "---:")).join("|")}|`,
  ];
  const summary = (side: "candidates" | "baselines") =>
    `| _${side}: mean ± sd_ | ${side === "candidates" ? "candidate" : "baseline"} | finished | ${
      comparisons.map((c) => summaryText(c.stats[side], fmt)).join(" | ")
    } |`;
  if (candidates.length) lines.push(summary("candidates"));
  if (baselines.length) lines.push(summary("baselines"));
  // The charts' labels (c1, b1), keyed here.
  const keys = input.chart ? chartLabels(input) : undefined;
  const stalled = stalledNames(input);
  const rows: [WandbRun, boolean][] = [
    ...candidates.map((r): [WandbRun, boolean] => [r, true]),
    ...baselines.map((r): [WandbRun, boolean] => [r, false]),
  ];
  for (const [run, isCandidate] of rows.slice(0, maxRows)) {
    const finished = bucketOf(run.state) === "finished";
    // The state as W&B spells it (`killed`, not our bucket `aborted`), as the terminal shows it;
    // a baseline that did not finish does not feed the reference.
    const state = `${shown(input, run.state ?? "unknown", 20)}${
      !isCandidate && !finished ? " (not used)" : stalled.has(run.name) ? " (stalled)" : ""
    }`;
    lines.push(
      `| ${runCell(input, run, keys?.get(run))} | ${
        isCandidate ? "candidate" : "baseline"
      } | ${state} | ${
        comparisons.map((c, i) => cell(input, c, run, isCandidate && finished, bests[i])).join(
          " | ",
        )
      } |`,
    );
  }
  if (rows.length > maxRows) {
    lines.push(
      `| … ${rows.length - maxRows} more runs | | | ${comparisons.map(() => "").join(" | ")} |`,
    );
  }
  lines.push("");
  return lines;
}

function tableSection(input: MarkdownInput, maxRows = Infinity): string[] {
  const metrics = input.comparisons;
  const bests = bestValues(metrics, [...input.candidates, ...input.baselines]);
  const groups = (input.groups ?? []).filter((g) => g.name !== undefined);
  const lines: string[] = [];
  if (groups.length === 0) {
    lines.push(...runTable(input, metrics, input.candidates, input.baselines, bests, maxRows));
  } else {
    // A sweep: each group against the same baselines, then the baselines once.
    for (const group of groups) {
      lines.push(`#### ${shown(input, group.name!, 80)}`, "");
      lines.push(
        ...runTable(input, group.comparisons, group.candidates, [], bests, maxRows),
      );
    }
    lines.push("#### Baselines", "");
    lines.push(...runTable(input, metrics, [], input.baselines, bests, maxRows));
  }
  const notes = metrics.filter((c) => c.directionSource === "none").map((c) =>
    escapeMarkdown(c.metric)
  );
  const refs = metrics.map((c) =>
    c.reference.spec.kind === "run"
      ? `run ${escapeMarkdown(c.reference.spec.runId)}`
      : c.reference.spec.kind
  );
  // One reference for all, or (a gate rule's ref=, alpha=, noise=) each metric's own.
  const against = new Set(refs).size <= 1
    ? `the ${refs[0] ?? "best"} value of the finished baselines`
    : `the finished baselines' value per metric (${
      metrics.map((c, i) => `${escapeMarkdown(c.metric)}: ${refs[i]}`).join(", ")
    })`;
  lines.push(
    `Deltas are against ${against}; **bold** is the best value per metric; mean ± sd ` +
      `(sample, n−1) is over the finished runs.${
        notes.length
          ? ` No direction for ${notes.join(", ")}: pass \`--direction NAME=max\` or \`min\`.`
          : ""
      }`,
  );
  lines.push("");
  return lines;
}

/**
 * The trend: one small line chart per metric, the baseline branch's commits
 * oldest to newest and the candidates' mean as the last point, labelled
 * `this PR` so it cannot be taken for a commit of the branch; the y-axis
 * fitted to the values with a margin.
 */
function trendSection(input: MarkdownInput): string[] {
  const trend = input.trend ?? [];
  if (!trend.length) return [];
  const lines: string[] = [];
  const titles = chartTitles(input.comparisons.map((c) => c.metric));
  for (const c of input.comparisons) {
    const points = trend.flatMap((p) =>
      p.means[c.metric] === undefined
        ? []
        : [{ label: p.sha.slice(0, 7), value: p.means[c.metric]! }]
    );
    const pr = c.stats.candidates.mean;
    if (pr !== undefined) points.push({ label: `this PR (n=${c.stats.candidates.n})`, value: pr });
    if (points.length < 2) continue;
    const [low, high] = axisRange(points.map((p) => p.value));
    if (!drawable(points.map((p) => p.value), low, high)) {
      lines.push(...notDrawable(`${escapeMarkdown(c.metric)} (trend)`, points.map((p) => p.value)));
      continue;
    }
    lines.push(
      "```mermaid",
      // The default palette's first colour is too pale for a thin line.
      "---",
      "config:",
      "  themeVariables:",
      "    xyChart:",
      `      plotColorPalette: "${CHART_COLOURS.split(",")[0]}"`,
      "---",
      "xychart-beta",
      `    title "${titles.get(c.metric)}: the base branch, oldest to newest, then this PR"`,
      `    x-axis [${points.map((p) => `"${p.label}"`).join(", ")}]`,
      `    y-axis "${chartText(c.metric)}" ${chartNumber(low)} --> ${chartNumber(high)}`,
      `    line [${points.map((p) => chartNumber(p.value)).join(", ")}]`,
      "```",
      "",
    );
  }
  if (!lines.length) return [];
  const table = [
    "| commit | date | runs | " +
    input.comparisons.map((c) => escapeMarkdown(c.metric)).join(" | ") + " |",
    `|---|---|---:|${input.comparisons.map(() => "---:").join("|")}|`,
    ...trend.map((p) =>
      `| \`${p.sha.slice(0, 7)}\` | ${
        p.date ? escapeMarkdown(p.date.slice(0, 10)) : "—"
      } | ${p.n} | ${
        input.comparisons.map((c) =>
          p.means[c.metric] === undefined ? "—" : fmt(p.means[c.metric]!)
        )
          .join(" | ")
      } |`
    ),
  ];
  return [
    `<details open><summary>Trend: the mean per commit of the base branch (${trend.length} commit${
      trend.length === 1 ? "" : "s"
    } with runs), then this PR's candidates</summary>`,
    "",
    ...lines,
    ...table,
    "",
    "</details>",
    "",
  ];
}

/**
 * A y-axis range that fits the values with a margin (never from 0 unless
 * the values are near it), so a small difference shows.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { axisRange } from "./markdown.ts";
 * assertEquals(axisRange([0.91, 0.92]), [0.909, 0.921]);
 * ```
 */
export function axisRange(values: readonly number[]): [number, number] {
  const low = minOf(values);
  const high = maxOf(values);
  const span = high - low || Math.abs(high) * 0.1 || 1;
  const margin = span * 0.1;
  return [Number((low - margin).toPrecision(6)), Number((high + margin).toPrecision(6))];
}

/** A metric's name in a chart: letters of any script and a few signs; nothing that ends a string. */
const chartText = (text: string) =>
  text.replace(/[^\p{L}\p{N} _.:/()%+=,-]/gu, "").slice(0, 60).trim() || "metric";

/**
 * A number as Mermaid's xychart grammar reads it: plain decimal, never an
 * exponent (1e-7 would not parse), about 8 significant digits.
 */
export function chartNumber(n: number): string {
  if (n === 0 || !Number.isFinite(n)) return "0";
  // toFixed writes an exponent from 1e21 on; such a number is an integer.
  if (Math.abs(n) >= 1e21) return BigInt(n).toString();
  const digits = Math.min(20, Math.max(0, 7 - Math.floor(Math.log10(Math.abs(n)))));
  const text = n.toFixed(digits);
  return (text.includes(".") ? text.replace(/\.?0+$/, "") : text).replace(/^-0$/, "0");
}

/**
 * Whether a chart can show `values` faithfully on the axis `low`..`high`:
 * every number finite, and each value, written as Mermaid reads it, within
 * 1 % of the span of where it is (values around 1e-300, a span of 1e-9 at
 * 0.9, or one of ±1.7e308 cannot be: the table has the numbers).
 */
function drawable(values: readonly number[], low: number, high: number, below?: number): boolean {
  const span = high - low;
  if (![low, high, span, ...(below === undefined ? [] : [below])].every(Number.isFinite)) {
    return false;
  }
  if (!(span > 0) || Number(chartNumber(low)) >= Number(chartNumber(high))) return false;
  return values.every((v) => Math.abs(Number(chartNumber(v)) - v) <= span * 0.01);
}

/** A chart that cannot be drawn faithfully, said in place of it. */
function notDrawable(name: string, values: readonly number[]): string[] {
  return [
    `_${name}: values from ${fmt(minOf(values))} to ${
      fmt(maxOf(values))
    } cannot be drawn faithfully (too close together, too small or too large for a chart's ` +
    "axis): see the table._",
    "",
  ];
}

/**
 * Each metric's chart title, distinct: names that read alike once a chart's
 * grammar has had its way (`m?x`, `m!x`) get `(2)`, `(3)`… in table order.
 */
function chartTitles(metrics: readonly string[]): Map<string, string> {
  const titles = new Map<string, string>();
  const used = new Set<string>();
  for (const metric of metrics) {
    const base = chartText(metric);
    let title = base;
    for (let k = 2; used.has(title); k++) title = `${base} (${k})`;
    used.add(title);
    titles.set(metric, title);
  }
  return titles;
}

/** The bar charts' series colours: candidates, baselines, the reference line. */
const CHART_COLOURS = "#2563eb, #f59e0b, #dc2626";

/** The most bars one chart draws: beyond, the labels no longer fit under them. */
export const MAX_CHART_RUNS = 50;

/**
 * The short chart labels, keyed to the table: `c1`… for the candidates and
 * `b1`… for the baselines, in the table's order. Names never reach a chart:
 * long, unicode or alike names cannot collide or break it.
 */
function chartLabels(input: MarkdownInput): Map<WandbRun, string> {
  const labels = new Map<WandbRun, string>();
  input.candidates.forEach((run, i) => labels.set(run, `c${i + 1}`));
  input.baselines.forEach((run, i) => labels.set(run, `b${i + 1}`));
  return labels;
}

/** What a value that is not drawn is, in words. */
const notDrawn = (value: ReturnType<typeof metricValue>) =>
  value.kind === "missing"
    ? "no value"
    : value.kind === "nan"
    ? "NaN"
    : value.kind === "infinite"
    ? (value.value > 0 ? "+∞" : "−∞")
    : "not a number";

/**
 * One bar chart per metric: the finished runs' values, candidates and
 * baselines as two series (blue and amber: a series holds its side's
 * values, and at the other side's places a value below the axis, which
 * Mermaid does not draw), the reference as a line (red), the y-axis fitted to the values with a
 * margin, and short labels keyed to the table. Values that cannot be drawn
 * (NaN, ±∞, missing) are left out and named under the chart.
 */
function chartSection(input: MarkdownInput): string[] {
  if (!input.chart) return [];
  const labels = chartLabels(input);
  const lines: string[] = [];
  const sides: [WandbRun, "c" | "b"][] = [
    ...input.candidates.map((r): [WandbRun, "c"] => [r, "c"]),
    ...input.baselines.map((r): [WandbRun, "b"] => [r, "b"]),
  ];
  const titles = chartTitles(input.comparisons.map((c) => c.metric));
  for (const c of input.comparisons) {
    const drawn: { label: string; value: number; side: "c" | "b" }[] = [];
    const left: string[] = [];
    for (const [run, side] of sides) {
      // Only finished runs: they alone feed the means and the reference.
      if (bucketOf(run.state) !== "finished") continue;
      const value = metricValue(field(run.summary, c.metric));
      if (value.kind === "number" && Number.isFinite(value.value)) {
        drawn.push({ label: labels.get(run)!, value: value.value, side });
      } else left.push(`${labels.get(run)} (${notDrawn(value)})`);
    }
    const ref = c.reference.value;
    // One bar says something only against the reference.
    if (drawn.length === 0 || (drawn.length === 1 && ref === undefined)) continue;
    const name = escapeMarkdown(c.metric);
    if (drawn.length > MAX_CHART_RUNS) {
      lines.push(
        `_${name}: ${drawn.length} runs, more than a chart draws (${MAX_CHART_RUNS}): see the table._`,
        "",
      );
      continue;
    }
    const [low, high] = axisRange([
      ...drawn.map((d) => d.value),
      ...(ref === undefined ? [] : [ref]),
    ]);
    const shownValues = [...drawn.map((d) => d.value), ...(ref === undefined ? [] : [ref])];
    if (!drawable(shownValues, low, high, low - (high - low))) {
      lines.push(...notDrawable(name, shownValues));
      continue;
    }
    // The other side's places hold a value below the axis: Mermaid draws no bar there.
    const below = chartNumber(low - (high - low));
    const series = (side: "c" | "b") =>
      `[${drawn.map((d) => (d.side === side ? chartNumber(d.value) : below)).join(", ")}]`;
    const better = c.direction === "max"
      ? " (higher is better)"
      : c.direction === "min"
      ? " (lower is better)"
      : "";
    lines.push(
      "```mermaid",
      // Colours that say which is which: candidates blue, baselines amber, the reference red.
      "---",
      "config:",
      "  themeVariables:",
      "    xyChart:",
      `      plotColorPalette: "${CHART_COLOURS}"`,
      "---",
      "xychart-beta",
      `    title "${titles.get(c.metric)}${better}"`,
      `    x-axis [${drawn.map((d) => `"${d.label}"`).join(", ")}]`,
      `    y-axis "${chartText(c.metric)}" ${chartNumber(low)} --> ${chartNumber(high)}`,
      // Always both series, in this order, so each side keeps its colour.
      `    bar ${series("c")}`,
      `    bar ${series("b")}`,
      ...(ref === undefined ? [] : [`    line [${drawn.map(() => chartNumber(ref)).join(", ")}]`]),
      "```",
      "",
      `_${name}: **c** candidates (blue), **b** baselines (amber), as keyed in the table${
        ref === undefined
          ? ""
          : `; the line is the reference, the ${
            c.reference.spec.kind === "run"
              ? "chosen run's value"
              : `${c.reference.spec.kind} of the finished baselines`
          } (${fmt(ref)})`
      }; the axis starts at ${fmt(low)}, not 0.${
        left.length ? ` Not drawn: ${left.join(", ")}.` : ""
      }_`,
      "",
    );
  }
  return lines.length
    ? ["<details open><summary>Charts</summary>", "", ...lines, "</details>", ""]
    : [];
}

function configSection(input: MarkdownInput, maxRows = Infinity): string[] {
  if (!input.configVars.length) return [];
  const runs = [...input.candidates, ...input.baselines];
  const lines = [
    "<details><summary>Config</summary>",
    "",
    `| run | ${input.configVars.map(escapeMarkdown).join(" | ")} |`,
    `|---|${input.configVars.map(() => "---").join("|")}|`,
  ];
  for (const run of runs.slice(0, maxRows)) {
    lines.push(
      `| ${runLink(input, run)} | ${
        input.configVars.map((key) => {
          const value = field(run.config, key);
          if (value === undefined) return "—";
          const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
          return shown(input, text, 80);
        }).join(" | ")
      } |`,
    );
  }
  lines.push("", "</details>", "");
  return lines;
}

/**
 * Renders the report. When the full report would pass the cap it keeps the
 * summary, the gate's worst regressions and as many table rows as fit, and
 * points to the CSV.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { renderMarkdown } from "./markdown.ts";
 * const md = renderMarkdown({
 *   project: "acme/vision", appUrl: "https://wandb.ai", entity: "acme", projectName: "vision",
 *   sha: "3f2c9a1b7d4e5f60718293a4b5c6d7e8f9012345", candidates: [], baselines: [],
 *   classification: {
 *     counts: {
 *       finished: 0, running: 0, pending: 0, failed: 0, crashed: 0, aborted: 0, preempted: 0,
 *       unknown: 0, stalled: 0, candidates: 0, baselines: 0,
 *     },
 *     complete: false, singleRun: false, stalled: [], unreadableHeartbeats: [],
 *   },
 *   comparisons: [], gate: { enabled: false, passed: true, verdicts: [] }, configVars: [], chart: false,
 * });
 * assertEquals(md.includes("0 finished candidates for `3f2c9a1`"), true);
 * ```
 */
export function renderMarkdown(input: MarkdownInput): string {
  const cap = input.maxLength ?? MAX_MARKDOWN;
  // The marker and the state line (at most 90 bytes) come first, within the cap.
  const body = renderBody(
    input,
    input.marker ? cap - byteLength(input.marker) - STATE_LINE_BYTES : cap,
  );
  if (!input.marker) return body;
  // The marker, then the report's state (for comment-mode), then the report.
  const verdict: ReportVerdict = input.gate.passed === false
    ? "fail"
    : input.classification.complete
    ? "pass"
    : "incomplete";
  return withState(input.marker, verdict, body);
}

/** The report under its hidden lines, within `cap` bytes. */
function renderBody(input: MarkdownInput, cap: number): string {
  const head = [
    `### W&B report: [${escapeMarkdown(input.project)}](${
      linkTarget(
        `${input.appUrl}/${encodeURIComponent(input.entity)}/${
          encodeURIComponent(input.projectName)
        }`,
      )
    })${input.sha ? ` @ ${shaText(input, input.sha)}` : ""}`,
    "",
    summaryLine(input),
    "",
    ...(input.baselineFrom ? [`_Baselines: ${shown(input, input.baselineFrom)}._`, ""] : []),
    ...(input.notices ?? []).flatMap((text) => [`> ℹ️ ${shown(input, text)}`, ""]),
    statesLine(input),
    "",
  ];
  const noRuns = input.candidates.length + input.baselines.length === 0
    ? ["No runs found for this commit yet: was the SHA logged as `config.github_sha`?", ""]
    : [];
  // Every run takes a table row of at least MIN_ROW bytes: a report that
  // cannot fit is not rendered whole first (200,000 runs took seconds).
  const runs = input.candidates.length + input.baselines.length;
  if (runs * MIN_ROW <= cap) {
    const full = [
      ...head,
      ...noRuns,
      ...gateSection(input),
      ...(runs ? tableSection(input) : []),
      ...trendSection(input),
      ...chartSection(input),
      ...configSection(input),
    ].join("\n");
    if (byteLength(full) <= cap) return full;
  }

  // Too long: keep what matters most and say where the rest is. In this
  // order: the verdict, every failing rule that fits (the rest counted), the
  // summary (in the head), then the gate table and the runs' tables.
  const note = `> The full report is longer than a comment allows; every run is in ${
    input.csvHint ?? "the wandb_report.csv artifact"
  }.`;
  const essentials = (keep: number) => [...head, note, "", ...gateEssentials(input, keep)];
  const fits = (lines: string[]) => byteLength(lines.join("\n")) <= cap;
  // The most failing verdicts that fit: a binary search (thousands of groups may fail).
  let low = 0;
  let high = input.gate.verdicts.filter((v) => v.failed).length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(essentials(mid))) low = mid;
    else high = mid - 1;
  }
  const kept = essentials(low);
  const failing = input.gate.verdicts.filter((v) => v.failed).length;
  // With every failing verdict listed, the tables, as many rows as fit.
  if (low === failing) {
    for (const rows of [200, 100, 50, 20, 10, 5, 2, 1]) {
      const text = [...kept, ...gateTable(input, rows), "", ...tableSection(input, rows)];
      if (fits(text)) return text.join("\n");
    }
    for (const rows of [50, 20, 5]) {
      const text = [...kept, ...gateTable(input, rows), ""];
      if (fits(text)) return text.join("\n");
    }
  }
  if (fits(kept)) return kept.join("\n");
  return clipBytes([...head, note, ""].join("\n"), cap);
}
