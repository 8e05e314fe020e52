/**
 * The lifecycle overview's daily snapshot rows (`lifecycle_snapshots`): one row per day × dimension × bucket,
 * replaced as a whole day when that day is taken again. Dimensions and buckets: engine/schema/overview.ts.
 */
export interface SnapshotRow {
  /** The snapshot's calendar date as a day number (days since 1970-01-01 of that date, in the job's zone). */
  day: number;
  dimension: string;
  bucket: string;
  customers: number;
  value: number;
  clv: number;
  /** The instant the snapshot describes (the job's clock). */
  takenAt: number;
}

export type SnapshotBucketRow = Omit<SnapshotRow, "day" | "takenAt">;

export interface SnapshotQuery {
  /** Days in [from, to], both included. */
  from: number;
  to: number;
  /** Only these dimensions (all when absent). */
  dimensions?: readonly string[];
}
