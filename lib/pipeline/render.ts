/**
 * Rendering a report in every format: the CSV, the markdown (the PR comment
 * and the job summary), the JSON document, the terminal summary, and the
 * step outputs with the gate's verdict and the commit status.
 *
 * @module
 */
import { verdictWord } from "../gate/mod.ts";
import { reportMarker } from "../ground/marker.ts";
import { pyBool } from "../ground/model.ts";
import { renderCsv } from "../report/csv.ts";
import { jsonText, reportJson } from "../report/json.ts";
import { renderMarkdown } from "../report/markdown.ts";
import { statusText, summaryText } from "../report/summary.ts";
import { baselineWords, headNotice } from "./notes.ts";
import type {
  Judgement,
  RenderContext,
  RenderedReport,
  RenderOptions,
  ReportResult,
} from "./types.ts";

/** The baseline commit a search found, also from the candidates' first parent. */
function searchedOptions(options: RenderOptions, result: ReportResult): RenderOptions {
  return { ...options, baselineSha: options.baselineSha ?? result.baselineCommit?.requested };
}

/** The markdown report (the PR comment and the job summary). */
function markdownOf(
  result: ReportResult,
  judgement: Judgement,
  options: RenderOptions,
  context: RenderContext & { marker: string; baselineFrom?: string },
): string {
  return renderMarkdown({
    project: `${result.entity}/${result.project}`,
    appUrl: result.appUrl,
    entity: result.entity,
    projectName: result.project,
    sha: result.sha,
    candidates: result.candidates,
    baselines: result.baselines,
    classification: result.classification,
    comparisons: judgement.comparisons,
    groups: judgement.groups,
    trend: result.trend,
    gate: judgement.gate,
    configVars: options.configVars,
    chart: options.chart,
    marker: context.marker,
    baselineFrom: context.baselineFrom,
    notices: headNotice(options, result.sha),
    redact: context.redactor && ((text) => context.redactor!.redact(text)),
  });
}

/** The JSON document (`--format json`, a matrix leg). */
function jsonOf(
  result: ReportResult,
  judgement: Judgement,
  options: RenderOptions,
  context: RenderContext,
): string {
  return jsonText(reportJson({
    entity: result.entity,
    project: result.project,
    reportKey: options.reportKey,
    appUrl: result.appUrl,
    match: options.match,
    sha: result.sha,
    candidates: result.candidates,
    baselines: result.baselines,
    classification: result.classification,
    outputs: result.outputs,
    baselineSource: baselineWords(searchedOptions(options, result), result.baselineCommit),
    baselineCommit: result.baselineCommit,
    trend: result.trend,
    csvPath: context.csvPath,
    metrics: options.metrics,
    configVars: options.configVars,
    comparisons: judgement.comparisons,
    groups: judgement.groups,
    gate: judgement.gate,
    notes: [...options.notes, ...result.notes, ...judgement.notes],
  }));
}

/**
 * Renders a report in every format: CSV, markdown, JSON and the terminal
 * summary, plus the step outputs.
 *
 * @example
 * ```ts ignore
 * import { collectReport, judgeReport, renderReport } from "../../mod.ts";
 * const result = await collectReport(options);
 * const rendered = renderReport(result, judgeReport(result, options), options, {
 *   csvPath: "wandb_report.csv",
 * });
 * await Deno.writeTextFile("wandb_report.csv", rendered.csv);
 * ```
 */
export function renderReport(
  result: ReportResult,
  judgement: Judgement,
  options: RenderOptions,
  context: RenderContext,
): RenderedReport {
  const { gate } = judgement;
  // Said where it matters: baselines from a commit are not the usual tagged ones.
  const searched = searchedOptions(options, result);
  const baselineFrom = searched.baselineSha
    ? baselineWords(searched, result.baselineCommit)
    : undefined;
  const marker = reportMarker({ ...result, reportKey: options.reportKey }, context.workflow);
  const csv = renderCsv(result.candidates, result.baselines, {
    appUrl: result.appUrl,
    entity: result.entity,
    project: result.project,
    metrics: options.metrics,
    configVars: options.configVars,
  });
  // The markdown and the JSON document are rendered when first read: a run
  // that prints neither (a plain CI step) does not pay for them.
  let markdown: string | undefined;
  let json: string | undefined;
  const status = statusText(result.classification, gate);
  return {
    outputs: {
      ...result.outputs,
      GATE_PASSED: pyBool(gate.passed),
      GATE_VERDICT: verdictWord(gate),
      STATUS_STATE: status.state,
      STATUS_DESCRIPTION: status.description,
    },
    csv: csv.text,
    rows: csv.rows,
    marker,
    get markdown() {
      return markdown ??= markdownOf(result, judgement, options, {
        ...context,
        marker,
        baselineFrom,
      });
    },
    get json() {
      return json ??= jsonOf(result, judgement, options, context);
    },
    summary: summaryText({
      project: `${result.entity}/${result.project}`,
      sha: result.sha,
      classification: result.classification,
      csv: { path: context.csvPath, rows: csv.rows },
      traffic: result.traffic,
      gate,
      baselineFrom,
    }),
  };
}
