import { performance } from "node:perf_hooks";
import type { IngestGate } from "./ingester";

export interface BackpressureOptions {
  /** Deliveries claimed later than this past their due time mean the outbox is falling behind. */
  maxLagMs?: number;
  /** Event-loop utilisation above which this process, not a receiver, is the bottleneck. */
  busyUtilization?: number;
  /** The longest one group commit is held back, so ingestion slows but never stops. */
  maxWaitMs?: number;
  /** The event loop's utilisation over the last sampling period (injected by tests). */
  utilization?: () => number;
}

/**
 * Ingestion yields to delivery when this process is the bottleneck. One thread takes events in and sends
 * the webhooks they cause; a client that sends as fast as it is answered would otherwise keep the loop busy
 * with new events while the outbox falls further behind, and every delivery (a released wait's too) queues
 * behind that backlog. While the dispatcher claims rows late and the loop is saturated, each group commit
 * waits (a few ms at a time, at most `maxWaitMs`), so clients are answered later and the outbox catches up.
 * A slow or hanging receiver does not hold ingestion back: its full lane is not claimed (no lag from it),
 * and waiting on it leaves the loop idle (utilisation low).
 */
export function deliveryBackpressure(
  dispatcher: { readonly lagMs: number },
  opts: BackpressureOptions = {},
): { gate: IngestGate; stop: () => void } {
  const maxLagMs = opts.maxLagMs ?? 100;
  const busy = opts.busyUtilization ?? 0.9;
  const maxWaitMs = opts.maxWaitMs ?? 1000;
  let timer: NodeJS.Timeout | null = null;
  let utilization = opts.utilization;
  if (!utilization) {
    let last = performance.eventLoopUtilization();
    let current = 0;
    timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      current = performance.eventLoopUtilization(now, last).utilization;
      last = now;
    }, 100);
    timer.unref();
    utilization = () => current;
  }
  const loaded = utilization;
  const gate: IngestGate = async () => {
    const start = performance.now();
    while (dispatcher.lagMs > maxLagMs && loaded() > busy && performance.now() - start < maxWaitMs)
      await new Promise((r) => setTimeout(r, 5));
  };
  return { gate, stop: () => (timer ? clearInterval(timer) : undefined) };
}
