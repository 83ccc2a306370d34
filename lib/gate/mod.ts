/**
 * The regression gate: rules per metric (direction, tolerances, reference,
 * what a missing value means) and the verdict on each finished candidate, or
 * on the candidates' mean.
 *
 * Rule syntax, one rule per `--gate` (or per list item of `INPUT_GATE`):
 * `METRIC:max|min[:abs=X][:rel=Y%][:ref=best|mean|run=ID][:missing=fail|pass]`
 * `[:of=each|mean][:noise=K][:alpha=P][:mde=D][:min-runs=N]`,
 * e.g. `val_acc:max:abs=0.01` or `val_loss:min:alpha=0.05:rel=1%`. Without
 * `alpha=`, a candidate fails when it is worse than the reference by more
 * than the tolerance (with both `abs` and `rel`, the larger allowance); a
 * value exactly at the tolerance passes. With `alpha=P`, the candidates'
 * mean is tested against the baselines' mean (one-sided t), every `alpha`
 * rule of one report (or group) forms one family under Holm's step-down, and
 * a rule fails only when significant *and* beyond the tolerance; when it is
 * neither significant nor powerful enough to find `mde=` (or the tolerance),
 * it is `inconclusive`.
 *
 * @module
 */
export {
  evaluateGate,
  overall,
  ruleReference,
  settleAlphaFamily,
  verdictWord,
  waitingFor,
} from "./evaluate.ts";
export type { GateRule } from "../ground/model.ts";
export * from "./types.ts";
