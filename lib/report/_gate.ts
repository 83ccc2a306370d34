/**
 * The report's gate section: the verdict in one line, the table of every
 * rule's verdicts (failing and worst first), and what a report too long for
 * a comment keeps of it.
 *
 * @module
 */
import { verdictWord } from "../gate/mod.ts";
import { formatNumber as fmt } from "../ground/numbers.ts";
import { type MarkdownInput, shown } from "./_markdown.ts";

/** The gate's verdict in one line: passed, failed (how many problems), or inconclusive. */
export function gateHeadline(input: MarkdownInput): string {
  const { gate } = input;
  if (gate.verdict === "pending") return pendingHeadline(gate.waiting);
  const failures = gate.verdicts.filter((v) => v.failed && v.status !== "inconclusive");
  const unsure = gate.verdicts.filter((v) => v.status === "inconclusive");
  const problems = failures.length + (gate.complete?.passed === false ? 1 : 0);
  const rules = (n: number) => `${n} rule${n === 1 ? "" : "s"}`;
  return verdictWord(gate) === "failed"
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
 * The first words of a report on a commit that waits for training: no
 * verdict yet, and nothing failed.
 */
export function pendingHeadline(waiting: string | undefined): string {
  const what = (waiting ?? "waiting for training").replace(/^waiting for training: /, "");
  return `⏳ **Waiting for training** (${what}): no verdict yet, and nothing has failed. ` +
    "The check stays pending until a finished run is reported on (a scheduled sweep, " +
    "`/get-runs`, or the end of training).";
}

/**
 * What a report too long for a comment keeps of the gate: the verdict, the
 * completeness problem, and the first `keep` failing verdicts, worst first,
 * one line each; the rest counted.
 */
export function gateEssentials(input: MarkdownInput, keep: number): string[] {
  const { gate } = input;
  // A pending report's first lines say it (the head): no gate to keep.
  if (!gate.enabled || gate.verdict === "pending") return [];
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
export function worstFirst<T extends { failed: boolean; worse?: number; allowed?: number }>(
  verdicts: readonly T[],
): T[] {
  return [...verdicts].sort((a, b) =>
    Number(b.failed) - Number(a.failed) ||
    ((b.worse ?? 0) - (b.allowed ?? 0)) - ((a.worse ?? 0) - (a.allowed ?? 0))
  );
}

export function gateSection(input: MarkdownInput, limit = Infinity): string[] {
  const { gate } = input;
  if (!gate.enabled || gate.verdict === "pending") return [];
  const unsure = gate.verdicts.filter((v) => v.status === "inconclusive");
  // The failures first, worst first and each once; then what could not tell; then how.
  const failures = [
    ...new Set(
      worstFirst(gate.verdicts).filter((v) => v.failed && v.status !== "inconclusive")
        .map((v) => v.message),
    ),
  ];
  const headline = gateHeadline(input);
  const lines = [headline, ""];
  for (const message of failures.slice(0, Math.min(limit, 20))) {
    lines.push(`- ❌ ${shown(input, message)}`);
  }
  for (const message of [...new Set(unsure.map((v) => v.message))].slice(0, Math.min(limit, 20))) {
    lines.push(`- ⚠️ ${shown(input, message)}`);
  }
  // How the noise was known (σ pooled from history, Welch), said once per rule.
  for (const text of [...new Set(gate.notes ?? [])].slice(0, Math.min(limit, 20))) {
    lines.push(`- _${shown(input, text)}_`);
  }
  if (failures.length || unsure.length || gate.notes?.length) lines.push("");
  if (gate.complete && !gate.complete.passed) {
    lines.push(`- ${shown(input, gate.complete.message)}`);
  }
  lines.push(...gateTable(input, limit));
  lines.push("");
  return lines;
}

/** The gate's table: one row per verdict, failing and worst first, at most `limit` rows. */
export function gateTable(input: MarkdownInput, limit = Infinity): string[] {
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
