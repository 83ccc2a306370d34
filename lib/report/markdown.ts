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
import { type ReportVerdict, STATE_LINE_BYTES, withState } from "../ground/marker.ts";
import { field } from "../ground/model.ts";
import { bucketOf, stateList } from "../classify.ts";
import type { MetricComparison } from "../compare.ts";
import { candidateDelta, metricValue } from "../compare.ts";
import type { Run as WandbRun } from "../ground/model.ts";
import { runUrl } from "../ground/urls.ts";
import { standardError } from "../ground/stats.ts";
import { formatNumber } from "../ground/numbers.ts";
import { byteLength, clipBytes } from "../ground/text.ts";
import { maxOf, metricText, minOf, summaryText, type ValueStyle } from "./_format.ts";
import { escapeMarkdown, linkTarget, type MarkdownInput, shown } from "./_markdown.ts";
import { projectPath } from "./view.ts";
import { chartLabels, chartSection, trendSection } from "./charts.ts";
import { gateEssentials, gateSection, gateTable, pendingHeadline } from "./_gate.ts";

export { escapeMarkdown } from "./_markdown.ts";
export type { MarkdownInput } from "./_markdown.ts";
export { renderProgress } from "./progress.ts";
export type { ProgressInput } from "./progress.ts";
export { axisRange, chartNumber, MAX_CHART_RUNS } from "./charts.ts";

/**
 * The report's cap, in UTF-8 bytes. GitHub rejects comments longer than
 * 65,536 characters; a byte cap below that holds for any text (a character
 * is at least one byte), and keeps the body far from the 128 KiB Linux
 * allows one environment variable (the body travels as a file anyway).
 */
export const MAX_MARKDOWN = 60_000;

// The least a run's table row takes: `| [n](https://…/runs/x) | baseline | finished |`.
const MIN_ROW = 40;

const fmt = formatNumber;
const signed = (n: number) => (n > 0 ? `+${fmt(n)}` : n < 0 ? `−${fmt(-n)}` : "±0");

const markdownValues = (input: MarkdownInput): ValueStyle => ({
  number: fmt,
  text: (t) => `“${shown(input, t, 40)}”`,
});

/** A SHA for display: a hex SHA shortened in a code span, anything else escaped text. */
const shaText = (input: MarkdownInput, sha: string) =>
  /^[0-9a-f]{7,40}$/.test(sha) ? `\`${sha.slice(0, 7)}\`` : shown(input, sha, 40);

function runLink(input: MarkdownInput, run: WandbRun): string {
  const name = run.displayName || run.name;
  const url = runUrl(input.appUrl, input.entity, input.project, run.name);
  return `[${shown(input, name, 60)}](${linkTarget(url)})`;
}

/** A run's cell in the runs table: its chart label first (`c1`, `b2`) when there are charts. */
function runCell(input: MarkdownInput, run: WandbRun, key: string | undefined): string {
  return `${key ? `\`${key}\` ` : ""}${runLink(input, run)}`;
}

/**
 * "1 metric better, 2 within noise (means, beyond 2 SE)" and friends: each
 * metric's candidates' mean against the baselines' mean, counted better or
 * worse only beyond twice the standard error of the difference (Welch),
 * so a PR that changes nothing reads as within noise, not as worse against
 * the luckiest baseline. A rule that failed is "worse beyond tolerance".
 */
function metricTally(input: MarkdownInput): string {
  const failing = new Set(
    input.gate.verdicts.filter((v) => v.status === "fail").map((v) => v.rule.metric),
  );
  let better = 0, worse = 0, beyond = 0, within = 0, noNoise = 0, unknown = 0;
  for (const c of input.comparisons) {
    if (failing.has(c.metric)) {
      beyond++;
      continue;
    }
    const { candidates: cand, baselines: base } = c.stats;
    if (!c.direction || cand.mean === undefined || base.mean === undefined) {
      unknown++;
      continue;
    }
    const se = standardError(cand, base);
    if (se === undefined) {
      noNoise++;
      continue;
    }
    const diff = cand.mean - base.mean;
    if (Math.abs(diff) <= 2 * se) within++;
    else if ((c.direction === "max") === (diff > 0)) better++;
    else worse++;
  }
  const parts = [
    better ? `${better} metric${better === 1 ? "" : "s"} better` : "",
    worse ? `${worse} worse` : "",
    within ? `${within} within noise` : "",
    beyond ? `${beyond} worse beyond tolerance` : "",
    noNoise ? `${noNoise} with too few runs to tell` : "",
    unknown ? `${unknown} not comparable` : "",
  ].filter(Boolean);
  const judged = better + worse + within > 0 ? " (means, beyond 2 SE)" : "";
  return parts.length ? `${parts.join(", ")}${judged}` : "";
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
 *   entity: "acme", project: "vision", appUrl: "https://wandb.ai",
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
    `### W&B report: [${escapeMarkdown(projectPath(input))}](${
      linkTarget(
        `${input.appUrl}/${encodeURIComponent(input.entity)}/${encodeURIComponent(input.project)}`,
      )
    })${input.sha ? ` @ ${shaText(input, input.sha)}` : ""}`,
    "",
    // Waiting for training comes first, in plain words: no verdict, nothing failed.
    ...(input.gate.verdict === "pending" ? [pendingHeadline(input.gate.waiting), ""] : []),
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
