/**
 * One plain sentence per comparison of an experiment: who beats whom, by how many points, how sure we are,
 * and when nothing is significant yet, how many more customers per arm the observed lift would need.
 */
import type { ArmComparison, ExperimentResult } from "../../../engine/schema";
import type { MessageKey } from "../i18n/dict";
import type { Translate } from "../i18n/translate";

export type Verdict =
  | { kind: "srm"; pValue: number }
  | { kind: "noData"; arm: string; vs: string }
  | { kind: "better" | "worse" | "noDifference"; arm: string; vs: string; lift: number; ci: [number, number] }
  | { kind: "needMore"; arm: string; vs: string; lift: number; ci: [number, number]; morePerArm: number };

/** Sample-ratio mismatch below this p-value means the split is broken (spec §4). */
export const SRM_ALPHA = 0.001;

export function verdicts(exp: ExperimentResult): Verdict[] {
  if (exp.srmPValue < SRM_ALPHA) return [{ kind: "srm", pValue: exp.srmPValue }];
  const members = new Map(exp.arms.map((a) => [a.id, a.members]));
  return exp.comparisons.map((c) => verdictOf(c, members));
}

function verdictOf(c: ArmComparison, members: ReadonlyMap<string, number>): Verdict {
  const base = { arm: c.arm, vs: c.vs };
  if (!members.get(c.arm) || !members.get(c.vs)) return { kind: "noData", ...base };
  const measured = { ...base, lift: c.absoluteLift, ci: c.ci95 };
  if (c.significant) return { kind: c.absoluteLift > 0 ? "better" : "worse", ...measured };
  if (c.morePerArm !== null && c.morePerArm > 0)
    return { kind: "needMore", ...measured, morePerArm: c.morePerArm };
  return { kind: "noDifference", ...measured };
}

/** Percentage points with a sign and one decimal: 0.0833 → "+8.3". */
export function points(x: number): string {
  const v = Math.round(x * 1000) / 10;
  if (v === 0) return "0.0";
  return `${v > 0 ? "+" : "−"}${Math.abs(v).toFixed(1)}`;
}

/** A rate as a percentage with one decimal: 0.2167 → "21.7%". */
export function percent(x: number): string {
  return `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
}

const HOLDOUT_ARMS: Record<string, MessageKey> = {
  holdout: "results.armHeldBack",
  continue: "results.armTreated",
};

/** How an arm is named on screen: a holdout split's ports are translated, branch ids are the marketer's own. */
export function armName(exp: Pick<ExperimentResult, "kind">, arm: string, t: Translate): string {
  const key = exp.kind === "holdout" ? HOLDOUT_ARMS[arm] : undefined;
  return key ? t(key) : arm;
}

export function verdictText(
  v: Verdict,
  exp: Pick<ExperimentResult, "kind">,
  t: Translate,
  formatNumber: (n: number) => string,
): string {
  switch (v.kind) {
    case "srm":
      return t("results.verdictSrm", { p: v.pValue < 1e-6 ? "< 0.000001" : `= ${v.pValue.toPrecision(2)}` });
    case "noData":
      return t("results.verdictNoData", { arm: armName(exp, v.arm, t), vs: armName(exp, v.vs, t) });
    case "better":
    case "worse":
    case "noDifference":
    case "needMore": {
      const vars = {
        arm: armName(exp, v.arm, t),
        vs: armName(exp, v.vs, t),
        lift: points(v.lift),
        lo: points(v.ci[0]),
        hi: points(v.ci[1]),
      };
      if (v.kind === "better") return t("results.verdictBetter", vars);
      if (v.kind === "worse") return t("results.verdictWorse", vars);
      if (v.kind === "needMore")
        return t("results.verdictNeedMore", { ...vars, n: formatNumber(v.morePerArm) });
      return t("results.verdictNone", vars);
    }
  }
}
