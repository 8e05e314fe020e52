import type { AssignmentRow, ConversionRow, ResultEntryRow } from "./results-rows";
import type { CustomerRow, EntryRow, OutboxRow, RunRow, StepRow, StoredEvent } from "./rows";

/** Everything one engine transition writes, applied in one transaction. */
export interface WriteSet {
  events?: StoredEvent[];
  customers?: CustomerRow[];
  newRuns?: RunRow[];
  runUpdates?: RunRow[];
  steps?: StepRow[];
  outbox?: OutboxRow[];
  outboxUpdates?: Pick<
    OutboxRow,
    "idempotencyKey" | "status" | "attempts" | "nextAttemptAt" | "deliveredAt" | "response" | "error"
  >[];
  entries?: EntryRow[];
  /** Lease holder releasing runs it claimed but did not change. */
  releaseRuns?: number[];
  /** Results ledger (spec §4): one row per new run, arms passed, conversions found in stored events. */
  resultEntries?: ResultEntryRow[];
  assignments?: AssignmentRow[];
  conversions?: ConversionRow[];
  /** New slots of recurring work; a slot already stored (fired or not) is left as it is. */
  timers?: TimerRow[];
  /** Slots whose work is done: never claimed again. */
  timersDone?: { kind: string; key: string; slot: number; doneAt: number }[];
}

/**
 * One slot of recurring work (an audience trigger's cron slot, the nightly recompute, housekeeping): a row
 * with a due time that the scheduler claims, so time has one owner. Unique by (kind, key, slot), so a slot
 * fires once however many times it is scheduled and however many workers look.
 */
export interface TimerRow {
  kind: string;
  key: string;
  /** The instant the slot stands for (a cron fire time). */
  slot: number;
  dueAt: number;
  doneAt: number | null;
}
