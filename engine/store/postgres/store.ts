// Longer than the house limit on purpose, like the embedded store: one method per Store operation, each only
// binding parameters and decoding rows; the SQL itself lives in statements.ts, commit.ts and results.ts.
import pg from "pg";
import type { AdminStore } from "../admin-types";
import type {
  CouponIssue,
  CouponPoolRow,
  CustomerRow,
  CustomerSearch,
  EntryRow,
  JourneyRow,
  JourneyStatus,
  JourneyVersionRow,
  OutboxRow,
  OutboxStatus,
  ResultAggregates,
  ResultEntryRow,
  ResultExportRow,
  ResultMode,
  ResultQuery,
  RunRow,
  RunStatus,
  SignalResponseRow,
  StepCountRow,
  StepQuery,
  StepRow,
  Store,
  SplitArmQuery,
  SplitArmSums,
  StoredEvent,
  SuppressionRow,
  TimerRow,
  WriteSet,
  SnapshotBucketRow,
  SnapshotQuery,
  SnapshotRow,
} from "../types";
import { entryKey } from "../types";
import { laneParams, type ClaimLanes } from "../claim-lanes";
import { PostgresAdminStore } from "./admin";
import type {
  CustomerRecord,
  EventRecord,
  JourneyRecord,
  OutboxRecord,
  RunRecord,
  VersionRecord,
} from "./codec";
import {
  decodeCustomer,
  decodeEvent,
  decodeJourney,
  decodeOutbox,
  decodeRun,
  decodeStep,
  decodeVersion,
  j,
} from "./codec";
import { DUE_CHANNEL, applyWrites } from "./commit";
import { checkConnection, createPool, describeUrl, one, prepared, rows, run, transaction } from "./connect";
import { selectOutbox, selectRuns, selectSteps, searchCustomers } from "./filtered";
import { migratePostgres, requireCurrentSchema } from "./migrate";
import { lastSnapshot, listSnapshots, putSnapshot } from "./snapshots";
import { openGoalWindows, resultAggregates, resultRows, splitArmSums } from "./results";
import {
  consentSql,
  couponSql,
  customerSql,
  eventSql,
  journeySql,
  lockSql,
  outboxSql,
  runSql,
  stepSql,
  summarySql,
  timerSql,
} from "./statements";

/** Run ids each process takes at once (hi/lo): one round trip per block, not per entry. */
const RUN_ID_BLOCK = 64;

/** Channel telling every process that the set of live journeys changed (publish, pause, resume, archive). */
const LIVE_CHANNEL = "rekindle_live";
const liveChanged = prepared(`SELECT pg_notify('${LIVE_CHANNEL}', '')`);
/** Channel naming a `meta` key another process wrote (its payload is the key). */
const META_CHANNEL = "rekindle_meta";
const metaChanged = prepared(`SELECT pg_notify('${META_CHANNEL}', $1)`);

export interface OpenPostgresOptions {
  /** Apply pending migrations (default true). `false` refuses a database whose schema is older. */
  migrate?: boolean;
  /** Connections in this process's pool (default 10). */
  poolSize?: number;
}

/**
 * The PostgreSQL store, for several engine workers and API servers on one database. Every process may
 * write, so nothing is cached across calls; claims take rows with `FOR UPDATE SKIP LOCKED` under leases
 * that expire when their holder dies; commits send `NOTIFY rekindle_due` so sleeping workers wake early.
 */
export class PostgresStore implements Store {
  private runIds = { next: 0, end: 0 };
  private listener: pg.Client | null = null;
  private readonly dueListeners = new Set<(dueAt: number) => void>();
  private readonly liveListeners = new Set<() => void>();
  private readonly metaListeners = new Set<(key: string) => void>();
  private adminStore: PostgresAdminStore | undefined;

  private constructor(
    readonly pool: pg.Pool,
    readonly url: string,
  ) {}

  /** Connects (naming host and cause when it cannot), migrates or checks the schema, and opens the store. */
  static async open(url: string, opts: OpenPostgresOptions = {}): Promise<PostgresStore> {
    const pool = createPool(url, opts.poolSize ?? 10);
    try {
      await checkConnection(pool, url);
      if (opts.migrate ?? true) await migratePostgres(pool);
      else await requireCurrentSchema(pool, describeUrl(url));
    } catch (e) {
      await pool.end();
      throw e;
    }
    return new PostgresStore(pool, url);
  }

  get admin(): AdminStore {
    return (this.adminStore ??= new PostgresAdminStore(this.pool));
  }

  // ---- journeys ----
  async createJourney(row: JourneyRow): Promise<void> {
    await run(this.pool, journeySql.insert, [
      row.id,
      row.name,
      row.status,
      j(row.draft),
      row.liveVersionId,
      row.createdAt,
      row.updatedAt,
    ]);
  }
  async updateJourney(row: JourneyRow): Promise<void> {
    await run(this.pool, journeySql.update, [
      row.id,
      row.name,
      row.status,
      j(row.draft),
      row.liveVersionId,
      row.updatedAt,
    ]);
  }
  async getJourney(id: string): Promise<JourneyRow | undefined> {
    const r = await one<JourneyRecord>(this.pool, journeySql.get, [id]);
    return r ? decodeJourney(r) : undefined;
  }
  async listJourneys(): Promise<JourneyRow[]> {
    return (await rows<JourneyRecord>(this.pool, journeySql.list)).map(decodeJourney);
  }
  publishVersion(
    journeyId: string,
    doc: unknown,
    pins: Record<string, unknown>,
    at: number,
  ): Promise<JourneyVersionRow> {
    return transaction(this.pool, async (c) => {
      // The journey's row lock orders two publishes of one journey, so version numbers never collide.
      await run(c, journeySql.lockJourney, [journeyId]);
      const version = ((await one<{ v: number | null }>(c, journeySql.maxVersion, [journeyId]))?.v ?? 0) + 1;
      const row = (await one<VersionRecord>(c, journeySql.insertVersion, [
        journeyId,
        version,
        j(doc),
        j(pins),
        at,
      ]))!;
      await run(c, journeySql.setLive, [row.id, at, journeyId]);
      await run(c, journeySql.holdRuns, [false, journeyId]);
      await run(c, liveChanged);
      return decodeVersion(row);
    });
  }
  async getVersion(id: number): Promise<JourneyVersionRow | undefined> {
    const r = await one<VersionRecord>(this.pool, journeySql.getVersion, [id]);
    return r ? decodeVersion(r) : undefined;
  }
  async listVersions(journeyId: string): Promise<JourneyVersionRow[]> {
    return (await rows<VersionRecord>(this.pool, journeySql.listVersions, [journeyId])).map(decodeVersion);
  }
  async setJourneyStatus(id: string, status: JourneyStatus, at: number): Promise<void> {
    await transaction(this.pool, async (c) => {
      await run(c, journeySql.setStatus, [status, at, id]);
      await run(c, journeySql.holdRuns, [status === "paused", id]);
      await run(c, liveChanged);
    });
  }

  // ---- customers and events ----
  async getCustomers(ids: readonly string[]): Promise<Map<string, CustomerRow>> {
    const out = new Map<string, CustomerRow>();
    if (ids.length === 0) return out;
    for (const r of await rows<CustomerRecord>(this.pool, customerSql.byIds, [ids]))
      out.set(r.id, decodeCustomer(r));
    return out;
  }
  async scanCustomers(afterId: string | null, limit: number): Promise<CustomerRow[]> {
    return (await rows<CustomerRecord>(this.pool, customerSql.scan, [afterId ?? "", limit])).map(
      decodeCustomer,
    );
  }
  async scanCustomerIds(afterId: string | null, limit: number): Promise<string[]> {
    return (await rows<{ id: string }>(this.pool, customerSql.scanIds, [afterId ?? "", limit])).map(
      (r) => r.id,
    );
  }
  async scanCustomerStates(
    afterId: string | null,
    limit: number,
  ): Promise<{ id: string; state: Record<string, unknown> }[]> {
    return rows<{ id: string; state: Record<string, unknown> }>(this.pool, customerSql.scanStates, [
      afterId ?? "",
      limit,
    ]);
  }
  async knownMessageIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = await rows<{ message_id: string }>(this.pool, eventSql.knownMessageIds, [ids]);
    return new Set(found.map((r) => r.message_id));
  }
  async countCustomers(): Promise<number> {
    return (await one<{ n: number }>(this.pool, customerSql.count))?.n ?? 0;
  }
  async searchCustomers(q: CustomerSearch): Promise<CustomerRow[]> {
    return (await searchCustomers(this.pool, q)).map(decodeCustomer);
  }
  async customersActiveIn(from: number, to: number, limit: number): Promise<string[]> {
    const found = await rows<{ customer_id: string }>(this.pool, eventSql.customersActiveIn, [
      from,
      to,
      limit,
    ]);
    return found.map((r) => r.customer_id);
  }
  async eventsOf(
    customerIds: readonly string[],
    from: number,
    to: number,
    limit: number,
  ): Promise<StoredEvent[]> {
    if (customerIds.length === 0) return [];
    return (await rows<EventRecord>(this.pool, eventSql.eventsOf, [from, to, customerIds, limit])).map(
      decodeEvent,
    );
  }
  async eventsNamed(name: string, from: number, to: number, limit: number): Promise<StoredEvent[]> {
    return (await rows<EventRecord>(this.pool, eventSql.named, [name, from, to, limit])).map(decodeEvent);
  }
  async countEvents(customerId: string, name: string, from: number, to: number): Promise<number> {
    return (await one<{ n: number }>(this.pool, eventSql.count, [customerId, name, from, to]))?.n ?? 0;
  }
  async listEvents(customerId: string, limit: number): Promise<StoredEvent[]> {
    return (await rows<EventRecord>(this.pool, eventSql.list, [customerId, limit])).map(decodeEvent);
  }

  // ---- runs ----
  async reserveRunIds(count: number): Promise<number> {
    if (this.runIds.next + count > this.runIds.end) {
      const size = Math.max(count, RUN_ID_BLOCK);
      const first = (await one<{ first: number }>(this.pool, runSql.reserveIds, [size]))!.first;
      this.runIds = { next: first, end: first + size };
    }
    const first = this.runIds.next;
    this.runIds.next += count;
    return first;
  }
  async activeRunsOf(customerIds: readonly string[]): Promise<RunRow[]> {
    if (customerIds.length === 0) return [];
    return (await rows<RunRecord>(this.pool, runSql.active, [customerIds])).map(decodeRun);
  }
  async getEntries(
    pairs: readonly { journeyId: string; customerId: string }[],
  ): Promise<Map<string, EntryRow>> {
    const out = new Map<string, EntryRow>();
    if (pairs.length === 0) return out;
    const found = await rows<{
      journey_id: string;
      customer_id: string;
      last_entered_at: number;
      count: number;
    }>(this.pool, runSql.entries, [pairs.map((p) => p.journeyId), pairs.map((p) => p.customerId)]);
    for (const r of found)
      out.set(entryKey(r.journey_id, r.customer_id), {
        journeyId: r.journey_id,
        customerId: r.customer_id,
        lastEnteredAt: r.last_entered_at,
        count: r.count,
      });
    return out;
  }
  /**
   * Holds every customer's advisory lock (sorted, on a pooled connection of its own) until the returned
   * release is called: a transition reads, computes and commits one customer's rows while no other
   * process's transition on that customer runs. A killed process's locks go with its connection.
   */
  async lockCustomers(customerIds: readonly string[]): Promise<() => Promise<void>> {
    const c = await this.pool.connect();
    try {
      await run(c, lockSql.lock, [customerIds]);
    } catch (e) {
      // A statement cut off midway may have taken some of the locks: the connection goes, and they with it.
      c.release(true);
      throw e;
    }
    // Never throws: a connection that cannot unlock is closed, which releases its locks all the same.
    return async () => {
      try {
        await run(c, lockSql.unlockAll);
        c.release();
      } catch {
        c.release(true);
      }
    };
  }
  async heldRuns(ids: readonly number[], owner: string): Promise<RunRow[]> {
    return (await rows<RunRecord>(this.pool, runSql.held, [ids, owner])).map(decodeRun);
  }
  async claimDueRuns(now: number, limit: number, leaseUntil: number, owner: string): Promise<RunRow[]> {
    const claimed = await rows<RunRecord>(this.pool, runSql.claim, [now, limit, leaseUntil, owner]);
    // RETURNING gives rows in no particular order; the engine advances them earliest due first.
    return claimed.map(decodeRun).sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0) || a.id - b.id);
  }
  async nextDueAt(): Promise<number | null> {
    return (await one<{ due: number | null }>(this.pool, runSql.nextDue))?.due ?? null;
  }
  async claimDueTimers(now: number, limit: number, leaseUntil: number): Promise<TimerRow[]> {
    const found = await rows<{
      kind: string;
      key: string;
      slot: number;
      due_at: number;
      done_at: number | null;
    }>(this.pool, timerSql.claim, [now, limit, leaseUntil]);
    return found
      .map((r) => ({ kind: r.kind, key: r.key, slot: r.slot, dueAt: r.due_at, doneAt: r.done_at }))
      .sort((a, b) => a.dueAt - b.dueAt);
  }
  async nextTimerAt(): Promise<number | null> {
    return (await one<{ due: number | null }>(this.pool, timerSql.next))?.due ?? null;
  }
  /**
   * Several processes share this database, so a starting one must not drop leases that live workers hold:
   * a dead worker's leases simply expire and its runs are claimed again.
   */
  releaseAllLeases(): Promise<number> {
    return Promise.resolve(0);
  }
  async getRun(id: number): Promise<RunRow | undefined> {
    const r = await one<RunRecord>(this.pool, runSql.get, [id]);
    return r ? decodeRun(r) : undefined;
  }
  async listRuns(q: {
    journeyId?: string;
    customerId?: string;
    status?: RunStatus;
    limit?: number;
  }): Promise<RunRow[]> {
    return (await selectRuns(this.pool, q)).map(decodeRun);
  }
  async countRuns(journeyId: string): Promise<{ status: RunStatus; nodeId: string; count: number }[]> {
    const found = await rows<{ status: string; node_id: string; n: number }>(this.pool, runSql.count, [
      journeyId,
    ]);
    return found.map((r) => ({ status: r.status as RunStatus, nodeId: r.node_id, count: r.n }));
  }
  async countRunsByStatus(): Promise<{ status: RunStatus; count: number }[]> {
    const found = await rows<{ status: string; n: number }>(this.pool, runSql.countByStatus);
    return found.map((r) => ({ status: r.status as RunStatus, count: r.n }));
  }

  // ---- run log and outbox ----
  async listSteps(q: StepQuery): Promise<(StepRow & { id: number })[]> {
    return (await selectSteps(this.pool, q)).map(decodeStep);
  }
  async countSteps(journeyId: string): Promise<StepCountRow[]> {
    const found = await rows<{
      node_id: string;
      outcome: string;
      port: string | null;
      reason: string | null;
      n: number;
    }>(this.pool, stepSql.count, [journeyId]);
    return found.map((r) => ({
      nodeId: r.node_id,
      outcome: r.outcome,
      port: r.port,
      reason: r.reason,
      count: r.n,
    }));
  }
  async countNodeVisits(journeyId: string): Promise<{ nodeId: string; visits: number }[]> {
    const found = await rows<{ node_id: string; n: number }>(this.pool, stepSql.nodeVisits, [journeyId]);
    return found.map((r) => ({ nodeId: r.node_id, visits: r.n }));
  }
  async lastStepId(): Promise<number> {
    return (await one<{ m: number | null }>(this.pool, stepSql.lastId))?.m ?? 0;
  }
  async countDeliveries(customerId: string, channels: readonly string[], from: number): Promise<number> {
    return (
      (await one<{ n: number }>(this.pool, outboxSql.countDeliveries, [customerId, from, channels]))?.n ?? 0
    );
  }
  async countOutboxByStatus(): Promise<{ status: OutboxStatus; count: number }[]> {
    const found = await rows<{ status: string; n: number }>(this.pool, outboxSql.countByStatus);
    return found.map((r) => ({ status: r.status as OutboxStatus, count: r.n }));
  }
  async countDetachedFailures(journeyId: string): Promise<number> {
    return (await one<{ n: number }>(this.pool, outboxSql.countDetachedFailures, [journeyId]))?.n ?? 0;
  }
  async claimOutbox(
    now: number,
    limit: number,
    leaseUntil: number,
    lanes?: ClaimLanes,
  ): Promise<OutboxRow[]> {
    const { scan, per, slots, full } = laneParams(limit, lanes);
    const claimed = await rows<OutboxRecord>(this.pool, outboxSql.claim, [
      now,
      limit,
      leaseUntil,
      scan,
      full,
      JSON.stringify(slots),
      per,
    ]);
    return claimed.map(decodeOutbox).sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  }
  async nextOutboxDueAt(): Promise<number | null> {
    return (await one<{ due: number | null }>(this.pool, outboxSql.nextDue))?.due ?? null;
  }
  async getOutbox(key: string): Promise<OutboxRow | undefined> {
    const r = await one<OutboxRecord>(this.pool, outboxSql.get, [key]);
    return r ? decodeOutbox(r) : undefined;
  }
  async listOutbox(q: {
    status?: OutboxStatus;
    customerId?: string;
    journeyId?: string;
    after?: number;
    limit?: number;
  }): Promise<OutboxRow[]> {
    return (await selectOutbox(this.pool, q)).map(decodeOutbox);
  }

  // ---- consent ----
  async suppressedChannels(customerId: string): Promise<Set<string>> {
    const found = await rows<{ channel: string }>(this.pool, consentSql.suppressed, [customerId]);
    return new Set(found.map((r) => r.channel));
  }
  async suppressedChannelsOf(customerIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>(customerIds.map((id) => [id, new Set<string>()]));
    const found = await rows<{ customer_id: string; channel: string }>(this.pool, consentSql.suppressedOf, [
      customerIds,
    ]);
    for (const r of found) out.get(r.customer_id)?.add(r.channel);
    return out;
  }
  async addSuppression(row: SuppressionRow): Promise<boolean> {
    const n = await run(this.pool, consentSql.add, [
      row.customerId,
      row.channel,
      row.reason,
      row.source,
      row.createdAt,
    ]);
    return n > 0;
  }
  async removeSuppression(customerId: string, channel: string): Promise<boolean> {
    return (await run(this.pool, consentSql.remove, [customerId, channel])) > 0;
  }
  async listSuppressions(customerId: string): Promise<SuppressionRow[]> {
    const found = await rows<{
      customer_id: string;
      channel: string;
      reason: string;
      source: string | null;
      created_at: number;
    }>(this.pool, consentSql.list, [customerId]);
    return found.map((r) => ({
      customerId: r.customer_id,
      channel: r.channel,
      reason: r.reason,
      source: r.source,
      createdAt: r.created_at,
    }));
  }

  // ---- coupon pools ----
  async createCouponPool(offer: string, pattern: string | null, at: number): Promise<boolean> {
    return (await run(this.pool, couponSql.createPool, [offer, pattern, at])) > 0;
  }
  addCouponCodes(offer: string, codes: readonly string[]): Promise<number> {
    return transaction(this.pool, async (c) => {
      if (!(await one(c, couponSql.poolExists, [offer])))
        throw new Error(`coupon pool "${offer}" does not exist`);
      return run(c, couponSql.addCodes, [offer, codes]);
    });
  }
  issueCoupon(offer: string, key: string, customerId: string, at: number): Promise<CouponIssue> {
    return transaction(this.pool, async (c): Promise<CouponIssue> => {
      const had = await one<{ code: string }>(c, couponSql.issuedTo, [offer, key, customerId]);
      if (had) return { status: "issued", code: had.code, reused: true };
      const took = await one<{ code: string }>(c, couponSql.takeFree, [key, customerId, at, offer]);
      if (took) return { status: "issued", code: took.code, reused: false };
      return (await one(c, couponSql.poolExists, [offer])) ? { status: "empty" } : { status: "no_pool" };
    });
  }
  async getCouponPool(offer: string): Promise<CouponPoolRow | undefined> {
    const r = await one<{
      offer: string;
      pattern: string | null;
      created_at: number;
      total: number;
      issued: number;
    }>(this.pool, couponSql.poolStats, [offer]);
    if (!r) return undefined;
    return {
      offer: r.offer,
      pattern: r.pattern,
      createdAt: r.created_at,
      total: r.total,
      issued: r.issued,
      remaining: r.total - r.issued,
    };
  }
  async listCouponPools(): Promise<CouponPoolRow[]> {
    const out: CouponPoolRow[] = [];
    for (const { offer } of await rows<{ offer: string }>(this.pool, couponSql.listPools)) {
      const row = await this.getCouponPool(offer);
      if (row) out.push(row);
    }
    return out;
  }

  // ---- metadata and summaries ----
  async getMeta(key: string): Promise<string | undefined> {
    return (await one<{ value: string }>(this.pool, summarySql.getMeta, [key]))?.value;
  }
  async setMeta(key: string, value: string): Promise<void> {
    // Other processes hear which key changed (a new model fit, say) and re-read it.
    await transaction(this.pool, async (c) => {
      await run(c, summarySql.setMeta, [key, value]);
      await run(c, metaChanged, [key]);
    });
  }
  async signalResponses(q: { name: string; from?: number; to?: number }): Promise<SignalResponseRow[]> {
    const found = await rows<{
      seq: number;
      customer_id: string;
      ts: number;
      reason: string | null;
      reason_type: string | null;
      journey_id: string | null;
      delivered_at: number | null;
    }>(this.pool, summarySql.signalResponses, [
      q.name,
      q.from ?? Number.MIN_SAFE_INTEGER,
      q.to ?? Number.MAX_SAFE_INTEGER,
    ]);
    return found.map((r) => ({
      seq: r.seq,
      customerId: r.customer_id,
      at: r.ts,
      reason: r.reason_type === "string" ? r.reason : null,
      journeyId: r.journey_id,
      deliveredAt: r.delivered_at,
    }));
  }
  async surveyCounts(
    journeyId: string,
    responseEvent: string,
  ): Promise<{ invitations: number; responses: number }> {
    return {
      invitations: (await one<{ n: number }>(this.pool, summarySql.surveyInvitations, [journeyId]))?.n ?? 0,
      responses:
        (await one<{ n: number }>(this.pool, summarySql.surveyResponses, [responseEvent, journeyId]))?.n ?? 0,
    };
  }

  // ---- results ledger ----
  openGoalWindows(customerIds: readonly string[], after: number): Promise<ResultEntryRow[]> {
    return openGoalWindows(this.pool, customerIds, after);
  }
  resultAggregates(q: ResultQuery, mode?: ResultMode): Promise<ResultAggregates> {
    return resultAggregates(this.pool, q, mode);
  }
  splitArmSums(q: SplitArmQuery, mode?: ResultMode): Promise<SplitArmSums[]> {
    return splitArmSums(this.pool, q, mode);
  }
  resultRows(
    q: ResultQuery & { after?: { enteredAt: number; runId: number }; limit: number },
  ): Promise<ResultExportRow[]> {
    return resultRows(this.pool, q);
  }

  putSnapshot(day: number, takenAt: number, rows: readonly SnapshotBucketRow[]): Promise<void> {
    return putSnapshot(this.pool, day, takenAt, rows);
  }
  listSnapshots(q: SnapshotQuery): Promise<SnapshotRow[]> {
    return listSnapshots(this.pool, q);
  }
  lastSnapshot(before?: number): Promise<{ day: number; takenAt: number } | undefined> {
    return lastSnapshot(this.pool, before);
  }

  async commit(writes: WriteSet): Promise<void> {
    await transaction(this.pool, (c) => applyWrites(c, writes));
  }

  /**
   * Calls `listener` with the due time whenever any process commits work due sooner (LISTEN rekindle_due
   * on a connection of its own). Returns the unsubscribe function.
   */
  async watchDue(listener: (dueAt: number) => void): Promise<() => void> {
    this.dueListeners.add(listener);
    await this.listen();
    return () => this.dueListeners.delete(listener);
  }

  /**
   * Calls `listener` whenever any process publishes, pauses, resumes or archives a journey (LISTEN
   * rekindle_live), so every process's live set follows. Returns the unsubscribe function.
   */
  async watchLive(listener: () => void): Promise<() => void> {
    this.liveListeners.add(listener);
    await this.listen();
    return () => this.liveListeners.delete(listener);
  }

  /** Calls `listener` with the key whenever any process writes a `meta` value (LISTEN rekindle_meta). */
  async watchMeta(listener: (key: string) => void): Promise<() => void> {
    this.metaListeners.add(listener);
    await this.listen();
    return () => this.metaListeners.delete(listener);
  }

  private async listen(): Promise<void> {
    if (this.listener) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on("error", () => undefined);
    client.on("notification", (n) => {
      if (n.channel === LIVE_CHANNEL) {
        for (const l of this.liveListeners) l();
        return;
      }
      if (n.channel === META_CHANNEL) {
        for (const l of this.metaListeners) l(n.payload ?? "");
        return;
      }
      const at = Number(n.payload);
      if (Number.isFinite(at)) for (const l of this.dueListeners) l(at);
    });
    this.listener = client;
    await client.connect();
    await client.query(`LISTEN ${DUE_CHANNEL}; LISTEN ${LIVE_CHANNEL}; LISTEN ${META_CHANNEL}`);
  }

  async ping(): Promise<void> {
    await one(this.pool, summarySql.ping);
  }

  private closed = false;
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => undefined);
    await this.pool.end();
  }
}
