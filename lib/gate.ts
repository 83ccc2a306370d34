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
import type { Classification } from "./classify.ts";
import { compareRuns, type MetricComparison } from "./compare.ts";
import {
  holm,
  type Noise,
  type PooledNoise,
  power,
  pWorse,
  seedsForPower,
  welchDf,
} from "./inference.ts";
import type { GateRule, Reference, Run as WandbRun } from "./model.ts";
import { floatSlack, formatNumber as fmt } from "./numbers.ts";
import type { Summary } from "./stats.ts";

export type { GateRule } from "./model.ts";

/** A rule's verdict: passed, failed, could not be checked, or could not tell. */
export type VerdictStatus = "pass" | "fail" | "missing" | "inconclusive";

/** The gate's verdict on a whole report. */
export type GateVerdictWord = "passed" | "failed" | "inconclusive";

/** What an `alpha=` rule's test found. */
export interface TestResult {
  /** The one-sided p-value of "worse". */
  p: number;
  /** The level it faced at its place in Holm's order. */
  level: number;
  /** The family's α, and how many tests it holds. */
  alpha: number;
  /** Tests in the family. */
  family: number;
  /** Whether the regression is significant. */
  significant: boolean;
  /** The power to find the rule's minimum effect, when it has one. */
  power?: number;
  /** That effect (`mde=`, else the `abs`/`rel` tolerance). */
  effect?: number;
  /** Seeds per side that would reach 80 % power for that effect. */
  seedsNeeded?: number;
}

/** One rule's verdict on one candidate, on the candidates' mean, or on none. */
export interface GateVerdict {
  /** The rule. */
  rule: GateRule;
  /** The group of candidates judged (`--group-by`), when there are groups. */
  group?: string;
  /** The candidate run's id (`of=each`); absent for a mean or when none finished. */
  runId?: string;
  /** The candidate's display name, or `mean of N` for `of=mean`. */
  runName?: string;
  /** Passed, failed, could not be checked, or could not tell (`alpha=`). */
  status: VerdictStatus;
  /** Whether this verdict fails the gate. */
  failed: boolean;
  /** How much worse than the reference (negative when better). */
  worse?: number;
  /** The tolerance allowed. */
  allowed?: number;
  /** The reference value. */
  reference?: number;
  /** Which reference: `best`, `mean` or `run`. */
  referenceKind?: Reference["kind"];
  /** The candidate's value (or the candidates' mean). */
  value?: number;
  /** The finished candidates with a numeric value (`of=mean`). */
  n?: number;
  /** The standard error of the difference of the means (`noise=`, `alpha=`), when known. */
  se?: number;
  /** Where that noise was learned (`history`, `welch`, `one-side`), and its degrees of freedom. */
  noise?: Pick<Noise, "source" | "df" | "sd">;
  /** The test of an `alpha=` rule. */
  test?: TestResult;
  /** Finished candidates whose value is no number (NaN, ±∞, missing): diverged seeds. */
  diverged?: string[];
  /** Why, in words: "worse by 0.012, within 2 × 0.008 of noise: pass". */
  reason: string;
  /** One line for people. */
  message: string;
}

/** The gate's overall result. */
export interface GateResult {
  /** Whether any rule or requirement was set. */
  enabled: boolean;
  /** True unless a verdict or the completeness requirement failed (an inconclusive one with `--on-inconclusive fail` too). */
  passed: boolean;
  /** `passed`, `failed`, or `inconclusive` (nothing failed, but a rule could not tell). */
  verdict?: GateVerdictWord;
  /** Every rule's verdict on every finished candidate (or on their mean). */
  verdicts: GateVerdict[];
  /** The `--require-complete` verdict, when asked for. */
  complete?: { passed: boolean; message: string };
  /** What the user should know about how rules were judged (noise unknown, a reference not used). */
  notes?: string[];
}

/** Options of {@link evaluateGate}. */
export interface GateOptions {
  /** The rules. */
  rules: readonly GateRule[];
  /** Fail unless a candidate finished and none is still running or pending. */
  requireComplete: boolean;
  /** The report's default reference, for rules without `ref=`. */
  reference: Reference;
  /**
   * The report's comparisons, computed once: a rule uses the one for its
   * metric when it was made with the rule's direction and reference, and
   * compares anew only when the report's differ (a `--direction` against the
   * rule's, say).
   */
  comparisons?: readonly MetricComparison[];
  /** The group these candidates are (`--group-by`), stamped on each verdict. */
  group?: string;
  /** Seed noise per metric pooled from the base branch's history (`--noise-history`). */
  history?: Readonly<Record<string, PooledNoise>>;
  /** What an inconclusive rule counts as. Default `pass`. */
  onInconclusive?: "pass" | "fail";
}

/** Commits of history σ needs before it replaces the two sides' own spreads. */
export const MIN_HISTORY_COMMITS = 5;

/** The power below which a rule that found nothing is inconclusive. */
export const TARGET_POWER = 0.8;

/**
 * The reference a rule judges against: its own `ref=`; the mean for
 * `noise=` and `alpha=` (a mean is judged against a mean); else the report's.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { ruleReference } from "./gate.ts";
 * import { parseGateRule } from "./inputs/rules.ts";
 * const rule = parseGateRule("acc:max:alpha=0.05", "--gate");
 * assertEquals(ruleReference(rule, { kind: "best" }), { kind: "mean" });
 * ```
 */
export function ruleReference(rule: GateRule, fallback: Reference): Reference {
  if (rule.reference) return rule.reference;
  return rule.noise !== undefined || rule.alpha !== undefined ? { kind: "mean" } : fallback;
}

/** Whether a comparison was made the way `rule` needs it. */
function madeFor(comparison: MetricComparison, rule: GateRule, reference: Reference): boolean {
  const spec = comparison.reference.spec;
  return comparison.metric === rule.metric && comparison.direction === rule.direction &&
    spec.kind === reference.kind &&
    (spec.kind !== "run" || (reference.kind === "run" && spec.runId === reference.runId));
}

/**
 * Checks every finished candidate against every rule.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { classify } from "./classify.ts";
 * import { evaluateGate } from "./gate.ts";
 * import { parseGateRule } from "./inputs/rules.ts";
 * const run = (name: string, acc: number) => ({
 *   name, state: "finished", tags: [], config: {}, summary: { acc },
 * });
 * const candidates = [run("c1", 0.89)];
 * const baselines = [run("b1", 0.9)];
 * const gate = evaluateGate(candidates, baselines, classify(candidates, baselines), {
 *   rules: [parseGateRule("acc:max:abs=0.01", "--gate")],
 *   requireComplete: false,
 *   reference: { kind: "best" },
 * });
 * assertEquals(gate.passed, true); // exactly at the tolerance
 * ```
 */
export function evaluateGate(
  candidates: readonly WandbRun[],
  baselines: readonly WandbRun[],
  classification: Classification,
  options: GateOptions,
): GateResult {
  const verdicts: GateVerdict[] = [];
  const notes: string[] = [];
  for (const rule of options.rules) {
    const wanted = ruleReference(rule, options.reference);
    // The rule's own direction and reference: never comparisons made for
    // another (--direction m=min must not judge a rule m:max).
    const comparison = options.comparisons?.find((c) => madeFor(c, rule, wanted)) ??
      compareRuns(candidates, baselines, {
        metrics: [rule.metric],
        directions: { [rule.metric]: rule.direction },
        reference: wanted,
      })[0]!;
    if (comparison.reference.note) notes.push(comparison.reference.note);
    const history = options.history && Object.hasOwn(options.history, rule.metric)
      ? options.history[rule.metric]
      : undefined;
    const judged = judgeRule(rule, comparison, wanted, options.group, history, notes);
    verdicts.push(
      ...judged.map((v) => (options.group === undefined ? v : { ...v, group: options.group })),
    );
  }
  const onInconclusive = options.onInconclusive ?? "pass";
  settleFamily(verdicts, onInconclusive, notes);
  const complete = options.requireComplete ? completeness(classification) : undefined;
  return {
    ...overall(verdicts, complete, onInconclusive),
    enabled: options.rules.length > 0 || options.requireComplete,
    verdicts,
    complete,
    notes: [...new Set(notes)],
  };
}

/**
 * The gate's word on a set of verdicts: `failed` when one failed (or the
 * completeness requirement did), else `inconclusive` when one could not
 * tell, else `passed`; and whether the gate passes, given what an
 * inconclusive rule counts as.
 *
 * @example
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert";
 * import { overall } from "./gate.ts";
 * assertEquals(overall([], undefined, "pass"), { verdict: "passed", passed: true });
 * ```
 */
export function overall(
  verdicts: readonly Pick<GateVerdict, "status" | "failed">[],
  complete: { passed: boolean } | undefined,
  onInconclusive: "pass" | "fail",
): { verdict: GateVerdictWord; passed: boolean } {
  const failed = complete?.passed === false ||
    verdicts.some((v) => v.failed && v.status !== "inconclusive");
  if (failed) return { verdict: "failed", passed: false };
  if (verdicts.some((v) => v.status === "inconclusive")) {
    return { verdict: "inconclusive", passed: onInconclusive === "pass" };
  }
  return { verdict: "passed", passed: true };
}

/** The `--require-complete` verdict. */
function completeness(classification: Classification): { passed: boolean; message: string } {
  const { counts } = classification;
  const alive = counts.running + counts.pending;
  return counts.finished === 0
    ? { passed: false, message: "no candidate run has finished (--require-complete)" }
    : alive > 0
    ? {
      passed: false,
      message: `${alive} candidate run${
        alive === 1 ? " is" : "s are"
      } still running or pending (--require-complete)`,
    }
    : counts.stalled > 0
    ? {
      passed: false,
      message: `${counts.stalled} candidate run${
        counts.stalled === 1 ? " has" : "s have"
      } stalled: running, without a heartbeat (--require-complete)`,
    }
    : { passed: true, message: "every candidate run has ended, and at least one finished" };
}

/** Where the reference came from, in words: "best baseline b1", "mean of the baselines". */
function referenceName(comparison: MetricComparison, wanted: Reference): string {
  const { runId, spec } = comparison.reference;
  if (runId) return `${spec.kind === "run" ? "baseline" : "best baseline"} ${runId}`;
  return `${wanted.kind} of the finished baselines`;
}

/**
 * The noise of the difference of the two means: σ pooled from the base
 * branch's history when it has enough commits, else each side's own spread
 * (Welch), else the one side with a spread; `undefined` when neither side
 * has two values.
 */
function noiseOf(c: Summary, b: Summary, history: PooledNoise | undefined): Noise | undefined {
  if (history && history.commits >= MIN_HISTORY_COMMITS) {
    return {
      se: history.sd * Math.sqrt(1 / c.n + 1 / b.n),
      df: history.df,
      sd: history.sd,
      source: "history",
    };
  }
  if (c.sd !== undefined && b.sd !== undefined) {
    const se = Math.sqrt((c.sd * c.sd) / c.n + (b.sd * b.sd) / b.n);
    const df = welchDf({ n: c.n, sd: c.sd }, { n: b.n, sd: b.sd });
    return { se, df, sd: Math.sqrt((c.sd * c.sd + b.sd * b.sd) / 2), source: "welch" };
  }
  const one = c.sd !== undefined ? c : b.sd !== undefined ? b : undefined;
  if (!one || c.n === 0 || b.n === 0) return undefined;
  return {
    se: one.sd! * Math.sqrt(1 / c.n + 1 / b.n),
    df: one.n - 1,
    sd: one.sd!,
    source: "one-side",
  };
}

/** The noise's origin in words: "σ 0.0031 pooled from 24 commits of main (72 runs)". */
function noiseWords(noise: Noise, history: PooledNoise | undefined): string {
  return noise.source === "history" && history
    ? `σ ${
      fmt(noise.sd)
    } pooled from ${history.commits} commits of the base branch (${history.runs} runs)`
    : noise.source === "welch"
    ? `σ from each side's own seeds (Welch, ${fmt(noise.df)} df)`
    : `σ ${fmt(noise.sd)} from one side's seeds only (${fmt(noise.df)} df)`;
}

/** One rule's verdicts on one comparison: per finished candidate, or one on their mean. */
function judgeRule(
  rule: GateRule,
  comparison: MetricComparison,
  wanted: Reference,
  group: string | undefined,
  history: PooledNoise | undefined,
  notes: string[],
): GateVerdict[] {
  const where = group === undefined ? "" : ` (group ${group})`;
  const missing = (message: string, run?: WandbRun): GateVerdict => ({
    rule,
    runId: run?.name,
    runName: run?.displayName ?? run?.name,
    status: "missing",
    failed: rule.missing === "fail",
    reason: rule.missing === "fail" ? "missing: fails" : "missing: ignored",
    message: `${message}${where}${
      rule.missing === "fail" ? " (fails: missing=fail)" : " (ignored: missing=pass)"
    }`,
  });
  // Seeds whose value is NaN, ±∞, text or absent: a diverged seed is a missing value.
  const diverged = comparison.candidates.filter((c) => c.value.kind !== "number");
  const divergedNames = diverged.map((c) =>
    `${c.run.displayName ?? c.run.name} (${
      c.value.kind === "infinite" ? (c.value.value > 0 ? "+∞" : "−∞") : c.value.kind
    })`
  );
  const numeric = comparison.stats.candidates.n;
  if (rule.minRuns !== undefined && numeric < rule.minRuns) {
    const finished = comparison.candidates.length;
    return [{
      rule,
      status: "fail",
      failed: true,
      n: numeric,
      diverged: divergedNames.length ? divergedNames : undefined,
      reason: `${numeric} numeric values, fewer than min-runs=${rule.minRuns}`,
      message: `${rule.metric}${where}: ${numeric} finished candidate${
        numeric === 1 ? "" : "s"
      } with a numeric value${
        finished > numeric ? ` (of ${finished} finished)` : ""
      }, fewer than min-runs=${rule.minRuns} (${rule.text})`,
    }];
  }
  if (comparison.candidates.length === 0) {
    return [missing(`${rule.metric}: no finished candidate to check`)];
  }
  const reference = comparison.reference.value;
  const refName = referenceName(comparison, wanted);
  if (rule.of === "mean") {
    const { candidates: c, baselines: b } = comparison.stats;
    if (diverged.length > 0) {
      const list = divergedNames.join(", ");
      if (rule.missing === "fail") {
        return [{
          rule,
          status: "missing",
          failed: true,
          n: numeric,
          diverged: divergedNames,
          reason: "diverged seeds: fails",
          message:
            `${rule.metric}${where}: ${diverged.length} of ${comparison.candidates.length} ` +
            `finished candidates have no numeric value: ${list} (fails: missing=fail)`,
        }];
      }
      notes.push(
        `${rule.metric}${where}: ${list} left out of the mean (no numeric value; ${rule.text})`,
      );
    }
    if (c.n === 0 || c.mean === undefined) {
      return [missing(`${rule.metric}: no finished candidate has a numeric value`)];
    }
    if (reference === undefined) {
      return [missing(`${rule.metric}: no finished baseline value to compare the mean with`)];
    }
    const name = `mean of ${c.n}`;
    const noisy = rule.noise !== undefined || rule.alpha !== undefined;
    const noise = noisy ? noiseOf(c, b, history) : undefined;
    if (noisy && history && history.commits < MIN_HISTORY_COMMITS) {
      notes.push(
        `${rule.metric}${where}: the base branch's history has ${history.commits} commit${
          history.commits === 1 ? "" : "s"
        } with two or more finished runs (${MIN_HISTORY_COMMITS} needed to pool σ): ` +
          "each side's own seeds are used",
      );
    }
    if (noisy && noise === undefined) {
      notes.push(
        `${rule.metric}${where}: the noise is unknown with ${c.n} candidate and ${b.n} baseline ` +
          `value${b.n === 1 ? "" : "s"} (${rule.text} needs two on one side, or --noise-history)` +
          (rule.alpha === undefined ? ": the plain tolerance judges it" : ""),
      );
    }
    const verdict = judgeValue(rule, c.mean, reference, refName, { name, n: c.n, noise, where });
    if (noise) verdict.noise = { source: noise.source, df: noise.df, sd: noise.sd };
    if (noise && noisy) {
      notes.push(`${rule.metric}${where}: ${noiseWords(noise, history)}`);
    }
    return [{
      ...verdict,
      referenceKind: wanted.kind,
      diverged: divergedNames.length ? divergedNames : undefined,
    }];
  }
  return comparison.candidates.map((candidate) => {
    const name = candidate.run.displayName ?? candidate.run.name;
    if (reference === undefined) {
      return missing(`${rule.metric}: no baseline value to compare ${name} with`, candidate.run);
    }
    if (candidate.value.kind !== "number") {
      return missing(
        `${rule.metric}: ${name} has no numeric value (${candidate.value.kind})`,
        candidate.run,
      );
    }
    return {
      ...judgeValue(rule, candidate.value.value, reference, refName, { name, where }),
      referenceKind: wanted.kind,
      runId: candidate.run.name,
    };
  });
}

/**
 * One value (a run's, or the candidates' mean) against the reference: worse
 * by more than the tolerance fails; with `noise=K` it must also be worse by
 * more than K standard errors, when they are known. An `alpha=` rule gets
 * its p-value here and its verdict once the family is settled.
 */
function judgeValue(
  rule: GateRule,
  value: number,
  reference: number,
  refName: string,
  about: { name: string; where: string; n?: number; noise?: Noise },
): GateVerdict {
  const base = { rule, runName: about.name, reference, value, n: about.n, se: about.noise?.se };
  const subject = `${rule.metric}${about.where} in ${about.name}: ${fmt(value)} vs ${
    fmt(reference)
  } (${refName})`;
  if (!Number.isFinite(reference)) {
    // Never a pass on a reference that is not a number one can compare with.
    return {
      ...base,
      status: "fail",
      failed: true,
      reason: "the reference is not a finite number",
      message: `${rule.metric}: the reference (${refName}) is ${reference}, not a finite ` +
        `number: ${about.name} cannot be judged by ${rule.text} (fails)`,
    };
  }
  const worse = rule.direction === "max" ? reference - value : value - reference;
  // rel= is of the reference's size: a negative metric (a log-likelihood) has an allowance too.
  const allowed = Math.max(rule.abs ?? 0, (rule.rel ?? 0) * Math.abs(reference));
  // Float noise only: a few units in the last place, relative to the numbers compared.
  const beyond = worse - allowed > floatSlack(reference, value, allowed);
  const by = (n: number) => `${n < 0 ? "better" : "worse"} by ${fmt(Math.abs(n))}`;
  if (rule.alpha !== undefined) {
    // Settled with the family (settleFamily): here only what the test needs.
    const p = about.noise ? pWorse(worse, about.noise) : undefined;
    return {
      ...base,
      status: "inconclusive",
      failed: false,
      worse,
      allowed,
      test: p === undefined
        ? undefined
        : { p, level: rule.alpha, alpha: rule.alpha, family: 1, significant: false },
      reason: by(worse),
      message: subject,
    };
  }
  const se = about.noise?.se;
  const noise = rule.noise !== undefined && se !== undefined ? rule.noise * se : undefined;
  const failed = beyond && (noise === undefined || worse - noise > floatSlack(worse, noise));
  const reason = !beyond
    ? worse <= 0 ? by(worse) : `${by(worse)}, within the ${fmt(allowed)} allowed`
    : noise === undefined
    ? `${by(worse)}, more than the ${fmt(allowed)} allowed`
    : failed
    ? `${by(worse)}, beyond the ${fmt(allowed)} allowed and ${rule.noise} × ${fmt(se!)} of noise`
    : `${by(worse)}, within ${rule.noise} × ${fmt(se!)} of noise`;
  return {
    ...base,
    status: failed ? "fail" : "pass",
    failed,
    worse,
    allowed,
    reason: `${reason}: ${failed ? "fail" : "pass"}`,
    message: failed
      ? `${rule.metric} regressed${about.where} in ${about.name}: ${fmt(value)} vs ${
        fmt(reference)
      } (${refName}), ${reason} (${rule.text})`
      : `${subject} is within ${rule.text} (${reason})`,
  };
}

/**
 * Settles every `alpha=` verdict of one family (one report, or one group):
 * Holm's step-down over their p-values at the family's α (the smallest any
 * of its rules asks for); a rule fails when significant and beyond its
 * tolerance; one that found nothing is inconclusive when its power to find
 * its minimum effect is below 80 %, else it passes.
 */
function settleFamily(
  verdicts: GateVerdict[],
  onInconclusive: "pass" | "fail",
  notes: string[],
): void {
  const family = verdicts.filter((v) => v.rule.alpha !== undefined && v.worse !== undefined);
  if (family.length === 0) return;
  const alphas = [...new Set(family.map((v) => v.rule.alpha!))];
  const alpha = Math.min(...alphas);
  if (alphas.length > 1) {
    notes.push(
      `alpha= differs between rules (${
        alphas.join(", ")
      }): the family is tested at the smallest, ${alpha}`,
    );
  }
  const tested = family.filter((v) => v.test);
  const held = holm(tested.map((v) => v.test!.p), alpha);
  tested.forEach((v, i) => {
    v.test = {
      ...v.test!,
      level: held[i]!.level,
      alpha,
      family: tested.length,
      significant: held[i]!.rejected,
    };
  });
  const inconclusive = onInconclusive === "fail";
  for (const v of family) {
    const rule = v.rule;
    const worse = v.worse!;
    const allowed = v.allowed ?? 0;
    const beyond = worse - allowed > floatSlack(v.reference ?? 0, v.value ?? 0, allowed);
    const by = `${worse < 0 ? "better" : "worse"} by ${fmt(Math.abs(worse))}`;
    const at = `${rule.metric}${v.group === undefined ? "" : ` (group ${v.group})`}`;
    const numbers = `${fmt(v.value!)} vs ${fmt(v.reference!)} (mean of the finished baselines)`;
    const effect = rule.mde ?? (allowed > 0 ? allowed : undefined);
    if (!v.test) {
      // No noise known: no test can be made.
      Object.assign(v, {
        status: "inconclusive",
        failed: inconclusive,
        reason: `${by}; noise unknown: inconclusive`,
        message: `${at} in ${v.runName}: ${numbers}, ${by}; the noise is unknown with ${v.n} ` +
          `seed${v.n === 1 ? "" : "s"}: inconclusive (${rule.text}; add seeds or --noise-history)`,
      });
      continue;
    }
    const t = v.test;
    const pText = `p = ${fmt(t.p)} ${t.significant ? "≤" : ">"} ${fmt(t.level)}${
      t.family > 1 ? ` (Holm, ${t.family} tests at α ${alpha})` : ""
    }`;
    if (t.significant && beyond) {
      Object.assign(v, {
        status: "fail",
        failed: true,
        reason: `${by}, ${pText}: fail`,
        message: `${rule.metric} regressed${
          v.group === undefined ? "" : ` (group ${v.group})`
        } in ${v.runName}: ${numbers}, ${by}, ${pText}${
          allowed > 0 ? `, beyond the ${fmt(allowed)} allowed` : ""
        } (${rule.text})`,
      });
      continue;
    }
    const why = t.significant ? `${pText}, within the ${fmt(allowed)} allowed` : pText;
    if (effect !== undefined && v.noise) {
      const pw = power(effect, { se: v.se!, df: v.noise.df }, t.level);
      t.power = pw;
      t.effect = effect;
      if (!t.significant && pw < TARGET_POWER) {
        t.seedsNeeded = seedsForPower(effect, v.noise.sd, t.level, {
          df: v.noise.source === "history" ? v.noise.df : undefined,
          target: TARGET_POWER,
        });
        const seeds = `${v.n} seed${v.n === 1 ? "" : "s"}`;
        const would = t.seedsNeeded === undefined
          ? `more than 1000 seeds a side would be needed to tell a ${fmt(effect)} drop`
          : `${t.seedsNeeded} seeds a side would tell a ${fmt(effect)} drop`;
        Object.assign(v, {
          status: "inconclusive",
          failed: inconclusive,
          reason: `${by}, ${pText}; power ${Math.round(pw * 100)} %: inconclusive`,
          message: `${at} in ${v.runName}: ${numbers}, ${by}; inconclusive: ${seeds}; ${would} ` +
            `(power ${Math.round(pw * 100)} % < 80 %, ${pText}; ${rule.text})`,
        });
        continue;
      }
    }
    Object.assign(v, {
      status: "pass",
      failed: false,
      reason: `${by}, ${why}: pass`,
      message: `${at} in ${v.runName}: ${numbers} is within ${rule.text} (${by}, ${why}${
        t.power === undefined ? "" : `; power ${Math.round(t.power * 100)} %`
      })`,
    });
  }
}
