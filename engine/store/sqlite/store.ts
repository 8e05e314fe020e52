import type Database from "better-sqlite3";
import type {
  CustomerRow,
  EntryRow,
  JourneyRow,
  JourneyStatus,
  JourneyVersionRow,
  OutboxRow,
  OutboxStatus,
  RunRow,
  RunStatus,
  SignalResponseRow,
  CouponIssue,
  CouponPoolRow,
  StepQuery,
  SuppressionRow,
  StepRow,
  Store,
  StoredEvent,
  WriteSet,
  ResultAggregates,
  ResultEntryRow,
  ResultExportRow,
  ResultQuery,
} from "../types";
import { entryKey } from "../types";
import { WalCheckpointer } from "./checkpointer";
import { DatabaseLock } from "./data-lock";
import type { WalCheckpointerOptions } from "./checkpointer";
import { openDatabase } from "./open";
import { ResultsSql } from "./results";
import { Where } from "./where";
import type { CustomerRecord, EventRecord, OutboxRecord, RunRecord, StepRecord } from "./codec";
import {
  decodeCustomer,
  decodeEvent,
  decodeOutbox,
  decodeRun,
  decodeStep,
  encodeOutbox,
  encodeRun,
  encodeRunUpdate,
  RUN_MUTABLE_COLUMNS,
  encodeStep,
} from "./codec";

interface JourneyRecord {
  id: string;
  name: string;
  status: string;
  draft: string;
  live_version_id: number | null;
  created_at: number;
  updated_at: number;
}
interface VersionRecord {
  id: number;
  journey_id: string;
  version: number;
  doc: string;
  pins: string;
  published_at: number;
}

const decodeJourney = (r: JourneyRecord): JourneyRow => ({
  id: r.id,
  name: r.name,
  status: r.status as JourneyStatus,
  draft: JSON.parse(r.draft) as unknown,
  liveVersionId: r.live_version_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const decodeVersion = (r: VersionRecord): JourneyVersionRow => ({
  id: r.id,
  journeyId: r.journey_id,
  version: r.version,
  doc: JSON.parse(r.doc) as unknown,
  pins: JSON.parse(r.pins) as Record<string, unknown>,
  publishedAt: r.published_at,
});

/** Stored-JSON bytes of profiles per cache generation; at most two generations are held. */
const CUSTOMER_CACHE_GENERATION_BYTES = 32 * 1024 * 1024;

const RUN_COLUMNS = `id, journey_id, version_id, customer_id, entered_at, ${RUN_MUTABLE_COLUMNS.join(", ")}`;
const placeholders = (n: number): string => Array.from({ length: n }, () => "?").join(", ");

/**
 * The embedded store: better-sqlite3 with raw prepared statements on every hot path (the engineering notes
 * measure drizzle's per-row builder at 13x slower). drizzle owns the schema and the migrations.
 */
export class SqliteStore implements Store {
  private nextRunId: number;
  private readonly s;
  private readonly commitTx: (w: WriteSet) => void;
  private readonly c;
  private readonly issueTx: {
    immediate: (offer: string, key: string, customerId: string, at: number) => CouponIssue;
  };
  private readonly addCodesTx: { immediate: (offer: string, codes: readonly string[]) => number };
  private lock: DatabaseLock | null = null;
  /** Background WAL checkpointing, for file databases opened through `open`. */
  checkpointer: WalCheckpointer | null = null;

  constructor(readonly db: Database.Database) {
    const p = <T = unknown>(sql: string) => db.prepare<unknown[], T>(sql);
    this.s = {
      insertEvent: p(
        "INSERT INTO events (message_id, customer_id, type, name, properties, ts, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING",
      ),
      upsertCustomer: p(
        "INSERT INTO customers (id, traits, state, created_at, updated_at) VALUES (@id, @traits, @state, @created_at, @updated_at) ON CONFLICT (id) DO UPDATE SET traits = excluded.traits, state = excluded.state, updated_at = excluded.updated_at",
      ),
      insertRun: p(
        `INSERT INTO runs (${RUN_COLUMNS}) VALUES (${placeholders(5 + RUN_MUTABLE_COLUMNS.length)})`,
      ),
      updateRun: p(
        `UPDATE runs SET ${RUN_MUTABLE_COLUMNS.map((c) => `${c} = ?`).join(", ")}, lease_until = NULL, lease_owner = NULL WHERE id = ?`,
      ),
      releaseRun: p("UPDATE runs SET lease_until = NULL, lease_owner = NULL WHERE id = ?"),
      insertStep: p(
        "INSERT INTO steps (run_id, journey_id, version_id, customer_id, node_id, node_type, visit, seq, at, due_at, port, outcome, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      insertOutbox: p(
        "INSERT INTO outbox (idempotency_key, run_id, journey_id, version_id, node_id, visit, customer_id, action, channel, template, payload, status, attempts, next_attempt_at, created_at, delivered_at, response, error, resumes_run) VALUES (@idempotency_key, @run_id, @journey_id, @version_id, @node_id, @visit, @customer_id, @action, @channel, @template, @payload, @status, @attempts, @next_attempt_at, @created_at, @delivered_at, @response, @error, @resumes_run) ON CONFLICT (idempotency_key) DO NOTHING",
      ),
      updateOutbox: p(
        "UPDATE outbox SET status = @status, attempts = @attempts, next_attempt_at = @next_attempt_at, delivered_at = @delivered_at, response = @response, error = @error, lease_until = NULL WHERE idempotency_key = @idempotency_key",
      ),
      upsertEntry: p(
        "INSERT INTO entries (journey_id, customer_id, last_entered_at, count) VALUES (@journeyId, @customerId, @lastEnteredAt, @count) ON CONFLICT (journey_id, customer_id) DO UPDATE SET last_entered_at = excluded.last_entered_at, count = excluded.count",
      ),
      claimRuns: p<RunRecord>(
        `UPDATE runs SET lease_until = @lease, lease_owner = @owner WHERE id IN (SELECT id FROM runs WHERE due_at <= @now AND held = 0 AND (lease_until IS NULL OR lease_until < @now) ORDER BY due_at LIMIT @limit) RETURNING ${RUN_COLUMNS}`,
      ),
      nextDue: p<{ due: number | null }>(
        "SELECT min(due_at) AS due FROM runs WHERE due_at IS NOT NULL AND held = 0",
      ),
      customersByIds: p<CustomerRecord>(
        "SELECT * FROM customers WHERE id IN (SELECT value FROM json_each(?))",
      ),
      scanCustomers: p<CustomerRecord>("SELECT * FROM customers WHERE id > ? ORDER BY id LIMIT ?"),
      scanCustomerIds: p<{ id: string }>("SELECT id FROM customers WHERE id > ? ORDER BY id LIMIT ?"),
      scanCustomerStates: p<{ id: string; state: string }>(
        "SELECT id, state FROM customers WHERE id > ? ORDER BY id LIMIT ?",
      ),
      knownMessageIds: p<{ message_id: string }>(
        "SELECT message_id FROM events WHERE message_id IN (SELECT value FROM json_each(?))",
      ),
      countEvents: p<{ n: number }>(
        "SELECT count(*) AS n FROM events WHERE customer_id = ? AND name = ? AND ts >= ? AND ts <= ?",
      ),
      listEvents: p<EventRecord>(
        "SELECT * FROM events WHERE customer_id = ? ORDER BY ts DESC, seq DESC LIMIT ?",
      ),
      activeRuns: p<RunRecord>(
        `SELECT ${RUN_COLUMNS} FROM runs WHERE customer_id IN (SELECT value FROM json_each(?)) AND status IN ('ready', 'waiting', 'acting')`,
      ),
      entries: p<{ journey_id: string; customer_id: string; last_entered_at: number; count: number }>(
        "SELECT e.* FROM entries e JOIN json_each(?) j ON e.journey_id = json_extract(j.value, '$[0]') AND e.customer_id = json_extract(j.value, '$[1]')",
      ),
      getRun: p<RunRecord>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`),
      maxRunId: p<{ m: number | null }>("SELECT max(id) AS m FROM runs"),
      countRuns: p<{ status: string; node_id: string; n: number }>(
        "SELECT status, node_id, count(*) AS n FROM runs WHERE journey_id = ? GROUP BY status, node_id",
      ),
      countDeliveries: p<{ n: number }>(
        "SELECT count(*) AS n FROM outbox WHERE customer_id = ? AND created_at >= ? AND status != 'failed' AND channel IN (SELECT value FROM json_each(?))",
      ),
      // A paused journey's deliveries wait in the outbox too: pausing stops sends already handed off.
      // Two branches, each on its partial index (outbox_sending, outbox_due), instead of one OR that makes
      // SQLite scan every delivered row; expired leases first, then the earliest due.
      claimOutbox: p<OutboxRecord>(
        `UPDATE outbox SET status = 'sending', attempts = attempts + 1, lease_until = @lease WHERE id IN (
           SELECT id FROM (SELECT id FROM outbox WHERE status = 'sending' AND lease_until < @now
             AND journey_id NOT IN (SELECT id FROM journeys WHERE status = 'paused') ORDER BY lease_until LIMIT @limit)
           UNION ALL
           SELECT id FROM (SELECT id FROM outbox WHERE status IN ('pending', 'retry') AND next_attempt_at <= @now
             AND journey_id NOT IN (SELECT id FROM journeys WHERE status = 'paused') ORDER BY next_attempt_at LIMIT @limit)
           LIMIT @limit) RETURNING *`,
      ),
      nextOutboxDue: p<{ due: number | null }>(
        `SELECT min(due) AS due FROM (
           SELECT min(next_attempt_at) AS due FROM outbox WHERE status IN ('pending', 'retry')
             AND journey_id NOT IN (SELECT id FROM journeys WHERE status = 'paused')
           UNION ALL
           SELECT min(lease_until) FROM outbox WHERE status = 'sending')`,
      ),
      getOutbox: p<OutboxRecord>("SELECT * FROM outbox WHERE idempotency_key = ?"),
      releaseLeases: p(
        "UPDATE runs SET lease_until = NULL, lease_owner = NULL WHERE lease_until IS NOT NULL",
      ),
      // A delivery caught mid-send is sent again with the same idempotency key, so the provider can drop it.
      releaseOutboxLeases: p("UPDATE outbox SET lease_until = 0 WHERE status = 'sending'"),
      getJourney: p<JourneyRecord>("SELECT * FROM journeys WHERE id = ?"),
      listJourneys: p<JourneyRecord>("SELECT * FROM journeys ORDER BY created_at, id"),
      insertJourney: p(
        "INSERT INTO journeys (id, name, status, draft, live_version_id, created_at, updated_at) VALUES (@id, @name, @status, @draft, @live_version_id, @created_at, @updated_at)",
      ),
      updateJourney: p(
        "UPDATE journeys SET name = @name, status = @status, draft = @draft, live_version_id = @live_version_id, updated_at = @updated_at WHERE id = @id",
      ),
      maxVersion: p<{ v: number | null }>(
        "SELECT max(version) AS v FROM journey_versions WHERE journey_id = ?",
      ),
      insertVersion: p<VersionRecord>(
        "INSERT INTO journey_versions (journey_id, version, doc, pins, published_at) VALUES (?, ?, ?, ?, ?) RETURNING *",
      ),
      getVersion: p<VersionRecord>("SELECT * FROM journey_versions WHERE id = ?"),
      listVersions: p<VersionRecord>("SELECT * FROM journey_versions WHERE journey_id = ? ORDER BY version"),
      setLive: p("UPDATE journeys SET live_version_id = ?, status = 'live', updated_at = ? WHERE id = ?"),
      setStatus: p("UPDATE journeys SET status = ?, updated_at = ? WHERE id = ?"),
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
      holdRuns: p(
        "UPDATE runs SET held = ? WHERE journey_id = ? AND status IN ('ready', 'waiting', 'acting')",
      ),
    };
    this.c = {
      suppressed: p<{ channel: string }>("SELECT channel FROM suppressions WHERE customer_id = ?"),
      addSuppression: p(
        "INSERT INTO suppressions (customer_id, channel, reason, source, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      ),
      removeSuppression: p("DELETE FROM suppressions WHERE customer_id = ? AND channel = ?"),
      listSuppressions: p<{
        customer_id: string;
        channel: string;
        reason: string;
        source: string | null;
        created_at: number;
      }>("SELECT * FROM suppressions WHERE customer_id = ? ORDER BY channel"),
      createPool: p(
        "INSERT INTO coupon_pools (offer, pattern, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      ),
      poolExists: p<{ offer: string }>("SELECT offer FROM coupon_pools WHERE offer = ?"),
      addCode: p("INSERT INTO coupon_codes (offer, code) VALUES (?, ?) ON CONFLICT DO NOTHING"),
      issuedTo: p<{ code: string }>(
        "SELECT code FROM coupon_codes WHERE offer = ? AND issued_key = ? AND customer_id = ?",
      ),
      takeFree: p<{ code: string }>(
        "UPDATE coupon_codes SET issued_key = ?, customer_id = ?, issued_at = ? WHERE id = (SELECT id FROM coupon_codes WHERE offer = ? AND issued_key IS NULL ORDER BY id LIMIT 1) RETURNING code",
      ),
      poolStats: p<{
        offer: string;
        pattern: string | null;
        created_at: number;
        total: number;
        issued: number;
      }>(
        "SELECT p.offer, p.pattern, p.created_at, (SELECT count(*) FROM coupon_codes c WHERE c.offer = p.offer) AS total, (SELECT count(*) FROM coupon_codes c WHERE c.offer = p.offer AND c.issued_key IS NOT NULL) AS issued FROM coupon_pools p WHERE p.offer = ?",
      ),
      listPools: p<{ offer: string }>("SELECT offer FROM coupon_pools ORDER BY offer"),
    };
    const c = this.c;
    this.issueTx = db.transaction(
      (offer: string, key: string, customerId: string, at: number): CouponIssue => {
        const had = c.issuedTo.get(offer, key, customerId);
        if (had) return { status: "issued", code: had.code, reused: true };
        const took = c.takeFree.get(key, customerId, at, offer);
        if (took) return { status: "issued", code: took.code, reused: false };
        return c.poolExists.get(offer) ? { status: "empty" } : { status: "no_pool" };
      },
    );
    this.addCodesTx = db.transaction((offer: string, codes: readonly string[]): number => {
      if (!c.poolExists.get(offer)) throw new Error(`coupon pool "${offer}" does not exist`);
      let added = 0;
      for (const code of codes) added += c.addCode.run(offer, code).changes;
      return added;
    });
    this.nextRunId = (this.s.maxRunId.get()?.m ?? 0) + 1;
    this.results = new ResultsSql(db);
    this.commitTx = db.transaction((w: WriteSet) => {
      this.applyWrites(w);
      this.results.apply(w);
    });
  }
  private readonly results: ResultsSql;

  // ---- results ledger (SQL in results.ts) ----
  openGoalWindows(customerIds: readonly string[], after: number): Promise<ResultEntryRow[]> {
    return Promise.resolve(this.results.openGoalWindows(customerIds, after));
  }
  resultAggregates(q: ResultQuery): Promise<ResultAggregates> {
    return Promise.resolve(this.results.aggregates(q));
  }
  resultRows(
    q: ResultQuery & { after?: { enteredAt: number; runId: number }; limit: number },
  ): Promise<ResultExportRow[]> {
    return Promise.resolve(this.results.rows(q));
  }

  /**
   * Opens a database file (`:memory:` for a private one). A file database checkpoints its WAL from a worker
   * thread unless `checkpoint: "inline"` asks for SQLite's default (checkpoints inside commits).
   */
  static open(
    file: string,
    opts: { checkpoint?: "background" | "inline"; checkpointer?: WalCheckpointerOptions } = {},
  ): SqliteStore {
    const store = new SqliteStore(openDatabase(file));
    if (file !== ":memory:" && (opts.checkpoint ?? "background") === "background")
      store.checkpointer = WalCheckpointer.start(store.db, file, opts.checkpointer);
    return store;
  }

  // ---- journeys ----
  createJourney(row: JourneyRow): Promise<void> {
    this.s.insertJourney.run(this.journeyParams(row));
    return Promise.resolve();
  }
  updateJourney(row: JourneyRow): Promise<void> {
    this.s.updateJourney.run(this.journeyParams(row));
    return Promise.resolve();
  }
  private journeyParams(row: JourneyRow): Record<string, unknown> {
    return {
      id: row.id,
      name: row.name,
      status: row.status,
      draft: JSON.stringify(row.draft),
      live_version_id: row.liveVersionId,
      created_at: row.createdAt,
      updated_at: row.updatedAt,
    };
  }
  getJourney(id: string): Promise<JourneyRow | undefined> {
    const r = this.s.getJourney.get(id);
    return Promise.resolve(r ? decodeJourney(r) : undefined);
  }
  listJourneys(): Promise<JourneyRow[]> {
    return Promise.resolve(this.s.listJourneys.all().map(decodeJourney));
  }
  publishVersion(
    journeyId: string,
    doc: unknown,
    pins: Record<string, unknown>,
    at: number,
  ): Promise<JourneyVersionRow> {
    const tx = this.db.transaction(() => {
      const version = (this.s.maxVersion.get(journeyId)?.v ?? 0) + 1;
      const row = this.s.insertVersion.get(
        journeyId,
        version,
        JSON.stringify(doc),
        JSON.stringify(pins),
        at,
      )!;
      this.s.setLive.run(row.id, at, journeyId);
      this.s.holdRuns.run(0, journeyId);
      return decodeVersion(row);
    });
    return Promise.resolve(tx());
  }
  getVersion(id: number): Promise<JourneyVersionRow | undefined> {
    const r = this.s.getVersion.get(id);
    return Promise.resolve(r ? decodeVersion(r) : undefined);
  }
  listVersions(journeyId: string): Promise<JourneyVersionRow[]> {
    return Promise.resolve(this.s.listVersions.all(journeyId).map(decodeVersion));
  }
  setJourneyStatus(id: string, status: JourneyStatus, at: number): Promise<void> {
    this.db.transaction(() => {
      this.s.setStatus.run(status, at, id);
      this.s.holdRuns.run(status === "paused" ? 1 : 0, id);
    })();
    return Promise.resolve();
  }

  // ---- customers and events ----
  getCustomers(ids: readonly string[]): Promise<Map<string, CustomerRow>> {
    const out = new Map<string, CustomerRow>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = this.cachedCustomer(id);
      // Shallow copies: the engine replaces `traits` and `state` instead of mutating them, so a batch that
      // fails before its commit leaves the cache untouched.
      if (hit) out.set(id, { ...hit });
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const r of this.s.customersByIds.all(JSON.stringify(missing))) {
        const c = decodeCustomer(r);
        this.cacheCustomer(c, r.traits.length + r.state.length);
        out.set(r.id, { ...c });
      }
    }
    return Promise.resolve(out);
  }

  /**
   * Recently used profiles, parsed, in two generations: a profile read or written goes into the young one,
   * and when that is full the old one is dropped whole. O(1), with no per-entry deletes (an LRU built on
   * Map deletes slows down as deleted slots pile up). Embedded mode has one writer (this store), so every
   * write passes through `commit` and the cache cannot go stale.
   */
  private youngCustomers = new Map<string, { row: CustomerRow; bytes: number }>();
  private oldCustomers = new Map<string, { row: CustomerRow; bytes: number }>();
  private youngBytes = 0;
  /** Sizes of the profiles the last commit wrote, for the cache's budget. */
  private readonly writtenBytes = new WeakMap<CustomerRow, number>();
  private cachedCustomer(id: string): CustomerRow | undefined {
    const young = this.youngCustomers.get(id);
    if (young) return young.row;
    const old = this.oldCustomers.get(id);
    if (old) this.cacheCustomer(old.row, old.bytes);
    return old?.row;
  }
  /** `bytes` is the profile's size as stored JSON: a generation is bounded by memory, not by count. */
  private cacheCustomer(c: CustomerRow, bytes: number): void {
    if (this.youngBytes + bytes > CUSTOMER_CACHE_GENERATION_BYTES) {
      this.oldCustomers = this.youngCustomers;
      this.youngCustomers = new Map();
      this.youngBytes = 0;
    }
    this.youngCustomers.set(c.id, { row: c, bytes });
    this.youngBytes += bytes;
  }
  private forgetCustomer(id: string): void {
    this.youngCustomers.delete(id);
    this.oldCustomers.delete(id);
  }
  scanCustomers(afterId: string | null, limit: number): Promise<CustomerRow[]> {
    return Promise.resolve(this.s.scanCustomers.all(afterId ?? "", limit).map(decodeCustomer));
  }
  scanCustomerIds(afterId: string | null, limit: number): Promise<string[]> {
    return Promise.resolve(this.s.scanCustomerIds.all(afterId ?? "", limit).map((r) => r.id));
  }
  scanCustomerStates(
    afterId: string | null,
    limit: number,
  ): Promise<{ id: string; state: Record<string, unknown> }[]> {
    return Promise.resolve(
      this.s.scanCustomerStates
        .all(afterId ?? "", limit)
        .map((r) => ({ id: r.id, state: JSON.parse(r.state) as Record<string, unknown> })),
    );
  }
  knownMessageIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return Promise.resolve(new Set());
    return Promise.resolve(new Set(this.s.knownMessageIds.all(JSON.stringify(ids)).map((r) => r.message_id)));
  }
  countEvents(customerId: string, name: string, from: number, to: number): Promise<number> {
    return Promise.resolve(this.s.countEvents.get(customerId, name, from, to)?.n ?? 0);
  }
  listEvents(customerId: string, limit: number): Promise<StoredEvent[]> {
    return Promise.resolve(this.s.listEvents.all(customerId, limit).map(decodeEvent));
  }

  // ---- runs ----
  reserveRunIds(count: number): Promise<number> {
    // Embedded mode has one engine per database, so an in-process counter is safe and saves a round trip.
    const first = this.nextRunId;
    this.nextRunId += count;
    return Promise.resolve(first);
  }
  activeRunsOf(customerIds: readonly string[]): Promise<RunRow[]> {
    if (customerIds.length === 0) return Promise.resolve([]);
    return Promise.resolve(this.s.activeRuns.all(JSON.stringify(customerIds)).map(decodeRun));
  }
  getEntries(pairs: readonly { journeyId: string; customerId: string }[]): Promise<Map<string, EntryRow>> {
    const out = new Map<string, EntryRow>();
    if (pairs.length === 0) return Promise.resolve(out);
    const rows = this.s.entries.all(JSON.stringify(pairs.map((p) => [p.journeyId, p.customerId])));
    for (const r of rows) {
      out.set(entryKey(r.journey_id, r.customer_id), {
        journeyId: r.journey_id,
        customerId: r.customer_id,
        lastEnteredAt: r.last_entered_at,
        count: r.count,
      });
    }
    return Promise.resolve(out);
  }
  claimDueRuns(now: number, limit: number, leaseUntil: number, owner: string): Promise<RunRow[]> {
    const rows = this.s.claimRuns.all({ now, limit, lease: leaseUntil, owner });
    return Promise.resolve(rows.map(decodeRun));
  }
  nextDueAt(): Promise<number | null> {
    return Promise.resolve(this.s.nextDue.get()?.due ?? null);
  }
  lockForEngine(command: string): void {
    if (this.lock || this.db.memory) return;
    this.lock = DatabaseLock.acquire(this.db.name, command);
  }
  releaseAllLeases(): Promise<number> {
    const outbox = this.s.releaseOutboxLeases.run().changes;
    return Promise.resolve(this.s.releaseLeases.run().changes + outbox);
  }
  getRun(id: number): Promise<RunRow | undefined> {
    const r = this.s.getRun.get(id);
    return Promise.resolve(r ? decodeRun(r) : undefined);
  }
  listRuns(q: {
    journeyId?: string;
    customerId?: string;
    status?: RunStatus;
    limit?: number;
  }): Promise<RunRow[]> {
    const w = new Where()
      .add("journey_id = ?", q.journeyId)
      .add("customer_id = ?", q.customerId)
      .add("status = ?", q.status);
    return Promise.resolve(
      this.db
        .prepare<unknown[], RunRecord>(`SELECT ${RUN_COLUMNS} FROM runs ${w.sql()} ORDER BY id LIMIT ?`)
        .all(...w.params, q.limit ?? 1000)
        .map(decodeRun),
    );
  }
  countRuns(journeyId: string): Promise<{ status: RunStatus; nodeId: string; count: number }[]> {
    return Promise.resolve(
      this.s.countRuns
        .all(journeyId)
        .map((r) => ({ status: r.status as RunStatus, nodeId: r.node_id, count: r.n })),
    );
  }

  // ---- run log and outbox ----
  listSteps(q: StepQuery): Promise<(StepRow & { id: number })[]> {
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
    return Promise.resolve(
      this.db
        .prepare<unknown[], StepRecord>(`SELECT * FROM steps ${w.sql()} ORDER BY id LIMIT ?`)
        .all(...w.params, q.limit ?? 1000)
        .map(decodeStep),
    );
  }

  countDeliveries(customerId: string, channels: readonly string[], from: number): Promise<number> {
    return Promise.resolve(this.s.countDeliveries.get(customerId, from, JSON.stringify(channels))?.n ?? 0);
  }
  claimOutbox(now: number, limit: number, leaseUntil: number): Promise<OutboxRow[]> {
    return Promise.resolve(this.s.claimOutbox.all({ now, limit, lease: leaseUntil }).map(decodeOutbox));
  }
  /** SQLite's plan for one of the store's prepared statements (plan tests keep hot paths on their indexes). */
  queryPlan(statement: "claimOutbox" | "nextOutboxDue" | "claimRuns" | "nextDue"): string[] {
    const params = { now: 0, limit: 1, lease: 0, owner: "" };
    return this.db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${this.s[statement].source}`)
      .all(statement === "nextDue" || statement === "nextOutboxDue" ? [] : params)
      .map((r) => r.detail);
  }
  nextOutboxDueAt(): Promise<number | null> {
    return Promise.resolve(this.s.nextOutboxDue.get()?.due ?? null);
  }
  getOutbox(key: string): Promise<OutboxRow | undefined> {
    const r = this.s.getOutbox.get(key);
    return Promise.resolve(r ? decodeOutbox(r) : undefined);
  }
  listOutbox(q: {
    status?: OutboxStatus;
    customerId?: string;
    journeyId?: string;
    after?: number;
    limit?: number;
  }): Promise<OutboxRow[]> {
    const w = new Where()
      .add("status = ?", q.status)
      .add("customer_id = ?", q.customerId)
      .add("journey_id = ?", q.journeyId)
      .add("id > ?", q.after);
    return Promise.resolve(
      this.db
        .prepare<unknown[], OutboxRecord>(`SELECT * FROM outbox ${w.sql()} ORDER BY id LIMIT ?`)
        .all(...w.params, q.limit ?? 1000)
        .map(decodeOutbox),
    );
  }

  // ---- consent ----
  /**
   * Customers with any suppression, held in memory: every message step asks, and almost every answer is
   * "none", so only those customers cost a query. Writes go through this store, which keeps it current.
   */
  private suppressedCustomers: Set<string> | undefined;
  private withSuppressions(): Set<string> {
    this.suppressedCustomers ??= new Set(
      this.db
        .prepare<[], { customer_id: string }>("SELECT DISTINCT customer_id FROM suppressions")
        .all()
        .map((r) => r.customer_id),
    );
    return this.suppressedCustomers;
  }
  suppressedChannels(customerId: string): Promise<Set<string>> {
    if (!this.withSuppressions().has(customerId)) return Promise.resolve(new Set());
    return Promise.resolve(new Set(this.c.suppressed.all(customerId).map((r) => r.channel)));
  }
  addSuppression(row: SuppressionRow): Promise<boolean> {
    const changes = this.c.addSuppression.run(
      row.customerId,
      row.channel,
      row.reason,
      row.source,
      row.createdAt,
    ).changes;
    // A customer stays in the set after a resubscribe: that only costs the query it would have made anyway.
    this.withSuppressions().add(row.customerId);
    return Promise.resolve(changes > 0);
  }
  removeSuppression(customerId: string, channel: string): Promise<boolean> {
    return Promise.resolve(this.c.removeSuppression.run(customerId, channel).changes > 0);
  }
  listSuppressions(customerId: string): Promise<SuppressionRow[]> {
    return Promise.resolve(
      this.c.listSuppressions.all(customerId).map((r) => ({
        customerId: r.customer_id,
        channel: r.channel,
        reason: r.reason,
        source: r.source,
        createdAt: r.created_at,
      })),
    );
  }

  // ---- coupon pools ----
  createCouponPool(offer: string, pattern: string | null, at: number): Promise<boolean> {
    return Promise.resolve(this.c.createPool.run(offer, pattern, at).changes > 0);
  }
  addCouponCodes(offer: string, codes: readonly string[]): Promise<number> {
    return Promise.resolve(this.addCodesTx.immediate(offer, codes));
  }
  issueCoupon(offer: string, key: string, customerId: string, at: number): Promise<CouponIssue> {
    // IMMEDIATE takes the write lock first, so two connections to one file cannot both read a code as free.
    return Promise.resolve(this.issueTx.immediate(offer, key, customerId, at));
  }
  getCouponPool(offer: string): Promise<CouponPoolRow | undefined> {
    const r = this.c.poolStats.get(offer);
    if (!r) return Promise.resolve(undefined);
    return Promise.resolve({
      offer: r.offer,
      pattern: r.pattern,
      createdAt: r.created_at,
      total: r.total,
      issued: r.issued,
      remaining: r.total - r.issued,
    });
  }
  async listCouponPools(): Promise<CouponPoolRow[]> {
    const out: CouponPoolRow[] = [];
    for (const { offer } of this.c.listPools.all()) {
      const row = await this.getCouponPool(offer);
      if (row) out.push(row);
    }
    return out;
  }

  // ---- metadata and summaries ----
  getMeta(key: string): Promise<string | undefined> {
    return Promise.resolve(this.s.getMeta.get(key)?.value);
  }
  setMeta(key: string, value: string): Promise<void> {
    this.s.setMeta.run(key, value);
    return Promise.resolve();
  }
  signalResponses(q: { name: string; from?: number; to?: number }): Promise<SignalResponseRow[]> {
    const rows = this.s.signalResponses.all(
      q.name,
      q.from ?? Number.MIN_SAFE_INTEGER,
      q.to ?? Number.MAX_SAFE_INTEGER,
    );
    return Promise.resolve(
      rows.map((r) => ({
        seq: r.seq,
        customerId: r.customer_id,
        at: r.ts,
        reason: typeof r.reason === "string" ? r.reason : null,
        journeyId: r.journey_id,
        deliveredAt: r.delivered_at,
      })),
    );
  }
  surveyCounts(
    journeyId: string,
    responseEvent: string,
  ): Promise<{ invitations: number; responses: number }> {
    return Promise.resolve({
      invitations: this.s.surveyInvitations.get(journeyId)?.n ?? 0,
      responses: this.s.surveyResponses.get(responseEvent, journeyId)?.n ?? 0,
    });
  }

  private applyWrites(w: WriteSet): void {
    const s = this.s;
    for (const e of w.events ?? []) {
      s.insertEvent.run(
        e.messageId,
        e.customerId,
        e.type,
        e.name,
        JSON.stringify(e.properties),
        e.timestamp,
        e.receivedAt,
      );
    }
    for (const c of w.customers ?? []) {
      const traits = JSON.stringify(c.traits);
      const state = JSON.stringify(c.state);
      this.writtenBytes.set(c, traits.length + state.length);
      s.upsertCustomer.run({ id: c.id, traits, state, created_at: c.createdAt, updated_at: c.updatedAt });
    }
    // Updates first: a run that ended in this batch must leave `runs_one_active` before its successor
    // (re-entry in the same ingest batch) is inserted.
    for (const r of w.runUpdates ?? []) s.updateRun.run(encodeRunUpdate(r));
    for (const r of w.newRuns ?? []) s.insertRun.run(encodeRun(r));
    for (const id of w.releaseRuns ?? []) s.releaseRun.run(id);
    for (const st of w.steps ?? []) s.insertStep.run(encodeStep(st));
    for (const o of w.outbox ?? []) s.insertOutbox.run(encodeOutbox(o));
    for (const u of w.outboxUpdates ?? []) {
      s.updateOutbox.run({
        idempotency_key: u.idempotencyKey,
        status: u.status,
        attempts: u.attempts,
        next_attempt_at: u.nextAttemptAt,
        delivered_at: u.deliveredAt,
        response: u.response === undefined || u.response === null ? null : JSON.stringify(u.response),
        error: u.error,
      });
    }
    for (const e of w.entries ?? []) s.upsertEntry.run(e);
  }

  commit(writes: WriteSet): Promise<void> {
    try {
      this.commitTx(writes);
    } catch (e) {
      for (const c of writes.customers ?? []) this.forgetCustomer(c.id);
      throw e;
    }
    for (const c of writes.customers ?? []) this.cacheCustomer({ ...c }, this.writtenBytes.get(c) ?? 1024);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
    this.lock?.release();
    this.lock = null;
  }
}
