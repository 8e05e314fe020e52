import type Database from "better-sqlite3";
import type { TimerRow, WriteSet } from "../types";

interface TimerRecord {
  kind: string;
  key: string;
  slot: number;
  due_at: number;
  done_at: number | null;
}

const decode = (r: TimerRecord): TimerRow => ({
  kind: r.kind,
  key: r.key,
  slot: r.slot,
  dueAt: r.due_at,
  doneAt: r.done_at,
});

/** The timers table's SQL (migration 0004): recurring work's slots, written in commits, claimed under a lease. */
export class TimersSql {
  private readonly s;

  /** A statement's SQL by name, for the hot-path plan test. */
  sql(name: string): string | undefined {
    return (this.s as Record<string, Database.Statement | undefined>)[name]?.source;
  }

  constructor(db: Database.Database) {
    this.s = {
      insert: db.prepare(
        "INSERT INTO timers (kind, key, slot, due_at, done_at) VALUES (@kind, @key, @slot, @dueAt, @doneAt) ON CONFLICT DO NOTHING",
      ),
      done: db.prepare(
        "UPDATE timers SET done_at = @doneAt, lease_until = NULL WHERE kind = @kind AND key = @key AND slot = @slot",
      ),
      // Only the latest done slot of a key guards against firing again (slots are planned after now), so
      // older ones go: a five-minute job keeps one done row, not one per run.
      forget: db.prepare(
        "DELETE FROM timers WHERE kind = @kind AND key = @key AND slot < @slot AND done_at IS NOT NULL",
      ),
      claim: db.prepare<unknown[], TimerRecord>(
        "UPDATE timers SET lease_until = @lease WHERE (kind, key, slot) IN (SELECT kind, key, slot FROM timers WHERE done_at IS NULL AND due_at <= @now AND (lease_until IS NULL OR lease_until < @now) ORDER BY due_at LIMIT @limit) RETURNING kind, key, slot, due_at, done_at",
      ),
      next: db.prepare<unknown[], { due: number | null }>(
        "SELECT min(max(due_at, coalesce(lease_until, 0))) AS due FROM timers WHERE done_at IS NULL",
      ),
      release: db.prepare("UPDATE timers SET lease_until = NULL WHERE lease_until IS NOT NULL"),
    };
  }

  /** Inside the store's commit transaction. */
  apply(w: WriteSet): void {
    for (const t of w.timers ?? []) this.s.insert.run(t);
    for (const d of w.timersDone ?? []) {
      this.s.done.run(d);
      this.s.forget.run(d);
    }
  }

  claim(now: number, limit: number, leaseUntil: number): TimerRow[] {
    return this.s.claim
      .all({ now, limit, lease: leaseUntil })
      .map(decode)
      .sort((a, b) => a.dueAt - b.dueAt);
  }

  next(): number | null {
    return this.s.next.get()?.due ?? null;
  }

  releaseLeases(): number {
    return this.s.release.run().changes;
  }
}
