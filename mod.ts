/**
 * wandb-report: find the Weights & Biases runs logged for a commit, compare
 * them with baselines, gate on regressions, and render the result for CI
 * (`wandb_report.csv`, step outputs, a markdown report, JSON).
 *
 * The library is the report's pipeline, one step a function:
 * {@link resolveInputs} → {@link collectReport} (fetch, classify) →
 * {@link judgeReport} (compare once, gate) → {@link renderReport} (every
 * format), or all at once with {@link runReport}.
 *
 * ```ts ignore
 * import { resolveInputs, runReport } from "@org/wandb-report";
 * const run = resolveInputs(["--project", "acme/vision", "--sha", "abc1234"], Deno.env.toObject());
 * if (run.kind === "report") {
 *   const { result, judgement, rendered } = await runReport(run.options, { csvPath: "r.csv" });
 *   console.log(result.outputs.BOOL_COMPLETE, judgement.gate.passed);
 *   await Deno.writeTextFile("r.csv", rendered.csv);
 * }
 * ```
 *
 * As a command: `deno run --allow-net --allow-env --allow-read --allow-write
 * jsr:@org/wandb-report --project acme/vision --sha abc1234` (see `--help`).
 * The W&B emulator is at `@org/wandb-report/emulator`, the GitHub chatops
 * step and the sticky comment at `@org/wandb-report/chatops`.
 *
 * @module
 */
export { helpText, resolveInputs } from "./lib/inputs/report.ts";
export type { Invocation, ReportCliOptions } from "./lib/inputs/report.ts";
export { parseList } from "./lib/inputs/lists.ts";
export { parseGateRule, parseReference } from "./lib/inputs/rules.ts";
export type {
  CommentMode,
  Direction,
  GateRule,
  Match,
  Reference,
  Run,
} from "./lib/ground/model.ts";
export {
  collectReport,
  judgeReport,
  renderReport,
  runReport,
  waitForCandidates,
} from "./lib/pipeline/mod.ts";
export type {
  CollectDeps,
  CollectOptions,
  CollectSettings,
  Defaulted,
  GroupJudgement,
  Judgement,
  JudgeOptions,
  RenderContext,
  RenderedReport,
  RenderOptions,
  Report,
  ReportOptions,
  ReportResult,
  WaitOptions,
  WaitPoll,
} from "./lib/pipeline/mod.ts";
export { classify } from "./lib/classify.ts";
export type { Classification, Counts, StaleRule, StalledRun, StateBucket } from "./lib/classify.ts";
export { compareRuns } from "./lib/compare.ts";
export type {
  CandidateDelta,
  CompareOptions,
  MetricComparison,
  MetricValue,
  RunValue,
} from "./lib/compare.ts";
export { evaluateGate } from "./lib/gate/mod.ts";
export type {
  GateOptions,
  GateResult,
  GateVerdict,
  GateVerdictWord,
  TestResult,
  VerdictStatus,
} from "./lib/gate/mod.ts";
export type { Noise, PooledNoise } from "./lib/ground/inference.ts";
export type { GroupBy, Summary } from "./lib/ground/stats.ts";
export type { BaselineCommit, TrendPoint } from "./lib/history/baseline.ts";
export type { HistoryPlaces } from "./lib/history/read.ts";
export type { Chain, Commit, HistorySource } from "./lib/history/source.ts";
export type { RetryDeps } from "./lib/ground/retry.ts";
export { renderMarkdown } from "./lib/report/markdown.ts";
export type { GroupView, ReportView } from "./lib/report/view.ts";
export type { MarkdownInput } from "./lib/report/markdown.ts";
export { Redactor } from "./lib/ground/redact.ts";
export {
  ApiError,
  AuthError,
  ExitCode,
  exitCodeFor,
  InvalidInputError,
  NotFoundError,
  QueryError,
  RateLimitError,
  ServerError,
  TimeoutError,
  WandbReportError,
} from "./lib/ground/errors.ts";

if (import.meta.main) {
  // The CLI (and what only it needs) loads only when run as a command.
  const { processIo, runReportCli } = await import("./lib/cli/mod.ts");
  Deno.exit(await runReportCli(Deno.args, processIo(), "wandb-report"));
}
