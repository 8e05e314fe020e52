import type { SplitNode } from "../schema/journey";
import type { SplitArmSums } from "../store/types";
import { analyseExperiment, type ArmCounts } from "./experiment";
import { baselineOf, shares } from "./split-arms";

/**
 * The arm a split's new entries take because of `promoteWinner` (spec §4), from its ledger sums in one journey
 * version, or null while the experiment goes on. Pure: the split executor asks it and keeps the answer.
 *
 * A promotion is final: once any entry took a promoted arm, that arm stays promoted. Otherwise an arm is
 * promoted when every configured arm has at least `minPerArm` matured members, the sample ratio is sound, and
 * the arm beats every other arm with a Holm-adjusted always-valid p-value below 0.05 — the report's `winner`.
 * The always-valid p-value is what makes it safe to ask this after every entry.
 */
export function promotedArm(node: SplitNode, rows: readonly SplitArmSums[]): string | null {
  const taken = rows.find((r) => r.reason === "winner" && r.entered > 0);
  if (taken) return taken.arm;
  const rule = node.data.promoteWinner;
  if (!rule) return null;

  const configured = shares(node);
  const arms = new Map<string, ArmCounts>();
  for (const [id, weight] of configured)
    arms.set(id, {
      id,
      weight,
      members: 0,
      matured: 0,
      converted: 0,
      maturedConverted: 0,
      revenue: 0,
      revenueSquares: 0,
      hashMembers: 0,
      expectedHashMembers: 0,
      timeline: [],
    });
  let assigned = 0;
  for (const r of rows) {
    // An arm a newer version no longer has cannot be promoted in this one.
    const a = arms.get(r.arm);
    if (!a) continue;
    a.members += r.entered;
    a.matured += r.matured;
    a.converted += r.converted;
    a.maturedConverted += r.maturedConverted;
    a.hashMembers += r.entered;
    assigned += r.entered;
  }
  for (const a of arms.values()) a.expectedHashMembers = assigned * a.weight;
  if ([...arms.values()].some((a) => a.matured < rule.minPerArm)) return null;

  return analyseExperiment({
    nodeId: node.id,
    kind: node.data.kind,
    baseline: baselineOf(node),
    arms: [...arms.values()],
    promoted: null,
  }).winner;
}
