import type { JourneyStatus, OutboxStatus, RunOutcome, RunStatus } from "../schema/statuses";

// The rows the store keeps: runs and their log, deliveries, events, customers, journeys and their versions,
// suppressions and coupon pools.

export interface RunContext {
  /** The event that entered the run or matched a wait: the `event` fact. */
  event?: { name: string; properties: Record<string, unknown>; timestamp: string } | undefined;
  /** Branch ids chosen by splits, newest last: `journey.branch` is the last one. */
  branch?: string | undefined;
  /** Values later steps and templates may use (coupon codes, webhook results). */
  vars?: Record<string, unknown> | undefined;
  /** Arms this run took because `promoteWinner` had promoted them, by split node id: a revisit keeps them. */
  promoted?: Record<string, string> | undefined;
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
  /**
   * Who answers it (`host:…`, `channel:…`, `action:…`): the dispatcher's lane, so a claim can skip full lanes.
   * Null on rows queued before the column existed (their lane is computed after the claim).
   */
  receiver?: string | null;
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
