import type {
  CustomerRow,
  OutboxRow,
  RunRow,
  RunStatus,
  StepRow,
  StoredEvent,
  RunOutcome,
  OutboxStatus,
} from "../types";

/** Row shapes as SQLite returns them, and their mapping to the store's types. */
export interface RunRecord {
  id: number;
  journey_id: string;
  version_id: number;
  customer_id: string;
  status: string;
  node_id: string;
  port: string | null;
  due_at: number | null;
  held: number;
  wait_event: string | null;
  wait_since: number | null;
  wait_until: number | null;
  visits: string;
  ctx: string;
  entered_at: number;
  ended_at: number | null;
  outcome: string | null;
  step_seq: number;
}

export function decodeRun(r: RunRecord): RunRow {
  return {
    id: r.id,
    journeyId: r.journey_id,
    versionId: r.version_id,
    customerId: r.customer_id,
    status: r.status as RunStatus,
    nodeId: r.node_id,
    port: r.port,
    dueAt: r.due_at,
    held: r.held === 1,
    waitEvent: r.wait_event,
    waitSince: r.wait_since,
    waitUntil: r.wait_until,
    visits: JSON.parse(r.visits) as Record<string, number>,
    ctx: JSON.parse(r.ctx) as RunRow["ctx"],
    enteredAt: r.entered_at,
    endedAt: r.ended_at,
    outcome: r.outcome as RunOutcome | null,
    stepSeq: r.step_seq,
  };
}

/** The columns a transition may change, in the order `runMutableParams` gives their values. */
export const RUN_MUTABLE_COLUMNS = [
  "status",
  "node_id",
  "port",
  "due_at",
  "held",
  "wait_event",
  "wait_since",
  "wait_until",
  "visits",
  "ctx",
  "ended_at",
  "outcome",
  "step_seq",
] as const;

function runMutableParams(run: RunRow): unknown[] {
  return [
    run.status,
    run.nodeId,
    run.port,
    run.dueAt,
    run.held ? 1 : 0,
    run.waitEvent,
    run.waitSince,
    run.waitUntil,
    JSON.stringify(run.visits),
    JSON.stringify(run.ctx),
    run.endedAt,
    run.outcome,
    run.stepSeq,
  ];
}

/** Parameters of the run insert: the fixed columns, then the mutable ones (positional binding is faster). */
export function encodeRun(run: RunRow): unknown[] {
  return [run.id, run.journeyId, run.versionId, run.customerId, run.enteredAt, ...runMutableParams(run)];
}

/** Parameters of the run update: the mutable columns, then the id. */
export function encodeRunUpdate(run: RunRow): unknown[] {
  const params = runMutableParams(run);
  params.push(run.id);
  return params;
}

export function encodeStep(s: StepRow): unknown[] {
  return [
    s.runId,
    s.journeyId,
    s.versionId,
    s.customerId,
    s.nodeId,
    s.nodeType,
    s.visit,
    s.seq,
    s.at,
    s.dueAt,
    s.port,
    s.outcome,
    s.reason,
    s.detail === null ? null : JSON.stringify(s.detail),
  ];
}

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
  detail: string | null;
}

export function decodeStep(r: StepRecord): StepRow & { id: number } {
  return {
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
    detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
  };
}

export function encodeOutbox(o: OutboxRow): Record<string, unknown> {
  return {
    idempotency_key: o.idempotencyKey,
    run_id: o.runId,
    journey_id: o.journeyId,
    version_id: o.versionId,
    node_id: o.nodeId,
    visit: o.visit,
    customer_id: o.customerId,
    action: o.action,
    channel: o.channel,
    template: o.template,
    payload: JSON.stringify(o.payload),
    status: o.status,
    attempts: o.attempts,
    next_attempt_at: o.nextAttemptAt,
    created_at: o.createdAt,
    delivered_at: o.deliveredAt,
    response: o.response === undefined || o.response === null ? null : JSON.stringify(o.response),
    error: o.error,
    resumes_run: o.resumesRun ? 1 : 0,
    receiver: o.receiver ?? null,
  };
}

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
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  created_at: number;
  delivered_at: number | null;
  response: string | null;
  error: string | null;
  resumes_run: number;
  receiver: string | null;
}

export function decodeOutbox(r: OutboxRecord): OutboxRow {
  return {
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
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    response: r.response === null ? null : (JSON.parse(r.response) as unknown),
    error: r.error,
    resumesRun: r.resumes_run === 1,
    receiver: r.receiver,
  };
}

export interface CustomerRecord {
  id: string;
  traits: string;
  state: string;
  created_at: number;
  updated_at: number;
}

export function decodeCustomer(r: CustomerRecord): CustomerRow {
  return {
    id: r.id,
    traits: JSON.parse(r.traits) as Record<string, unknown>,
    state: JSON.parse(r.state) as Record<string, unknown>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface EventRecord {
  seq: number;
  message_id: string | null;
  customer_id: string;
  type: string;
  name: string;
  properties: string;
  ts: number;
  received_at: number;
}

export function decodeEvent(r: EventRecord): StoredEvent {
  return {
    seq: r.seq,
    messageId: r.message_id,
    customerId: r.customer_id,
    type: r.type as StoredEvent["type"],
    name: r.name,
    properties: JSON.parse(r.properties) as Record<string, unknown>,
    timestamp: r.ts,
    receivedAt: r.received_at,
  };
}
