import type { RunOutcome, RunRow } from "../store/types";
import type { Batch } from "./batch";

/** Ends a run: no due time, no awaited event, an outcome. */
export function endRun(run: RunRow, outcome: RunOutcome, batch: Batch): void {
  run.status = outcome;
  run.outcome = outcome;
  run.endedAt = batch.now;
  run.dueAt = null;
  run.port = null;
  run.waitEvent = null;
  run.waitSince = null;
  run.waitUntil = null;
  batch.touchRun(run);
}
