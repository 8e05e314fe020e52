import type { SqliteStore } from "./store";

/**
 * Bulk loading of finished history for the history benchmark (bench/history.ts): `steps` run-log rows of
 * ended runs (ten per run), one delivered outbox row per run and half as many stored events as steps,
 * written by INSERT … SELECT over a counter in one transaction per table. Not for production data: it
 * bypasses the engine.
 */
export function loadFinishedHistory(
  store: SqliteStore,
  steps: number,
  start: number,
): Record<string, number> {
  const db = store.db;
  const counter = (count: number) =>
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${Math.floor(count)})`;
  const runs = Math.ceil(steps / 10);
  const out: Record<string, number> = {};
  const load = (table: string, sql: string): void => {
    out[table] = db.transaction(() => db.prepare(sql).run({ start }).changes)();
  };
  load(
    "runs",
    `${counter(runs)} INSERT INTO runs (id, journey_id, version_id, customer_id, status, node_id, visits, ctx, entered_at, ended_at, outcome, step_seq)
     SELECT 2000000000 + i, 'history', 1, 'h' || i, 'completed', 'x', '{}', '{}', @start + i, @start + i + 1000, 'completed', 10 FROM n`,
  );
  load(
    "steps",
    `${counter(steps)} INSERT INTO steps (run_id, journey_id, version_id, customer_id, node_id, node_type, visit, seq, at, outcome, detail)
     SELECT 2000000000 + i / 10, 'history', 1, 'h' || (i / 10), 'n' || (i % 10), 'condition', 1, i % 10, @start + i, 'executed', '{"explain":[]}' FROM n`,
  );
  load(
    "outbox",
    `${counter(runs)} INSERT INTO outbox (idempotency_key, run_id, journey_id, version_id, node_id, visit, customer_id, action, channel, payload, status, attempts, created_at, delivered_at, response)
     SELECT 'history:' || i, 2000000000 + i, 'history', 1, 'n9', 1, 'h' || i, 'email', 'email', '{"rendered":{"subject":"Hi"}}', 'sent', 1, @start + i, @start + i + 500, '{"status":250}' FROM n`,
  );
  load(
    "events",
    `${counter(steps / 2)} INSERT INTO events (message_id, customer_id, type, name, properties, ts, received_at)
     SELECT 'history:' || i, 'h' || (i / 5), 'track', CASE WHEN i % 5 = 0 THEN 'order_completed' ELSE 'product_viewed' END, '{}', @start + i, @start + i FROM n`,
  );
  return out;
}
