/**
 * The data the report's pipeline passes between its steps, as types: a run
 * and how it was matched, the classification, the comparison, the gate's
 * verdicts, the baselines found in history and the report's views. The
 * pipeline's own options and results (`ReportOptions`, `ReportResult`,
 * `Judgement`, …) are exported beside its functions by `@org/wandb-report`;
 * these are what they are made of, for code that reads a report's parts or
 * builds one (a fake history for a test, a renderer of one's own).
 *
 * ```ts ignore
 * import type { GateVerdict } from "@org/wandb-report/types";
 * const failing = (verdicts: GateVerdict[]) => verdicts.filter((v) => v.status === "fail");
 * ```
 *
 * @module
 */
export type { CommentMode, Direction, GateRule, Match, Reference } from "./lib/ground/model.ts";
export type {
  CollectDeps,
  CollectSettings,
  Defaulted,
  GroupJudgement,
  Report,
  WaitPoll,
} from "./lib/pipeline/mod.ts";
export type { Classification, Counts, StaleRule, StalledRun, StateBucket } from "./lib/classify.ts";
export type {
  CandidateDelta,
  CompareOptions,
  MetricComparison,
  MetricValue,
  RunValue,
} from "./lib/compare.ts";
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
export type { GroupView, ReportView } from "./lib/report/view.ts";
export type { MarkdownInput } from "./lib/report/markdown.ts";
