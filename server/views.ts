import { redactResponse } from "../engine/index";
import type { JourneyRow, JourneyVersionRow, OutboxRow, RunRow, RunTrace, StepRow } from "../engine/index";

/** JSON views of stored rows: times as ISO 8601 strings. */
export const isoOrNull = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();
export const iso = (ms: number): string => new Date(ms).toISOString();

export function runView(r: RunRow) {
  return {
    id: r.id,
    journeyId: r.journeyId,
    versionId: r.versionId,
    customerId: r.customerId,
    status: r.status,
    nodeId: r.nodeId,
    port: r.port,
    dueAt: isoOrNull(r.dueAt),
    held: r.held,
    waitEvent: r.waitEvent,
    waitUntil: isoOrNull(r.waitUntil),
    visits: r.visits,
    ctx: r.ctx,
    enteredAt: iso(r.enteredAt),
    endedAt: isoOrNull(r.endedAt),
    outcome: r.outcome,
  };
}

export function stepView(s: StepRow & { id: number }) {
  return {
    id: s.id,
    runId: s.runId,
    journeyId: s.journeyId,
    versionId: s.versionId,
    customerId: s.customerId,
    nodeId: s.nodeId,
    nodeType: s.nodeType,
    visit: s.visit,
    seq: s.seq,
    at: iso(s.at),
    dueAt: isoOrNull(s.dueAt),
    lateMs: s.dueAt === null ? null : Math.max(0, s.at - s.dueAt),
    port: s.port,
    outcome: s.outcome,
    reason: s.reason,
    detail: s.detail,
  };
}

export function outboxView(o: OutboxRow) {
  return {
    id: o.id ?? null,
    key: o.idempotencyKey,
    runId: o.runId,
    journeyId: o.journeyId,
    versionId: o.versionId,
    nodeId: o.nodeId,
    visit: o.visit,
    customerId: o.customerId,
    action: o.action,
    channel: o.channel,
    template: o.template,
    payload: o.payload,
    status: o.status,
    attempts: o.attempts,
    nextAttemptAt: isoOrNull(o.nextAttemptAt),
    createdAt: iso(o.createdAt),
    deliveredAt: isoOrNull(o.deliveredAt),
    response: redactResponse(o.response),
    error: o.error,
  };
}

export function versionSummary(v: JourneyVersionRow) {
  return { id: v.id, version: v.version, publishedAt: iso(v.publishedAt) };
}

export function journeyView(j: JourneyRow, liveVersion: number | null) {
  return {
    id: j.id,
    name: j.name,
    status: j.status,
    draft: j.draft,
    liveVersionId: j.liveVersionId,
    liveVersion,
    createdAt: iso(j.createdAt),
    updatedAt: iso(j.updatedAt),
  };
}

export function runTraceView(t: RunTrace) {
  return { ...runView(t.run), steps: t.steps.map(stepView), deliveries: t.deliveries.map(outboxView) };
}
