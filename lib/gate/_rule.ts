/**
 * One rule on one comparison: a verdict per finished candidate, or one on
 * their mean (diverged seeds missing, the noise from history or the seeds),
 * against the tolerance and, with `noise=`, the standard error. An `alpha=`
 * rule gets its p-value here and its verdict with its family.
 *
 * @module
 */
import type { MetricComparison, RunValue } from "../compare.ts";
import { type Noise, type PooledNoise, pWorse, welchDf } from "../ground/inference.ts";
import type { GateRule, Reference, Run as WandbRun } from "../ground/model.ts";
import { floatSlack, formatNumber as fmt } from "../ground/numbers.ts";
import { mean, standardError, type Summary } from "../ground/stats.ts";
import { type RobustNoise, robustNoise, type Seeds } from "./_robust.ts";
import type { ReportShape } from "./_shape.ts";
import { type GateVerdict, MIN_HISTORY_COMMITS } from "./types.ts";

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
    const se = standardError(c, b)!;
    const df = welchDf({ n: c.n, sd: c.sd }, { n: b.n, sd: b.sd });
    return { se, df, sd: Math.hypot(c.sd, b.sd) / Math.SQRT2, source: "welch" };
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

/** What a rule is judged against besides its comparison. */
export interface RuleContext {
  /** The reference the rule asks for. */
  wanted: Reference;
  /** The group judged (`--group-by`), named in messages. */
  group?: string;
  /** The metric's noise from main's history. */
  history?: PooledNoise;
  /** Add the drift between commits (the baselines are not the base commit's own runs). */
  drift?: boolean;
  /** What every gated metric's history says together (σ's spread and change). */
  shape?: ReportShape;
}

/** One rule on one comparison, as its verdicts' makers share it. */
interface Judging {
  rule: GateRule;
  comparison: MetricComparison;
  context: RuleContext;
  /** ` (group g)`, or empty. */
  where: string;
  /** The candidates without a numeric value, named with what they hold. */
  divergedNames: string[];
  notes: string[];
}

/** A missing verdict: it fails with `missing=fail`, else it is ignored. */
function missingVerdict(j: Judging, message: string, run?: WandbRun): GateVerdict {
  const fails = j.rule.missing === "fail";
  return {
    rule: j.rule,
    runId: run?.name,
    runName: run?.displayName ?? run?.name,
    status: "missing",
    failed: fails,
    reason: fails ? "missing: fails" : "missing: ignored",
    message: `${message}${j.where}${fails ? " (fails: missing=fail)" : " (ignored: missing=pass)"}`,
  };
}

/**
 * One rule's verdicts on one comparison (per finished candidate, or one on
 * their mean), and what to tell the user.
 *
 * @example
 * ```ts ignore
 * import { judgeRule } from "./_rule.ts";
 * const { verdicts, notes } = judgeRule(rule, comparison, { wanted: { kind: "mean" } });
 * ```
 */
export function judgeRule(
  rule: GateRule,
  comparison: MetricComparison,
  context: RuleContext,
): { verdicts: GateVerdict[]; notes: string[] } {
  // Seeds whose value is NaN, ±∞, text or absent: a diverged seed is a missing value.
  const divergedNames = comparison.candidates.filter((c) => c.value.kind !== "number").map((c) =>
    `${c.run.displayName ?? c.run.name} (${
      c.value.kind === "infinite" ? (c.value.value > 0 ? "+∞" : "−∞") : c.value.kind
    })`
  );
  const j: Judging = {
    rule,
    comparison,
    context,
    where: context.group === undefined ? "" : ` (group ${context.group})`,
    divergedNames,
    notes: [],
  };
  const numeric = comparison.stats.candidates.n;
  const verdicts = rule.minRuns !== undefined && numeric < rule.minRuns
    ? [tooFewRuns(j, rule.minRuns)]
    : comparison.candidates.length === 0
    ? [missingVerdict(j, `${rule.metric}: no finished candidate to check`)]
    : rule.of === "mean"
    ? [judgeMean(j)]
    : judgeEach(j);
  return { verdicts, notes: j.notes };
}

/** Fewer numeric values than `min-runs`: a failure, whatever else. */
function tooFewRuns(j: Judging, minRuns: number): GateVerdict {
  const { rule, comparison, where, divergedNames } = j;
  const numeric = comparison.stats.candidates.n;
  const finished = comparison.candidates.length;
  return {
    rule,
    status: "fail",
    failed: true,
    n: numeric,
    diverged: divergedNames.length ? divergedNames : undefined,
    reason: `${numeric} numeric values, fewer than min-runs=${minRuns}`,
    message: `${rule.metric}${where}: ${numeric} finished candidate${
      numeric === 1 ? "" : "s"
    } with a numeric value${
      finished > numeric ? ` (of ${finished} finished)` : ""
    }, fewer than min-runs=${minRuns} (${rule.text})`,
  };
}

/** Each finished candidate against the reference (`of=each`). */
function judgeEach(j: Judging): GateVerdict[] {
  const { rule, comparison, where } = j;
  const reference = comparison.reference.value;
  const refName = referenceName(comparison, j.context.wanted);
  return comparison.candidates.map((candidate) => {
    const name = candidate.run.displayName ?? candidate.run.name;
    if (reference === undefined) {
      return missingVerdict(
        j,
        `${rule.metric}: no baseline value to compare ${name} with`,
        candidate.run,
      );
    }
    if (candidate.value.kind !== "number") {
      return missingVerdict(
        j,
        `${rule.metric}: ${name} has no numeric value (${candidate.value.kind})`,
        candidate.run,
      );
    }
    return {
      ...judgeValue(rule, candidate.value.value, reference, refName, { name, where }),
      referenceKind: j.context.wanted.kind,
      runId: candidate.run.name,
    };
  });
}

/**
 * The candidates' mean against the reference (`of=mean`): diverged seeds
 * missing (failing with `missing=fail`), an `alpha=` rule with main's
 * history judged robustly, else with the noise the seeds or history give.
 */
function judgeMean(j: Judging): GateVerdict {
  const { rule, comparison, where, divergedNames, notes } = j;
  const { wanted, history } = j.context;
  const { candidates: c, baselines: b } = comparison.stats;
  if (divergedNames.length > 0) {
    const list = divergedNames.join(", ");
    if (rule.missing === "fail") {
      return {
        rule,
        status: "missing",
        failed: true,
        n: c.n,
        diverged: divergedNames,
        reason: "diverged seeds: fails",
        message:
          `${rule.metric}${where}: ${divergedNames.length} of ${comparison.candidates.length} ` +
          `finished candidates have no numeric value: ${list} (fails: missing=fail)`,
      };
    }
    notes.push(
      `${rule.metric}${where}: ${list} left out of the mean (no numeric value; ${rule.text})`,
    );
  }
  if (c.n === 0 || c.mean === undefined) {
    return missingVerdict(j, `${rule.metric}: no finished candidate has a numeric value`);
  }
  const reference = comparison.reference.value;
  if (reference === undefined) {
    return missingVerdict(j, `${rule.metric}: no finished baseline value to compare the mean with`);
  }
  const refName = referenceName(comparison, wanted);
  // alpha= with main's history: diverged seeds screened, a change-aware σ, drift.
  const robust = rule.alpha !== undefined && history?.cells &&
      history.commits >= MIN_HISTORY_COMMITS
    ? robustNoise(history.cells, seedsOf(comparison.candidates), seedsOf(comparison.baselines), {
      drift: j.context.drift ?? false,
      format: fmt,
      shape: j.context.shape,
      keys: history.keys,
    })
    : undefined;
  if (robust) {
    return robustVerdict(rule, wanted, robust, {
      refName,
      where,
      divergedNames,
      notes,
      history: history!,
    });
  }
  const noisy = rule.noise !== undefined || rule.alpha !== undefined;
  const noise = noisy ? noiseOf(c, b, history) : undefined;
  if (noisy) notes.push(...noiseNotes(j, noise, c.n, b.n));
  const verdict = judgeValue(rule, c.mean, reference, refName, {
    name: `mean of ${c.n}`,
    n: c.n,
    noise,
    where,
  });
  if (noise) verdict.noise = { source: noise.source, df: noise.df, sd: noise.sd };
  return {
    ...verdict,
    referenceKind: wanted.kind,
    diverged: divergedNames.length ? divergedNames : undefined,
  };
}

/** Where a `noise=`/`alpha=` rule's noise came from, or why it is not known. */
function noiseNotes(j: Judging, noise: Noise | undefined, cn: number, bn: number): string[] {
  const { rule, where } = j;
  const history = j.context.history;
  const notes: string[] = [];
  if (history && history.commits < MIN_HISTORY_COMMITS) {
    notes.push(
      `${rule.metric}${where}: the base branch's history has ${history.commits} commit${
        history.commits === 1 ? "" : "s"
      } with two or more finished runs (${MIN_HISTORY_COMMITS} needed to pool σ): ` +
        "each side's own seeds are used",
    );
  }
  if (noise === undefined) {
    notes.push(
      `${rule.metric}${where}: the noise is unknown with ${cn} candidate and ${bn} baseline ` +
        `value${bn === 1 ? "" : "s"} (${rule.text} needs two on one side, or --noise-history)` +
        (rule.alpha === undefined ? ": the plain tolerance judges it" : ""),
    );
  } else {
    notes.push(`${rule.metric}${where}: ${noiseWords(noise, history)}`);
  }
  return notes;
}

/** A side's numeric values and who logged them (baselines: only those feeding the reference). */
function seedsOf(values: readonly RunValue[]): Seeds {
  const numeric = values.filter((v) => v.value.kind === "number" && v.used !== false);
  return {
    values: numeric.map((v) => (v.value as { value: number }).value),
    names: numeric.map((v) => v.run.displayName ?? v.run.name),
  };
}

/** An `alpha=` rule's verdict on the means the robust steps kept, with their noise and notes. */
function robustVerdict(
  rule: GateRule,
  wanted: Reference,
  robust: RobustNoise,
  about: {
    refName: string;
    where: string;
    divergedNames: string[];
    notes: string[];
    history: PooledNoise;
  },
): GateVerdict {
  const noise: Noise = { se: robust.se, df: robust.df, sd: robust.sd, source: "history" };
  if (robust.candidates.length === 0) {
    // Every seed diverged: the divergence test fails it (it can never pass).
    const d = robust.divergence;
    return {
      rule,
      runName: `mean of 0`,
      status: "fail",
      failed: true,
      n: 0,
      referenceKind: wanted.kind,
      diverged: [...about.divergedNames, ...d.names],
      divergence: d,
      reason: `all ${d.of} seeds diverged: fail`,
      message: `${rule.metric} diverged${about.where}: all ${d.of} seeds are more than 6 robust ` +
        `σ from main's level: ${d.names.join(", ")} (${rule.text})`,
    };
  }
  const value = mean(robust.candidates)!;
  const reference = mean(robust.baselines)!;
  const verdict = judgeValue(rule, value, reference, about.refName, {
    name: `mean of ${robust.candidates.length}`,
    n: robust.candidates.length,
    noise,
    where: about.where,
  });
  for (const note of robust.notes) about.notes.push(`${rule.metric}${about.where}: ${note}`);
  if (robust.from === "pooled") {
    about.notes.push(
      `${rule.metric}${about.where}: σ ${fmt(robust.sd)} pooled from ${about.history.commits} ` +
        `commits of the base branch (${about.history.runs} runs) and this PR's ` +
        `${robust.candidates.length} seed${robust.candidates.length === 1 ? "" : "s"}`,
    );
  }
  const diverged = [...about.divergedNames, ...robust.divergence.names];
  return {
    ...verdict,
    noise: { source: "history", df: robust.df, sd: robust.sd },
    referenceKind: wanted.kind,
    diverged: diverged.length ? diverged : undefined,
    divergence: robust.divergence.names.length ? robust.divergence : undefined,
  };
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
      beyond,
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
