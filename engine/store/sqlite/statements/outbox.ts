import type { OutboxRecord } from "../codec";
import type { Prepare } from "./prepare";

/** The outbox: rows written by commits, claimed by the dispatcher under a lease, their results recorded. */
export const outboxStatements = (p: Prepare) => ({
  insertOutbox: p(
    "INSERT INTO outbox (idempotency_key, run_id, journey_id, version_id, node_id, visit, customer_id, action, channel, template, payload, status, attempts, next_attempt_at, created_at, delivered_at, response, error, resumes_run, receiver) VALUES (@idempotency_key, @run_id, @journey_id, @version_id, @node_id, @visit, @customer_id, @action, @channel, @template, @payload, @status, @attempts, @next_attempt_at, @created_at, @delivered_at, @response, @error, @resumes_run, @receiver) ON CONFLICT (idempotency_key) DO NOTHING",
  ),
  updateOutbox: p(
    "UPDATE outbox SET status = @status, attempts = @attempts, next_attempt_at = @next_attempt_at, delivered_at = @delivered_at, response = @response, error = @error, lease_until = NULL WHERE idempotency_key = @idempotency_key",
  ),
  countDeliveries: p<{ n: number }>(
    "SELECT count(*) AS n FROM outbox WHERE customer_id = ? AND created_at >= ? AND status != 'failed' AND channel IN (SELECT value FROM json_each(?))",
  ),
  // A paused journey's deliveries wait in the outbox too: pausing stops sends already handed off.
  // Two branches, each on its partial index (outbox_sending, outbox_due), instead of one OR that makes
  // SQLite scan every delivered row; expired leases first, then the earliest due. Each branch walks at most
  // @scan rows, skipping full receivers (@full), and the cut keeps each receiver within its free slots
  // (@slots, else @per): see claim-lanes.ts.
  claimOutbox: p<OutboxRecord>(
    `UPDATE outbox SET status = 'sending', attempts = attempts + 1, lease_until = @lease WHERE id IN (
       SELECT id FROM (
         SELECT id, k, due, lane, row_number() OVER (PARTITION BY lane ORDER BY k, due, id) AS rn FROM (
           SELECT 0 AS k, id, due, lane FROM (
             SELECT id, lease_until AS due, coalesce(receiver, '') AS lane FROM outbox
             WHERE status = 'sending' AND lease_until < @now
               AND journey_id NOT IN (SELECT id FROM journeys WHERE status = 'paused')
               AND coalesce(receiver, '') NOT IN (SELECT value FROM json_each(@full))
             ORDER BY lease_until LIMIT @scan)
           UNION ALL
           SELECT 1 AS k, id, due, lane FROM (
             SELECT id, next_attempt_at AS due, coalesce(receiver, '') AS lane FROM outbox
             WHERE status IN ('pending', 'retry') AND next_attempt_at <= @now
               AND journey_id NOT IN (SELECT id FROM journeys WHERE status = 'paused')
               AND coalesce(receiver, '') NOT IN (SELECT value FROM json_each(@full))
             ORDER BY next_attempt_at LIMIT @scan)))
       WHERE rn <= coalesce((SELECT value FROM json_each(@slots) WHERE key = lane), @per)
       ORDER BY k, due, id LIMIT @limit) RETURNING *`,
  ),
  nextOutboxDue: p<{ due: number | null }>(
    `SELECT min(due) AS due FROM (
       SELECT min(next_attempt_at) AS due FROM outbox WHERE status IN ('pending', 'retry')
         AND journey_id NOT IN (SELECT id FROM journeys WHERE status = 'paused')
       UNION ALL
       SELECT min(lease_until) FROM outbox WHERE status = 'sending')`,
  ),
  getOutbox: p<OutboxRecord>("SELECT * FROM outbox WHERE idempotency_key = ?"),
  // A delivery caught mid-send is sent again with the same idempotency key, so the provider can drop it.
  releaseOutboxLeases: p("UPDATE outbox SET lease_until = 0 WHERE status = 'sending'"),
  // Deliveries no run waited for that failed for good (an unsubscribe is a skip, not a failure).
  countDetachedFailures: p<{ n: number }>(
    "SELECT count(*) AS n FROM outbox WHERE journey_id = ? AND status = 'failed' AND resumes_run = 0 AND coalesce(error, '') != 'unsubscribed'",
  ),
  countOutboxByStatus: p<{ status: string; n: number }>(
    "SELECT status, count(*) AS n FROM outbox GROUP BY status",
  ),
});
