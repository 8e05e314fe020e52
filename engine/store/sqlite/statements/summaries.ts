import type { Prepare } from "./prepare";

/** The key/value `meta` table and the summaries computed in SQL (churn response, survey counts). */
export const summaryStatements = (p: Prepare) => ({
  getMeta: p<{ value: string }>("SELECT value FROM meta WHERE key = ?"),
  setMeta: p(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  ),
  // One row per signal; the first sent message per customer at or after it (outbox_customer_channel
  // narrows the subquery to the customer's deliveries).
  signalResponses: p<{
    seq: number;
    customer_id: string;
    ts: number;
    reason: unknown;
    journey_id: string | null;
    delivered_at: number | null;
  }>(
    `SELECT e.seq, e.customer_id, e.ts, json_extract(e.properties, '$.reason') AS reason, o.journey_id, o.delivered_at
     FROM events e
     LEFT JOIN outbox o ON o.id = (
       SELECT x.id FROM outbox x
       WHERE x.customer_id = e.customer_id AND x.status = 'sent' AND x.channel IS NOT NULL
         AND x.delivered_at IS NOT NULL AND x.delivered_at >= e.ts
       ORDER BY x.delivered_at, x.id LIMIT 1)
     WHERE e.name = ? AND e.ts >= ? AND e.ts < ?
     ORDER BY e.ts, e.seq`,
  ),
  surveyInvitations: p<{ n: number }>(
    `SELECT count(*) AS n FROM outbox WHERE journey_id = ? AND status = 'sent'
     AND (lower(coalesce(template, '')) LIKE '%survey%' OR json_extract(payload, '$.config.surveyUrl') IS NOT NULL)`,
  ),
  surveyResponses: p<{ n: number }>(
    "SELECT count(*) AS n FROM events WHERE name = ? AND json_extract(properties, '$.journeyId') = ?",
  ),
  ping: p<{ one: number }>("SELECT 1 AS one"),
});
