import type pg from "pg";
import type { CustomerSearch, OutboxStatus, RunStatus, StepQuery } from "../types";
import type { CustomerRecord, OutboxRecord, RunRecord, StepRecord } from "./codec";
import { RUN_COLUMNS } from "./codec";

/** The ops views' filtered lists: built per query from the filters given, in id order after a cursor. */

class Where {
  private readonly conds: string[] = [];
  readonly params: unknown[] = [];
  /** `cond` uses `?` for its one parameter; skipped when `value` is undefined. */
  add(cond: string, value: unknown): this {
    if (value !== undefined) {
      this.params.push(value);
      this.conds.push(cond.replace("?", `$${this.params.length}`));
    }
    return this;
  }
  addIf(when: boolean, cond: string): this {
    if (when) this.conds.push(cond);
    return this;
  }
  sql(): string {
    return this.conds.length > 0 ? `WHERE ${this.conds.join(" AND ")}` : "";
  }
  limit(n: number): string {
    this.params.push(n);
    return `LIMIT $${this.params.length}`;
  }
}

export async function selectRuns(
  db: pg.Pool,
  q: { journeyId?: string; customerId?: string; status?: RunStatus; limit?: number },
): Promise<RunRecord[]> {
  const w = new Where()
    .add("journey_id = ?", q.journeyId)
    .add("customer_id = ?", q.customerId)
    .add("status = ?", q.status);
  const text = `SELECT ${RUN_COLUMNS} FROM runs ${w.sql()} ORDER BY id ${w.limit(q.limit ?? 1000)}`;
  return (await db.query<RunRecord>(text, w.params)).rows;
}

export async function selectSteps(db: pg.Pool, q: StepQuery): Promise<StepRecord[]> {
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
  const text = `SELECT * FROM steps ${w.sql()} ORDER BY id ${w.limit(q.limit ?? 1000)}`;
  return (await db.query<StepRecord>(text, w.params)).rows;
}

export async function selectOutbox(
  db: pg.Pool,
  q: {
    status?: OutboxStatus;
    customerId?: string;
    journeyId?: string;
    channel?: string;
    after?: number;
    limit?: number;
  },
): Promise<OutboxRecord[]> {
  const w = new Where()
    .add("status = ?", q.status)
    .add("customer_id = ?", q.customerId)
    .add("journey_id = ?", q.journeyId)
    // A delivery without a channel (a webhook, a custom action) is found by its action type.
    .add("coalesce(channel, action) = ?", q.channel)
    .add("id > ?", q.after);
  const text = `SELECT * FROM outbox ${w.sql()} ORDER BY id ${w.limit(q.limit ?? 1000)}`;
  return (await db.query<OutboxRecord>(text, w.params)).rows;
}

/** Customers whose id, email, name or phone contains `q` (case-insensitive, wildcards escaped). */
export async function searchCustomers(db: pg.Pool, q: CustomerSearch): Promise<CustomerRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.after !== undefined) {
    params.push(q.after);
    where.push(`id > $${params.length}`);
  }
  if (q.q !== undefined && q.q !== "") {
    params.push(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const p = `$${params.length}`;
    where.push(
      `(id ILIKE ${p} OR traits ->> 'email' ILIKE ${p} OR traits ->> 'name' ILIKE ${p} OR traits ->> 'phone' ILIKE ${p})`,
    );
  }
  params.push(q.limit);
  const text = `SELECT * FROM customers ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id LIMIT $${params.length}`;
  return (await db.query<CustomerRecord>(text, params)).rows;
}
