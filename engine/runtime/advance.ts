import type { CustomerRow, RunRow } from "../store/types";
import type { Batch } from "./batch";
import type { CompiledJourney, CompiledNode } from "./compiled";
import type { EngineDeps } from "./deps";
import { runAction } from "./action-step";
import { runCondition, runSplit, runWait } from "./nodes";
import { applyTransition, followPort, running } from "./transitions/apply";
import type { Transition } from "./transitions/transition";
import { stops } from "./transitions/transition";

/** A cycle must pass through a wait, so a run cannot take more steps than this between two waits. */
const MAX_STEPS = 10_000;

/**
 * Moves one claimed run forward until it waits, acts or ends: each node returns a transition and
 * `applyTransition` writes it. A waiting run that is due is released first (with its lateness logged).
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
  if (run.status === "waiting") applyTransition(run, release(run, cj, now), batch);
  else running(run);

  // The customer fact costs a profile evaluation: built on first use, rebuilt after traits change.
  let fact: Record<string, unknown> | undefined;
  const customer = (): Record<string, unknown> => (fact ??= deps.model.fact(customerRow, now));
  for (let steps = 0; ; steps++) {
    if (steps > MAX_STEPS) {
      applyTransition(run, failRun(run, "step_limit", now), batch);
      return;
    }
    if (run.port !== null && !followPort(run, cj.nodes.get(run.nodeId)?.out.get(run.port))) {
      applyTransition(run, { to: "end", outcome: "completed" }, batch);
      return;
    }
    const cn = cj.nodes.get(run.nodeId);
    if (!cn) {
      applyTransition(run, failRun(run, "missing_node", now), batch);
      return;
    }
    // Most nodes finish synchronously; awaiting only real promises keeps a microtask off every step.
    let t = runNode(cj, cn, run, customerRow, customer, batch, deps);
    if (t instanceof Promise) t = await t;
    applyTransition(run, t, batch);
    if (stops(t)) {
      // A zero-length wait ("0s") is due at once: pass it now, so a cycle through such waits meets the step
      // limit instead of being due again at the same instant forever.
      if (t.to !== "wait" || cn.node.type !== "wait" || t.dueAt > now) return;
      applyTransition(run, release(run, cj, now), batch);
      continue;
    }
    // Internal actions may have changed traits that later conditions read.
    if (batch.dirtyCustomers.has(customerRow.id)) fact = undefined;
  }
}

/** A due waiting run's release (or resumption), logged with its lateness. */
function release(run: RunRow, cj: CompiledJourney, now: number): Transition {
  const node = cj.nodes.get(run.nodeId)?.node;
  const dueAt = run.dueAt ?? now;
  return {
    to: "release",
    log: {
      nodeId: run.nodeId,
      nodeType: node?.type ?? "unknown",
      visit: run.visits[run.nodeId] ?? 1,
      at: now,
      dueAt,
      port: run.port,
      outcome: run.port === null ? "resumed" : "released",
      reason: run.port === "timeout" ? "timeout" : null,
      detail: { lateMs: now - dueAt },
    },
  };
}

function runNode(
  cj: CompiledJourney,
  cn: CompiledNode,
  run: RunRow,
  customerRow: CustomerRow,
  customer: () => Record<string, unknown>,
  batch: Batch,
  deps: EngineDeps,
): Transition | Promise<Transition> {
  const node = cn.node;
  switch (node.type) {
    case "trigger":
      // Runs enter already past their trigger; reaching one again means the graph changed under the run.
      return { to: "port", port: "next" };
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
      return {
        to: "end",
        outcome: "completed",
        log: {
          nodeId: node.id,
          nodeType: "exit",
          visit: run.visits[node.id] ?? 1,
          at: batch.now,
          dueAt: null,
          port: null,
          outcome: "completed",
          reason: null,
          detail: null,
        },
      };
  }
}

/** Ends a run the engine cannot advance (a step loop, a node missing from its version), with the reason logged. */
function failRun(run: RunRow, reason: "step_limit" | "missing_node", now: number): Transition {
  return {
    to: "end",
    outcome: "failed",
    log: {
      nodeId: run.nodeId,
      nodeType: "unknown",
      visit: 0,
      at: now,
      dueAt: null,
      port: null,
      outcome: "failed",
      reason,
      detail: null,
    },
  };
}
