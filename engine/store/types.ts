import type { AdminStore } from "./admin-types";
import type { CustomerSearch, SignalResponseRow, StepCountRow, StepQuery } from "./queries";
import type {
  ResultAggregates,
  ResultEntryRow,
  ResultExportRow,
  ResultMode,
  ResultQuery,
  SplitArmQuery,
  SplitArmSums,
} from "./results-rows";
import type {
  CouponIssue,
  CouponPoolRow,
  CustomerRow,
  EntryRow,
  JourneyRow,
  JourneyVersionRow,
  OutboxRow,
  RunRow,
  StepRow,
  StoredEvent,
  SuppressionRow,
} from "./rows";
import type { JourneyStatus, OutboxStatus, RunStatus } from "../schema/statuses";
import type { SnapshotBucketRow, SnapshotQuery, SnapshotRow } from "./snapshot-rows";
import type { TimerRow, WriteSet } from "./write-set";
import type { ClaimLanes } from "./claim-lanes";

// Every row and query type is re-exported here, so callers (and each store implementation) import from one place.
export { ACTIVE_STATUSES } from "../schema/statuses";
export type { JourneyStatus, OutboxStatus, RunOutcome, RunStatus } from "../schema/statuses";
export type * from "./rows";
export type * from "./write-set";
export type * from "./results-rows";
export type * from "./queries";
export type { ClaimLanes } from "./claim-lanes";
export type * from "./snapshot-rows";

/**
 * The store contract the engine uses. Everything is async so a PostgreSQL implementation for several engine
 * workers can follow; the embedded SQLite implementation answers synchronously underneath. Reads happen
 * before a commit and the commit applies one WriteSet atomically.
 */
export interface Store {
  /** Users, sessions, write keys, audit log and settings of the server. */
  readonly admin: AdminStore;

  // journeys
  createJourney(row: JourneyRow): Promise<void>;
  updateJourney(row: JourneyRow): Promise<void>;
  getJourney(id: string): Promise<JourneyRow | undefined>;
  listJourneys(): Promise<JourneyRow[]>;
  /** Publishes a version and makes it live, atomically; returns the new version's row. */
  publishVersion(
    journeyId: string,
    doc: unknown,
    pins: Record<string, unknown>,
    at: number,
  ): Promise<JourneyVersionRow>;
  getVersion(id: number): Promise<JourneyVersionRow | undefined>;
  listVersions(journeyId: string): Promise<JourneyVersionRow[]>;
  /** Sets a journey's status and holds (pause) or releases (resume) its active runs, atomically. */
  setJourneyStatus(id: string, status: JourneyStatus, at: number): Promise<void>;

  // customers and events
  getCustomers(ids: readonly string[]): Promise<Map<string, CustomerRow>>;
  /** Every customer, in pages, for audience triggers and recomputation. */
  scanCustomers(afterId: string | null, limit: number): Promise<CustomerRow[]>;
  /** Customer ids only, in pages (cheap: no JSON decoded). */
  scanCustomerIds(afterId: string | null, limit: number): Promise<string[]>;
  /** Ids and computed states, in pages (the nightly fit's pass: no traits decoded). */
  scanCustomerStates(
    afterId: string | null,
    limit: number,
  ): Promise<{ id: string; state: Record<string, unknown> }[]>;
  knownMessageIds(ids: readonly string[]): Promise<Set<string>>;
  countCustomers(): Promise<number>;
  /** Customers whose id, email, name or phone contains `q` (case-insensitive), by id. */
  searchCustomers(q: CustomerSearch): Promise<CustomerRow[]>;
  /** Ids of the first `limit` customers (by id) with an event in [from, to). */
  customersActiveIn(from: number, to: number, limit: number): Promise<string[]>;
  /** Events of the given customers in [from, to), oldest first, at most `limit`. */
  eventsOf(customerIds: readonly string[], from: number, to: number, limit: number): Promise<StoredEvent[]>;
  countEvents(customerId: string, name: string, from: number, to: number): Promise<number>;
  /**
   * Events named `name` with a timestamp in [from, to), newest first, at most `limit` (the publish check's
   * "who sent this event recently"). Not a hot query: no index leads with the name, so it reads the window.
   */
  eventsNamed(name: string, from: number, to: number, limit: number): Promise<StoredEvent[]>;
  listEvents(customerId: string, limit: number): Promise<StoredEvent[]>;

  // runs
  reserveRunIds(count: number): Promise<number>;
  activeRunsOf(customerIds: readonly string[]): Promise<RunRow[]>;
  getEntries(pairs: readonly { journeyId: string; customerId: string }[]): Promise<Map<string, EntryRow>>;
  /** Claims up to `limit` runs due at `now` that no live lease holds, leasing them until `leaseUntil`. */
  claimDueRuns(now: number, limit: number, leaseUntil: number, owner: string): Promise<RunRow[]>;
  /**
   * Serializes transitions per customer across processes (multi-process stores: PostgreSQL's advisory
   * locks): holds every given customer's lock until the returned release is called, taking them in one
   * global order so overlapping sets never deadlock. Optional: an embedded store's one engine already runs
   * its transitions one at a time.
   */
  lockCustomers?(customerIds: readonly string[]): Promise<() => Promise<void>>;
  /**
   * The current rows of the runs among `ids` that `owner` still holds by its claim: a commit touching a run
   * (another process's ingestion, say) ends the claim. With `lockCustomers`, a worker advances only these.
   */
  heldRuns?(ids: readonly number[], owner: string): Promise<RunRow[]>;
  /** The earliest due time of an unheld run, or null. */
  nextDueAt(): Promise<number | null>;
  /**
   * Leases up to `limit` due timer slots not done (nor leased by a live claim) until `leaseUntil`, earliest
   * first. A claimed slot is done when a commit lists it in `timersDone`; `releaseAllLeases` frees the rest.
   */
  claimDueTimers(now: number, limit: number, leaseUntil: number): Promise<TimerRow[]>;
  /** The earliest time a timer slot not done can be claimed (its due time, or its lease's end), or null. */
  nextTimerAt(): Promise<number | null>;
  /**
   * Claims the database for one engine (embedded mode), refusing with who holds it when another live
   * process does. Optional: in-memory and multi-worker stores need none.
   */
  lockForEngine?(command: string): void;
  /**
   * Calls `listener` with the due time whenever any process commits work due sooner (multi-worker stores:
   * PostgreSQL's LISTEN/NOTIFY). Optional: an embedded store's commits all pass through its one engine.
   */
  watchDue?(listener: (dueAt: number) => void): Promise<() => void>;
  /**
   * Calls `listener` whenever any process changes the set of live journeys (multi-process stores), so each
   * process's live set follows a publish made by another. Optional: an embedded store has one process.
   */
  watchLive?(listener: () => void): Promise<() => void>;
  /**
   * Calls `listener` with the key whenever any process writes a `meta` value (multi-process stores), so a
   * model fit stored by one worker is installed by every process. Optional like `watchLive`.
   */
  watchMeta?(listener: (key: string) => void): Promise<() => void>;
  /** Drops leases left by a crashed process (embedded mode: one engine per database). */
  releaseAllLeases(): Promise<number>;
  getRun(id: number): Promise<RunRow | undefined>;
  listRuns(q: {
    journeyId?: string;
    customerId?: string;
    status?: RunStatus;
    limit?: number;
  }): Promise<RunRow[]>;
  countRuns(journeyId: string): Promise<{ status: RunStatus; nodeId: string; count: number }[]>;
  /** Runs of every journey by status (the metrics gauge). */
  countRunsByStatus(): Promise<{ status: RunStatus; count: number }[]>;

  // run log and outbox
  listSteps(q: StepQuery): Promise<(StepRow & { id: number })[]>;
  /** A journey's run log counted by node, outcome, port and reason. */
  countSteps(journeyId: string): Promise<StepCountRow[]>;
  /** Distinct visits (run and visit number) per node of a journey's run log: how many entered each node. */
  countNodeVisits(journeyId: string): Promise<{ nodeId: string; visits: number }[]>;
  /** The newest run-log id (0 when empty): where a reader tailing the log starts. */
  lastStepId(): Promise<number>;
  countDeliveries(customerId: string, channels: readonly string[], from: number): Promise<number>;
  /** Deliveries of every journey by status (the metrics gauge). */
  countOutboxByStatus(): Promise<{ status: OutboxStatus; count: number }[]>;
  /** A journey's failed deliveries that no run waited for (fire and forget): failures no run status shows. */
  countDetachedFailures(journeyId: string): Promise<number>;
  /**
   * Claims due deliveries, except those of paused journeys, which stay pending until resumed. With `lanes`,
   * takes at most each receiver's free slots and none of a full receiver's (rows without a stored receiver
   * count as one lane of their own).
   */
  claimOutbox(now: number, limit: number, leaseUntil: number, lanes?: ClaimLanes): Promise<OutboxRow[]>;
  /** When the outbox next has a delivery to claim (due, or a lease running out), or null. */
  nextOutboxDueAt(): Promise<number | null>;
  getOutbox(key: string): Promise<OutboxRow | undefined>;
  /** Deliveries in id order; `after` is a cursor (an id). */
  listOutbox(q: {
    status?: OutboxStatus;
    customerId?: string;
    journeyId?: string;
    /** The channel, or the action type for a delivery without one (webhook, custom actions). */
    channel?: string;
    after?: number;
    limit?: number;
  }): Promise<OutboxRow[]>;

  // consent (written directly, not through a commit: an unsubscribe takes effect at once)
  /** The channels a customer is unsubscribed from (`*` means all). */
  suppressedChannels(customerId: string): Promise<Set<string>>;
  /**
   * The suppressed channels of many customers in one read (every given id has an entry). Optional: a store
   * whose per-customer read costs a round trip (PostgreSQL) offers it, and a worker reads its batch's at once.
   */
  suppressedChannelsOf?(customerIds: readonly string[]): Promise<Map<string, Set<string>>>;
  /** Records an unsubscribe; false when it was already recorded (the first one is kept). */
  addSuppression(row: SuppressionRow): Promise<boolean>;
  /** Resubscribes; false when there was nothing to remove. */
  removeSuppression(customerId: string, channel: string): Promise<boolean>;
  listSuppressions(customerId: string): Promise<SuppressionRow[]>;

  // coupon pools
  /** Creates an offer's pool; false when it exists already. */
  createCouponPool(offer: string, pattern: string | null, at: number): Promise<boolean>;
  /** Adds codes to a pool (which must exist); returns how many were new (duplicates are ignored). */
  addCouponCodes(offer: string, codes: readonly string[]): Promise<number>;
  /**
   * Gives `(key, customerId)` one code of the offer's pool, atomically: the same code again when the key
   * already has one, else the next free code, which no one else can ever get.
   */
  issueCoupon(offer: string, key: string, customerId: string, at: number): Promise<CouponIssue>;
  getCouponPool(offer: string): Promise<CouponPoolRow | undefined>;
  listCouponPools(): Promise<CouponPoolRow[]>;

  // metadata and summaries
  /** A value of the key/value `meta` table (model fits, job bookkeeping). */
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /**
   * Every stored event named `name` with a timestamp in [from, to), oldest first, each with the first
   * message (a sent delivery on a channel) its customer received at or after it.
   */
  signalResponses(q: { name: string; from?: number; to?: number }): Promise<SignalResponseRow[]>;
  /**
   * Survey invitations a journey delivered (sent messages whose template names a survey or whose params
   * carry a `surveyUrl`) and the `responseEvent` events that name the journey in `properties.journeyId`.
   */
  surveyCounts(journeyId: string, responseEvent: string): Promise<{ invitations: number; responses: number }>;

  // results ledger (spec §4)
  /** Unconverted goal windows of these customers that close after `after`. */
  openGoalWindows(customerIds: readonly string[], after: number): Promise<ResultEntryRow[]>;
  /**
   * The report's sums. `counters` (the default) reads whole days from the daily counters kept at commit time
   * and the edge days entry by entry; `exact` reads every entry. Both always give the same answer.
   */
  resultAggregates(q: ResultQuery, mode?: ResultMode): Promise<ResultAggregates>;
  /** One split's sums in one version by arm and assignment reason, for `promoteWinner`. */
  splitArmSums(q: SplitArmQuery, mode?: ResultMode): Promise<SplitArmSums[]>;
  /** Entries in (enteredAt, runId) order after the cursor, for CSV export. */
  resultRows(
    q: ResultQuery & { after?: { enteredAt: number; runId: number }; limit: number },
  ): Promise<ResultExportRow[]>;

  // lifecycle snapshots (the overview; engine/customer/overview)
  /** Stores a day's snapshot, replacing every row that day had (atomically). */
  putSnapshot(day: number, takenAt: number, rows: readonly SnapshotBucketRow[]): Promise<void>;
  /** Snapshot rows of days in [from, to], by day, dimension and bucket. */
  listSnapshots(q: SnapshotQuery): Promise<SnapshotRow[]>;
  /** The newest snapshot day before `before` (any day when absent), with the instant it describes. */
  lastSnapshot(before?: number): Promise<{ day: number; takenAt: number } | undefined>;

  commit(writes: WriteSet): Promise<void>;
  /** Throws when the database cannot answer (the health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const entryKey = (journeyId: string, customerId: string): string => `${journeyId}\u0000${customerId}`;
