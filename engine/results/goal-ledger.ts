import type { FactContext } from "../conditions/facts";
import type { Batch } from "../runtime/batch";
import type { EngineDeps } from "../runtime/deps";
import { factsFor } from "../runtime/facts";
import type { ResultEntryRow, StoredEvent } from "../store/types";

/** `properties.revenue` as a number (numeric strings too); 0 when absent or not a finite number. */
export function revenueOf(properties: Record<string, unknown>): number {
  const v = properties.revenue;
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : 0;
}

/**
 * Finds conversions for the results report (spec §4) among the events of one ingest batch: a goal event
 * (with its `where`) timestamped in [entry, entry + within) converts that entry once, whether its run is
 * still going or ended long ago (a holdout, an exit node). Open windows come from the ledger, plus the
 * entries this batch creates; a conversion is written with the batch, in the same transaction as its event.
 */
export class GoalLedger {
  private readonly windows = new Map<string, ResultEntryRow[]>();
  private readonly converted = new Set<number>();
  private synced = 0;

  private constructor(private readonly batch: Batch) {}

  static async load(batch: Batch, deps: EngineDeps, customerIds: readonly string[], after: number) {
    const ledger = new GoalLedger(batch);
    for (const w of await deps.store.openGoalWindows(customerIds, after)) ledger.add(w);
    return ledger;
  }

  private add(w: ResultEntryRow): void {
    if (w.goalEvent === null) return;
    const l = this.windows.get(w.customerId);
    if (l) l.push(w);
    else this.windows.set(w.customerId, [w]);
  }

  /** Entries made earlier in this batch are open windows too. */
  private sync(): void {
    const made = this.batch.resultEntries;
    for (; this.synced < made.length; this.synced++) this.add(made[this.synced]!);
  }

  async onTrack(
    ev: StoredEvent,
    deps: EngineDeps,
    customer: () => Record<string, unknown>,
    event: () => NonNullable<FactContext["event"]>,
  ): Promise<void> {
    this.sync();
    const open = this.windows.get(ev.customerId);
    if (!open) return;
    for (const w of open) {
      if (w.goalEvent !== ev.name || this.converted.has(w.runId)) continue;
      if (ev.timestamp < w.enteredAt || ev.timestamp >= w.windowEnd) continue;
      const where = (await deps.version(w.versionId)).goal?.where ?? null;
      if (where) {
        const run = { customerId: w.customerId, enteredAt: w.enteredAt, ctx: {} };
        if (!where.test(await factsFor(where, deps.store, customer(), run, event(), this.batch.now)))
          continue;
      }
      this.converted.add(w.runId);
      this.batch.conversions.push({ runId: w.runId, at: ev.timestamp, revenue: revenueOf(ev.properties) });
    }
  }
}
