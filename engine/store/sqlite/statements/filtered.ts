import type Database from "better-sqlite3";
import type { CustomerRecord, OutboxRecord, RunRecord, StepRecord } from "../codec";
import type { CustomerSearch, OutboxStatus, RunStatus, StepQuery } from "../../types";
import { Where } from "../where";
import { RUN_COLUMNS } from "./runs";

/** The ops views' filtered lists: built per query from the filters given, in id order after a cursor. */

export function selectRuns(
  db: Database.Database,
  q: { journeyId?: string; customerId?: string; status?: RunStatus; limit?: number },
): RunRecord[] {
  const w = new Where()
    .add("journey_id = ?", q.journeyId)
    .add("customer_id = ?", q.customerId)
    .add("status = ?", q.status);
  return db
    .prepare<unknown[], RunRecord>(`SELECT ${RUN_COLUMNS} FROM runs ${w.sql()} ORDER BY id LIMIT ?`)
    .all(...w.params, q.limit ?? 1000);
}

export function selectSteps(db: Database.Database, q: StepQuery): StepRecord[] {
  const w = new Where()
    .add("journey_id = ?", q.journeyId)
    .add("version_id = ?", q.versionId)
    .add("node_id = ?", q.nodeId)
    .add("customer_id = ?", q.customerId)
    .add("run_id = ?", q.runId)
    .add("outcome = ?", q.outcome)
    .add("reason = ?", q.reason)
    .addIf(q.failed === true, "outcome = 'failed'")
    .addIf(q.failed === false, "outcome != 'failed'")
    .add("at >= ?", q.from)
    .add("at < ?", q.to)
    .add("id > ?", q.after);
  return db
    .prepare<unknown[], StepRecord>(`SELECT * FROM steps ${w.sql()} ORDER BY id LIMIT ?`)
    .all(...w.params, q.limit ?? 1000);
}

export function selectOutbox(
  db: Database.Database,
  q: {
    status?: OutboxStatus;
    customerId?: string;
    journeyId?: string;
    channel?: string;
    after?: number;
    limit?: number;
  },
): OutboxRecord[] {
  const w = new Where()
    .add("status = ?", q.status)
    .add("customer_id = ?", q.customerId)
    .add("journey_id = ?", q.journeyId)
    // A delivery without a channel (a webhook, a custom action) is found by its action type.
    .add("coalesce(channel, action) = ?", q.channel)
    .add("id > ?", q.after);
  return db
    .prepare<unknown[], OutboxRecord>(`SELECT * FROM outbox ${w.sql()} ORDER BY id LIMIT ?`)
    .all(...w.params, q.limit ?? 1000);
}

/** Customers whose id, email, name or phone contains `q` (case-insensitive LIKE, wildcards escaped). */
export function searchCustomers(db: Database.Database, q: CustomerSearch): CustomerRecord[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.after !== undefined) {
    where.push("id > ?");
    params.push(q.after);
  }
  if (q.q !== undefined && q.q !== "") {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      "(id LIKE ? ESCAPE '\\' OR json_extract(traits, '$.email') LIKE ? ESCAPE '\\' OR json_extract(traits, '$.name') LIKE ? ESCAPE '\\' OR json_extract(traits, '$.phone') LIKE ? ESCAPE '\\')",
    );
    params.push(like, like, like, like);
  }
  params.push(q.limit);
  return db
    .prepare<unknown[], CustomerRecord>(
      `SELECT * FROM customers ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id LIMIT ?`,
    )
    .all(...params);
}
