import type {
  AssignmentRow,
  ConversionRow,
  ResultEntryRow,
  CustomerRow,
  EntryRow,
  OutboxRow,
  RunRow,
  StepRow,
  StoredEvent,
  WriteSet,
} from "../store/types";
import { entryKey } from "../store/types";
import type { LogEntry } from "./transitions/log-entry";

/** The writes of one engine transition, gathered in memory and committed at once. */
export class Batch {
  readonly steps: StepRow[] = [];
  readonly outbox: OutboxRow[] = [];
  readonly events: StoredEvent[] = [];
  readonly newRuns: RunRow[] = [];
  readonly updatedRuns = new Map<number, RunRow>();
  readonly customers = new Map<string, CustomerRow>();
  readonly dirtyCustomers = new Set<string>();
  readonly entries = new Map<string, EntryRow>();
  readonly releaseRuns: number[] = [];
  /** The results ledger's writes (spec §4): entries, split arms taken, conversions found. */
  readonly resultEntries: ResultEntryRow[] = [];
  readonly assignments: AssignmentRow[] = [];
  readonly conversions: ConversionRow[] = [];
  /** Message deliveries created in this batch per customer, for frequency caps before commit. */
  readonly pendingMessages = new Map<string, number[]>();

  /**
   * Suppressed channels read up front for the batch's customers (a worker's tick on a store with a
   * round trip per read); a customer not in it is read when needed.
   */
  suppressions: Map<string, ReadonlySet<string>> | null = null;

  constructor(readonly now: number) {}

  log(run: RunRow, step: LogEntry): void {
    run.stepSeq += 1;
    // Spelled out rather than spread: this runs once per journey step.
    this.steps.push({
      runId: run.id,
      journeyId: run.journeyId,
      versionId: run.versionId,
      customerId: run.customerId,
      seq: run.stepSeq,
      nodeId: step.nodeId,
      nodeType: step.nodeType,
      visit: step.visit,
      at: step.at,
      dueAt: step.dueAt,
      port: step.port,
      outcome: step.outcome,
      reason: step.reason,
      detail: step.detail,
    });
  }

  touchRun(run: RunRow): void {
    if (!this.newRuns.includes(run)) this.updatedRuns.set(run.id, run);
  }

  setCustomer(c: CustomerRow): void {
    this.customers.set(c.id, c);
    this.dirtyCustomers.add(c.id);
  }

  enter(journeyId: string, customerId: string, at: number, previous: EntryRow | undefined): void {
    const key = entryKey(journeyId, customerId);
    const prior = this.entries.get(key) ?? previous;
    this.entries.set(key, { journeyId, customerId, lastEnteredAt: at, count: (prior?.count ?? 0) + 1 });
  }

  writes(): WriteSet {
    return {
      events: this.events,
      customers: [...this.dirtyCustomers].map((id) => this.customers.get(id)!),
      newRuns: this.newRuns,
      runUpdates: [...this.updatedRuns.values()],
      steps: this.steps,
      outbox: this.outbox,
      entries: [...this.entries.values()],
      releaseRuns: this.releaseRuns,
      resultEntries: this.resultEntries,
      assignments: this.assignments,
      conversions: this.conversions,
    };
  }
}
