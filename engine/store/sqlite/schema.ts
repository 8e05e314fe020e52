import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Times are integer milliseconds since the epoch; JSON columns are text.

export const customers = sqliteTable("customers", {
  id: text("id").primaryKey(),
  traits: text("traits").notNull().default("{}"),
  state: text("state").notNull().default("{}"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const events = sqliteTable(
  "events",
  {
    seq: integer("seq").primaryKey(),
    messageId: text("message_id"),
    customerId: text("customer_id").notNull(),
    type: text("type").notNull(),
    name: text("name").notNull(),
    properties: text("properties").notNull().default("{}"),
    timestamp: integer("ts").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    uniqueIndex("events_message_id").on(t.messageId),
    index("events_customer_name_ts").on(t.customerId, t.name, t.timestamp),
  ],
);

export const journeys = sqliteTable("journeys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  status: text("status").notNull(),
  draft: text("draft").notNull(),
  liveVersionId: integer("live_version_id"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const journeyVersions = sqliteTable(
  "journey_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    journeyId: text("journey_id").notNull(),
    version: integer("version").notNull(),
    doc: text("doc").notNull(),
    pins: text("pins").notNull().default("{}"),
    publishedAt: integer("published_at").notNull(),
  },
  (t) => [uniqueIndex("journey_versions_journey_version").on(t.journeyId, t.version)],
);

export const runs = sqliteTable(
  "runs",
  {
    id: integer("id").primaryKey(),
    journeyId: text("journey_id").notNull(),
    versionId: integer("version_id").notNull(),
    customerId: text("customer_id").notNull(),
    status: text("status").notNull(),
    nodeId: text("node_id").notNull(),
    port: text("port"),
    dueAt: integer("due_at"),
    held: integer("held").notNull().default(0),
    waitEvent: text("wait_event"),
    waitSince: integer("wait_since"),
    waitUntil: integer("wait_until"),
    visits: text("visits").notNull().default("{}"),
    ctx: text("ctx").notNull().default("{}"),
    enteredAt: integer("entered_at").notNull(),
    endedAt: integer("ended_at"),
    outcome: text("outcome"),
    stepSeq: integer("step_seq").notNull().default(0),
    leaseUntil: integer("lease_until"),
    leaseOwner: text("lease_owner"),
  },
  (t) => [
    // Only due, unheld runs are in this index, so the scheduler's scan touches nothing else.
    index("runs_due")
      .on(t.dueAt)
      .where(sql`due_at IS NOT NULL AND held = 0`),
    index("runs_customer").on(t.customerId, t.journeyId),
    index("runs_journey_status").on(t.journeyId, t.status, t.nodeId),
    // A customer is never in the same journey twice at once (spec: every re-entry mode).
    uniqueIndex("runs_one_active")
      .on(t.journeyId, t.customerId)
      .where(sql`status IN ('ready', 'waiting', 'acting')`),
  ],
);

export const steps = sqliteTable(
  "steps",
  {
    id: integer("id").primaryKey(),
    runId: integer("run_id").notNull(),
    journeyId: text("journey_id").notNull(),
    versionId: integer("version_id").notNull(),
    customerId: text("customer_id").notNull(),
    nodeId: text("node_id").notNull(),
    nodeType: text("node_type").notNull(),
    visit: integer("visit").notNull(),
    seq: integer("seq").notNull(),
    at: integer("at").notNull(),
    dueAt: integer("due_at"),
    port: text("port"),
    outcome: text("outcome").notNull(),
    reason: text("reason"),
    detail: text("detail"),
  },
  (t) => [
    // (run, seq) is unique: a crashed batch that is replayed cannot log a step twice.
    uniqueIndex("steps_run_seq").on(t.runId, t.seq),
    index("steps_journey_at").on(t.journeyId, t.at),
    index("steps_customer").on(t.customerId, t.at),
  ],
);

export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey(),
    idempotencyKey: text("idempotency_key").notNull(),
    runId: integer("run_id").notNull(),
    journeyId: text("journey_id").notNull(),
    versionId: integer("version_id").notNull(),
    nodeId: text("node_id").notNull(),
    visit: integer("visit").notNull(),
    customerId: text("customer_id").notNull(),
    action: text("action").notNull(),
    channel: text("channel"),
    template: text("template"),
    payload: text("payload").notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    leaseUntil: integer("lease_until"),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
    response: text("response"),
    error: text("error"),
    resumesRun: integer("resumes_run").notNull().default(0),
    // Who answers it: the claim skips receivers whose dispatcher lane is full (see claim-lanes.ts).
    receiver: text("receiver"),
  },
  (t) => [
    uniqueIndex("outbox_key").on(t.idempotencyKey),
    index("outbox_due")
      .on(t.nextAttemptAt)
      .where(sql`status IN ('pending', 'retry')`),
    // Deliveries caught mid-send by a crash: the claim takes them back when their lease runs out.
    index("outbox_sending")
      .on(t.leaseUntil)
      .where(sql`status = 'sending'`),
    index("outbox_customer_channel").on(t.customerId, t.createdAt),
    index("outbox_journey").on(t.journeyId, t.status),
  ],
);

export const entries = sqliteTable(
  "entries",
  {
    journeyId: text("journey_id").notNull(),
    customerId: text("customer_id").notNull(),
    lastEnteredAt: integer("last_entered_at").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.customerId] })],
);

export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * Consent: one row per customer and channel the customer unsubscribed from (`*` = every channel). A table,
 * not a trait, because identify events from outside systems replace traits wholesale and must never
 * resubscribe someone by accident; an unsubscribe also needs its own audit (when, how).
 */
export const suppressions = sqliteTable(
  "suppressions",
  {
    customerId: text("customer_id").notNull(),
    channel: text("channel").notNull(),
    reason: text("reason").notNull(),
    source: text("source"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.channel] })],
);

/** A coupon pool per offer: imported codes, or codes generated from a pattern such as `WB-####-????`. */
export const couponPools = sqliteTable("coupon_pools", {
  offer: text("offer").primaryKey(),
  pattern: text("pattern"),
  createdAt: integer("created_at").notNull(),
});

/**
 * Every code of every pool. A code is issued at most once (`issued_key` is set once, never cleared), and
 * one idempotency key gets one code per offer: a re-execution after a crash finds the code it was given.
 */
export const couponCodes = sqliteTable(
  "coupon_codes",
  {
    id: integer("id").primaryKey(),
    offer: text("offer").notNull(),
    code: text("code").notNull(),
    issuedKey: text("issued_key"),
    customerId: text("customer_id"),
    issuedAt: integer("issued_at"),
  },
  (t) => [
    uniqueIndex("coupon_codes_offer_code").on(t.offer, t.code),
    uniqueIndex("coupon_codes_issued")
      .on(t.offer, t.issuedKey, t.customerId)
      .where(sql`issued_key IS NOT NULL`),
    // The free codes of a pool, in order: issuing takes the first one.
    index("coupon_codes_free")
      .on(t.offer, t.id)
      .where(sql`issued_key IS NULL`),
  ],
);
