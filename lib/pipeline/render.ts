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
import type { ReportView } from "../report/view.ts";
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

/**
 * The report as every renderer reads it, built once: what was fetched
 * (`result`) and how it was judged (`judgement`).
 *
 * @example
 * ```ts ignore
 * import { reportView } from "./render.ts";
 * const view = reportView(result, judgement);
 * console.log(view.comparisons.length, view.gate.passed);
 * ```
 */
export function reportView(result: ReportResult, judgement: Judgement): ReportView {
  return {
    entity: result.entity,
    project: result.project,
    appUrl: result.appUrl,
    sha: result.sha,
    candidates: result.candidates,
    baselines: result.baselines,
    classification: result.classification,
    comparisons: judgement.comparisons,
    groups: judgement.groups,
    trend: result.trend,
    gate: judgement.gate,
  };
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
  const view = reportView(result, judgement);
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
    view,
    get markdown() {
      return markdown ??= renderMarkdown({
        ...view,
        configVars: options.configVars,
        chart: options.chart,
        marker,
        baselineFrom,
        notices: headNotice(options, result.sha),
        redact: context.redactor && ((text) => context.redactor!.redact(text)),
      });
    },
    get json() {
      return json ??= jsonText(reportJson({
        ...view,
        reportKey: options.reportKey,
        match: options.match,
        outputs: result.outputs,
        baselineSource: baselineWords(searched, result.baselineCommit),
        baselineCommit: result.baselineCommit,
        csvPath: context.csvPath,
        metrics: options.metrics,
        configVars: options.configVars,
        notes: [...options.notes, ...result.notes, ...judgement.notes],
      }));
    },
    summary: summaryText({
      ...view,
      csv: { path: context.csvPath, rows: csv.rows },
      traffic: result.traffic,
      baselineFrom,
    }),
  };
}
