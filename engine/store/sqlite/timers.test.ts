import { describe, expect, it } from "vitest";
import { SqliteStore } from "./store";

const slot = (kind: string, key: string, at: number) => ({ kind, key, slot: at, dueAt: at, doneAt: null });

describe("timers (recurring work as due rows)", () => {
  it("stores a slot once, claims it when due under a lease, and never again once done", async () => {
    const store = SqliteStore.open(":memory:");
    await store.commit({ timers: [slot("audience", "j/t", 1000), slot("audience", "j/t", 2000)] });
    // Scheduling the same slot again (another worker, a restart) leaves the stored one as it is.
    await store.commit({ timers: [{ ...slot("audience", "j/t", 1000), dueAt: 1 }] });
    expect(await store.nextTimerAt()).toBe(1000);
    expect(await store.claimDueTimers(999, 10, 5000)).toEqual([]);
    const claimed = await store.claimDueTimers(1500, 10, 5000);
    expect(claimed.map((t) => [t.key, t.slot])).toEqual([["j/t", 1000]]);
    // Leased: a second claim before the lease ends gets nothing.
    expect(await store.claimDueTimers(1600, 10, 5000)).toEqual([]);
    await store.commit({ timersDone: [{ kind: "audience", key: "j/t", slot: 1000, doneAt: 1600 }] });
    expect(await store.claimDueTimers(9000, 10, 10_000)).toEqual([expect.objectContaining({ slot: 2000 })]);
    // Leased: the next time anything can be claimed is the lease's end, not its past due time.
    expect(await store.nextTimerAt()).toBe(10_000);
    // A lease left by a crashed process is freed when the next engine opens.
    await store.releaseAllLeases();
    expect(await store.claimDueTimers(2000, 10, 10_000)).toHaveLength(1);
    await store.commit({ timersDone: [{ kind: "audience", key: "j/t", slot: 2000, doneAt: 2000 }] });
    await store.commit({ timers: [slot("audience", "j/t", 2000)] });
    expect(await store.nextTimerAt()).toBeNull();
    // Only the latest done slot of a key is kept: it is what stops that slot firing again.
    const rows = store.db.prepare("SELECT slot FROM timers").all() as { slot: number }[];
    expect(rows).toEqual([{ slot: 2000 }]);
    await store.close();
  });
});
