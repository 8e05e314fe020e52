import type { EntryRow, RunRow } from "../store/types";
import { entryKey } from "../store/types";
import type { TriggerNode } from "../schema/journey";
import { durationMs } from "../schema/duration";
import type { Batch } from "./batch";
import type { CompiledJourney } from "./compiled";
import type { EngineDeps } from "./deps";
import { startRun } from "./transitions/start";

/** Who is in which journey right now, and who entered before: the state re-entry rules read. */
export class EntryBook {
  private readonly active = new Map<string, RunRow>();

  constructor(
    runs: readonly RunRow[],
    private readonly previous: Map<string, EntryRow>,
  ) {
    for (const r of runs) this.active.set(entryKey(r.journeyId, r.customerId), r);
  }

  activeRun(journeyId: string, customerId: string): RunRow | undefined {
    const r = this.active.get(entryKey(journeyId, customerId));
    return r && (r.status === "ready" || r.status === "waiting" || r.status === "acting") ? r : undefined;
  }

  /** Why a customer may not enter now, or null when it may. */
  refusal(cj: CompiledJourney, customerId: string, now: number, batch: Batch): string | null {
    if (this.activeRun(cj.journeyId, customerId)) return "already_in_journey";
    const key = entryKey(cj.journeyId, customerId);
    const last = batch.entries.get(key) ?? this.previous.get(key);
    if (!last) return null;
    switch (cj.reentry.mode) {
      case "once":
        return "entered_before";
      case "cooldown":
        return now - last.lastEnteredAt < durationMs(cj.reentry.cooldown) ? "cooldown" : null;
      case "always":
        return null;
    }
  }

  async enter(
    cj: CompiledJourney,
    trigger: TriggerNode,
    customerId: string,
    event: RunRow["ctx"]["event"],
    batch: Batch,
    deps: EngineDeps,
  ): Promise<RunRow | null> {
    if (this.refusal(cj, customerId, batch.now, batch) !== null) return null;
    const key = entryKey(cj.journeyId, customerId);
    const now = batch.now;
    const run = startRun(await deps.store.reserveRunIds(1), cj, trigger, customerId, event, batch);
    batch.resultEntries.push({
      runId: run.id,
      journeyId: run.journeyId,
      versionId: run.versionId,
      customerId,
      enteredAt: now,
      goalEvent: cj.goal?.event ?? null,
      windowEnd: now + (cj.goal?.withinMs ?? 0),
    });
    batch.enter(cj.journeyId, customerId, now, this.previous.get(key));
    this.active.set(key, run);
    return run;
  }
}
