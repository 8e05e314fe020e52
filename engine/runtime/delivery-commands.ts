import type { ClaimLanes, OutboxRow } from "../store/types";
import type { EngineCore } from "./core";
import { executeDelivery, recordDeliveries } from "./dispatch";
import type { DeliveryResult } from "./dispatch";
import { deferred } from "./transitions/outbox";

/** The outbox's side of the engine: claim due deliveries, send one, record its result, hand back unsent ones. */

/**
 * Leases up to `limit` due deliveries for long enough that a send bounded by `timeoutMs` finishes first;
 * with `lanes`, none of a full receiver's and at most each receiver's free slots.
 */
export function claimDeliveries(
  core: EngineCore,
  limit: number,
  timeoutMs: number,
  lanes?: ClaimLanes,
): Promise<OutboxRow[]> {
  if (limit <= 0) return Promise.resolve([]);
  return core.committer.mutex.run(() => {
    const now = core.clock.now();
    return core.store.claimOutbox(now, limit, now + timeoutMs * 2, lanes);
  });
}

/** Sends one claimed delivery (never throws; the send is bounded by `timeoutMs`). */
export function sendDelivery(core: EngineCore, row: OutboxRow, timeoutMs: number): Promise<DeliveryResult> {
  return executeDelivery(row, core.deps, timeoutMs);
}

/** Commits one delivery's result in its own small transaction, moving a run that waited on it. */
export function recordDelivery(core: EngineCore, row: OutboxRow, result: DeliveryResult): Promise<void> {
  return core.committer.transition<void>(async (batch) => {
    // A result that moves a run or changes a profile is ordered with the customer's ingestion elsewhere.
    if (row.resumesRun || result.status === "suppressed" || (result.status === "done" && result.traits))
      await core.committer.lockCustomers([row.customerId]);
    const updates = await recordDeliveries([{ row, result }], batch, core.deps);
    return { extra: { outboxUpdates: updates } };
  });
}

/** Hands claimed but unsent deliveries back, due again at `until`, as if never claimed. */
export function deferDeliveries(core: EngineCore, rows: readonly OutboxRow[], until: number): Promise<void> {
  if (rows.length === 0) return Promise.resolve();
  return core.committer.mutex.run(() =>
    core.store.commit({ outboxUpdates: rows.map((r) => deferred(r, until)) }),
  );
}

/**
 * Delivers up to `limit` due outbox rows, `concurrency` at a time, committing each result as soon as its
 * send returns: a crash repeats at most the `concurrency` sends in flight, never finished ones. Returns how
 * many were attempted. The live server uses the `Dispatcher` loop instead, which never blocks the scheduler.
 */
export async function dispatch(
  core: EngineCore,
  limit: number,
  concurrency: number,
  timeoutMs: number,
): Promise<number> {
  const rows = await claimDeliveries(core, limit, timeoutMs);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rows.length) {
      const row = rows[next++]!;
      await recordDelivery(core, row, await executeDelivery(row, core.deps, timeoutMs));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
  return rows.length;
}
