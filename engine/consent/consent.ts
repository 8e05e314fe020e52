import type { Clock } from "../runtime/clock";
import type { Store, SuppressionRow } from "../store/types";

/** Every channel at once: an unsubscribe from `*` suppresses all messages. */
export const ALL_CHANNELS = "*";

/** An engine (or anything else holding a store and a clock) or a bare store. */
export type ConsentTarget = Store | { store: Store; clock?: Clock };

function parts(target: ConsentTarget): { store: Store; now: number } {
  if ("store" in target && typeof target.store === "object") {
    return { store: target.store, now: target.clock?.now() ?? Date.now() };
  }
  return { store: target as Store, now: Date.now() };
}

/**
 * Unsubscribes a customer from a channel (`email`, `sms`, …, or `*` for all). Takes effect at once for
 * every later send, including deliveries already queued in the outbox. Idempotent: returns false when
 * the customer was already unsubscribed (the first record is kept).
 */
export function unsubscribe(
  target: ConsentTarget,
  customerId: string,
  channel: string,
  options: { reason?: string; source?: string } = {},
): Promise<boolean> {
  const { store, now } = parts(target);
  const row: SuppressionRow = {
    customerId,
    channel,
    reason: options.reason ?? "unsubscribed",
    source: options.source ?? null,
    createdAt: now,
  };
  return store.addSuppression(row);
}

/** Resubscribes (an explicit opt-in again). Returns false when the customer was not unsubscribed. */
export function resubscribe(target: ConsentTarget, customerId: string, channel: string): Promise<boolean> {
  return parts(target).store.removeSuppression(customerId, channel);
}

/** Whether a send on `channel` is suppressed by a set of suppressed channels. */
export function suppresses(suppressed: ReadonlySet<string>, channel: string): boolean {
  return suppressed.has(channel) || suppressed.has(ALL_CHANNELS);
}

/** The per-channel subscription state of a customer. */
export async function consentOf(
  target: ConsentTarget,
  customerId: string,
  channels: readonly string[],
): Promise<Record<string, boolean>> {
  const suppressed = await parts(target).store.suppressedChannels(customerId);
  return Object.fromEntries(channels.map((c) => [c, !suppresses(suppressed, c)]));
}
