import type { CompiledNode, CompiledJourney } from "./compiled";
import type { ConditionNode, SplitNode, WaitNode } from "../schema/journey";
import { durationMs } from "../schema/duration";
import type { CustomerRow, RunRow } from "../store/types";
import type { Batch } from "./batch";
import type { EngineDeps } from "./deps";
import { factsFor } from "./facts";
import type { FactContext } from "../conditions/facts";
import { customerZone, nextLocalTime } from "./local-time";
import { pickBranch, unitHash } from "./split-hash";

/** What a node did: leave through a port now, or stop (parked in a wait, or ended). */
export type NodeOutcome = { next: string } | { stop: true };
export const STOP: NodeOutcome = { stop: true };

export function runCondition(
  cn: CompiledNode & { node: ConditionNode },
  run: RunRow,
  customer: Record<string, unknown>,
  batch: Batch,
  deps: EngineDeps,
): NodeOutcome | Promise<NodeOutcome> {
  const facts = factsFor(cn.condition!, deps.store, customer, run, run.ctx.event, batch.now);
  return facts instanceof Promise
    ? facts.then((f) => decide(cn, run, f, batch))
    : decide(cn, run, facts, batch);
}

function decide(
  cn: CompiledNode & { node: ConditionNode },
  run: RunRow,
  facts: FactContext,
  batch: Batch,
): NodeOutcome {
  const { result, explain } = cn.condition!.evaluate(facts);
  const port = result ? "yes" : "no";
  batch.log(run, {
    nodeId: cn.node.id,
    nodeType: "condition",
    visit: run.visits[cn.node.id] ?? 1,
    at: batch.now,
    dueAt: null,
    port,
    outcome: "evaluated",
    reason: null,
    detail: { explain },
  });
  return { next: port };
}

export function runWait(
  cj: CompiledJourney,
  node: WaitNode,
  run: RunRow,
  customer: CustomerRow,
  batch: Batch,
): NodeOutcome {
  const now = batch.now;
  const d = node.data;
  let dueAt: number;
  let port: string;
  switch (d.kind) {
    case "duration":
      dueAt = now + durationMs(d.duration);
      port = "next";
      break;
    case "until": {
      const zone = d.timezone ?? customerZone(customer.traits, cj.settings.timezone);
      // Strictly after now: a run released at 09:00 that loops back to a 09:00 wait waits for tomorrow,
      // instead of being due again at the same instant forever.
      dueAt = nextLocalTime(now + 1, zone, d.time, d.days);
      port = "next";
      break;
    }
    case "event":
      dueAt = now + durationMs(d.timeout);
      port = "timeout";
      run.waitEvent = d.event;
      run.waitSince = now;
      run.waitUntil = dueAt;
      break;
  }
  run.status = "waiting";
  run.port = port;
  run.dueAt = dueAt;
  batch.log(run, {
    nodeId: node.id,
    nodeType: "wait",
    visit: run.visits[node.id] ?? 1,
    at: now,
    dueAt: null,
    port: null,
    outcome: "waiting",
    reason: null,
    detail: { until: new Date(dueAt).toISOString(), ...(d.kind === "event" ? { event: d.event } : {}) },
  });
  return STOP;
}

/**
 * A split sends the run down the arm the public hash picks (spec §4), unless `promoteWinner` has promoted an
 * arm: then a run reaching the split for the first time takes the winner, logged with reason `winner`. A run
 * already assigned keeps its arm, on a revisit too (`ctx.promoted` remembers arms taken from a promotion).
 */
export function runSplit(
  node: SplitNode,
  run: RunRow,
  batch: Batch,
  deps: EngineDeps,
): NodeOutcome | Promise<NodeOutcome> {
  const kept = run.ctx.promoted?.[node.id];
  if (kept !== undefined) return takeArm(node, run, batch, kept, "winner");
  const firstVisit = (run.visits[node.id] ?? 1) === 1;
  if (!node.data.promoteWinner || !firstVisit) return takeArm(node, run, batch, hashArm(node, run), "hash");
  return deps.promotions
    .armFor(run, node, batch.now)
    .then((arm) =>
      arm === null
        ? takeArm(node, run, batch, hashArm(node, run), "hash")
        : takeArm(node, run, batch, arm, "winner"),
    );
}

function hashArm(node: SplitNode, run: RunRow): string {
  const u = unitHash(`${run.journeyId}\u0000${run.customerId}\u0000${node.id}`);
  const d = node.data;
  return d.kind === "random" ? pickBranch(d.branches, u) : u * 100 < d.percent ? "holdout" : "continue";
}

function takeArm(
  node: SplitNode,
  run: RunRow,
  batch: Batch,
  port: string,
  reason: "hash" | "winner",
): NodeOutcome {
  run.ctx.branch = port;
  if (reason === "winner") run.ctx.promoted = { ...run.ctx.promoted, [node.id]: port };
  batch.assignments.push({ runId: run.id, nodeId: node.id, arm: port, reason });
  batch.log(run, {
    nodeId: node.id,
    nodeType: "split",
    visit: run.visits[node.id] ?? 1,
    at: batch.now,
    dueAt: null,
    port,
    outcome: "split",
    reason: reason === "winner" ? "winner" : null,
    detail: null,
  });
  return { next: port };
}
