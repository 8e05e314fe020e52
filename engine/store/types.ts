import type { AdminStore } from "./admin-types";

/**
 * The store contract the engine uses. Everything is async so a PostgreSQL implementation for several engine
 * workers can follow; the embedded SQLite implementation answers synchronously underneath. Reads happen
 * before a commit and the commit applies one WriteSet atomically.
 */

export type RunStatus = "ready" | "waiting" | "acting" | "completed" | "exited" | "converted" | "failed";
export const ACTIVE_STATUSES: readonly RunStatus[] = ["ready", "waiting", "acting"];
export type RunOutcome = "completed" | "exited" | "converted" | "failed";

export interface RunContext {
  /** The event that entered the run or matched a wait: the `event` fact. */
  event?: { name: string; properties: Record<string, unknown>; timestamp: string } | undefined;
  /** Branch ids chosen by splits, newest last: `journey.branch` is the last one. */
  branch?: string | undefined;
  /** Values later steps and templates may use (coupon codes, webhook results). */
  vars?: Record<string, unknown> | undefined;
  /** Set while a message action waits out quiet hours, so the same visit resumes without re-checking. */
  deferred?: { nodeId: string; visit: number } | undefined;
}

export interface RunRow {
  id: number;
  journeyId: string;
  versionId: number;
  customerId: string;
  status: RunStatus;
  nodeId: string;
  /** When set, the run is leaving `nodeId` through this port; when null it is (re-)entering `nodeId`. */
  port: string | null;
  dueAt: number | null;
  held: boolean;
  waitEvent: string | null;
  waitSince: number | null;
  waitUntil: number | null;
  visits: Record<string, number>;
  ctx: RunContext;
  enteredAt: number;
  endedAt: number | null;
  outcome: RunOutcome | null;
  stepSeq: number;
}

export interface StepRow {
  runId: number;
  journeyId: string;
  versionId: number;
  customerId: string;
  nodeId: string;
  nodeType: string;
  visit: number;
  seq: number;
  at: number;
  /** When the step was due; `at - dueAt` is its lateness. */
  dueAt: number | null;
  port: string | null;
  outcome: string;
  reason: string | null;
  detail: Record<string, unknown> | null;
}

export type OutboxStatus = "pending" | "sending" | "sent" | "failed" | "retry";

export interface OutboxRow {
  id?: number;
  idempotencyKey: string;
  runId: number;
  journeyId: string;
  versionId: number;
  nodeId: string;
  visit: number;
  customerId: string;
  action: string;
  channel: string | null;
  template: string | null;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number | null;
  createdAt: number;
  deliveredAt: number | null;
  response: unknown;
  error: string | null;
  /** The run waits on this delivery's outcome (its `failed` or custom ports are connected). */
  resumesRun: boolean;
}

export interface StoredEvent {
  seq?: number;
  messageId: string | null;
  customerId: string;
  type: "identify" | "track";
  name: string;
  properties: Record<string, unknown>;
  timestamp: number;
  receivedAt: number;
}

export interface CustomerRow {
  id: string;
  traits: Record<string, unknown>;
  state: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export type JourneyStatus = "draft" | "live" | "paused" | "archived";

export interface JourneyRow {
  id: string;
  name: string;
  status: JourneyStatus;
  draft: unknown;
  liveVersionId: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface JourneyVersionRow {
  id: number;
  journeyId: string;
  version: number;
  doc: unknown;
  pins: Record<string, unknown>;
  publishedAt: number;
}

export interface EntryRow {
  journeyId: string;
  customerId: string;
  lastEnteredAt: number;
  count: number;
}

/** Everything one engine transition writes, applied in one transaction. */
export interface WriteSet {
  events?: StoredEvent[];
  customers?: CustomerRow[];
  newRuns?: RunRow[];
  runUpdates?: RunRow[];
  steps?: StepRow[];
  outbox?: OutboxRow[];
  outboxUpdates?: Pick<
    OutboxRow,
    "idempotencyKey" | "status" | "attempts" | "nextAttemptAt" | "deliveredAt" | "response" | "error"
  >[];
  entries?: EntryRow[];
  /** Lease holder releasing runs it claimed but did not change. */
  releaseRuns?: number[];
  /** Results ledger (spec §4): one row per new run, arms passed, conversions found in stored events. */
  resultEntries?: ResultEntryRow[];
  assignments?: AssignmentRow[];
  conversions?: ConversionRow[];
}

/** A run's entry as the results report counts it: its goal window is [enteredAt, windowEnd). */
export interface ResultEntryRow {
  runId: number;
  journeyId: string;
  versionId: number;
  customerId: string;
  enteredAt: number;
  /** The goal event; null when the version has no goal (then `windowEnd` is `enteredAt`). */
  goalEvent: string | null;
  windowEnd: number;
}

/** Why a run took a split's arm: the public hash, or a promoted winner (`promoteWinner`). */
export type AssignmentReason = "hash" | "winner";

/** A run passing a split (first visit only: a customer is counted once per entry). */
export interface AssignmentRow {
  runId: number;
  nodeId: string;
  arm: string;
  reason: AssignmentReason;
}

/** The first goal event inside a run's window, with its `properties.revenue` (0 when absent). */
export interface ConversionRow {
  runId: number;
  at: number;
  revenue: number;
}

/** Which entries a results query covers: entry time in [from, to), before `asOf`, optionally one version. */
export interface ResultQuery {
  journeyId: string;
  versionId?: number;
  from?: number;
  to?: number;
  asOf: number;
}

/** Sums over entries; `matured*` count windows closed by `asOf`; conversions are those before `asOf`. */
export interface ResultSums {
  entered: number;
  matured: number;
  converted: number;
  maturedConverted: number;
  revenue: number;
  /** Sum of squared per-entry revenue, for revenue-per-customer intervals. */
  revenueSquares: number;
}

export interface ResultAggregates {
  byVersion: (ResultSums & { versionId: number })[];
  byArm: (ResultSums & { nodeId: string; arm: string; reason: AssignmentReason; versionId: number })[];
  /** Arm members by UTC entry day and conversions by UTC conversion day (day = ms / 86,400,000, floored). */
  armMembersByDay: { nodeId: string; arm: string; day: number; count: number }[];
  armConversionsByDay: { nodeId: string; arm: string; day: number; count: number }[];
  /** Sent deliveries of the covered runs before `asOf`, and runs they cover that ended `exited`. */
  delivered: number;
  exited: number;
}

/** One entry for an analyst's export: its arms and whether and when it converted. */
export interface ResultExportRow {
  runId: number;
  customerId: string;
  versionId: number;
  enteredAt: number;
  windowEnd: number;
  convertedAt: number | null;
  revenue: number;
  /** nodeId → arm */
  arms: Record<string, string>;
}

/** A customer's unsubscribe from one channel (`*`: every channel). */
export interface SuppressionRow {
  customerId: string;
  channel: string;
  /** e.g. `unsubscribed`, `bounced`, `complaint`. */
  reason: string;
  /** Where it came from: `link`, `one-click`, `api`, `import`. */
  source: string | null;
  createdAt: number;
}

/** The outcome of issuing a coupon from an offer's pool. */
export type CouponIssue =
  | { status: "issued"; code: string; /** The key had this code already (a re-execution). */ reused: boolean }
  | { status: "empty" }
  | { status: "no_pool" };

export interface CouponPoolRow {
  offer: string;
  pattern: string | null;
  createdAt: number;
  total: number;
  issued: number;
  remaining: number;
}

export interface StepQuery {
  journeyId?: string;
  versionId?: number;
  nodeId?: string;
  customerId?: string;
  runId?: number;
  outcome?: string;
  reason?: string;
  /** Only failed steps (true) or only the others (false). */
  failed?: boolean;
  from?: number;
  to?: number;
  /** Cursor: steps with an id greater than this. */
  after?: number;
  limit?: number;
}

/** A signal event and the first message delivered to its customer at or after it (null when none yet). */
export interface SignalResponseRow {
  seq: number;
  customerId: string;
  /** The signal's timestamp. */
  at: number;
  /** `properties.reason` of the signal, when it has one. */
  reason: string | null;
  /** The journey whose delivery came first, and when it was delivered. */
  journeyId: string | null;
  deliveredAt: number | null;
}

/** Run-log steps of one journey counted by node, outcome, port and reason (the read side's per-node stats). */
export interface StepCountRow {
  nodeId: string;
  outcome: string;
  port: string | null;
  reason: string | null;
  count: number;
}

/** A page of the customer list, searched by id, email, name or phone. */
export interface CustomerSearch {
  q?: string | undefined;
  /** Cursor: customers with an id greater than this. */
  after?: string | undefined;
  limit: number;
}

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
  listEvents(customerId: string, limit: number): Promise<StoredEvent[]>;

  // runs
  reserveRunIds(count: number): Promise<number>;
  activeRunsOf(customerIds: readonly string[]): Promise<RunRow[]>;
  getEntries(pairs: readonly { journeyId: string; customerId: string }[]): Promise<Map<string, EntryRow>>;
  /** Claims up to `limit` runs due at `now` that no live lease holds, leasing them until `leaseUntil`. */
  claimDueRuns(now: number, limit: number, leaseUntil: number, owner: string): Promise<RunRow[]>;
  /** The earliest due time of an unheld run, or null. */
  nextDueAt(): Promise<number | null>;
  /**
   * Claims the database for one engine (embedded mode), refusing with who holds it when another live
   * process does. Optional: in-memory and multi-worker stores need none.
   */
  lockForEngine?(command: string): void;
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
  /** Claims due deliveries, except those of paused journeys, which stay pending until resumed. */
  claimOutbox(now: number, limit: number, leaseUntil: number): Promise<OutboxRow[]>;
  /** When the outbox next has a delivery to claim (due, or a lease running out), or null. */
  nextOutboxDueAt(): Promise<number | null>;
  getOutbox(key: string): Promise<OutboxRow | undefined>;
  /** Deliveries in id order; `after` is a cursor (an id). */
  listOutbox(q: {
    status?: OutboxStatus;
    customerId?: string;
    journeyId?: string;
    after?: number;
    limit?: number;
  }): Promise<OutboxRow[]>;

  // consent (written directly, not through a commit: an unsubscribe takes effect at once)
  /** The channels a customer is unsubscribed from (`*` means all). */
  suppressedChannels(customerId: string): Promise<Set<string>>;
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
  resultAggregates(q: ResultQuery): Promise<ResultAggregates>;
  /** Entries in (enteredAt, runId) order after the cursor, for CSV export. */
  resultRows(
    q: ResultQuery & { after?: { enteredAt: number; runId: number }; limit: number },
  ): Promise<ResultExportRow[]>;

  commit(writes: WriteSet): Promise<void>;
  /** Throws when the database cannot answer (the health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const entryKey = (journeyId: string, customerId: string): string => `${journeyId}\u0000${customerId}`;
