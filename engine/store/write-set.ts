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
}
