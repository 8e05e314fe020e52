import type { ArmComparison, ArmResult, ExperimentResult, ResultsWarning } from "../schema/results";
import {
  alwaysValidPValue,
  holmAdjust,
  relativeLift,
  revenuePerCustomer,
  sampleSizePerArm,
  srmPValue,
  twoProportionPValue,
  waldLiftInterval,
  wilsonInterval,
} from "../stats";

export const ALPHA = 0.05;
export const SRM_ALPHA = 0.001;

/** One arm's sums over the report's entries. */
export interface ArmCounts {
  id: string;
  /** Configured share of the split (0–1) in the newest version that has it. */
  weight: number;
  members: number;
  matured: number;
  converted: number;
  maturedConverted: number;
  revenue: number;
  revenueSquares: number;
  /** Members the hash assigned, and how many of them the weights of their versions lead one to expect. */
  hashMembers: number;
  expectedHashMembers: number;
  timeline: ArmResult["timeline"];
}

export interface ExperimentInput {
  nodeId: string;
  kind: "random" | "holdout";
  baseline: string;
  arms: ArmCounts[];
  promoted: string | null;
}

const counts = (a: ArmCounts) => ({ x: a.converted, n: a.members });
const rate = (x: number, n: number) => (n > 0 ? x / n : 0);

/**
 * Arms, comparisons against the baseline, sample-ratio check and winner of one split (spec §4). The winner
 * must beat every other arm: its always-valid p-values against each of them, Holm-adjusted over those
 * comparisons, are all below α (and, when it is not the baseline, so is its reported comparison).
 */
export function analyseExperiment(input: ExperimentInput): ExperimentResult {
  const { arms } = input;
  const base = arms.find((a) => a.id === input.baseline) ?? arms[0]!;
  const warnings: ResultsWarning[] = [];

  const armResults: ArmResult[] = arms.map((a) => {
    const rpc = revenuePerCustomer(a.revenue, a.revenueSquares, a.members);
    return {
      id: a.id,
      members: a.members,
      matured: a.matured,
      converted: a.converted,
      rate: rate(a.converted, a.members),
      ci95: wilsonInterval(a.converted, a.members),
      revenue: a.revenue,
      maturedConverted: a.maturedConverted,
      maturedRate: rate(a.maturedConverted, a.matured),
      revenuePerCustomer: rpc.mean,
      revenuePerCustomerCi95: rpc.ci95,
      weight: a.weight,
      timeline: a.timeline,
    };
  });

  const others = arms.filter((a) => a !== base);
  const raw = others.map((a) => alwaysValidPValue(counts(base), counts(a)));
  const adjusted = holmAdjust(raw);
  const comparisons: ArmComparison[] = others.map((a, i) => {
    const pb = rate(base.converted, base.members);
    const pa = rate(a.converted, a.members);
    const needed = base.members > 0 && a.members > 0 ? sampleSizePerArm(pb, pa) : null;
    return {
      arm: a.id,
      vs: base.id,
      absoluteLift: pa - pb,
      relativeLift: relativeLift(counts(base), counts(a)),
      ci95: waldLiftInterval(counts(base), counts(a)),
      pValue: twoProportionPValue(counts(base), counts(a)),
      alwaysValidPValue: raw[i]!,
      adjustedPValue: adjusted[i]!,
      significant: adjusted[i]! < ALPHA,
      neededPerArm: needed,
      morePerArm: needed === null ? null : Math.max(0, needed - Math.min(a.members, base.members)),
    };
  });

  const srm = srmPValue(
    arms.map((a) => a.hashMembers),
    arms.map((a) => a.expectedHashMembers),
  );
  if (srm < SRM_ALPHA)
    warnings.push({
      code: "sample_ratio_mismatch",
      message: `arm sizes ${arms.map((a) => `${a.id} ${a.hashMembers}`).join(", ")} do not match the configured weights (p = ${srm.toPrecision(2)}): the split is broken, so no winner is named`,
    });
  for (const a of arms)
    if (a.members === 0) warnings.push({ code: "empty_arm", message: `arm ${a.id} has no members yet` });

  return {
    nodeId: input.nodeId,
    kind: input.kind,
    baseline: base.id,
    arms: armResults,
    comparisons,
    srmPValue: srm,
    winner: srm < SRM_ALPHA ? null : winnerOf(arms, comparisons),
    warnings,
    promoted: input.promoted,
  };
}

function winnerOf(arms: readonly ArmCounts[], comparisons: readonly ArmComparison[]): string | null {
  if (arms.length < 2 || arms.some((a) => a.members === 0)) return null;
  const best = arms.reduce((b, a) => (rate(a.converted, a.members) > rate(b.converted, b.members) ? a : b));
  const rest = arms.filter((a) => a !== best);
  if (rest.some((a) => rate(a.converted, a.members) >= rate(best.converted, best.members))) return null;
  const adjusted = holmAdjust(rest.map((a) => alwaysValidPValue(counts(a), counts(best))));
  if (adjusted.some((p) => !(p < ALPHA))) return null;
  const own = comparisons.find((c) => c.arm === best.id);
  if (own && !own.significant) return null;
  return best.id;
}
