import type { CustomerRow, RunRow } from "../store/types";
import type { Batch } from "./batch";
import type { CompiledJourney, CompiledNode } from "./compiled";
import type { EngineDeps } from "./deps";
import { endRun } from "./end-run";
import { runAction } from "./action-step";
import { runCondition, runSplit, runWait, STOP } from "./nodes";
import type { NodeOutcome } from "./nodes";

/** A cycle must pass through a wait, so a run cannot take more steps than this between two waits. */
const MAX_STEPS = 10_000;

/**
 * Moves one claimed run forward until it waits, acts or ends, logging every step in the batch. A waiting
 * run that is due is released first (with its lateness logged).
 */
export async function advanceRun(
  run: RunRow,
  customerRow: CustomerRow,
  batch: Batch,
  deps: EngineDeps,
): Promise<void> {
  const cj = await deps.version(run.versionId);
  const now = batch.now;
  batch.touchRun(run);
  if (run.status === "waiting") release(run, cj, now, batch);
  run.status = "ready";
  run.dueAt = null;

  // The customer fact costs a profile evaluation: built on first use, rebuilt after traits change.
  let fact: Record<string, unknown> | undefined;
  const customer = (): Record<string, unknown> => (fact ??= deps.model.fact(customerRow, now));
  for (let steps = 0; ; steps++) {
    if (steps > MAX_STEPS) {
      failRun(run, "step_limit", batch, now);
      return;
    }
    if (run.port !== null) {
      const target = cj.nodes.get(run.nodeId)?.out.get(run.port);
      run.port = null;
      if (target === undefined) {
        endRun(run, "completed", batch);
        return;
      }
      run.nodeId = target;
      run.visits[target] = (run.visits[target] ?? 0) + 1;
    }
    const cn = cj.nodes.get(run.nodeId);
    if (!cn) {
      failRun(run, "missing_node", batch, now);
      return;
    }
    // Most nodes finish synchronously; awaiting only real promises keeps a microtask off every step.
    let result = runNode(cj, cn, run, customerRow, customer, batch, deps);
    if (result instanceof Promise) result = await result;
    if ("stop" in result) {
      // A zero-length wait ("0s") is due at once: pass it now, so a cycle through such waits meets the step
      // limit instead of being due again at the same instant forever.
      if (cn.node.type !== "wait" || run.dueAt === null || run.dueAt > now) return;
      release(run, cj, now, batch);
      run.status = "ready";
      run.dueAt = null;
      continue;
    }
    run.port = result.next;
    // Internal actions may have changed traits that later conditions read.
    if (batch.dirtyCustomers.has(customerRow.id)) fact = undefined;
  }
}

/** Logs a due waiting run's release (or resumption) with its lateness and clears what it waited for. */
function release(run: RunRow, cj: CompiledJourney, now: number, batch: Batch): void {
  const node = cj.nodes.get(run.nodeId)?.node;
  const dueAt = run.dueAt ?? now;
  batch.log(run, {
    nodeId: run.nodeId,
    nodeType: node?.type ?? "unknown",
    visit: run.visits[run.nodeId] ?? 1,
    at: now,
    dueAt,
    port: run.port,
    outcome: run.port === null ? "resumed" : "released",
    reason: run.port === "timeout" ? "timeout" : null,
    detail: { lateMs: now - dueAt },
  });
  run.waitEvent = null;
  run.waitSince = null;
  run.waitUntil = null;
}

function runNode(
  cj: CompiledJourney,
  cn: CompiledNode,
  run: RunRow,
  customerRow: CustomerRow,
  customer: () => Record<string, unknown>,
  batch: Batch,
  deps: EngineDeps,
): NodeOutcome | Promise<NodeOutcome> {
  const node = cn.node;
  switch (node.type) {
    case "trigger":
      // Runs enter already past their trigger; reaching one again means the graph changed under the run.
      return { next: "next" };
    case "condition":
      return runCondition(cn as CompiledNode & { node: typeof node }, run, customer(), batch, deps);
    case "wait":
      return runWait(cj, node, run, customerRow, batch);
    case "split":
      return runSplit(node, run, batch, deps);
    case "action":
      return runAction(
        cj,
        cn as CompiledNode & { node: typeof node },
        run,
        customerRow,
        customer,
        batch,
        deps,
      );
    case "exit":
      batch.log(run, {
        nodeId: node.id,
        nodeType: "exit",
        visit: run.visits[node.id] ?? 1,
        at: batch.now,
        dueAt: null,
        port: null,
        outcome: "completed",
        reason: null,
        detail: null,
      });
      endRun(run, "completed", batch);
      return STOP;
  }
}

/** Ends a run the engine cannot advance (a step loop, a node missing from its version), with the reason logged. */
function failRun(run: RunRow, reason: "step_limit" | "missing_node", batch: Batch, now: number): void {
  batch.log(run, {
    nodeId: run.nodeId,
    nodeType: "unknown",
    visit: 0,
    at: now,
    dueAt: null,
    port: null,
    outcome: "failed",
    reason,
    detail: null,
  });
  endRun(run, "failed", batch);
}
