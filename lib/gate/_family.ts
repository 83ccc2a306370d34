/**
 * The `alpha=` rules of one report as one family (every group's included):
 * Holm's step-down over their p-values decides what is significant; the
 * one-sided upper confidence bound on each drop, at the family's α/m,
 * decides what is ruled out. A rule fails when its drop is significant and
 * beyond its tolerance; passes when the bound is within the tolerance (the
 * drop is ruled out), or, with no tolerance, when nothing is significant;
 * else it is inconclusive and says the seeds a side that would tell.
 *
 * @module
 */
import { holm, power, seedsForPower, tQuantile } from "../ground/inference.ts";
import { floatSlack, formatNumber as fmt } from "../ground/numbers.ts";
import { type GateVerdict, TARGET_POWER } from "./types.ts";

/** The family's α (the smallest any of its rules asks for), said when they differ. */
function familyAlpha(family: readonly GateVerdict[], notes: string[]): number {
  const alphas = [...new Set(family.map((v) => v.rule.alpha!))];
  const alpha = Math.min(...alphas);
  if (alphas.length > 1) {
    notes.push(
      `alpha= differs between rules (${
        alphas.join(", ")
      }): the family is tested at the smallest, ${alpha}`,
    );
  }
  return alpha;
}

/** "95 %", "99.5 %": the confidence of a bound at level `level`. */
function confidence(level: number): string {
  return `${fmt(Number(((1 - level) * 100).toPrecision(4)))} %`;
}

/**
 * Settles every `alpha=` verdict of one report: Holm over the family's
 * p-values at its α, each rule's upper bound at α/m, then its verdict.
 */
export function settleFamily(
  verdicts: GateVerdict[],
  onInconclusive: "pass" | "fail",
  notes: string[],
): void {
  const family = verdicts.filter((v) => v.rule.alpha !== undefined && v.worse !== undefined);
  if (family.length === 0) return;
  const alpha = familyAlpha(family, notes);
  const tested = family.filter((v) => v.test);
  // Seeds that diverged from main are one more test each: their number against main's rate.
  const divergent = family.filter((v) => v.divergence);
  const held = holm([
    ...tested.map((v) => v.test!.p),
    ...divergent.map((v) => v.divergence!.p),
  ], alpha);
  const m = tested.length + divergent.length;
  // Both sides at the family-wise level: a bound that rules out a drop must hold for all m at once.
  const level = alpha / Math.max(1, m);
  tested.forEach((v, i) => {
    const bound = v.worse! + tQuantile(1 - level, v.noise!.df) * v.se!;
    v.test = {
      ...v.test!,
      level: held[i]!.level,
      alpha,
      significant: held[i]!.rejected,
      bound: Number.isFinite(bound) ? bound : undefined,
      boundLevel: level,
      family: m,
    };
  });
  const diverging = new Set(divergent.filter((_, i) => held[tested.length + i]!.rejected));
  for (const v of family) {
    Object.assign(
      v,
      diverging.has(v) ? divergedTooOften(v) : settled(v, alpha, onInconclusive === "fail"),
    );
  }
}

/** More seeds diverged than main's own rate explains: a regression of its own kind. */
function divergedTooOften(v: GateVerdict): Partial<GateVerdict> {
  const d = v.divergence!;
  const rate = d.rate >= 0.01 ? `${fmt(d.rate * 100)} %` : `1 in ${Math.round(1 / d.rate)}`;
  const why = `${d.names.length} of ${d.of} seeds diverged (more than 6 robust σ from main's ` +
    `level; main: ${rate}; p = ${fmt(d.p)})`;
  return {
    status: "fail",
    failed: true,
    reason: `${why}: fail`,
    message: `${v.rule.metric} diverged${v.group === undefined ? "" : ` (group ${v.group})`}: ` +
      `${why}: ${d.names.join(", ")} (${v.rule.text})`,
  };
}

/** One rule's verdict once its family is known. */
function settled(v: GateVerdict, alpha: number, blocking: boolean): Partial<GateVerdict> {
  const rule = v.rule;
  const worse = v.worse!;
  const allowed = v.allowed ?? 0;
  const by = `${worse < 0 ? "better" : "worse"} by ${fmt(Math.abs(worse))}`;
  const at = `${rule.metric}${v.group === undefined ? "" : ` (group ${v.group})`}`;
  const numbers = `${fmt(v.value!)} vs ${fmt(v.reference!)} (mean of the finished baselines)`;
  const t = v.test;
  if (!t) {
    // No noise known: no test can be made.
    return {
      status: "inconclusive",
      failed: blocking,
      reason: `${by}; noise unknown: inconclusive`,
      message: `${at} in ${v.runName}: ${numbers}, ${by}; the noise is unknown with ${v.n} ` +
        `seed${v.n === 1 ? "" : "s"}: inconclusive (${rule.text}; add seeds or --noise-history)`,
    };
  }
  const pText = `p = ${fmt(t.p)} ${t.significant ? "≤" : ">"} ${fmt(t.level)}${
    t.family > 1 ? ` (Holm, ${t.family} tests at α ${alpha})` : ""
  }`;
  if (t.significant && v.beyond) {
    return {
      status: "fail",
      failed: true,
      reason: `${by}, ${pText}: fail`,
      message: `${rule.metric} regressed${
        v.group === undefined ? "" : ` (group ${v.group})`
      } in ${v.runName}: ${numbers}, ${by}, ${pText}${
        allowed > 0 ? `, beyond the ${fmt(allowed)} allowed` : ""
      } (${rule.text})`,
    };
  }
  // The tolerance a drop must be ruled out beyond: mde=, else the abs/rel allowance.
  const tolerance = rule.mde ?? (allowed > 0 ? allowed : undefined);
  const bound = t.bound === undefined
    ? undefined
    : `worse by at most ${fmt(Math.max(0, t.bound))} at ${confidence(t.boundLevel!)}`;
  if (tolerance === undefined) {
    // Nothing to rule out: not significant is a pass, as a plain test says.
    return passed(v, at, numbers, `${by}, ${pText}${bound ? `; ${bound}` : ""}`);
  }
  t.effect = tolerance;
  const ruledOut = t.bound !== undefined &&
    t.bound - tolerance <= floatSlack(t.bound, tolerance, v.reference!);
  if (ruledOut) {
    return passed(v, at, numbers, `${by}; ${bound}, within the ${fmt(tolerance)} allowed`);
  }
  return inconclusive(v, t, tolerance, { at, numbers, by, pText, bound, blocking });
}

function passed(v: GateVerdict, at: string, numbers: string, why: string): Partial<GateVerdict> {
  return {
    status: "pass",
    failed: false,
    reason: `${why}: pass`,
    message: `${at} in ${v.runName}: ${numbers} is within ${v.rule.text} (${why})`,
  };
}

/**
 * Neither ruled out nor found: the seeds a side that would tell, for 80 %
 * power at the family's α/m (one number for alike rules: not each rule's
 * place in Holm's order).
 */
function inconclusive(
  v: GateVerdict,
  t: NonNullable<GateVerdict["test"]>,
  tolerance: number,
  words: {
    at: string;
    numbers: string;
    by: string;
    pText: string;
    bound?: string;
    blocking: boolean;
  },
): Partial<GateVerdict> {
  const level = t.boundLevel!;
  t.power = power(tolerance, { se: v.se!, df: v.noise!.df }, level);
  t.seedsNeeded = seedsForPower(tolerance, v.noise!.sd, level, {
    df: v.noise!.source === "history" ? v.noise!.df : undefined,
    target: TARGET_POWER,
  });
  const seeds = `${v.n} seed${v.n === 1 ? "" : "s"}`;
  const would = t.seedsNeeded === undefined
    ? `more than 1000 seeds a side would be needed to tell a ${fmt(tolerance)} drop`
    : `${t.seedsNeeded} seeds a side would tell a ${fmt(tolerance)} drop`;
  const bound = words.bound ? `${words.bound}, ` : "";
  return {
    status: "inconclusive",
    failed: words.blocking,
    reason: `${words.by}; ${bound}not within the ${fmt(tolerance)} allowed: inconclusive`,
    message: `${words.at} in ${v.runName}: ${words.numbers}, ${words.by}; inconclusive: ` +
      `${bound}more than the ${fmt(tolerance)} allowed cannot be ruled out with ${seeds}; ` +
      `${would} (${words.pText}; ${v.rule.text})`,
  };
}
