import type { TriggerNode } from "../../schema/journey";
import type { RunRow } from "../../store/types";
import type { Batch } from "../batch";
import type { CompiledJourney } from "../compiled";

/** A new run, past its trigger and due now, logged as entered: the other writer of run state besides apply.ts. */
export function startRun(
  id: number,
  cj: CompiledJourney,
  trigger: TriggerNode,
  customerId: string,
  event: RunRow["ctx"]["event"],
  batch: Batch,
): RunRow {
  const now = batch.now;
  const run: RunRow = {
    id,
    journeyId: cj.journeyId,
    versionId: cj.versionId,
    customerId,
    status: "ready",
    nodeId: trigger.id,
    port: "next",
    dueAt: now,
    held: false,
    waitEvent: null,
    waitSince: null,
    waitUntil: null,
    visits: { [trigger.id]: 1 },
    ctx: event ? { event } : {},
    enteredAt: now,
    endedAt: null,
    outcome: null,
    stepSeq: 0,
  };
  batch.newRuns.push(run);
  batch.log(run, {
    nodeId: trigger.id,
    nodeType: "trigger",
    visit: 1,
    at: now,
    dueAt: null,
    port: "next",
    outcome: "entered",
    reason: null,
    detail: { trigger: trigger.data.kind, ...(event ? { event: event.name } : {}) },
  });
  return run;
}
