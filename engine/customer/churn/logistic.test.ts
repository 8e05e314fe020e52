import { describe, expect, it } from "vitest";
import { choleskySolve, fitLogistic, probability } from "./logistic";
import { applyIsotonic, fitIsotonic } from "./isotonic";
import { auc, calibrationByDecile, ranks, spearman, topCapture } from "./metrics";
import { createRng } from "../model/random";

describe("L2 logistic regression (IRLS)", () => {
  it("solves a small SPD system exactly", () => {
    const x = choleskySolve(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 5]), 2);
    expect(x[0]).toBeCloseTo(-0.5, 12);
    expect(x[1]).toBeCloseTo(2, 12);
  });

  it("recovers known coefficients from data drawn with them", () => {
    // logit P(y=1) = -0.5 + 1.5 x1 - 2 x2, x ~ N(0,1)-ish uniform draws.
    const rng = createRng(3);
    const n = 20_000;
    const rows = new Float64Array(n * 2);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const x1 = rng.next() * 2 - 1;
      const x2 = rng.next() * 2 - 1;
      rows[2 * i] = x1;
      rows[2 * i + 1] = x2;
      y[i] = rng.next() < 1 / (1 + Math.exp(-(-0.5 + 1.5 * x1 - 2 * x2))) ? 1 : 0;
    }
    const m = fitLogistic(rows, y, 2, { l2: 0 });
    // Coefficients are on the standardised scale: back to raw units.
    const b1 = m.coef[0]! / m.std[0]!;
    const b2 = m.coef[1]! / m.std[1]!;
    expect(b1).toBeGreaterThan(1.3);
    expect(b1).toBeLessThan(1.7);
    expect(b2).toBeGreaterThan(-2.2);
    expect(b2).toBeLessThan(-1.8);
    expect(probability(m, [0, 0])).toBeCloseTo(1 / (1 + Math.exp(0.5)), 1);
    expect(m.iterations).toBeLessThan(15);
  });

  it("stays finite on separable data thanks to the penalty, and refuses a single class", () => {
    const rows = Float64Array.from([0, 1, 2, 3]);
    const m = fitLogistic(rows, Uint8Array.from([0, 0, 1, 1]), 1, { l2: 0.01 });
    expect(Number.isFinite(m.coef[0])).toBe(true);
    expect(probability(m, [3])).toBeGreaterThan(0.9);
    expect(() => fitLogistic(rows, Uint8Array.from([1, 1, 1, 1]), 1)).toThrow(/every label is the same/);
  });

  it("weights rows: weight 0 leaves a row out, weight 2 counts it twice", () => {
    const rows = Float64Array.from([0, 1, 2, 3, 1.5, 0.5, 2.5]);
    const y = Uint8Array.from([0, 1, 0, 1, 1, 0, 1]);
    const some = fitLogistic(rows, y, 1, { l2: 0.01, weight: Float64Array.from([1, 1, 1, 1, 0, 0, 2]) });
    const same = fitLogistic(
      Float64Array.from([0, 1, 2, 3, 2.5, 2.5]),
      Uint8Array.from([0, 1, 0, 1, 1, 1]),
      1,
      {
        l2: 0.01,
      },
    );
    expect(some.intercept).toBeCloseTo(same.intercept, 10);
    expect(some.coef[0]! / some.std[0]!).toBeCloseTo(same.coef[0]! / same.std[0]!, 10);
    expect(() => fitLogistic(rows, y, 1, { weight: new Float64Array(3) })).toThrow(/3 weights for 7 rows/);
  });

  it("reaches the same optimum from a warm start, in fewer passes", () => {
    const rng = createRng(5);
    const n = 5000;
    const rows = new Float64Array(n * 2);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      rows[2 * i] = rng.next() * 4;
      rows[2 * i + 1] = rng.next();
      y[i] = rng.next() < 1 / (1 + Math.exp(-(1 - rows[2 * i]! + 2 * rows[2 * i + 1]!))) ? 1 : 0;
    }
    const half = new Float64Array(n).map((_, i) => (i % 2 ? 1 : 0));
    const cold = fitLogistic(rows, y, 2, { l2: 0.01, weight: half });
    const start = fitLogistic(rows, y, 2, { l2: 0.01 });
    const warm = fitLogistic(rows, y, 2, { l2: 0.01, weight: half, start });
    expect(warm.intercept).toBeCloseTo(cold.intercept, 8);
    expect(warm.coef[0]).toBeCloseTo(cold.coef[0]!, 8);
    expect(warm.coef[1]).toBeCloseTo(cold.coef[1]!, 8);
    expect(warm.iterations).toBeLessThan(cold.iterations);
  });
});

describe("isotonic calibration", () => {
  it("pools adjacent violators (known answer)", () => {
    const m = fitIsotonic([1, 2, 3, 4, 5], [0, 1, 0, 1, 1]);
    expect(m.y).toEqual([0, 0.5, 1]);
    expect(m.x).toEqual([1, 2.5, 4.5]);
    expect(applyIsotonic(m, 0)).toBe(0);
    expect(applyIsotonic(m, 2.5)).toBe(0.5);
    expect(applyIsotonic(m, 3.5)).toBe(0.75);
    expect(applyIsotonic(m, 9)).toBe(1);
  });

  it("weights rows, and keeps every block at least minBlock heavy (known answers)", () => {
    // Weight 3 on the fourth row: blocks {1}, {2, 3} = 1/2, {4 (×3), 5} = 1.
    const w = fitIsotonic([1, 2, 3, 4, 5], [0, 1, 0, 1, 1], { weight: [1, 1, 1, 3, 1] });
    expect(w.y).toEqual([0, 0.5, 1]);
    expect(w.x).toEqual([1, 2.5, 4.25]);
    // Plain PAV leaves the extremes in one-row blocks of 0% and 100%; minBlock 2 pools them.
    const plain = fitIsotonic([1, 2, 3, 4, 5, 6], [0, 0, 1, 0, 1, 1]);
    expect(plain.y).toEqual([0, 0.5, 1]);
    const pooled = fitIsotonic([1, 2, 3, 4, 5, 6], [0, 0, 1, 0, 1, 1], { minBlock: 2 });
    expect(pooled.y).toEqual([0, 0.5, 1]);
    expect(pooled.x).toEqual([1.5, 3.5, 5.5]);
    // The short last block joins the one before.
    const tail = fitIsotonic([1, 2, 3, 4, 5], [0, 0, 1, 1, 1], { minBlock: 2 });
    expect(tail.y).toEqual([0, 1]);
    expect(tail.x).toEqual([1.5, 4]);
  });
});

describe("backtest measures", () => {
  it("AUC, ranks and Spearman on known answers", () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
    expect(Array.from(ranks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it("top capture shares ties, and calibration groups by decile", () => {
    const score = Array.from({ length: 10 }, (_, i) => i);
    const actual = Array.from({ length: 10 }, (_, i) => (i === 9 ? 90 : 1));
    expect(topCapture(score, actual, 0.1)).toBeCloseTo(90 / 99, 12);
    // All tied: the top 10% get 10% of the total, whatever the order.
    expect(topCapture(new Array(10).fill(1), actual, 0.1)).toBeCloseTo(0.1, 12);
    const d = calibrationByDecile(
      score.map((s) => s / 10),
      score.map((s) => (s >= 5 ? 1 : 0)),
    );
    expect(d).toHaveLength(10);
    expect(d[0]).toEqual({ decile: 1, customers: 1, predicted: 0, observed: 0 });
    expect(d[9]).toEqual({ decile: 10, customers: 1, predicted: 0.9, observed: 1 });
  });
});
