/** Known answers for the daily snapshot: buckets, bands at their edges, and transitions since the last one. */
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../../store/sqlite/store";
import type { SnapshotBucketRow } from "../../store/types";
import { DEFAULT_CONFIG } from "../config";
import { lifecycleModel } from "../engine-model";
import { refresh } from "../profile";
import { computeRfmBoundaries } from "../rfm";
import { NOW, ev, fold, order } from "../test-helpers";
import { DAY_MS } from "../time";
import type { CustomerEvent, CustomerProfile } from "../types";
import { SnapshotCollector, dayText, localDay, takeSnapshot } from "./snapshot";

/** A profile as the live engine builds it: each event applied at its own time, then refreshed at NOW. */
function live(events: CustomerEvent[]): CustomerProfile {
  let p = fold([]).profile;
  for (const e of events) p = fold([e], { from: p, now: Date.parse(String(e.timestamp)) }).profile;
  return refresh(p, DEFAULT_CONFIG, NOW).profile;
}

const pick = (rows: SnapshotBucketRow[], dimension: string) =>
  Object.fromEntries(rows.filter((r) => r.dimension === dimension).map((r) => [r.bucket, r.customers]));

describe("SnapshotCollector", () => {
  it("counts and sums each customer once per dimension, with risk bands at their edges", () => {
    const c = new SnapshotCollector(1000, 2000);
    const base = { stageHistory: [] };
    c.add({
      ...base,
      stage: "active",
      value: 100,
      churnRisk: 0.2999,
      clv: 99.99,
      rfm: { r: 5, f: 3, segment: "Loyal" },
    });
    c.add({
      ...base,
      stage: "active",
      value: 50,
      churnRisk: 0.3,
      clv: 100,
      rfm: { r: 5, f: 3, segment: "Loyal" },
    });
    c.add({
      ...base,
      stage: "dormant",
      value: 20,
      churnRisk: 0.6,
      clv: 2000,
      rfm: { r: 1, f: 1, segment: "Lost" },
    });
    c.add({ ...base, stage: "prospect", value: 0 });
    const rows = c.rows();
    expect(pick(rows, "stage")).toEqual({ prospect: 1, new: 0, active: 2, dormant: 1, churned: 0 });
    expect(pick(rows, "risk")).toEqual({ low: 1, medium: 1, high: 1, unscored: 1 });
    expect(pick(rows, "rfm")).toEqual({ Loyal: 2, Lost: 1 });
    expect(pick(rows, "rfm_cell")).toEqual({ "5-3": 2, "1-1": 1 });
    expect(pick(rows, "risk_stage")).toEqual({
      "active|low": 1,
      "active|medium": 1,
      "dormant|high": 1,
      "prospect|unscored": 1,
    });
    expect(pick(rows, "clv_stage")).toEqual({
      "active|0-100": 1,
      "active|100-500": 1,
      "dormant|2000+": 1,
      "prospect|unscored": 1,
    });
    const active = rows.find((r) => r.dimension === "stage" && r.bucket === "active")!;
    expect(active).toEqual({ dimension: "stage", bucket: "active", customers: 2, value: 150, clv: 199.99 });
    expect(c.customers).toBe(4);
  });

  it("counts the stage changes in (since, until]: an edge at `since` is the previous snapshot's", () => {
    const c = new SnapshotCollector(1000, 2000);
    c.add({
      stage: "dormant",
      value: 10,
      stageHistory: [
        { from: "prospect", to: "new", at: 1000, reason: "" },
        { from: "new", to: "active", at: 1001, reason: "" },
        { from: "active", to: "dormant", at: 2000, reason: "" },
        { from: "dormant", to: "active", at: 2001, reason: "" },
      ],
    });
    c.add({ stage: "active", value: 5, stageHistory: [{ from: "new", to: "active", at: 1500, reason: "" }] });
    expect(pick(c.rows(), "transition")).toEqual({ "new>active": 2, "active>dormant": 1 });
  });
});

describe("takeSnapshot", () => {
  const history: Record<string, CustomerEvent[]> = {
    a: [order(10, 80)], // new since 10 days ago
    b: [order(200, 100), order(100, 100), order(50, 100)], // active (new 200 days ago, active 100 days ago)
    c: [ev("page_view", 3)], // a prospect
    d: [order(150, 40)], // one order 150 days ago: dormant as of NOW's refresh
  };

  async function seeded() {
    const store = SqliteStore.open(":memory:");
    const profiles = Object.entries(history).map(([id, evs]) => ({ id, profile: live(evs) }));
    await store.commit({
      customers: profiles.map(({ id, profile }) => ({
        id,
        traits: {},
        state: profile as unknown as Record<string, unknown>,
        createdAt: 0,
        updatedAt: 0,
      })),
    });
    const model = lifecycleModel();
    model.setSnapshot({
      rfm: computeRfmBoundaries(
        profiles.map((p) => p.profile),
        NOW,
      ),
    });
    return { store, model };
  }

  it("stores the day's buckets and, with no earlier snapshot, no stage changes", async () => {
    const { store, model } = await seeded();
    const r = await takeSnapshot(store, model, NOW, "UTC");
    expect(r).toMatchObject({ day: "2026-03-01", customers: 4, since: NOW });
    const rows = await store.listSnapshots({ from: localDay(NOW, "UTC"), to: localDay(NOW, "UTC") });
    expect(pick(rows as SnapshotBucketRow[], "stage")).toEqual({
      prospect: 1,
      new: 1,
      active: 1,
      dormant: 1,
      churned: 0,
    });
    // Nothing to compare with: d's move to dormant at NOW itself is not counted (it is in no (since, now]).
    expect(pick(rows as SnapshotBucketRow[], "transition")).toEqual({});
    const value = Object.fromEntries(
      rows.filter((x) => x.dimension === "stage").map((x) => [x.bucket, x.value]),
    );
    expect(value).toEqual({ prospect: 0, new: 80, active: 300, dormant: 40, churned: 0 });
    // Three buyers have RFM scores; the prospect has none. No churn model: every risk is unscored.
    expect(Object.values(pick(rows as SnapshotBucketRow[], "rfm")).reduce((s, n) => s + n, 0)).toBe(3);
    expect(pick(rows as SnapshotBucketRow[], "risk")).toEqual({ unscored: 4 });
  });

  it("counts transitions since the newest snapshot of an earlier day, and replaces a day taken again", async () => {
    const { store, model } = await seeded();
    await store.putSnapshot(localDay(NOW, "UTC") - 20, NOW - 20 * DAY_MS, [
      { dimension: "stage", bucket: "new", customers: 1, value: 0, clv: 0 },
    ]);
    await takeSnapshot(store, model, NOW - DAY_MS / 2, "UTC"); // a first take of the day, replaced below
    await takeSnapshot(store, model, NOW, "UTC");
    const rows = await store.listSnapshots({ from: 0, to: localDay(NOW, "UTC"), dimensions: ["transition"] });
    // a's first order (10 days ago) and d's dormancy (now) are in the 20 days; b's changes are older.
    expect(rows.map((x) => [dayText(x.day), x.bucket, x.customers, x.takenAt])).toEqual([
      ["2026-03-01", "new>dormant", 1, NOW],
      ["2026-03-01", "prospect>new", 1, NOW],
    ]);
  });

  it("dates a snapshot by the job's zone", () => {
    const t = Date.parse("2026-03-01T19:30:00Z"); // 03:30 on 2 March in Shanghai
    expect(dayText(localDay(t, "Asia/Shanghai"))).toBe("2026-03-02");
    expect(dayText(localDay(t, "UTC"))).toBe("2026-03-01");
  });
});
