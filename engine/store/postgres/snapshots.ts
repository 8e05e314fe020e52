import type pg from "pg";
import type { SnapshotBucketRow, SnapshotQuery, SnapshotRow } from "../snapshot-rows";
import { one, prepared, rows, run, transaction } from "./connect";

/** The lifecycle snapshots' SQL on PostgreSQL (migration 0004; the SQLite store's snapshots.ts answers the same). */
const sql = {
  clear: prepared("DELETE FROM lifecycle_snapshots WHERE day = $1"),
  insert: prepared(
    `INSERT INTO lifecycle_snapshots (day, dimension, bucket, customers, value, clv, taken_at)
     SELECT $1, d, b, c, v, l, $2 FROM unnest($3::text[], $4::text[], $5::bigint[], $6::float8[], $7::float8[]) AS t(d, b, c, v, l)`,
  ),
  list: prepared(
    `SELECT day, dimension, bucket, customers, value, clv, taken_at FROM lifecycle_snapshots
     WHERE day BETWEEN $1 AND $2 AND ($3::text[] IS NULL OR dimension = ANY($3))
     ORDER BY day, dimension, bucket`,
  ),
  last: prepared(
    "SELECT day, max(taken_at) AS taken_at FROM lifecycle_snapshots WHERE day < $1 GROUP BY day ORDER BY day DESC LIMIT 1",
  ),
};

interface Rec {
  day: number;
  dimension: string;
  bucket: string;
  customers: string | number;
  value: number;
  clv: number;
  taken_at: string | number;
}

export async function putSnapshot(
  pool: pg.Pool,
  day: number,
  takenAt: number,
  list: readonly SnapshotBucketRow[],
): Promise<void> {
  await transaction(pool, async (c) => {
    await run(c, sql.clear, [day]);
    if (list.length === 0) return;
    await run(c, sql.insert, [
      day,
      takenAt,
      list.map((r) => r.dimension),
      list.map((r) => r.bucket),
      list.map((r) => r.customers),
      list.map((r) => r.value),
      list.map((r) => r.clv),
    ]);
  });
}

export async function listSnapshots(pool: pg.Pool, q: SnapshotQuery): Promise<SnapshotRow[]> {
  const found = await rows<Rec>(pool, sql.list, [q.from, q.to, q.dimensions ? [...q.dimensions] : null]);
  return found.map((r) => ({
    day: Number(r.day),
    dimension: r.dimension,
    bucket: r.bucket,
    customers: Number(r.customers),
    value: Number(r.value),
    clv: Number(r.clv),
    takenAt: Number(r.taken_at),
  }));
}

export async function lastSnapshot(
  pool: pg.Pool,
  before: number | undefined,
): Promise<{ day: number; takenAt: number } | undefined> {
  const r = await one<{ day: number; taken_at: string | number }>(pool, sql.last, [before ?? 2_147_483_647]);
  return r ? { day: Number(r.day), takenAt: Number(r.taken_at) } : undefined;
}
