import { ConflictError, NotFoundError } from "../errors";
import type { OutboxRow, RunRow } from "../store/types";
import type { EngineCore } from "./core";
import { applyTransition } from "./transitions/apply";
import { requeued } from "./transitions/outbox";

/** What ops may do to a failed run or delivery: put it back, with the same idempotency key. */

/** Puts a failed run back on the node where it failed (same visit, so the same idempotency key). */
export function retryRun(core: EngineCore, runId: number): Promise<RunRow> {
  const { store } = core;
  return core.committer.transition(async (batch) => {
    const run = await store.getRun(runId);
    if (!run) throw new NotFoundError(`run ${runId}`);
    if (run.status !== "failed") throw new ConflictError(`run ${runId} is ${run.status}, not failed`);
    const others = await store.activeRunsOf([run.customerId]);
    if (others.some((r) => r.journeyId === run.journeyId))
      throw new ConflictError(`customer ${run.customerId} already has an active run in this journey`);
    const delivery = (await store.listOutbox({ customerId: run.customerId, journeyId: run.journeyId })).find(
      (o) =>
        o.runId === run.id &&
        o.nodeId === run.nodeId &&
        o.visit === (run.visits[run.nodeId] ?? 1) &&
        o.status === "failed",
    );
    const log = {
      nodeId: run.nodeId,
      nodeType: "action",
      visit: run.visits[run.nodeId] ?? 1,
      at: batch.now,
      dueAt: null,
      port: null,
      outcome: "retried",
      reason: "ops",
      detail: null,
    } as const;
    applyTransition(run, { to: "retry", awaitingDelivery: delivery !== undefined, log }, batch);
    if (delivery) return { value: run, extra: { outboxUpdates: [requeued(delivery, batch.now, false)] } };
    return run;
  });
}

/**
 * Sends a failed delivery again with the same idempotency key. When its run failed on it, the run is
 * retried (which requeues the delivery); when the run already went on through its failed port, nothing.
 */
export async function retryDelivery(core: EngineCore, key: string): Promise<OutboxRow> {
  const { store } = core;
  const o = await store.getOutbox(key);
  if (!o) throw new NotFoundError(`delivery ${key}`);
  if (o.status !== "failed") throw new ConflictError(`delivery ${key} is ${o.status}, not failed`);
  const run = await store.getRun(o.runId);
  if (run && run.status === "failed" && run.nodeId === o.nodeId) await retryRun(core, run.id);
  else if (o.resumesRun)
    throw new ConflictError(`run ${o.runId} already went on through its failed port; retry the run instead`);
  else
    await core.committer.transition(async () => {
      const now = await store.getOutbox(key);
      // Re-read under the lock: the delivery may have been retried since.
      if (now?.status !== "failed") return undefined;
      return { extra: { outboxUpdates: [requeued(now, core.clock.now(), true)] } };
    });
  return (await store.getOutbox(key))!;
}

/** One delivery of a bulk retry: requeued (with its status now), or why it was not. */
export type DeliveryRetryResult =
  { key: string; ok: true; status: OutboxRow["status"] } | { key: string; ok: false; error: string };

/**
 * Retries many failed deliveries, one at a time (each as `retryDelivery`). One that cannot be retried (not
 * found, not failed, its run went on) is answered with why; the others are retried all the same.
 */
export async function retryDeliveries(
  core: EngineCore,
  keys: readonly string[],
): Promise<DeliveryRetryResult[]> {
  const results: DeliveryRetryResult[] = [];
  for (const key of new Set(keys)) {
    try {
      const row = await retryDelivery(core, key);
      results.push({ key, ok: true, status: row.status });
    } catch (e) {
      if (!(e instanceof NotFoundError || e instanceof ConflictError)) throw e;
      results.push({ key, ok: false, error: e.message });
    }
  }
  return results;
}
