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
import type { Transition } from "./transitions/transition";

export function runCondition(
  cn: CompiledNode & { node: ConditionNode },
  run: RunRow,
  customer: Record<string, unknown>,
  batch: Batch,
  deps: EngineDeps,
): Transition | Promise<Transition> {
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
): Transition {
  const { result, explain } = cn.condition!.evaluate(facts);
  const port = result ? "yes" : "no";
  // A leaf on the churn risk is explained by the model's strongest drivers, beside the value it saw.
  const drivers = explain.some((l) => l.fact === "customer" && l.path === "$.churnRisk")
    ? facts.customer.churnDrivers
    : undefined;
  return {
    to: "port",
    port,
    log: {
      nodeId: cn.node.id,
      nodeType: "condition",
      visit: run.visits[cn.node.id] ?? 1,
      at: batch.now,
      dueAt: null,
      port,
      outcome: "evaluated",
      reason: null,
      detail: drivers === undefined ? { explain } : { explain, churnDrivers: drivers },
    },
  };
}

export function runWait(
  cj: CompiledJourney,
  node: WaitNode,
  run: RunRow,
  customer: CustomerRow,
  batch: Batch,
): Transition {
  const now = batch.now;
  const d = node.data;
  let dueAt: number;
  switch (d.kind) {
    case "duration":
      dueAt = now + durationMs(d.duration);
      break;
    case "until": {
      const zone = d.timezone ?? customerZone(customer.traits, cj.settings.timezone);
      // Strictly after now: a run released at 09:00 that loops back to a 09:00 wait waits for tomorrow,
      // instead of being due again at the same instant forever.
      dueAt = nextLocalTime(now + 1, zone, d.time, d.days);
      break;
    }
    case "event":
      dueAt = now + durationMs(d.timeout);
      break;
  }
  return {
    to: "wait",
    dueAt,
    port: d.kind === "event" ? "timeout" : "next",
    ...(d.kind === "event" ? { event: { name: d.event, since: now, until: dueAt } } : {}),
    log: {
      nodeId: node.id,
      nodeType: "wait",
      visit: run.visits[node.id] ?? 1,
      at: now,
      dueAt: null,
      port: null,
      outcome: "waiting",
      reason: null,
      detail: { until: new Date(dueAt).toISOString(), ...(d.kind === "event" ? { event: d.event } : {}) },
    },
  };
}

export function runSplit(
  node: SplitNode,
  run: RunRow,
  batch: Batch,
  deps: EngineDeps,
): Transition | Promise<Transition> {
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
): Transition {
  run.ctx.branch = port;
  if (reason === "winner") run.ctx.promoted = { ...run.ctx.promoted, [node.id]: port };
  batch.assignments.push({ runId: run.id, nodeId: node.id, arm: port, reason });
  return {
    to: "port",
    port,
    log: {
      nodeId: node.id,
      nodeType: "split",
      visit: run.visits[node.id] ?? 1,
      at: batch.now,
      dueAt: null,
      port,
      outcome: "split",
      reason: reason === "winner" ? "winner" : null,
      detail: null,
    },
  };
}
