import { afterEach, describe, expect, it } from "vitest";
import { email, eventTrigger, Harness, identifyEvent, journey, trackEvent } from "../../test/engine/harness";
import type { Store, WriteSet } from "../store/types";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Claimed deliveries of `n` customers, and every commit that records delivery results. */
async function claimed(n: number) {
  h = await Harness.open();
  await h.publish(
    journey(
      [
        ["t1", "trigger", eventTrigger("go")],
        ["a1", "action", email()],
      ],
      [["t1", "a1"]],
    ),
  );
  const ids = Array.from({ length: n }, (_, i) => `c${i}`);
  await h.ingest(ids.map((id) => identifyEvent(id, { email: `${id}@example.com` }, h!.now)));
  await h.ingest(ids.map((id) => trackEvent(id, "go", {}, h!.now)));
  await h.driver.advanceDue();
  const rows = await h.engine.claimDeliveries(n, 1000);
  expect(rows).toHaveLength(n);
  const store: Store = h.store;
  const commit = store.commit.bind(store);
  const commits: string[][] = [];
  let refuse: string | null = null;
  store.commit = (w: WriteSet) => {
    const keys = (w.outboxUpdates ?? []).map((u) => u.idempotencyKey);
    if (keys.length) commits.push(keys);
    if (refuse && keys.includes(refuse)) return Promise.reject(new Error(`refused ${refuse}`));
    return commit(w);
  };
  return { h, rows, commits, refuse: (key: string) => (refuse = key) };
}

describe("recording delivery results", () => {
  it("commits results that return together in one transaction", async () => {
    const { h, rows, commits } = await claimed(5);
    await Promise.all(rows.map((r) => h.engine.recordDelivery(r, { status: "done" })));
    expect(commits).toHaveLength(1);
    expect(commits[0]).toHaveLength(5);
    expect((await h.store.listOutbox({})).map((r) => r.status)).toEqual(Array(5).fill("sent"));
  });

  it("commits each result alone when the group fails, so one bad result holds back no other", async () => {
    const { h, rows, commits, refuse } = await claimed(4);
    const bad = rows[2]!.idempotencyKey;
    refuse(bad);
    const settled = await Promise.allSettled(rows.map((r) => h.engine.recordDelivery(r, { status: "done" })));
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(commits.map((c) => c.length)).toEqual([4, 1, 1, 1, 1]);
    const byKey = new Map((await h.store.listOutbox({})).map((r) => [r.idempotencyKey, r.status]));
    expect(byKey.get(bad)).toBe("sending");
    expect([...byKey.values()].filter((s) => s === "sent")).toHaveLength(3);
  });
});
