import type { ActionResult } from "../../actions/types";
import type { OutboxRow, WriteSet } from "../../store/types";

/** One change to a delivery's state: the outbox's own transitions, written only through these builders. */
export type OutboxUpdate = NonNullable<WriteSet["outboxUpdates"]>[number];

/** A delivery that keeps failing is given up after this many attempts. */
export const MAX_ATTEMPTS = 8;

/** A send's result: sent, due again after the result's delay (with the same key), or failed for good. */
export function attempted(row: OutboxRow, result: ActionResult, now: number): OutboxUpdate {
  const exhausted = result.status === "retry" && row.attempts >= MAX_ATTEMPTS;
  const status =
    result.status === "done" ? "sent" : result.status === "retry" && !exhausted ? "retry" : "failed";
  const error =
    result.status === "done"
      ? null
      : exhausted
        ? `gave up after ${row.attempts} attempts: ${result.reason}`
        : result.reason;
  return {
    idempotencyKey: row.idempotencyKey,
    status,
    attempts: row.attempts,
    nextAttemptAt: status === "retry" && result.status === "retry" ? now + Math.max(0, result.afterMs) : null,
    deliveredAt: status === "sent" ? now : null,
    response: result.response ?? null,
    error,
  };
}

/** Not sent: the customer unsubscribed from the channel after the message was queued. */
export const suppressed = (row: OutboxRow, channel: string): OutboxUpdate => ({
  idempotencyKey: row.idempotencyKey,
  status: "failed",
  attempts: row.attempts,
  nextAttemptAt: null,
  deliveredAt: null,
  response: { suppressed: channel },
  error: "unsubscribed",
});

/** Ops sends a failed delivery again, due now with its attempts reset; `keep` keeps what the last try left. */
export const requeued = (row: OutboxRow, now: number, keep: boolean): OutboxUpdate => ({
  idempotencyKey: row.idempotencyKey,
  status: "pending",
  attempts: 0,
  nextAttemptAt: now,
  deliveredAt: keep ? row.deliveredAt : null,
  response: keep ? row.response : null,
  error: null,
});

/** A claimed delivery handed back unsent (its receiver was busy), due again at `until` as if never claimed. */
export const deferred = (row: OutboxRow, until: number): OutboxUpdate => ({
  idempotencyKey: row.idempotencyKey,
  status: row.attempts > 1 ? "retry" : "pending",
  attempts: row.attempts - 1,
  nextAttemptAt: until,
  deliveredAt: null,
  response: row.response,
  error: row.error,
});
