import { describe, expect, it } from "vitest";
import { profilesAtCut } from "./orders-profiles";
import { describeDrivers, scoreChurn } from "./model";
import { auc, calibrationByDecile } from "./metrics";
import { trainChurnModel } from "./train";
import { simulatedBase } from "./test-base";
import { DAY_MS, dayOf } from "../time";

const NOW = Date.parse("2026-03-01T12:00:00Z");

describe("the churn model", () => {
  const base = simulatedBase(4000, NOW);
  const { model, skipped } = trainChurnModel(base, NOW, { horizonDays: 90 });

  it("trains on the base's own past and stores its fit date, cut and hold-out AUC", () => {
    expect(skipped).toBeUndefined();
    expect(model!.fittedAt).toBe(new Date(NOW).toISOString());
    expect(model!.trainedAt).toBe(new Date((dayOf(NOW) - 90) * DAY_MS).toISOString().slice(0, 10));
    expect(model!.holdoutAuc).toBeGreaterThan(0.7);
    expect(model!.customers.holdout).toBeGreaterThan(800);
    expect(model!.bgnbd).not.toBeNull();
    // Rows from a cut every 30 days back (12 at most), while the history reaches a step before each.
    expect(model!.cuts).toBe(12);
    expect(model!.customers.train).toBeGreaterThan(25_000);
    // Round-trips through JSON (the nightly snapshot).
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  it("predicts what happened next, calibrated, on data it never saw", () => {
    // The first 3000 customers' futures: train 90 days earlier on their history, score at the cut.
    const cutMs = NOW - 90 * DAY_MS;
    const truncated = base.map((p) => ({ ...p, days: p.days.filter((d) => d.day <= dayOf(cutMs)) }));
    const live = truncated.filter((p) => p.days.length > 0);
    const m = trainChurnModel(live, cutMs).model!;
    const risk: number[] = [];
    const y: number[] = [];
    base.forEach((p, i) => {
      const s = scoreChurn(m, truncated[i]!, cutMs);
      if (!s) return;
      risk.push(s.risk);
      y.push(p.days.some((d) => d.day > dayOf(cutMs) && d.day <= dayOf(cutMs) + 90 && d.orders > 0) ? 0 : 1);
    });
    expect(auc(risk, y)).toBeGreaterThan(0.7);
    for (const d of calibrationByDecile(risk, y))
      expect(Math.abs(d.predicted - d.observed)).toBeLessThan(0.08);
  });

  it("explains a score with its strongest features", () => {
    const lapsed = base.find((p) => p.days.length === 1 && dayOf(NOW) - p.days[0]!.day > 300)!;
    const s = scoreChurn(model!, lapsed, NOW)!;
    expect(s.risk).toBeGreaterThan(0.8);
    expect(s.drivers.length).toBe(3);
    expect(s.drivers.some((d) => d.effect === "raises")).toBe(true);
    expect(describeDrivers(s.drivers)).toMatch(/ (raises|lowers) it/);
  });

  it("stops adding older cuts at the row budget, a whole cut at a time", () => {
    const m = trainChurnModel(base, NOW, { horizonDays: 90, maxRows: 9000 }).model!;
    expect(m.cuts).toBeGreaterThanOrEqual(1);
    expect(m.cuts).toBeLessThan(4);
    expect(m.customers.train).toBeLessThanOrEqual(9000);
    expect(m.customers.train).toBeGreaterThan(9000 - 4000);
    // A budget below one cut still takes the latest cut whole.
    const one = trainChurnModel(base, NOW, { horizonDays: 90, maxRows: 100 }).model!;
    expect(one.cuts).toBe(1);
    expect(one.customers.train).toBe(one.customers.holdout);
  });

  it("says why when it cannot train: every customer bought again", () => {
    const { profiles } = profilesAtCut(
      Array.from({ length: 60 }, (_, i) => [
        { customerId: `c${i}`, day: dayOf(NOW) - 200 },
        { customerId: `c${i}`, day: dayOf(NOW) - 10 },
      ]).flat(),
      dayOf(NOW),
    );
    const r = trainChurnModel(profiles, NOW);
    expect(r.model).toBeUndefined();
    expect(r.skipped).toMatch(/60 customers ordered and 0 did not/);
  });
});
