import type { RunStatus, StepCountRow, Store } from "../store/types";
import { ACTIVE_STATUSES } from "../store/types";

/** What happened at one node of a journey, from its run log and its runs. */
export interface NodeTally {
  /** Distinct visits (run and visit number) that reached the node. */
  entered: number;
  /** Runs waiting at the node now. */
  waiting: number;
  /** Runs at the node now that have not ended (ready, waiting or acting). */
  active: number;
  /** Steps that left through each port. */
  ports: Record<string, number>;
  /** Steps that executed an action (internal actions `executed`, external ones `queued`). */
  executed: number;
  failed: number;
  deferred: number;
  skipped: number;
  /** Skipped steps by reason; steps without a reason under `null`. */
  skippedBy: Map<string | null, number>;
}

/** A journey's runs by how they stand: every run entered; the rest split by status. */
export interface RunTotals {
  entered: number;
  active: number;
  converted: number;
  exited: number;
  failed: number;
  completed: number;
}

const emptyTally = (): NodeTally => ({
  entered: 0,
  waiting: 0,
  active: 0,
  ports: {},
  executed: 0,
  failed: 0,
  deferred: 0,
  skipped: 0,
  skippedBy: new Map(),
});

/**
 * The one way per-node statistics are counted, for the stats API (the builder's live counts) and the
 * simulation report alike: visits per node, run-log steps by outcome, port and reason, and the runs
 * standing at each node.
 */
export function foldNodeStats(
  visits: readonly { nodeId: string; visits: number }[],
  steps: readonly StepCountRow[],
  runs: readonly { status: RunStatus; nodeId: string; count: number }[],
): Map<string, NodeTally> {
  const nodes = new Map<string, NodeTally>();
  const node = (id: string): NodeTally => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = emptyTally()));
    return n;
  };
  for (const v of visits) node(v.nodeId).entered = v.visits;
  for (const r of steps) {
    const n = node(r.nodeId);
    if (r.port !== null) n.ports[r.port] = (n.ports[r.port] ?? 0) + r.count;
    if (r.outcome === "executed" || r.outcome === "queued") n.executed += r.count;
    if (r.outcome === "failed") n.failed += r.count;
    if (r.outcome === "deferred") n.deferred += r.count;
    if (r.outcome === "skipped") {
      n.skipped += r.count;
      n.skippedBy.set(r.reason, (n.skippedBy.get(r.reason) ?? 0) + r.count);
    }
  }
  for (const r of runs) {
    if (r.status === "waiting") node(r.nodeId).waiting += r.count;
    if (ACTIVE_STATUSES.includes(r.status)) node(r.nodeId).active += r.count;
  }
  return nodes;
}

export function foldRunTotals(runs: readonly { status: RunStatus; count: number }[]): RunTotals {
  const c: RunTotals = { entered: 0, active: 0, converted: 0, exited: 0, failed: 0, completed: 0 };
  for (const r of runs) {
    c.entered += r.count;
    if (r.status === "ready" || r.status === "waiting" || r.status === "acting") c.active += r.count;
    else c[r.status] += r.count;
  }
  return c;
}

/** Reads a journey's per-node tallies and run totals from the store. */
export async function journeyStats(
  store: Store,
  journeyId: string,
): Promise<{ nodes: Map<string, NodeTally>; totals: RunTotals & { failedDeliveries: number } }> {
  const runs = await store.countRuns(journeyId);
  const nodes = foldNodeStats(
    await store.countNodeVisits(journeyId),
    await store.countSteps(journeyId),
    runs,
  );
  // A fire-and-forget delivery that failed for good leaves its run's status alone (the run went on): counted
  // beside the failed runs so the live view's failures include it.
  const failedDeliveries = await store.countDetachedFailures(journeyId);
  return { nodes, totals: { ...foldRunTotals(runs), failedDeliveries } };
}
