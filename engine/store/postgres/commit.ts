// Longer than the house limit on purpose: one function per WriteSet table, each a single unnest() statement;
// splitting them apart would scatter the one transaction a commit is.
import type pg from "pg";
import type { WriteSet } from "../types";
import { j } from "./codec";
import { prepared, run } from "./connect";
import { applyResults } from "./results-commit";

/**
 * One commit's writes as a handful of statements: each table's rows go in one `unnest` of column arrays
 * (one round trip per table, not per row), each a named prepared statement. Upserts take the last row per
 * key, as the embedded store's row-by-row upserts leave it.
 */

/** Channel of the wake-up notification: its payload is the earliest due time the commit wrote. */
export const DUE_CHANNEL = "rekindle_due";

const S = {
  events: prepared(
    `INSERT INTO events (message_id, customer_id, type, name, properties, ts, received_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::json[], $6::bigint[], $7::bigint[])
     ON CONFLICT (message_id) DO NOTHING`,
  ),
  customers: prepared(
    `INSERT INTO customers (id, traits, state, created_at, updated_at)
     SELECT * FROM unnest($1::text[], $2::json[], $3::json[], $4::bigint[], $5::bigint[])
     ON CONFLICT (id) DO UPDATE SET traits = excluded.traits, state = excluded.state, updated_at = excluded.updated_at`,
  ),
  runUpdates: prepared(
    `UPDATE runs r SET status = u.status, node_id = u.node_id, port = u.port, due_at = u.due_at, held = u.held,
       wait_event = u.wait_event, wait_since = u.wait_since, wait_until = u.wait_until, visits = u.visits,
       ctx = u.ctx, ended_at = u.ended_at, outcome = u.outcome, step_seq = u.step_seq,
       lease_until = NULL, lease_owner = NULL
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bool[], $7::text[],
       $8::bigint[], $9::bigint[], $10::json[], $11::json[], $12::bigint[], $13::text[], $14::int[])
       AS u(id, status, node_id, port, due_at, held, wait_event, wait_since, wait_until, visits, ctx, ended_at,
         outcome, step_seq)
     WHERE r.id = u.id`,
  ),
  newRuns: prepared(
    `INSERT INTO runs (id, journey_id, version_id, customer_id, entered_at, status, node_id, port, due_at, held,
       wait_event, wait_since, wait_until, visits, ctx, ended_at, outcome, step_seq)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::text[],
       $7::text[], $8::text[], $9::bigint[], $10::bool[], $11::text[], $12::bigint[], $13::bigint[],
       $14::json[], $15::json[], $16::bigint[], $17::text[], $18::int[])`,
  ),
  releaseRuns: prepared(
    "UPDATE runs SET lease_until = NULL, lease_owner = NULL WHERE id = ANY($1::bigint[])",
  ),
  steps: prepared(
    `INSERT INTO steps (run_id, journey_id, version_id, customer_id, node_id, node_type, visit, seq, at, due_at,
       port, outcome, reason, detail)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::int[],
       $8::int[], $9::bigint[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::json[])`,
  ),
  outbox: prepared(
    `INSERT INTO outbox (idempotency_key, run_id, journey_id, version_id, node_id, visit, customer_id, action,
       channel, template, payload, status, attempts, next_attempt_at, created_at, delivered_at, response, error,
       resumes_run, receiver)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::int[], $7::text[],
       $8::text[], $9::text[], $10::text[], $11::json[], $12::text[], $13::int[], $14::bigint[], $15::bigint[],
       $16::bigint[], $17::json[], $18::text[], $19::bool[], $20::text[])
     ON CONFLICT (idempotency_key) DO NOTHING`,
  ),
  outboxUpdates: prepared(
    `UPDATE outbox o SET status = u.status, attempts = u.attempts, next_attempt_at = u.next_attempt_at,
       delivered_at = u.delivered_at, response = u.response, error = u.error, lease_until = NULL
     FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::json[], $7::text[])
       AS u(key, status, attempts, next_attempt_at, delivered_at, response, error)
     WHERE o.idempotency_key = u.key`,
  ),
  entries: prepared(
    `INSERT INTO entries (journey_id, customer_id, last_entered_at, count)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[])
     ON CONFLICT (journey_id, customer_id) DO UPDATE
       SET last_entered_at = excluded.last_entered_at, count = excluded.count`,
  ),
  timers: prepared(
    `INSERT INTO timers (kind, key, slot, due_at, done_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
     ON CONFLICT DO NOTHING`,
  ),
  timersDone: prepared(
    `UPDATE timers t SET done_at = u.done_at, lease_until = NULL
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS u(kind, key, slot, done_at)
     WHERE t.kind = u.kind AND t.key = u.key AND t.slot = u.slot`,
  ),
  notify: prepared(`SELECT pg_notify('${DUE_CHANNEL}', $1)`),
};

/** The last element per key, in first-seen order (a later row for a key replaces the earlier one). */
function lastPerKey<T>(rows: readonly T[], key: (r: T) => string | number): T[] {
  const m = new Map<string | number, T>();
  for (const r of rows) m.set(key(r), r);
  return [...m.values()];
}
const cols = <T>(rows: readonly T[], ...fs: ((r: T) => unknown)[]): unknown[][] => fs.map((f) => rows.map(f));

/** Applies one WriteSet inside the caller's transaction, in the embedded store's order. */
export async function applyWrites(c: pg.PoolClient, w: WriteSet): Promise<void> {
  if (w.events?.length)
    await run(
      c,
      S.events,
      cols(
        w.events,
        (e) => e.messageId,
        (e) => e.customerId,
        (e) => e.type,
        (e) => e.name,
        (e) => j(e.properties),
        (e) => e.timestamp,
        (e) => e.receivedAt,
      ),
    );
  if (w.customers?.length)
    await run(
      c,
      S.customers,
      cols(
        lastPerKey(w.customers, (r) => r.id),
        (r) => r.id,
        (r) => j(r.traits),
        (r) => j(r.state),
        (r) => r.createdAt,
        (r) => r.updatedAt,
      ),
    );
  // Updates first: a run that ended in this batch must leave `runs_one_active` before its successor
  // (re-entry in the same ingest batch) is inserted.
  if (w.runUpdates?.length)
    await run(
      c,
      S.runUpdates,
      cols(
        lastPerKey(w.runUpdates, (r) => r.id),
        (r) => r.id,
        (r) => r.status,
        (r) => r.nodeId,
        (r) => r.port,
        (r) => r.dueAt,
        (r) => r.held,
        (r) => r.waitEvent,
        (r) => r.waitSince,
        (r) => r.waitUntil,
        (r) => j(r.visits),
        (r) => j(r.ctx),
        (r) => r.endedAt,
        (r) => r.outcome,
        (r) => r.stepSeq,
      ),
    );
  if (w.newRuns?.length)
    await run(
      c,
      S.newRuns,
      cols(
        w.newRuns,
        (r) => r.id,
        (r) => r.journeyId,
        (r) => r.versionId,
        (r) => r.customerId,
        (r) => r.enteredAt,
        (r) => r.status,
        (r) => r.nodeId,
        (r) => r.port,
        (r) => r.dueAt,
        (r) => r.held,
        (r) => r.waitEvent,
        (r) => r.waitSince,
        (r) => r.waitUntil,
        (r) => j(r.visits),
        (r) => j(r.ctx),
        (r) => r.endedAt,
        (r) => r.outcome,
        (r) => r.stepSeq,
      ),
    );
  if (w.releaseRuns?.length) await run(c, S.releaseRuns, [w.releaseRuns]);
  if (w.steps?.length)
    await run(
      c,
      S.steps,
      cols(
        w.steps,
        (s) => s.runId,
        (s) => s.journeyId,
        (s) => s.versionId,
        (s) => s.customerId,
        (s) => s.nodeId,
        (s) => s.nodeType,
        (s) => s.visit,
        (s) => s.seq,
        (s) => s.at,
        (s) => s.dueAt,
        (s) => s.port,
        (s) => s.outcome,
        (s) => s.reason,
        (s) => j(s.detail),
      ),
    );
  if (w.outbox?.length)
    await run(
      c,
      S.outbox,
      cols(
        w.outbox,
        (o) => o.idempotencyKey,
        (o) => o.runId,
        (o) => o.journeyId,
        (o) => o.versionId,
        (o) => o.nodeId,
        (o) => o.visit,
        (o) => o.customerId,
        (o) => o.action,
        (o) => o.channel,
        (o) => o.template,
        (o) => j(o.payload),
        (o) => o.status,
        (o) => o.attempts,
        (o) => o.nextAttemptAt,
        (o) => o.createdAt,
        (o) => o.deliveredAt,
        (o) => j(o.response),
        (o) => o.error,
        (o) => o.resumesRun,
        (o) => o.receiver ?? null,
      ),
    );
  if (w.outboxUpdates?.length)
    await run(
      c,
      S.outboxUpdates,
      cols(
        lastPerKey(w.outboxUpdates, (u) => u.idempotencyKey),
        (u) => u.idempotencyKey,
        (u) => u.status,
        (u) => u.attempts,
        (u) => u.nextAttemptAt,
        (u) => u.deliveredAt,
        (u) => j(u.response),
        (u) => u.error,
      ),
    );
  if (w.entries?.length)
    await run(
      c,
      S.entries,
      cols(
        lastPerKey(w.entries, (e) => `${e.journeyId}\u0000${e.customerId}`),
        (e) => e.journeyId,
        (e) => e.customerId,
        (e) => e.lastEnteredAt,
        (e) => e.count,
      ),
    );
  await applyResults(c, w);
  await applyTimers(c, w);
  await notifyDue(c, w);
}

async function applyTimers(c: pg.PoolClient, w: WriteSet): Promise<void> {
  if (w.timers?.length)
    await run(
      c,
      S.timers,
      cols(
        w.timers,
        (t) => t.kind,
        (t) => t.key,
        (t) => t.slot,
        (t) => t.dueAt,
        (t) => t.doneAt,
      ),
    );
  if (w.timersDone?.length)
    await run(
      c,
      S.timersDone,
      cols(
        lastPerKey(w.timersDone, (d) => `${d.kind}\u0000${d.key}\u0000${d.slot}`),
        (d) => d.kind,
        (d) => d.key,
        (d) => d.slot,
        (d) => d.doneAt,
      ),
    );
}

/** Wakes every sleeping worker (LISTEN) whose next due time is later than work this commit scheduled. */
async function notifyDue(c: pg.PoolClient, w: WriteSet): Promise<void> {
  let earliest = Infinity;
  for (const r of w.newRuns ?? []) if (r.dueAt !== null && !r.held) earliest = Math.min(earliest, r.dueAt);
  for (const r of w.runUpdates ?? []) if (r.dueAt !== null && !r.held) earliest = Math.min(earliest, r.dueAt);
  for (const o of w.outbox ?? [])
    if (o.nextAttemptAt !== null) earliest = Math.min(earliest, o.nextAttemptAt);
  for (const u of w.outboxUpdates ?? [])
    if (u.nextAttemptAt !== null && (u.status === "retry" || u.status === "pending"))
      earliest = Math.min(earliest, u.nextAttemptAt);
  for (const t of w.timers ?? []) if (t.doneAt === null) earliest = Math.min(earliest, t.dueAt);
  if (earliest !== Infinity) await run(c, S.notify, [String(earliest)]);
}
