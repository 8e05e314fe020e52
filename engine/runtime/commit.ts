import type { Store, WriteSet } from "../store/types";
import { Batch } from "./batch";
import type { Clock } from "./clock";
import { Mutex } from "./mutex";

/** What a transition body returns: a value, or a value with writes that are not in the batch. */
export type TransitionResult<T> = T | { value?: T; extra: Partial<WriteSet> };

/**
 * Runs the engine's read-then-commit transitions one at a time: each gets a fresh batch at the clock's now,
 * and its writes are committed in one transaction. Listeners hear the earliest due time each commit wrote,
 * so a sleeping scheduler or dispatcher wakes early.
 */
export class Committer {
  readonly mutex = new Mutex();
  private readonly dueListeners = new Set<(dueAt: number) => void>();
  /** Releases the customer locks the transition in progress took (one transition runs at a time). */
  private releaseLocks: (() => Promise<void>) | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  onDue(listener: (dueAt: number) => void): () => void {
    this.dueListeners.add(listener);
    return () => this.dueListeners.delete(listener);
  }

  emitDue(at: number): void {
    for (const l of this.dueListeners) l(at);
  }

  /**
   * Called by a transition body before it reads customers' rows: on a multi-process store, no other
   * process's transition on these customers runs until this one has committed (or failed). One set per
   * transition; a no-op on the embedded store, whose transitions all pass through this one committer.
   */
  async lockCustomers(customerIds: readonly string[]): Promise<void> {
    if (!this.store.lockCustomers || customerIds.length === 0) return;
    if (this.releaseLocks) throw new Error("a transition takes its customer locks once");
    this.releaseLocks = await this.store.lockCustomers(customerIds);
  }

  transition<T>(fn: (batch: Batch) => Promise<TransitionResult<T>>): Promise<T> {
    return this.mutex.run(async () => {
      try {
        return await this.runTransition(fn);
      } finally {
        const release = this.releaseLocks;
        this.releaseLocks = null;
        await release?.();
      }
    });
  }

  private async runTransition<T>(fn: (batch: Batch) => Promise<TransitionResult<T>>): Promise<T> {
    const batch = new Batch(this.clock.now());
    const out = await fn(batch);
    const wrapped = typeof out === "object" && out !== null && "extra" in out;
    const writes = { ...batch.writes(), ...(wrapped ? (out as { extra: object }).extra : {}) };
    await this.store.commit(writes);
    let earliest = Infinity;
    for (const r of batch.newRuns) if (r.dueAt !== null && r.dueAt < earliest) earliest = r.dueAt;
    for (const r of batch.updatedRuns.values())
      if (r.dueAt !== null && r.dueAt < earliest) earliest = r.dueAt;
    if (batch.outbox.length > 0) earliest = Math.min(earliest, batch.now);
    for (const t of writes.timers ?? []) earliest = Math.min(earliest, t.dueAt);
    if (earliest !== Infinity) this.emitDue(earliest);
    return (wrapped ? (out as { value?: T }).value : out) as T;
  }
}
