// Over 300 lines: one class implementing every method of the Store interface; the SQL itself lives in
// statements/, schema.ts and results.ts, so each method here is a short mapping from rows to statements.
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
  CustomerSearch,
  StepCountRow,
  StepQuery,
  SuppressionRow,
  StepRow,
  Store,
  StoredEvent,
  WriteSet,
  ResultAggregates,
  ResultEntryRow,
  ResultExportRow,
  ResultMode,
  ResultQuery,
  SplitArmQuery,
  SplitArmSums,
  TimerRow,
  SnapshotBucketRow,
  SnapshotQuery,
  SnapshotRow,
} from "../types";
import type { AdminStore } from "../admin-types";
import { entryKey } from "../types";
import { laneParams, type ClaimLanes } from "../claim-lanes";
import { WalCheckpointer } from "./checkpointer";
import { DatabaseLock } from "./data-lock";
import type { WalCheckpointerOptions } from "./checkpointer";
import { openDatabase } from "./open";
import { ResultsSql } from "./results";
import { RetentionSql } from "./retention";
import { SnapshotsSql } from "./snapshots";
import { TimersSql } from "./timers";
import {
  decodeCustomer,
  decodeEvent,
  decodeOutbox,
  decodeRun,
  decodeStep,
  encodeOutbox,
  encodeRun,
  encodeRunUpdate,
  encodeStep,
} from "./codec";
import { SqliteAdminStore } from "./admin/store";
import { consentStatements } from "./statements/consent";
import { couponStatements } from "./statements/coupons";
import { customerStatements } from "./statements/customers";
import { eventStatements } from "./statements/events";
import { searchCustomers, selectOutbox, selectRuns, selectSteps } from "./statements/filtered";
import { decodeJourney, decodeVersion, encodeJourney, journeyStatements } from "./statements/journeys";
import { outboxStatements } from "./statements/outbox";
import { preparer } from "./statements/prepare";
import { runStatements } from "./statements/runs";
import { stepStatements } from "./statements/steps";
import { summaryStatements } from "./statements/summaries";

/** Stored-JSON bytes of profiles per cache generation; at most two generations are held. */
const CUSTOMER_CACHE_GENERATION_BYTES = 32 * 1024 * 1024;

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
    // One file of statements per table area (statements/): the store's methods only bind and decode.
    const p = preparer(db);
    this.s = {
      ...eventStatements(p),
      ...customerStatements(p),
      ...runStatements(p),
      ...stepStatements(p),
      ...outboxStatements(p),
      ...journeyStatements(p),
      ...summaryStatements(p),
    };
    this.c = { ...consentStatements(p), ...couponStatements(p) };
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
    this.timers = new TimersSql(db);
    this.snapshots = new SnapshotsSql(db);
    this.retention = new RetentionSql(db);
    this.commitTx = db.transaction((w: WriteSet) => {
      this.applyWrites(w);
      this.results.apply(w);
      this.timers.apply(w);
    });
  }
  private readonly results: ResultsSql;
  private readonly timers: TimersSql;
  private readonly snapshots: SnapshotsSql;
  /** Pruning of old events, steps and deliveries in bounded batches (`retention.ts`, `engine/retention`). */
  readonly retention: RetentionSql;

  // ---- recurring work (SQL in timers.ts) ----
  claimDueTimers(now: number, limit: number, leaseUntil: number): Promise<TimerRow[]> {
    return Promise.resolve(this.timers.claim(now, limit, leaseUntil));
  }
  nextTimerAt(): Promise<number | null> {
    return Promise.resolve(this.timers.next());
  }

  // ---- results ledger (SQL in results.ts) ----
  openGoalWindows(customerIds: readonly string[], after: number): Promise<ResultEntryRow[]> {
    return Promise.resolve(this.results.openGoalWindows(customerIds, after));
  }
  resultAggregates(q: ResultQuery, mode?: ResultMode): Promise<ResultAggregates> {
    return Promise.resolve(this.results.aggregates(q, mode));
  }
  splitArmSums(q: SplitArmQuery, mode?: ResultMode): Promise<SplitArmSums[]> {
    return Promise.resolve(this.results.splitArms(q, mode));
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
    this.s.insertJourney.run(encodeJourney(row));
    return Promise.resolve();
  }
  updateJourney(row: JourneyRow): Promise<void> {
    this.s.updateJourney.run(encodeJourney(row));
    return Promise.resolve();
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
  countCustomers(): Promise<number> {
    return Promise.resolve(this.s.countCustomers.get()?.n ?? 0);
  }
  searchCustomers(q: CustomerSearch): Promise<CustomerRow[]> {
    return Promise.resolve(searchCustomers(this.db, q).map(decodeCustomer));
  }
  customersActiveIn(from: number, to: number, limit: number): Promise<string[]> {
    return Promise.resolve(this.s.customersActiveIn.all(from, to, limit).map((r) => r.customer_id));
  }
  eventsOf(customerIds: readonly string[], from: number, to: number, limit: number): Promise<StoredEvent[]> {
    if (customerIds.length === 0) return Promise.resolve([]);
    return Promise.resolve(
      this.s.eventsOf.all(from, to, JSON.stringify(customerIds), limit).map(decodeEvent),
    );
  }
  eventsNamed(name: string, from: number, to: number, limit: number): Promise<StoredEvent[]> {
    return Promise.resolve(this.s.eventsNamed.all(name, from, to, limit).map(decodeEvent));
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
    const outbox = this.s.releaseOutboxLeases.run().changes + this.timers.releaseLeases();
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
    return Promise.resolve(selectRuns(this.db, q).map(decodeRun));
  }
  countRuns(journeyId: string): Promise<{ status: RunStatus; nodeId: string; count: number }[]> {
    return Promise.resolve(
      this.s.countRuns
        .all(journeyId)
        .map((r) => ({ status: r.status as RunStatus, nodeId: r.node_id, count: r.n })),
    );
  }
  countRunsByStatus(): Promise<{ status: RunStatus; count: number }[]> {
    return Promise.resolve(
      this.s.countRunsByStatus.all().map((r) => ({ status: r.status as RunStatus, count: r.n })),
    );
  }

  // ---- run log and outbox ----
  listSteps(q: StepQuery): Promise<(StepRow & { id: number })[]> {
    return Promise.resolve(selectSteps(this.db, q).map(decodeStep));
  }
  countSteps(journeyId: string): Promise<StepCountRow[]> {
    return Promise.resolve(
      this.s.countSteps.all(journeyId).map((r) => ({
        nodeId: r.node_id,
        outcome: r.outcome,
        port: r.port,
        reason: r.reason,
        count: r.n,
      })),
    );
  }
  countNodeVisits(journeyId: string): Promise<{ nodeId: string; visits: number }[]> {
    return Promise.resolve(
      this.s.countNodeVisits.all(journeyId).map((r) => ({ nodeId: r.node_id, visits: r.n })),
    );
  }
  lastStepId(): Promise<number> {
    return Promise.resolve(this.s.lastStepId.get()?.m ?? 0);
  }

  countDeliveries(customerId: string, channels: readonly string[], from: number): Promise<number> {
    return Promise.resolve(this.s.countDeliveries.get(customerId, from, JSON.stringify(channels))?.n ?? 0);
  }
  claimOutbox(now: number, limit: number, leaseUntil: number, lanes?: ClaimLanes): Promise<OutboxRow[]> {
    const { scan, per, slots, full } = laneParams(limit, lanes);
    const found = this.s.claimOutbox.all({
      now,
      limit,
      lease: leaseUntil,
      scan,
      per,
      slots: JSON.stringify(slots),
      full: JSON.stringify(full),
    });
    return Promise.resolve(found.map(decodeOutbox));
  }
  /** SQLite's plan for one of the store's prepared statements (plan tests keep hot paths on their indexes). */
  /** `EXPLAIN QUERY PLAN` of one of the store's statements (by name, see `statements/hot.ts`). */
  queryPlan(statement: string, from?: "results" | "timers"): string[] {
    const sql =
      from === "results"
        ? this.results.sql(statement)
        : from === "timers"
          ? this.timers.sql(statement)
          : ((this.s as Record<string, Database.Statement | undefined>)[statement]?.source ??
            (this.c as Record<string, Database.Statement | undefined>)[statement]?.source);
    if (sql === undefined) throw new Error(`no statement ${statement}`);
    const explain = this.db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`);
    // Values do not change a plan here (no statistics tables): bind nulls, by name or by position.
    const named = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!);
    const args = named.length
      ? [Object.fromEntries(named.map((n) => [n, null]))]
      : Array.from({ length: sql.split("?").length - 1 }, () => null);
    return explain.all(...args).map((r) => r.detail);
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
    channel?: string;
    after?: number;
    limit?: number;
  }): Promise<OutboxRow[]> {
    return Promise.resolve(selectOutbox(this.db, q).map(decodeOutbox));
  }
  countDetachedFailures(journeyId: string): Promise<number> {
    return Promise.resolve(this.s.countDetachedFailures.get(journeyId)?.n ?? 0);
  }
  countOutboxByStatus(): Promise<{ status: OutboxStatus; count: number }[]> {
    return Promise.resolve(
      this.s.countOutboxByStatus.all().map((r) => ({ status: r.status as OutboxStatus, count: r.n })),
    );
  }

  // ---- consent ----
  /**
   * Customers with any suppression, held in memory: every message step asks, and almost every answer is
   * "none", so only those customers cost a query. Writes go through this store, which keeps it current.
   */
  private suppressedCustomers: Set<string> | undefined;
  private withSuppressions(): Set<string> {
    this.suppressedCustomers ??= new Set(this.c.suppressedCustomers.all().map((r) => r.customer_id));
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

  // ---- lifecycle snapshots (SQL in snapshots.ts) ----
  putSnapshot(day: number, takenAt: number, rows: readonly SnapshotBucketRow[]): Promise<void> {
    this.snapshots.put(day, takenAt, rows);
    return Promise.resolve();
  }
  listSnapshots(q: SnapshotQuery): Promise<SnapshotRow[]> {
    return Promise.resolve(this.snapshots.list(q));
  }
  lastSnapshot(before?: number): Promise<{ day: number; takenAt: number } | undefined> {
    return Promise.resolve(this.snapshots.last(before));
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

  ping(): Promise<void> {
    this.s.ping.get();
    return Promise.resolve();
  }

  private adminStore: SqliteAdminStore | undefined;
  /** Migrated on first use, so stores that never serve the server (simulation, tests) skip its tables. */
  get admin(): AdminStore {
    return (this.adminStore ??= new SqliteAdminStore(this.db));
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
    this.lock?.release();
    this.lock = null;
  }
}
