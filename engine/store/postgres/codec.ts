import type {
  CustomerRow,
  JourneyRow,
  JourneyStatus,
  JourneyVersionRow,
  OutboxRow,
  OutboxStatus,
  RunOutcome,
  RunRow,
  RunStatus,
  StepRow,
  StoredEvent,
} from "../types";

/**
 * Row shapes as node-postgres returns them (json already parsed, bigint as number, booleans as booleans)
 * and their mapping to the store's types.
 */

export const RUN_COLUMNS =
  "id, journey_id, version_id, customer_id, entered_at, status, node_id, port, due_at, held, wait_event, wait_since, wait_until, visits, ctx, ended_at, outcome, step_seq";

export interface RunRecord {
  id: number;
  journey_id: string;
  version_id: number;
  customer_id: string;
  status: string;
  node_id: string;
  port: string | null;
  due_at: number | null;
  held: boolean;
  wait_event: string | null;
  wait_since: number | null;
  wait_until: number | null;
  visits: Record<string, number>;
  ctx: RunRow["ctx"];
  entered_at: number;
  ended_at: number | null;
  outcome: string | null;
  step_seq: number;
}

export const decodeRun = (r: RunRecord): RunRow => ({
  id: r.id,
  journeyId: r.journey_id,
  versionId: r.version_id,
  customerId: r.customer_id,
  status: r.status as RunStatus,
  nodeId: r.node_id,
  port: r.port,
  dueAt: r.due_at,
  held: r.held,
  waitEvent: r.wait_event,
  waitSince: r.wait_since,
  waitUntil: r.wait_until,
  visits: r.visits,
  ctx: r.ctx,
  enteredAt: r.entered_at,
  endedAt: r.ended_at,
  outcome: r.outcome as RunOutcome | null,
  stepSeq: r.step_seq,
});

export interface StepRecord {
  id: number;
  run_id: number;
  journey_id: string;
  version_id: number;
  customer_id: string;
  node_id: string;
  node_type: string;
  visit: number;
  seq: number;
  at: number;
  due_at: number | null;
  port: string | null;
  outcome: string;
  reason: string | null;
  detail: Record<string, unknown> | null;
}

export const decodeStep = (r: StepRecord): StepRow & { id: number } => ({
  id: r.id,
  runId: r.run_id,
  journeyId: r.journey_id,
  versionId: r.version_id,
  customerId: r.customer_id,
  nodeId: r.node_id,
  nodeType: r.node_type,
  visit: r.visit,
  seq: r.seq,
  at: r.at,
  dueAt: r.due_at,
  port: r.port,
  outcome: r.outcome,
  reason: r.reason,
  detail: r.detail,
});

export interface OutboxRecord {
  id: number;
  idempotency_key: string;
  run_id: number;
  journey_id: string;
  version_id: number;
  node_id: string;
  visit: number;
  customer_id: string;
  action: string;
  channel: string | null;
  template: string | null;
  payload: Record<string, unknown>;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  created_at: number;
  delivered_at: number | null;
  response: unknown;
  error: string | null;
  resumes_run: boolean;
  receiver: string | null;
}

export const decodeOutbox = (r: OutboxRecord): OutboxRow => ({
  id: r.id,
  idempotencyKey: r.idempotency_key,
  runId: r.run_id,
  journeyId: r.journey_id,
  versionId: r.version_id,
  nodeId: r.node_id,
  visit: r.visit,
  customerId: r.customer_id,
  action: r.action,
  channel: r.channel,
  template: r.template,
  payload: r.payload,
  status: r.status as OutboxStatus,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
  response: r.response ?? null,
  error: r.error,
  resumesRun: r.resumes_run,
  receiver: r.receiver,
});

export interface CustomerRecord {
  id: string;
  traits: Record<string, unknown>;
  state: Record<string, unknown>;
  created_at: number;
  updated_at: number;
}

export const decodeCustomer = (r: CustomerRecord): CustomerRow => ({
  id: r.id,
  traits: r.traits,
  state: r.state,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface EventRecord {
  seq: number;
  message_id: string | null;
  customer_id: string;
  type: string;
  name: string;
  properties: Record<string, unknown>;
  ts: number;
  received_at: number;
}

export const decodeEvent = (r: EventRecord): StoredEvent => ({
  seq: r.seq,
  messageId: r.message_id,
  customerId: r.customer_id,
  type: r.type as StoredEvent["type"],
  name: r.name,
  properties: r.properties,
  timestamp: r.ts,
  receivedAt: r.received_at,
});

export interface JourneyRecord {
  id: string;
  name: string;
  status: string;
  draft: unknown;
  live_version_id: number | null;
  created_at: number;
  updated_at: number;
}

export const decodeJourney = (r: JourneyRecord): JourneyRow => ({
  id: r.id,
  name: r.name,
  status: r.status as JourneyStatus,
  draft: r.draft,
  liveVersionId: r.live_version_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface VersionRecord {
  id: number;
  journey_id: string;
  version: number;
  doc: unknown;
  pins: Record<string, unknown>;
  published_at: number;
}

export const decodeVersion = (r: VersionRecord): JourneyVersionRow => ({
  id: r.id,
  journeyId: r.journey_id,
  version: r.version,
  doc: r.doc,
  pins: r.pins,
  publishedAt: r.published_at,
});

/** A JSON parameter: node-postgres would send a JS array as a PostgreSQL array, so JSON is always text. */
export const j = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
