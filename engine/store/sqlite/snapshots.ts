import type Database from "better-sqlite3";
import type { SnapshotBucketRow, SnapshotQuery, SnapshotRow } from "../snapshot-rows";

interface Rec {
  day: number;
  dimension: string;
  bucket: string;
  customers: number;
  value: number;
  clv: number;
  taken_at: number;
}

/** The lifecycle snapshots' SQL (migration 0007): a day's rows replaced at once, read by day range. */
export class SnapshotsSql {
  private readonly s;
  private readonly putTx: (day: number, takenAt: number, rows: readonly SnapshotBucketRow[]) => void;

  constructor(db: Database.Database) {
    this.s = {
      clear: db.prepare<[number]>("DELETE FROM lifecycle_snapshots WHERE day = ?"),
      insert: db.prepare<[number, string, string, number, number, number, number]>(
        "INSERT INTO lifecycle_snapshots (day, dimension, bucket, customers, value, clv, taken_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      list: db.prepare<[number, number], Rec>(
        "SELECT * FROM lifecycle_snapshots WHERE day BETWEEN ? AND ? ORDER BY day, dimension, bucket",
      ),
      last: db.prepare<[number], { day: number; taken_at: number }>(
        "SELECT day, max(taken_at) AS taken_at FROM lifecycle_snapshots WHERE day < ? GROUP BY day ORDER BY day DESC LIMIT 1",
      ),
    };
    const s = this.s;
    this.putTx = db.transaction((day: number, takenAt: number, rows: readonly SnapshotBucketRow[]) => {
      s.clear.run(day);
      for (const r of rows) s.insert.run(day, r.dimension, r.bucket, r.customers, r.value, r.clv, takenAt);
    });
  }

  put(day: number, takenAt: number, rows: readonly SnapshotBucketRow[]): void {
    this.putTx(day, takenAt, rows);
  }

  list(q: SnapshotQuery): SnapshotRow[] {
    const only = q.dimensions ? new Set(q.dimensions) : null;
    return this.s.list
      .all(q.from, q.to)
      .filter((r) => only === null || only.has(r.dimension))
      .map((r) => ({
        day: r.day,
        dimension: r.dimension,
        bucket: r.bucket,
        customers: r.customers,
        value: r.value,
        clv: r.clv,
        takenAt: r.taken_at,
      }));
  }

  last(before: number | undefined): { day: number; takenAt: number } | undefined {
    const r = this.s.last.get(before ?? Number.MAX_SAFE_INTEGER);
    return r ? { day: r.day, takenAt: r.taken_at } : undefined;
  }
}
