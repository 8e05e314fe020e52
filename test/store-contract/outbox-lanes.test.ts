/**
 * The outbox claim told the dispatcher's lanes, on SQLite and on PostgreSQL alike: a full receiver's rows are
 * not claimed (so nothing is claimed only to be handed back), a receiver gets at most its free slots, and a
 * row without a stored receiver (queued before the column) counts as a lane of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../engine/store/sqlite/store";
import type { OutboxRow, Store } from "../../engine/store/types";
import { pendingDelivery } from "./fixtures";
import { postgresStores } from "./postgres";
import type { PostgresStores } from "./postgres";

let pg: PostgresStores | undefined;
beforeAll(async () => {
  pg = await postgresStores();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
}, 120_000);

const kinds: [string, () => Promise<Store>][] = [
  ["sqlite", () => Promise.resolve(SqliteStore.open(":memory:"))],
  ["postgres", async () => pg!.openUrl(await pg!.database(true))],
];

const delivery = (key: string, at: number, receiver: string | null): OutboxRow =>
  pendingDelivery(key, at, receiver === null ? {} : { receiver });

const keys = (rows: OutboxRow[]) => rows.map((r) => r.idempotencyKey).sort();
const range = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${i}`);

describe.each(kinds)("%s store", (_name, open) => {
  it("claims only free slots, skipping a full receiver's backlog to reach the others'", async () => {
    const s = await open();
    await s.createJourney({
      id: "j",
      name: "j",
      status: "live",
      draft: {},
      liveVersionId: null,
      createdAt: 0,
      updatedAt: 0,
    });
    // The full receiver's rows are due first: a claim that looked only at the earliest would find nothing.
    await s.commit({
      outbox: [
        ...range("a", 10).map((k, i) => delivery(k, 100 + i, "host:a")),
        ...range("b", 5).map((k, i) => delivery(k, 200 + i, "host:b")),
        ...range("old", 2).map((k, i) => delivery(k, 300 + i, null)),
      ],
    });
    const lanes = { perReceiver: 4, busy: { "host:a": 4, "host:b": 1 } };
    const first = await s.claimOutbox(1000, 20, 5000, lanes);
    expect(keys(first)).toEqual(["b0", "b1", "b2", "old0", "old1"]);
    expect(first.find((r) => r.idempotencyKey === "b0")?.receiver).toBe("host:b");
    expect(first.find((r) => r.idempotencyKey === "old0")?.receiver ?? null).toBeNull();

    // The overall limit still holds, and a receiver with room gets no more than its room.
    const second = await s.claimOutbox(1000, 2, 5000, { perReceiver: 4, busy: { "host:a": 3 } });
    expect(keys(second)).toEqual(["a0"]);
    const third = await s.claimOutbox(1000, 20, 5000, { perReceiver: 4, busy: {} });
    expect(keys(third)).toEqual(["a1", "a2", "a3", "a4", "b3", "b4"]);

    // Expired leases come back first, within the same slots; without lanes the claim is by due time only.
    const expired = await s.claimOutbox(6000, 20, 9000, { perReceiver: 2, busy: { "host:b": 2 } });
    expect(keys(expired)).toEqual(["a0", "a1", "old0", "old1"]);
    expect(expired.every((r) => r.attempts === 2)).toBe(true);
    const plain = await s.claimOutbox(6000, 3, 9000);
    expect(plain).toHaveLength(3);
    expect(plain.every((r) => r.status === "sending")).toBe(true);
    expect(keys(plain).filter((k) => keys(expired).includes(k))).toEqual([]);
    await s.close();
  });
});
