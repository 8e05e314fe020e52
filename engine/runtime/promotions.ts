import { promotedArm } from "../results/promote";
import type { SplitNode } from "../schema/journey";
import type { RunRow, Store } from "../store/types";

/**
 * How often (in the engine's clock) a split that has promoteWinner asks the ledger again while it has no winner.
 * Asking costs a GROUP BY over the split's members, so not on every entry; an hour is far below the days a
 * goal window takes to mature, so a winner starts taking entries within an hour of being declared.
 */
export const PROMOTION_RECHECK_MS = 3_600_000;

/**
 * Which arm each promoteWinner split's new entries take, per journey version (spec §4). Remembers a promotion
 * forever (it is final) and a "not yet" until the recheck interval has passed; after a restart the ledger's
 * `winner` assignments bring a promotion back.
 */
export class Promotions {
  private readonly known = new Map<string, { arm: string | null; checkedAt: number }>();

  constructor(
    private readonly store: Store,
    private readonly recheckMs = PROMOTION_RECHECK_MS,
  ) {}

  async armFor(run: RunRow, node: SplitNode, now: number): Promise<string | null> {
    const key = `${run.versionId}\u0000${node.id}`;
    const seen = this.known.get(key);
    if (seen && (seen.arm !== null || now - seen.checkedAt < this.recheckMs)) return seen.arm;
    const rows = await this.store.splitArmSums({
      journeyId: run.journeyId,
      versionId: run.versionId,
      nodeId: node.id,
      asOf: now,
    });
    const arm = promotedArm(node, rows);
    this.known.set(key, { arm, checkedAt: now });
    return arm;
  }
}
