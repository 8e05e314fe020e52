/**
 * The store contract for what several workers share: claims, leases, once-per-slot timers, the outbox and
 * coupon pools, on SQLite and on PostgreSQL alike. On PostgreSQL each "worker" is a store of its own (its
 * own pool of connections) on one database, claiming at the same time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../engine/store/sqlite/store";
import type { OutboxRow, RunRow, Store } from "../../engine/store/types";
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

/** Opens `n` stores on one fresh database: the processes of one installation. */
type Open = (n: number) => Promise<Store[]>;
const kinds: [string, Open][] = [
  [
    "sqlite",
    (n) => {
      // One embedded database, one store: SQLite serves one engine, so its "workers" share it.
      const s = SqliteStore.open(":memory:");
      return Promise.resolve(Array.from({ length: n }, () => s));
    },
  ],
  [
    "postgres",
    async (n) => {
      const url = await pg!.database(true);
      return Promise.all(Array.from({ length: n }, () => pg!.openUrl(url)));
    },
  ],
];

const run = (id: number, dueAt: number | null, over: Partial<RunRow> = {}): RunRow => ({
  id,
  journeyId: "j",
  versionId: 1,
  customerId: `c${id}`,
  status: "waiting",
  nodeId: "wait",
  port: null,
  dueAt,
  held: false,
  waitEvent: null,
  waitSince: null,
  waitUntil: null,
  visits: { wait: 1 },
  ctx: { vars: { b: 1, a: [1, "x"] } },
  enteredAt: 0,
  endedAt: null,
  outcome: null,
  stepSeq: 1,
  ...over,
});

const delivery = (key: string, at: number): OutboxRow => pendingDelivery(key, at);

describe.each(kinds)("%s store", (_name, open) => {
  it("gives each due run to one claimer, and an expired lease to the next", async () => {
    const [a, b, c] = await open(3);
    await a!.commit({ newRuns: Array.from({ length: 60 }, (_, i) => run(i + 1, 100 + i)) });
    const [x, y, z] = await Promise.all([
      a!.claimDueRuns(1000, 25, 5000, "a"),
      b!.claimDueRuns(1000, 25, 5000, "b"),
      c!.claimDueRuns(1000, 25, 5000, "c"),
    ]);
    const ids = [...x, ...y, ...z].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort((p, q) => p - q)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // Rows come back as stored, JSON key order included, and earliest due first.
    expect(x[0]!.ctx).toEqual({ vars: { b: 1, a: [1, "x"] } });
    expect(JSON.stringify(x[0]!.ctx)).toBe('{"vars":{"b":1,"a":[1,"x"]}}');
    for (const batch of [x, y, z])
      expect(batch.map((r) => r.dueAt)).toEqual([...batch.map((r) => r.dueAt)].sort());
    // Nothing left while the leases live; all of them again once they ran out (their holders died).
    expect(await b!.claimDueRuns(4999, 100, 9000, "b")).toEqual([]);
    expect(await b!.claimDueRuns(5001, 100, 9000, "b")).toHaveLength(60);
    // A commit that moves a run clears its lease and its due time decides the next claim.
    await a!.commit({ runUpdates: [run(1, 20_000, { stepSeq: 2 })] });
    expect(await c!.nextDueAt()).toBe(101);
    expect((await c!.getRun(1))?.stepSeq).toBe(2);
  });

  it("fires a timer slot once across workers, again only when its lease ran out, never once done", async () => {
    const [a, b] = await open(2);
    const slot = { kind: "audience", key: "j/t", slot: 1000, dueAt: 1000, doneAt: null };
    await Promise.all([a!.commit({ timers: [slot] }), b!.commit({ timers: [{ ...slot, dueAt: 5 }] })]);
    const [x, y] = await Promise.all([a!.claimDueTimers(1500, 10, 3000), b!.claimDueTimers(1500, 10, 3000)]);
    expect(x.length + y.length).toBe(1);
    expect(await b!.claimDueTimers(2999, 10, 6000)).toEqual([]);
    const again = await b!.claimDueTimers(3001, 10, 6000);
    expect(again).toHaveLength(1);
    await b!.commit({ timersDone: [{ kind: "audience", key: "j/t", slot: 1000, doneAt: 3001 }] });
    expect(await a!.claimDueTimers(99_999, 10, 200_000)).toEqual([]);
    expect(await a!.nextTimerAt()).toBeNull();
  });

  it("hands each due delivery to one dispatcher", async () => {
    const [a, b] = await open(2);
    await a!.createJourney({
      id: "j",
      name: "j",
      status: "live",
      draft: {},
      liveVersionId: null,
      createdAt: 0,
      updatedAt: 0,
    });
    await a!.commit({ outbox: Array.from({ length: 40 }, (_, i) => delivery(`k${i}`, 100 + i)) });
    const [x, y] = await Promise.all([a!.claimOutbox(1000, 30, 5000), b!.claimOutbox(1000, 30, 5000)]);
    const keys = [...x, ...y].map((o) => o.idempotencyKey);
    expect(new Set(keys).size).toBe(40);
    expect(keys).toHaveLength(40);
    expect(x[0]!.payload).toEqual({ url: "http://x", n: [1, 2] });
    expect(await b!.claimOutbox(4000, 100, 9000)).toEqual([]);
    // A sending row whose lease ran out (its dispatcher died) is claimed again, attempts counted.
    const retaken = await b!.claimOutbox(5001, 100, 9000);
    expect(retaken).toHaveLength(40);
    expect(retaken.every((o) => o.attempts === 2)).toBe(true);
  });

  it("lists the outbox by channel (a delivery without one by its action type) and counts failures no run waited for", async () => {
    const [a] = await open(1);
    await a!.commit({
      outbox: [
        { ...delivery("w1", 1), status: "failed", error: "HTTP 400" },
        { ...delivery("w2", 2), status: "failed", error: "unsubscribed" },
        { ...delivery("m1", 3), action: "email", channel: "email", status: "failed", resumesRun: true },
      ],
    });
    expect((await a!.listOutbox({ channel: "webhook" })).map((o) => o.idempotencyKey)).toEqual(["w1", "w2"]);
    expect((await a!.listOutbox({ channel: "email" })).map((o) => o.idempotencyKey)).toEqual(["m1"]);
    // The email's run waited on it (its failure shows on the run); the unsubscribe is a skip.
    expect(await a!.countDetachedFailures("j")).toBe(1);
  });

  it("never issues one coupon code twice, however many workers issue at once", async () => {
    const stores = await open(4);
    await stores[0]!.createCouponPool("offer", null, 0);
    await stores[0]!.addCouponCodes(
      "offer",
      Array.from({ length: 30 }, (_, i) => `CODE${i}`),
    );
    const issued = await Promise.all(
      Array.from({ length: 40 }, (_, i) => stores[i % 4]!.issueCoupon("offer", `key${i}`, `c${i}`, 1)),
    );
    const codes = issued.flatMap((r) => (r.status === "issued" ? [r.code] : []));
    expect(codes).toHaveLength(30);
    expect(new Set(codes).size).toBe(30);
    expect(issued.filter((r) => r.status === "empty")).toHaveLength(10);
    // The same key again gets its own code back.
    const first = issued[0]!;
    expect(await stores[3]!.issueCoupon("offer", "key0", "c0", 2)).toEqual(
      first.status === "issued" ? { ...first, reused: true } : first,
    );
  });
});

describe("postgres store: per-customer locks and held claims", () => {
  it("makes a second process wait for a customer's lock, and drops a claimed run another commit touched", async () => {
    const url = await pg!.database(true);
    const a = await pg!.openUrl(url);
    const b = await pg!.openUrl(url);
    const order: string[] = [];
    const releaseB = await b.lockCustomers(["c2", "c1"]);
    order.push("b locked c1 c2");
    // Another process's set overlaps in c1: it waits for b's commit, in whatever order the ids come.
    const aLocked = a.lockCustomers(["c3", "c1"]).then((release) => {
      order.push("a locked c1 c3");
      return release;
    });
    await new Promise((r) => setTimeout(r, 200));
    order.push("b released");
    await releaseB();
    const releaseA = await aLocked;
    expect(order).toEqual(["b locked c1 c2", "b released", "a locked c1 c3"]);
    // Disjoint sets do not wait for each other.
    const releaseB2 = await b.lockCustomers(["c2", "c4"]);
    await releaseB2();
    await releaseA();

    await a.commit({ newRuns: [run(1, 100), run(2, 100), run(3, 100)] });
    const claimed = await a.claimDueRuns(1000, 10, 60_000, "w1");
    expect(claimed.map((r) => r.id).sort()).toEqual([1, 2, 3]);
    // An API server's ingestion moves run 2 meanwhile: the commit ends w1's claim on it.
    await b.commit({ runUpdates: [run(2, 500, { status: "ready", stepSeq: 2 })] });
    const held = await a.heldRuns([1, 2, 3], "w1");
    expect(held.map((r) => r.id)).toEqual([1, 3]);
    // Run 2 is due again with its new state, for any worker.
    const again = await b.claimDueRuns(1000, 10, 60_000, "w2");
    expect(again.map((r) => [r.id, r.stepSeq])).toEqual([[2, 2]]);
  });
});
