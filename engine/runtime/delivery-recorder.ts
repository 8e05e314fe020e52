import type { OutboxRow } from "../store/types";
import type { EngineCore } from "./core";
import type { DeliveryResult } from "./dispatch";
import { recordDeliveries } from "./dispatch";

interface Pending {
  row: OutboxRow;
  result: DeliveryResult;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Commits delivery results as they return, together: every result that arrives while the previous commit
 * (or anything else holding the committer) runs goes into the next one. Under load that is one transaction
 * for many sends instead of one each, and a quiet outbox still commits each result at once. A send's slot is
 * held until its result is committed, so a crash repeats no more sends than before. When a group fails, each
 * of its results is committed alone, so one bad result never holds back the others'.
 */
export class DeliveryRecorder {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly core: EngineCore) {}

  record(row: OutboxRow, result: DeliveryResult): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, result, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    let group: Pending[] = [];
    try {
      await this.commit(() => {
        // Taken once the committer is ours: whatever arrived while waiting for it joins this commit.
        this.scheduled = false;
        group = this.queue;
        this.queue = [];
        return group;
      });
      for (const p of group) p.resolve();
    } catch (err) {
      if (group.length === 0) {
        // Failed before taking its group: take it now, so no result waits for a flush that never comes.
        this.scheduled = false;
        group = this.queue;
        this.queue = [];
      }
      if (group.length <= 1) return group.forEach((p) => p.reject(err));
      for (const p of group) await this.commit(() => [p]).then(p.resolve, (e: unknown) => p.reject(e));
    }
  }

  private commit(take: () => Pending[]): Promise<void> {
    const { committer, deps } = this.core;
    return committer.transition<void>(async (batch) => {
      const group = take();
      // A result that moves a run or changes a profile is ordered with the customer's ingestion elsewhere.
      const lock = group.filter(
        ({ row, result }) =>
          row.resumesRun || result.status === "suppressed" || (result.status === "done" && result.traits),
      );
      if (lock.length) await committer.lockCustomers([...new Set(lock.map((p) => p.row.customerId))]);
      const updates = await recordDeliveries(group, batch, deps);
      return { extra: { outboxUpdates: updates } };
    });
  }
}
