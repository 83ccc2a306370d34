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
 * The types of the data passed between the steps (a classification, a gate
 * verdict, a baseline commit, …) are at `@org/wandb-report/types`, the W&B
 * emulator at `@org/wandb-report/emulator`, the GitHub chatops step and the
 * sticky comment at `@org/wandb-report/chatops`.
 *
 * @module
 */
export { helpText, resolveInputs } from "./lib/inputs/report.ts";
export type { Invocation, ReportCliOptions } from "./lib/inputs/report.ts";
export { parseList } from "./lib/inputs/lists.ts";
export { parseGateRule, parseReference } from "./lib/inputs/rules.ts";
export type { Run } from "./lib/ground/model.ts";
export {
  collectReport,
  judgeReport,
  renderReport,
  runReport,
  waitForCandidates,
} from "./lib/pipeline/mod.ts";
export type {
  CollectOptions,
  Judgement,
  JudgeOptions,
  RenderContext,
  RenderedReport,
  RenderOptions,
  ReportOptions,
  ReportResult,
  WaitOptions,
} from "./lib/pipeline/mod.ts";
export { classify } from "./lib/classify.ts";
export { compareRuns } from "./lib/compare.ts";
export { evaluateGate } from "./lib/gate/mod.ts";
export { renderMarkdown } from "./lib/report/markdown.ts";
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
