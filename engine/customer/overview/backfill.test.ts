/** Known answers for the import back-fill: stages per past date from order days, and the moves between dates. */
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../../store/sqlite/store";
import { fold, NOW, order } from "../test-helpers";
import { DAY_MS } from "../time";
import { backfillSnapshots } from "./backfill";

const TODAY = Math.floor(NOW / DAY_MS);

describe("backfillSnapshots", () => {
  it("stores each past date's stages and the stage changes from the date before, leaving stored dates alone", async () => {
    const store = SqliteStore.open(":memory:");
    // x: one order 40 days ago (new for 30 days, then active); y: never ordered (a prospect throughout).
    const x = fold([order(40, 70)]).profile;
    const y = fold([]).profile;
    await store.commit({
      customers: [
        { id: "x", traits: {}, state: x as unknown as Record<string, unknown>, createdAt: 0, updatedAt: 0 },
        { id: "y", traits: {}, state: y as unknown as Record<string, unknown>, createdAt: 0, updatedAt: 0 },
      ],
    });
    // A snapshot the live job already took 2 days ago stays as it is.
    await store.putSnapshot(TODAY - 2, NOW - 2 * DAY_MS, [
      { dimension: "stage", bucket: "active", customers: 99, value: 0, clv: 0 },
    ]);
    const r = await backfillSnapshots(store, { today: TODAY, days: 45 });
    expect(r).toEqual({ days: 44, customers: 2 });
    const rows = await store.listSnapshots({ from: 0, to: TODAY, dimensions: ["stage", "transition"] });
    const at = (day: number) =>
      Object.fromEntries(
        rows
          .filter((q) => q.day === day && q.customers > 0)
          .map((q) => [`${q.dimension}:${q.bucket}`, q.customers]),
      );
    const orderDay = TODAY - 40;
    expect(at(orderDay - 1)).toEqual({ "stage:prospect": 2 });
    expect(at(orderDay)).toEqual({ "stage:prospect": 1, "stage:new": 1, "transition:prospect>new": 1 });
    // New while the first order is at most 30 days old (DEFAULT_CONFIG's day thresholds), judged at the end
    // of each date against the order day's start: 29.99 days at the end of day +29, 30.99 at the end of +30.
    expect(at(orderDay + 29)).toEqual({ "stage:prospect": 1, "stage:new": 1 });
    expect(at(orderDay + 30)).toEqual({ "stage:prospect": 1, "stage:active": 1, "transition:new>active": 1 });
    expect(at(TODAY - 2)).toEqual({ "stage:active": 99 });
    expect(rows.filter((q) => q.day === orderDay && q.bucket === "new")[0]?.value).toBe(70);
    // Every date has a row per stage, and today is left to the live job.
    expect(rows.some((q) => q.day === TODAY)).toBe(false);
  });
});
