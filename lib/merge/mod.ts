/**
 * One report, one check and one verdict for a matrix of legs: read the legs'
 * JSON reports ({@link readLegs}), merge them ({@link mergeReports}), render
 * the result ({@link renderMerged}, {@link mergedStatus}, {@link mergedJson}).
 *
 * @module
 */
export { legArtifactName, legCount, mergeReports } from "./merge.ts";
export type { LegSummary, MergedReport, MergeOptions } from "./merge.ts";
export {
  type Leg,
  type LegReport,
  LegReportSchema,
  type ReadLegs,
  readLegs,
  type ReadLegsOptions,
} from "./read.ts";
export {
  MAX_COMMENT_BYTES,
  MAX_SUMMARY_BYTES,
  mergedJson,
  type MergedRenderOptions,
  mergedStatus,
  renderMerged,
} from "./render.ts";
