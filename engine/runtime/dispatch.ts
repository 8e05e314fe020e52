import type { ActionResult } from "../actions/types";
import type { OutboxRow, RunRow, WriteSet } from "../store/types";
import type { Batch } from "./batch";
import { reported } from "./transitions/log-entry";
import type { EngineDeps } from "./deps";
import { applyTransition } from "./transitions/apply";
import { attempted, suppressed } from "./transitions/outbox";
import type { OutboxUpdate } from "./transitions/outbox";
import { suppresses } from "../consent/consent";

export { MAX_ATTEMPTS } from "./transitions/outbox";

/** What one delivery came to: the action's result, or not sent because the customer unsubscribed since. */
export type DeliveryResult = ActionResult | { status: "suppressed"; channel: string };

/** Executes one claimed outbox row's action, passing its idempotency key. Never throws. */
export async function executeDelivery(
  row: OutboxRow,
  deps: EngineDeps,
  timeoutMs: number,
): Promise<DeliveryResult> {
  const def = deps.registry.get(row.action);
  if (!def) return { status: "fail", reason: `action "${row.action}" is no longer registered` };
  // Consent is checked again at send time: an unsubscribe between queueing and sending wins.
  if (row.channel !== null && suppresses(await deps.store.suppressedChannels(row.customerId), row.channel)) {
    return { status: "suppressed", channel: row.channel };
  }
  const customers = await deps.store.getCustomers([row.customerId]);
  const c = customers.get(row.customerId);
  const customer = c ? deps.model.fact(c, deps.clock.now()) : { id: row.customerId, traits: {} };
  const p = row.payload as {
    rendered: never;
    address: string | null;
    config: Record<string, unknown>;
    vars: Record<string, unknown>;
  };
  try {
    return await def.execute({
      config: p.config,
      rendered: p.rendered ?? null,
      template: row.template,
      customer: customer as { id: string; traits: Record<string, unknown> },
      address: p.address ?? undefined,
      idempotencyKey: row.idempotencyKey,
      // A claim counts the attempt, so the claimed row already holds this attempt's number.
      attempt: row.attempts,
      run: {
        id: row.runId,
        journeyId: row.journeyId,
        versionId: row.versionId,
        nodeId: row.nodeId,
        visit: row.visit,
      },
      vars: p.vars ?? {},
      now: deps.clock.now(),
      signal: AbortSignal.timeout(timeoutMs),
      log: deps.log,
    });
  } catch (e) {
    // A provider that throws has not told us whether it sent: retry with the same key rather than drop.
    return { status: "retry", afterMs: 30_000, reason: `provider error: ${(e as Error).message}` };
  }
}

/** Records delivery results, and moves runs that waited on them on through the result's port. */
export async function recordDeliveries(
  done: readonly { row: OutboxRow; result: DeliveryResult }[],
  batch: Batch,
  deps: EngineDeps,
): Promise<WriteSet["outboxUpdates"]> {
  const now = batch.now;
  const updates: OutboxUpdate[] = [];
  for (const { row, result: outcome } of done) {
    if (outcome.status === "suppressed") {
      await recordSuppressed(row, outcome.channel, batch, deps, updates);
      continue;
    }
    const result = outcome;
    const update = attempted(row, result, now);
    updates.push(update);
    const { status, error } = update;
    if (status === "retry") continue;
    if (result.status === "done" && result.traits) {
      const c = (await deps.store.getCustomers([row.customerId])).get(row.customerId);
      if (c) {
        const current = batch.customers.get(c.id) ?? c;
        current.traits = { ...current.traits, ...result.traits };
        current.updatedAt = now;
        batch.setCustomer(current);
      }
    }
    if (!row.resumesRun) {
      if (status === "failed") await logDetachedFailure(row, error, batch, deps);
      continue;
    }
    const run: RunRow | undefined = await deps.store.getRun(row.runId);
    if (!run || run.status !== "acting" || run.nodeId !== row.nodeId) continue;
    const cj = await deps.version(run.versionId);
    const out = cj.nodes.get(run.nodeId)?.out;
    const base = { nodeId: run.nodeId, nodeType: "action", visit: row.visit, at: now, dueAt: null } as const;
    const detail = { idempotencyKey: row.idempotencyKey };
    if (status === "sent") {
      if (result.status === "done" && result.vars) run.ctx.vars = { ...run.ctx.vars, ...result.vars };
      const port = (result.status === "done" && result.port) || "next";
      const log = { ...base, port, outcome: "delivered", reason: null, detail } as const;
      applyTransition(run, { to: "ready", port, log }, batch);
    } else {
      const port = out?.has("failed") ? "failed" : null;
      const reason = error === null ? null : reported(error);
      const log = { ...base, port, outcome: "failed", reason, detail } as const;
      applyTransition(run, port ? { to: "ready", port, log } : { to: "end", outcome: "failed", log }, batch);
    }
  }
  return updates;
}

/**
 * A delivery its run did not wait for (fire and forget) failed for good: the run went on long ago, so without
 * this step the failure would live only in the outbox, missing from the run log's failed filter and the
 * journey's failed counts. The step is logged on the run wherever it stands now; the run itself is not moved.
 */
async function logDetachedFailure(
  row: OutboxRow,
  error: string | null,
  batch: Batch,
  deps: EngineDeps,
): Promise<void> {
  const run = batch.updatedRuns.get(row.runId) ?? (await deps.store.getRun(row.runId));
  if (!run) return;
  batch.log(run, {
    nodeId: row.nodeId,
    nodeType: "action",
    visit: row.visit,
    at: batch.now,
    dueAt: null,
    port: null,
    outcome: "failed",
    reason: error === null ? null : reported(error),
    detail: { idempotencyKey: row.idempotencyKey, detached: true },
  });
  batch.touchRun(run);
}

/** A queued message whose customer unsubscribed before it went out: not sent, and the run goes on via `next`. */
async function recordSuppressed(
  row: OutboxRow,
  channel: string,
  batch: Batch,
  deps: EngineDeps,
  updates: OutboxUpdate[],
): Promise<void> {
  const now = batch.now;
  updates.push(suppressed(row, channel));
  if (!row.resumesRun) return;
  const run = await deps.store.getRun(row.runId);
  if (!run || run.status !== "acting" || run.nodeId !== row.nodeId) return;
  const log = {
    nodeId: run.nodeId,
    nodeType: "action",
    visit: row.visit,
    at: now,
    dueAt: null,
    port: "next",
    outcome: "skipped",
    reason: "unsubscribed",
    detail: { channel, idempotencyKey: row.idempotencyKey },
  } as const;
  applyTransition(run, { to: "ready", port: "next", log }, batch);
}
