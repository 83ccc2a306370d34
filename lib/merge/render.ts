/**
 * The merged report in words: one markdown report (the verdict for the
 * whole PR, a row per leg, each leg's section folded, failing legs first
 * and open) within a byte budget that always keeps every failing leg and
 * its worst rule; the status line; the JSON document.
 *
 * @module
 */
import { stateList } from "../classify.ts";
import { STATE_LINE_BYTES, withState } from "../ground/marker.ts";
import { formatMeanSd, formatNumber } from "../ground/numbers.ts";
import { escapeMarkdown } from "../report/markdown.ts";
import { byteLength, clipBytes, cut, middleCut } from "../ground/text.ts";
import { legCount, type LegSummary, type MergedReport } from "./merge.ts";

/** The most a PR comment's body may hold, in UTF-8 bytes (GitHub allows 65,536 characters). */
export const MAX_COMMENT_BYTES = 60_000;

/** The most a job summary may hold (GitHub allows 1 MiB per step). */
export const MAX_SUMMARY_BYTES = 1_000_000;

const md = (text: string, max = Infinity) => escapeMarkdown(cut(text, max));
// A leg's name keeps its start and its end, where legs' keys differ.
const legName = (text: string) => escapeMarkdown(middleCut(text, 80));
// Numbers are formatted from numbers; anything else a leg's file holds is its text, escaped.
const num = (value: unknown) =>
  typeof value === "number"
    ? formatNumber(value)
    : value === null || value === undefined
    ? "—"
    : md(String(value), 40);

/** What the markdown says about where the rest is, when it cannot hold every leg. */
export interface MergedRenderOptions {
  /** The sticky comment's marker (none: no hidden lines). */
  marker?: string;
  /** The byte budget. Default {@link MAX_COMMENT_BYTES}. */
  maxBytes?: number;
  /** Where legs that do not fit are shown in full (the job summary, the artifacts). */
  elsewhere?: string;
}

/**
 * The merged report as markdown: the verdict, the problems, a row per leg,
 * then each leg's section (failing legs first, open), as many as fit; the
 * rest counted and pointed to.
 *
 * @example
 * ```ts ignore
 * import { renderMerged } from "./render.ts";
 * const text = renderMerged(merged, { marker: "<!-- wandb-report key=matrix workflow=CI -->" });
 * ```
 */
export function renderMerged(merged: MergedReport, options: MergedRenderOptions = {}): string {
  const cap = (options.maxBytes ?? MAX_COMMENT_BYTES) -
    (options.marker ? byteLength(options.marker) + STATE_LINE_BYTES : 0);
  const top = [
    `### W&B report: ${legCount(merged)} legs${
      /^[0-9a-f]{7,40}$/.test(merged.sha) ? ` @ \`${merged.sha.slice(0, 7)}\`` : ""
    }`,
    "",
    verdictLine(merged),
    "",
    ...listed(
      merged.problems.map((p) => `- ⚠️ ${md(p, 300)}`),
      MAX_LISTED,
      (n) => `- ⚠️ ${n} more problems: every one is in the merge step's log`,
    ),
    ...(merged.problems.length ? [""] : []),
    "| leg | candidates finished | verdict | worst regression |",
    "|---|---:|---|---|",
  ];
  // Every leg's row, failing first: whole rows only, the rest counted (how many failed too).
  const rows: [row: string, failed: boolean][] = [
    ...merged.missing.map((name): [string, boolean] => [
      `| ${legName(name)} | — | ❌ failed before reporting | — |`,
      true,
    ]),
    ...merged.refused.map((r): [string, boolean] => [
      `| ${legName(r.name)} | — | ❌ refused: contradicts itself | ${md(r.reason, 120)} |`,
      true,
    ]),
    ...merged.legs.map((leg): [string, boolean] => [legRow(leg), !leg.passed]),
  ];
  const reserve = byteLength(moreRows(rows.length, rows.length, options.elsewhere)) +
    byteLength(moreLine(rows.length, options.elsewhere)) + 8;
  let room = cap - byteLength(top.join("\n")) - reserve;
  const body = [...top];
  for (const [row] of rows) {
    if (byteLength(row) + 1 > room) break;
    room -= byteLength(row) + 1;
    body.push(row);
  }
  const hidden = rows.slice(body.length - top.length);
  if (hidden.length) {
    body.push(
      moreRows(hidden.length, hidden.filter(([, failed]) => failed).length, options.elsewhere),
    );
  }
  body.push("");
  let shown = 0;
  for (const leg of merged.legs) {
    const section = legSection(leg);
    const rest = merged.legs.length - shown - 1;
    const tail = rest > 0 ? byteLength(moreLine(rest, options.elsewhere)) + 2 : 0;
    if (byteLength([...body, ...section].join("\n")) + tail > cap) break;
    body.push(...section);
    shown++;
  }
  if (shown < merged.legs.length) {
    body.push(moreLine(merged.legs.length - shown, options.elsewhere), "");
  }
  let text = body.join("\n");
  // Only a budget smaller than the verdict and the table's head itself is clipped.
  if (byteLength(text) > cap) text = clipBytes(text, cap);
  if (!options.marker) return text;
  // The state line says what the status says: a blocking inconclusive leg fails the merge too.
  const state = !merged.passed ? "fail" : merged.complete ? "pass" : "incomplete";
  return withState(options.marker, state, text);
}

/** The most legs or problems named in a line or list before the rest are counted. */
const MAX_LISTED = 20;

/** The first `max` lines, then one counting the rest. */
function listed(lines: string[], max: number, more: (n: number) => string): string[] {
  return lines.length <= max ? lines : [...lines.slice(0, max), more(lines.length - max)];
}

/** The row that counts the legs whose rows do not fit. */
function moreRows(n: number, failed: number, elsewhere?: string): string {
  return `| … ${n} more leg${n === 1 ? "" : "s"}${
    failed ? ` (${failed} failed)` : ""
  } | | not shown here: every row is in ${
    elsewhere ?? "the job summary and the legs' artifacts"
  } | |`;
}

function moreLine(n: number, elsewhere?: string): string {
  return `_${n} more leg${n === 1 ? "" : "s"} not shown here: every leg's section is in ${
    elsewhere ?? "the job summary and the legs' artifacts"
  }._`;
}

/** The verdict for the whole PR, in one line. */
function verdictLine(merged: MergedReport): string {
  const failing = [...merged.refused, ...merged.legs.filter((leg) => !leg.passed)];
  const total = legCount(merged);
  const reported = merged.missing.length
    ? ` (${total - merged.missing.length} of ${total} legs reported; ${
      listed(merged.missing.map((m) => legName(m)), MAX_LISTED, (n) => `and ${n} more`).join(", ")
    } failed before reporting)`
    : "";
  if (merged.verdict === "failed") {
    const names = (list: readonly string[]) =>
      listed(list.map((name) => legName(name)), MAX_LISTED, (n) => `and ${n} more`).join(", ");
    return `❌ **Gate failed**: ${
      failing.length
        ? `${failing.length} of ${total} legs failed (${
          names(failing.map((l) => l.name))
        })${reported}`
        : merged.missing.length
        ? `${merged.missing.length} of ${total} legs failed before reporting (${
          names(merged.missing)
        })`
        : merged.problems.length
        ? md(merged.problems[0]!, 300)
        : "the legs disagree"
    }.`;
  }
  if (merged.verdict === "pending") {
    const waiting = merged.legs.filter((leg) => leg.verdict === "pending").map((leg) =>
      legName(leg.name)
    );
    return `⏳ **Waiting for training**: ${waiting.length} of ${total} legs have no finished ` +
      `run yet (${
        listed(waiting, MAX_LISTED, (n) => `and ${n} more`).join(", ")
      }); no verdict yet, and nothing has failed${reported}.`;
  }
  if (merged.verdict === "inconclusive") {
    return `⚠️ **Gate inconclusive**: ${
      merged.legs.filter((leg) => leg.verdict === "inconclusive").length
    } of ${total} legs could not tell${reported}.`;
  }
  return `✅ **Gate passed** on ${total} leg${total === 1 ? "" : "s"}${reported}.`;
}

const MARK = {
  passed: "✅ passed",
  failed: "❌ failed",
  inconclusive: "⚠️ inconclusive",
  pending: "⏳ waiting for training",
  none: "— no gate",
};

function legRow(leg: LegSummary): string {
  const { counts } = leg.report;
  const worst = leg.failing[0];
  const worstText = worst
    ? `${md(worst.rule, 80)}${worst.group ? ` (${md(worst.group, 40)})` : ""}: ${
      typeof worst.worse === "number"
        ? `${worst.worse < 0 ? "better" : "worse"} by ${formatNumber(Math.abs(worst.worse))}`
        : md(worst.status)
    }`
    : leg.report.gate.complete?.passed === false
    ? md(leg.report.gate.complete.message, 120)
    : "—";
  return `| ${legName(leg.name)} | ${counts.finished}/${counts.candidates} | ${
    leg.passed || leg.verdict !== "inconclusive" ? MARK[leg.verdict] : "❌ inconclusive (blocks)"
  } | ${worstText} |`;
}

/** One leg's section: its counts, its gate's failing rules, its metrics. */
function legSection(leg: LegSummary): string[] {
  const { report } = leg;
  const states = stateList({ ...report.counts, stalled: report.counts.stalled ?? 0 });
  const lines = [
    `<details${leg.passed ? "" : " open"}><summary>${MARK[leg.verdict].split(" ")[0]} ${
      legName(leg.name)
    } · ${md(report.project, 80)}</summary>`,
    "",
    `Candidates: ${report.counts.candidates}${states.length ? ` (${states.join(", ")})` : ""} · ` +
    `baselines: ${report.counts.baselines} · complete: ${report.complete ? "yes" : "no"}`,
    "",
  ];
  if (leg.failing.length) {
    lines.push("| rule | run | value | reference | verdict |", "|---|---|---:|---:|---|");
    for (const v of leg.failing.slice(0, 10)) {
      lines.push(
        `| ${md(v.rule, 80)} | ${md([v.group, v.run].filter(Boolean).join(" · ") || "—", 60)} | ${
          num(v.value)
        } | ${num(v.reference)} | ❌ ${md(v.message, 200)} |`,
      );
    }
    if (leg.failing.length > 10) lines.push(`| … ${leg.failing.length - 10} more | | | | |`);
    lines.push("");
  }
  if (report.comparisons.length) {
    lines.push("| metric | candidates | baselines | reference |", "|---|---:|---:|---|");
    for (const c of report.comparisons.slice(0, 20)) {
      lines.push(
        `| ${md(c.metric, 60)} | ${side(c.stats.candidates)} | ${side(c.stats.baselines)} | ${
          md(c.reference.kind)
        } |`,
      );
    }
    lines.push("");
  }
  lines.push("</details>", "");
  return lines;
}

function side(s: { n: number; mean?: unknown; sd?: unknown }): string {
  if (typeof s.mean !== "number") return `— (n=${s.n})`;
  return `${
    typeof s.sd === "number" ? formatMeanSd(s.mean, s.sd) : formatNumber(s.mean)
  } (n=${s.n})`;
}

/**
 * The merged report's commit status: `failure` unless the gate passed, and a
 * description of at most 140 characters naming the failing legs.
 *
 * @example
 * ```ts ignore
 * import { mergedStatus } from "./render.ts";
 * const { state, description } = mergedStatus(merged);
 * ```
 */
export function mergedStatus(
  merged: MergedReport,
): { state: "success" | "failure" | "pending"; description: string } {
  const total = legCount(merged);
  if (merged.verdict === "pending") {
    const waiting = merged.legs.filter((leg) => leg.verdict === "pending").map((leg) => leg.name);
    return {
      state: "pending",
      description: cut(`waiting for training: ${waiting.join(", ")} (${total} legs)`, 140),
    };
  }
  const failing = [
    ...merged.missing,
    ...merged.refused.map((r) => r.name),
    ...merged.legs.filter((l) => !l.passed).map((l) => l.name),
  ];
  // The legs the word is about: the failing ones, or the ones that could not tell.
  const named = merged.verdict === "inconclusive" && failing.length === 0
    ? merged.legs.filter((l) => l.verdict === "inconclusive").map((l) => l.name)
    : failing;
  const legs = `${total} leg${total === 1 ? "" : "s"}`;
  const text = merged.verdict === "passed"
    ? `gate passed on ${legs}`
    : `gate ${merged.verdict}: ${named.length ? named.join(", ") : "the legs disagree"} (${legs})`;
  return { state: merged.passed ? "success" : "failure", description: cut(text, 140) };
}

/** The merged report as a JSON document (`--json`). */
export function mergedJson(merged: MergedReport): Record<string, unknown> {
  return {
    version: 1,
    merged: true,
    sha: merged.sha,
    verdict: merged.verdict,
    passed: merged.passed,
    complete: merged.complete,
    problems: merged.problems,
    missing: merged.missing,
    refused: merged.refused,
    notes: merged.notes,
    outputs: merged.outputs,
    legs: merged.legs.map((leg) => ({
      name: leg.name,
      file: leg.file,
      project: leg.report.project,
      verdict: leg.verdict,
      passed: leg.passed,
      counts: leg.report.counts,
      failing: leg.failing,
    })),
  };
}
