// Longer than the house limit on purpose: the whole PostgreSQL schema in one drizzle file, as migrations
// are generated from it; it mirrors the SQLite schema table for table.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * The PostgreSQL schema: the same tables as the embedded store's (engine/store/sqlite/schema.ts plus its
 * results ledger and admin tables), in one migrations folder. Times are bigint milliseconds since the epoch.
 * JSON columns are `json`, not `jsonb`: stored as written, so key order (and what the engine reads back)
 * is the same on both stores. Text compares bytewise (`COLLATE "C"`), like SQLite's, so cursors over ids
 * page the same way whatever the database's locale.
 */
const text = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });
const ms = (name: string) => bigint(name, { mode: "number" });

export const customers = pgTable("customers", {
  id: text("id").primaryKey(),
  traits: json("traits").notNull().default({}),
  state: json("state").notNull().default({}),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

export const events = pgTable(
  "events",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    messageId: text("message_id"),
    customerId: text("customer_id").notNull(),
    type: text("type").notNull(),
    name: text("name").notNull(),
    properties: json("properties").notNull().default({}),
    timestamp: ms("ts").notNull(),
    receivedAt: ms("received_at").notNull(),
  },
  (t) => [
    uniqueIndex("events_message_id").on(t.messageId),
    index("events_customer_name_ts").on(t.customerId, t.name, t.timestamp),
    index("events_ts").on(t.timestamp),
  ],
);

export const journeys = pgTable("journeys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  status: text("status").notNull(),
  draft: json("draft").notNull(),
  liveVersionId: bigint("live_version_id", { mode: "number" }),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

export const journeyVersions = pgTable(
  "journey_versions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    journeyId: text("journey_id").notNull(),
    version: integer("version").notNull(),
    doc: json("doc").notNull(),
    pins: json("pins").notNull().default({}),
    publishedAt: ms("published_at").notNull(),
  },
  (t) => [uniqueIndex("journey_versions_journey_version").on(t.journeyId, t.version)],
);

export const runs = pgTable(
  "runs",
  {
    id: bigint("id", { mode: "number" }).primaryKey(),
    journeyId: text("journey_id").notNull(),
    versionId: bigint("version_id", { mode: "number" }).notNull(),
    customerId: text("customer_id").notNull(),
    status: text("status").notNull(),
    nodeId: text("node_id").notNull(),
    port: text("port"),
    dueAt: ms("due_at"),
    held: boolean("held").notNull().default(false),
    waitEvent: text("wait_event"),
    waitSince: ms("wait_since"),
    waitUntil: ms("wait_until"),
    visits: json("visits").notNull().default({}),
    ctx: json("ctx").notNull().default({}),
    enteredAt: ms("entered_at").notNull(),
    endedAt: ms("ended_at"),
    outcome: text("outcome"),
    stepSeq: integer("step_seq").notNull().default(0),
    leaseUntil: ms("lease_until"),
    leaseOwner: text("lease_owner"),
  },
  (t) => [
    // Only due, unheld runs are in this index, so every worker's claim touches nothing else.
    index("runs_due")
      .on(t.dueAt)
      .where(sql`due_at IS NOT NULL AND NOT held`),
    index("runs_customer").on(t.customerId, t.journeyId),
    index("runs_journey_status").on(t.journeyId, t.status, t.nodeId),
    // The results report's exited counts, from the index alone.
    index("runs_journey_exited")
      .on(t.journeyId, t.endedAt, t.enteredAt, t.versionId)
      .where(sql`status = 'exited'`),
    uniqueIndex("runs_one_active")
      .on(t.journeyId, t.customerId)
      .where(sql`status IN ('ready', 'waiting', 'acting')`),
  ],
);

/** Run ids are handed out in blocks (hi/lo): one row, advanced under its row lock. */
export const idBlocks = pgTable("id_blocks", {
  name: text("name").primaryKey(),
  next: bigint("next", { mode: "number" }).notNull(),
});

export const steps = pgTable(
  "steps",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    runId: bigint("run_id", { mode: "number" }).notNull(),
    journeyId: text("journey_id").notNull(),
    versionId: bigint("version_id", { mode: "number" }).notNull(),
    customerId: text("customer_id").notNull(),
    nodeId: text("node_id").notNull(),
    nodeType: text("node_type").notNull(),
    visit: integer("visit").notNull(),
    seq: integer("seq").notNull(),
    at: ms("at").notNull(),
    dueAt: ms("due_at"),
    port: text("port"),
    outcome: text("outcome").notNull(),
    reason: text("reason"),
    detail: json("detail"),
  },
  (t) => [
    uniqueIndex("steps_run_seq").on(t.runId, t.seq),
    index("steps_journey_at").on(t.journeyId, t.at),
    index("steps_customer").on(t.customerId, t.at),
  ],
);

export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    idempotencyKey: text("idempotency_key").notNull(),
    runId: bigint("run_id", { mode: "number" }).notNull(),
    journeyId: text("journey_id").notNull(),
    versionId: bigint("version_id", { mode: "number" }).notNull(),
    nodeId: text("node_id").notNull(),
    visit: integer("visit").notNull(),
    customerId: text("customer_id").notNull(),
    action: text("action").notNull(),
    channel: text("channel"),
    template: text("template"),
    payload: json("payload").notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ms("next_attempt_at"),
    leaseUntil: ms("lease_until"),
    createdAt: ms("created_at").notNull(),
    deliveredAt: ms("delivered_at"),
    response: json("response"),
    error: text("error"),
    resumesRun: boolean("resumes_run").notNull().default(false),
    // Who answers it: the claim skips receivers whose dispatcher lane is full (see claim-lanes.ts).
    receiver: text("receiver"),
  },
  (t) => [
    uniqueIndex("outbox_key").on(t.idempotencyKey),
    index("outbox_due")
      .on(t.nextAttemptAt)
      .where(sql`status IN ('pending', 'retry')`),
    index("outbox_sending")
      .on(t.leaseUntil)
      .where(sql`status = 'sending'`),
    index("outbox_customer_channel").on(t.customerId, t.createdAt),
    index("outbox_journey").on(t.journeyId, t.status),
    // The results report's delivered counts, from the index alone.
    index("outbox_journey_sent")
      .on(t.journeyId, t.deliveredAt, t.runId)
      .where(sql`status = 'sent'`),
    index("outbox_run").on(t.runId),
  ],
);

export const entries = pgTable(
  "entries",
  {
    journeyId: text("journey_id").notNull(),
    customerId: text("customer_id").notNull(),
    lastEnteredAt: ms("last_entered_at").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.journeyId, t.customerId] })],
);

export const meta = pgTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export const suppressions = pgTable(
  "suppressions",
  {
    customerId: text("customer_id").notNull(),
    channel: text("channel").notNull(),
    reason: text("reason").notNull(),
    source: text("source"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.channel] })],
);

export const couponPools = pgTable("coupon_pools", {
  offer: text("offer").primaryKey(),
  pattern: text("pattern"),
  createdAt: ms("created_at").notNull(),
});

export const couponCodes = pgTable(
  "coupon_codes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    offer: text("offer").notNull(),
    code: text("code").notNull(),
    issuedKey: text("issued_key"),
    customerId: text("customer_id"),
    issuedAt: ms("issued_at"),
  },
  (t) => [
    uniqueIndex("coupon_codes_offer_code").on(t.offer, t.code),
    uniqueIndex("coupon_codes_issued")
      .on(t.offer, t.issuedKey, t.customerId)
      .where(sql`issued_key IS NOT NULL`),
    index("coupon_codes_free")
      .on(t.offer, t.id)
      .where(sql`issued_key IS NULL`),
  ],
);

// ---- results ledger (spec §4), written in the commit that causes it ----

export const resultEntries = pgTable(
  "result_entries",
  {
    journeyId: text("journey_id").notNull(),
    enteredAt: ms("entered_at").notNull(),
    runId: bigint("run_id", { mode: "number" }).notNull(),
    versionId: bigint("version_id", { mode: "number" }).notNull(),
    customerId: text("customer_id").notNull(),
    goalEvent: text("goal_event"),
    windowEnd: ms("window_end").notNull(),
    convertedAt: ms("converted_at"),
    revenue: doublePrecision("revenue").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.journeyId, t.enteredAt, t.runId] }),
    uniqueIndex("result_entries_run").on(t.runId),
    index("result_entries_open")
      .on(t.customerId, t.windowEnd)
      .where(sql`converted_at IS NULL AND goal_event IS NOT NULL`),
  ],
);

export const resultAssignments = pgTable(
  "result_assignments",
  {
    journeyId: text("journey_id").notNull(),
    enteredAt: ms("entered_at").notNull(),
    runId: bigint("run_id", { mode: "number" }).notNull(),
    nodeId: text("node_id").notNull(),
    arm: text("arm").notNull(),
    reason: text("reason").notNull(),
    versionId: bigint("version_id", { mode: "number" }).notNull(),
    windowEnd: ms("window_end").notNull(),
    convertedAt: ms("converted_at"),
    revenue: doublePrecision("revenue").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.journeyId, t.enteredAt, t.runId, t.nodeId] }),
    index("result_assignments_run").on(t.runId),
  ],
);

/**
 * The ledger's daily counters, kept in the same commit (see engine/store/results-days.ts): per journey, UTC
 * entry day, version, split node, arm and reason ('' for the whole journey) the entries, conversions, revenue,
 * squared revenue and the latest goal-window end; per arm, conversions by conversion day for the timeline.
 * Migration 0002 back-fills them from the ledger.
 */
export const resultDaily = pgTable(
  "result_daily",
  {
    journeyId: text("journey_id").notNull(),
    day: integer("day").notNull(),
    versionId: bigint("version_id", { mode: "number" }).notNull(),
    nodeId: text("node_id").notNull(),
    arm: text("arm").notNull(),
    reason: text("reason").notNull(),
    entered: bigint("entered", { mode: "number" }).notNull().default(0),
    converted: bigint("converted", { mode: "number" }).notNull().default(0),
    revenue: doublePrecision("revenue").notNull().default(0),
    revenueSquares: doublePrecision("revenue_squares").notNull().default(0),
    windowEndMax: ms("window_end_max").notNull(),
  },
  (t) => [
    primaryKey({
      name: "result_daily_pk",
      columns: [t.journeyId, t.day, t.versionId, t.nodeId, t.arm, t.reason],
    }),
  ],
);

export const resultDailyConversions = pgTable(
  "result_daily_conversions",
  {
    journeyId: text("journey_id").notNull(),
    day: integer("day").notNull(),
    versionId: bigint("version_id", { mode: "number" }).notNull(),
    nodeId: text("node_id").notNull(),
    arm: text("arm").notNull(),
    convDay: integer("conv_day").notNull(),
    converted: bigint("converted", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({
      name: "result_daily_conversions_pk",
      columns: [t.journeyId, t.day, t.versionId, t.nodeId, t.arm, t.convDay],
    }),
  ],
);

// ---- the server's tables (users, sessions, write keys, audit log, settings) ----

export const srvUsers = pgTable("srv_users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role").notNull(),
  passwordHash: text("password_hash").notNull(),
  disabled: boolean("disabled").notNull().default(false),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
});

export const srvSessions = pgTable(
  "srv_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id").notNull(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
  },
  (t) => [index("srv_sessions_user").on(t.userId)],
);

export const srvWriteKeys = pgTable("srv_write_keys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  secretHash: text("secret_hash").notNull().unique(),
  prefix: text("prefix").notNull(),
  createdBy: text("created_by"),
  createdAt: ms("created_at").notNull(),
  revokedAt: ms("revoked_at"),
});

export const srvAudit = pgTable(
  "srv_audit",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: ms("at").notNull(),
    userId: text("user_id"),
    action: text("action").notNull(),
    target: text("target"),
    detail: json("detail"),
  },
  (t) => [index("srv_audit_at").on(t.at)],
);

export const srvMeta = pgTable("srv_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * Recurring work as due rows (audience slots, the nightly recompute, housekeeping). The primary key makes a
 * slot fire once across every worker; a claim leases it, so a dead worker's slot is claimed again.
 */
export const timers = pgTable(
  "timers",
  {
    kind: text("kind").notNull(),
    key: text("key").notNull(),
    slot: ms("slot").notNull(),
    dueAt: ms("due_at").notNull(),
    leaseUntil: ms("lease_until"),
    doneAt: ms("done_at"),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.key, t.slot] }),
    index("timers_due")
      .on(t.dueAt)
      .where(sql`done_at IS NULL`),
  ],
);

/** The lifecycle overview's daily snapshots: one row per day × dimension × bucket (migration 0004). */
export const lifecycleSnapshots = pgTable(
  "lifecycle_snapshots",
  {
    day: integer("day").notNull(),
    dimension: text("dimension").notNull(),
    bucket: text("bucket").notNull(),
    customers: bigint("customers", { mode: "number" }).notNull(),
    value: doublePrecision("value").notNull(),
    clv: doublePrecision("clv").notNull(),
    takenAt: ms("taken_at").notNull(),
  },
  (t) => [primaryKey({ name: "lifecycle_snapshots_pk", columns: [t.day, t.dimension, t.bucket] })],
);
