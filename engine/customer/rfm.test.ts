import { describe, expect, it } from "vitest";
import { fold, NOW, order } from "./test-helpers";
import {
  computeRfmBoundaries,
  percentile,
  RFM_GRID,
  RFM_SEGMENTS,
  rfmFor,
  rfmSegment,
  scoreRfm,
} from "./rfm";
import type { RfmBoundaries } from "./rfm";
import { emptyProfile } from "./profile";

const B: RfmBoundaries = {
  recency: [10, 30, 60, 120],
  frequency: [1, 2, 3, 5],
  monetary: [50, 100, 200, 400],
  computedAt: new Date(NOW).toISOString(),
  customers: 100,
};

describe("RFM", () => {
  it("percentiles interpolate linearly between order statistics", () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([0.2, 0.4, 0.6, 0.8].map((q) => Math.round(percentile(xs, q) * 1e9) / 1e9)).toEqual([
      2.8, 4.6, 6.4, 8.2,
    ]);
  });

  it("quintile boundaries over the base; prospects are left out", () => {
    // Ten customers: one order each, last order 1..10 × 10 days ago, spend 10..100, plus a prospect.
    const base = Array.from({ length: 10 }, (_, i) => fold([order((i + 1) * 10, (i + 1) * 10)]).profile);
    base.push(emptyProfile());
    const b = computeRfmBoundaries(base, NOW);
    expect(b.customers).toBe(10);
    expect(b.recency.map((x) => Math.round(x * 1e6) / 1e6)).toEqual([28, 46, 64, 82]);
    expect(b.frequency).toEqual([1, 1, 1, 1]);
    expect(b.monetary.map((x) => Math.round(x * 1e6) / 1e6)).toEqual([28, 46, 64, 82]);
    expect(rfmFor(emptyProfile(), b, NOW)).toBeUndefined();
  });

  it("scores by value: ties get equal scores (most customers with one order all score F = 1)", () => {
    const f = [1, 1, 1, 1, 1, 1, 2, 2, 3, 5];
    const base = f.map((n) => fold(Array.from({ length: n }, (_, k) => order(5 + k * 3, 10))).profile);
    const b = computeRfmBoundaries(base, NOW);
    expect(b.frequency.map((x) => Math.round(x * 10) / 10)).toEqual([1, 1, 1.4, 2.2]);
    expect(base.map((p) => rfmFor(p, b, NOW)?.f)).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
  });

  it("known scores: R is 5 for the most recent fifth, F and M 5 for the top fifth; boundaries inclusive below", () => {
    const s = (recencyDays: number, frequency: number, monetary: number) =>
      scoreRfm({ recencyDays, frequency, monetary }, B);
    expect(s(5, 9, 900)).toMatchObject({ r: 5, f: 5, m: 5, score: "555", total: 15, segment: "Champions" });
    expect(s(10, 1, 50)).toMatchObject({ r: 5, f: 1, m: 1, score: "511", segment: "New" });
    expect(s(11, 2, 51)).toMatchObject({ r: 4, f: 2, m: 2, segment: "Potential Loyalist" });
    expect(s(45, 3, 150)).toMatchObject({ r: 3, f: 3, m: 3, segment: "Need Attention" });
    expect(s(90, 4, 300)).toMatchObject({ r: 2, f: 4, m: 4, segment: "At Risk" });
    expect(s(500, 8, 1000)).toMatchObject({ r: 1, f: 5, m: 5, segment: "Can't Lose Them" });
    expect(s(500, 1, 20)).toMatchObject({ r: 1, f: 1, m: 1, segment: "Lost" });
    expect(s(200, 2, 20)).toMatchObject({ r: 1, f: 2, m: 1, fm: 2, segment: "Hibernating" });
    expect(s(40, 1, 20)).toMatchObject({ r: 3, segment: "About to Sleep" });
    expect(s(20, 1, 20)).toMatchObject({ r: 4, segment: "Promising" });
    expect(s(20, 6, 500)).toMatchObject({ r: 4, segment: "Loyal" });
  });

  it("FM rounds half up: F 1 and M 2 give FM 2", () => {
    expect(scoreRfm({ recencyDays: 5, frequency: 1, monetary: 60 }, B)).toMatchObject({
      f: 1,
      m: 2,
      fm: 2,
      segment: "Potential Loyalist",
    });
  });

  it("the grid names all eleven segments and every cell is one of them", () => {
    const seen = new Set(RFM_GRID.flat());
    expect([...seen].sort()).toEqual([...RFM_SEGMENTS].sort());
    expect(rfmSegment(5, 5)).toBe("Champions");
    expect(rfmSegment(3, 4)).toBe("Loyal");
    expect(rfmSegment(2, 5)).toBe("Can't Lose Them");
  });

  it("a refund lowers M; recency follows time", () => {
    const p = fold([order(20, 450), order(10, -400)]).profile;
    expect(rfmFor(p, B, NOW)).toMatchObject({ r: 4, f: 1, m: 1, monetary: 50 });
    expect(rfmFor(p, B, NOW + 200 * 86_400_000)?.r).toBe(1);
  });
});
