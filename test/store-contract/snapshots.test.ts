/**
 * The lifecycle snapshots' store contract, on the embedded store and on PostgreSQL alike: a day's rows are
 * stored and replaced as a whole, read back by day range and dimension, and the newest earlier day is found.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../engine/store/sqlite/store";
import type { SnapshotBucketRow, Store } from "../../engine/store/types";
import { postgresStores } from "./postgres";
import type { PostgresStores } from "./postgres";

let pg: PostgresStores | undefined;
beforeAll(async () => {
  pg = await postgresStores();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
}, 120_000);

const row = (
  dimension: string,
  bucket: string,
  customers: number,
  value = 0,
  clv = 0,
): SnapshotBucketRow => ({
  dimension,
  bucket,
  customers,
  value,
  clv,
});

async function contract(store: Store): Promise<void> {
  expect(await store.lastSnapshot()).toBeUndefined();
  await store.putSnapshot(100, 1000, [row("stage", "active", 3, 120.5, 300.25), row("stage", "new", 2)]);
  await store.putSnapshot(101, 2000, [row("stage", "active", 4), row("risk", "high", 1, 9.75, 0)]);
  await store.putSnapshot(103, 3000, [row("stage", "active", 7)]);

  expect(await store.listSnapshots({ from: 100, to: 101 })).toEqual([
    {
      day: 100,
      dimension: "stage",
      bucket: "active",
      customers: 3,
      value: 120.5,
      clv: 300.25,
      takenAt: 1000,
    },
    { day: 100, dimension: "stage", bucket: "new", customers: 2, value: 0, clv: 0, takenAt: 1000 },
    { day: 101, dimension: "risk", bucket: "high", customers: 1, value: 9.75, clv: 0, takenAt: 2000 },
    { day: 101, dimension: "stage", bucket: "active", customers: 4, value: 0, clv: 0, takenAt: 2000 },
  ]);
  // Both ends of the range are included; a dimension filter keeps only those rows.
  expect(
    (await store.listSnapshots({ from: 101, to: 103, dimensions: ["stage"] })).map((r) => [
      r.day,
      r.customers,
    ]),
  ).toEqual([
    [101, 4],
    [103, 7],
  ]);
  // Taking a day again replaces all of that day's rows (a bucket it no longer has goes).
  await store.putSnapshot(101, 2500, [row("stage", "active", 5)]);
  expect(await store.listSnapshots({ from: 101, to: 101 })).toEqual([
    { day: 101, dimension: "stage", bucket: "active", customers: 5, value: 0, clv: 0, takenAt: 2500 },
  ]);
  // The newest day strictly before the one given.
  expect(await store.lastSnapshot(103)).toEqual({ day: 101, takenAt: 2500 });
  expect(await store.lastSnapshot(101)).toEqual({ day: 100, takenAt: 1000 });
  expect(await store.lastSnapshot(100)).toBeUndefined();
  expect(await store.lastSnapshot()).toEqual({ day: 103, takenAt: 3000 });
  // An empty day stores nothing and clears the day.
  await store.putSnapshot(103, 3100, []);
  expect(await store.listSnapshots({ from: 103, to: 103 })).toEqual([]);
}

describe("lifecycle snapshots in the store", () => {
  it("SQLite: stores, replaces and reads a day's rows", async () => {
    const store = SqliteStore.open(":memory:");
    try {
      await contract(store);
    } finally {
      await store.close();
    }
  });

  it("PostgreSQL: stores, replaces and reads a day's rows", async () => {
    await contract(await pg!.open());
  }, 60_000);
});
