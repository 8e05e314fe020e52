import type { OutboxRow, RunRow } from "../../store/types";
import type { Batch } from "../batch";
import type { Transition } from "./transition";

/**
 * The one writer of a run's state (status, due time, port, what it waits for, outcome): applies a step's
 * transition to the run, its run-log line and its outbox row, all into the batch its commit writes.
 * `test/boundaries/run-state-writes.test.ts` fails if run status or due time is written anywhere else.
 */
export function applyTransition(run: RunRow, t: Transition, batch: Batch): void {
  if (t.log) batch.log(run, t.log);
  switch (t.to) {
    case "port":
      run.port = t.port;
      if (t.deliver) queue(run, t.deliver, batch);
      return;
    case "wait":
      run.status = "waiting";
      run.port = t.port;
      run.dueAt = t.dueAt;
      if (t.event) {
        run.waitEvent = t.event.name;
        run.waitSince = t.event.since;
        run.waitUntil = t.event.until;
      }
      if (t.deferred) run.ctx.deferred = t.deferred;
      return;
    case "await":
      run.status = "acting";
      run.port = null;
      run.dueAt = null;
      queue(run, t.deliver, batch);
      return;
    case "ready":
      run.status = "ready";
      run.port = t.port;
      run.dueAt = batch.now;
      if (t.event) run.ctx.event = t.event;
      clearWait(run);
      batch.touchRun(run);
      return;
    case "release":
      clearWait(run);
      running(run);
      return;
    case "retry":
      run.status = t.awaitingDelivery ? "acting" : "ready";
      run.outcome = null;
      run.endedAt = null;
      run.port = null;
      run.dueAt = t.awaitingDelivery ? null : batch.now;
      batch.touchRun(run);
      return;
    case "end":
      run.status = t.outcome;
      run.outcome = t.outcome;
      run.endedAt = batch.now;
      run.dueAt = null;
      run.port = null;
      clearWait(run);
      batch.touchRun(run);
      return;
  }
}

/** A claimed run being advanced: ready, with no due time until a step parks it again. */
export function running(run: RunRow): void {
  run.status = "ready";
  run.dueAt = null;
}

/** Follows the port the run is leaving through; false when nothing is connected to it. */
export function followPort(run: RunRow, target: string | undefined): boolean {
  run.port = null;
  if (target === undefined) return false;
  run.nodeId = target;
  run.visits[target] = (run.visits[target] ?? 0) + 1;
  return true;
}

function clearWait(run: RunRow): void {
  run.waitEvent = null;
  run.waitSince = null;
  run.waitUntil = null;
}

function queue(run: RunRow, row: OutboxRow, batch: Batch): void {
  batch.outbox.push(row);
  if (row.channel !== null) {
    const list = batch.pendingMessages.get(run.customerId);
    if (list) list.push(batch.now);
    else batch.pendingMessages.set(run.customerId, [batch.now]);
  }
}
