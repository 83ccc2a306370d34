/**
 * The `alpha=` rules of one report (or group) as one family: Holm's
 * step-down over their p-values, then each rule's verdict: failed
 * (significant and beyond its floor), inconclusive (too little power for
 * its minimum effect), or passed.
 *
 * @module
 */
import { holm, power, seedsForPower } from "../inference.ts";
import { formatNumber as fmt } from "../numbers.ts";
import { type GateVerdict, TARGET_POWER } from "./types.ts";

/**
 * Settles every `alpha=` verdict of one family (one report, or one group):
 * Holm's step-down over their p-values at the family's α (the smallest any
 * of its rules asks for); a rule fails when significant and beyond its
 * tolerance; one that found nothing is inconclusive when its power to find
 * its minimum effect is below 80 %, else it passes.
 */
export function settleFamily(
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
    const beyond = v.beyond ?? false;
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
