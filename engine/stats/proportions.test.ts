import { describe, expect, it } from "vitest";
import { holmAdjust } from "./holm";
import { alwaysValidPValue } from "./msprt";
import {
  relativeLift,
  sampleSizePerArm,
  twoProportionPValue,
  waldLiftInterval,
  wilsonInterval,
} from "./proportions";
import { revenuePerCustomer } from "./revenue";
import { srmPValue } from "./srm";

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

describe("the spec §4 example (email 130/600 against sms 180/600)", () => {
  const email = { x: 130, n: 600 };
  const sms = { x: 180, n: 600 };
  it("gives the rates' Wilson intervals", () => {
    expect(wilsonInterval(130, 600).map(round4)).toEqual([0.1856, 0.2514]);
    expect(wilsonInterval(180, 600).map(round4)).toEqual([0.2647, 0.3378]);
  });
  it("gives the lifts, the Wald interval and the pooled z-test p-value", () => {
    expect(round4(180 / 600 - 130 / 600)).toBe(0.0833);
    expect(round4(relativeLift(email, sms)!)).toBe(0.3846);
    expect(waldLiftInterval(email, sms).map(round4)).toEqual([0.034, 0.1326]);
    const p = twoProportionPValue(email, sms);
    expect(p).toBeGreaterThanOrEqual(0.000975);
    expect(p).toBeLessThan(0.000985);
  });
  it("is significant by the always-valid p-value too, which is above the fixed-horizon one", () => {
    const av = alwaysValidPValue(email, sms);
    expect(av).toBeLessThan(0.05);
    expect(av).toBeGreaterThan(twoProportionPValue(email, sms));
    expect(holmAdjust([av])).toEqual([av]);
  });
});

describe("published values", () => {
  // Newcombe, "Two-sided confidence intervals for the single proportion" (Stat Med 1998), table I, method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])("Wilson %d/%d = [%d, %d]", (x, n, lo, hi) => {
    expect(wilsonInterval(x, n).map(round4)).toEqual([lo, hi]);
  });
  // Newcombe, "Interval estimation for the difference between independent proportions" (1998), method 1.
  it("Wald interval of 56/70 − 48/80 is [0.0575, 0.3425]", () => {
    expect(waldLiftInterval({ x: 48, n: 80 }, { x: 56, n: 70 }).map(round4)).toEqual([0.0575, 0.3425]);
  });
  it("sample size for 10% against 15% at α 0.05, power 0.8 is 686 per arm (R power.prop.test: 685.6)", () => {
    expect(sampleSizePerArm(0.1, 0.15)).toBe(686);
    expect(sampleSizePerArm(0.2, 0.2)).toBeNull();
  });
  it("Holm's adjusted p-values (Holm 1979's step-down)", () => {
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005]).map((p) => round4(p))).toEqual([0.03, 0.06, 0.06, 0.02]);
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
    expect(holmAdjust([0.02, 0.3])).toEqual([0.04, 0.3]);
    expect(holmAdjust([])).toEqual([]);
  });
  it("sample-ratio mismatch matches scipy.stats.chisquare", () => {
    expect(srmPValue([5050, 4950], [1, 1])).toBeCloseTo(0.31731050786291115, 10);
    expect(srmPValue([520, 480, 1000], [1, 1, 2])).toBeCloseTo(0.4493289641172217, 10);
    expect(srmPValue([821, 1179], [50, 50])).toBeLessThan(1e-14);
    expect(srmPValue([10, 3], [1, 0])).toBe(0);
    expect(srmPValue([0, 0], [1, 1])).toBe(1);
    expect(srmPValue([7, 0], [1, 0])).toBe(1);
  });
  it("revenue per customer: mean of 0,0,10,30 is 10 with a t-free normal interval", () => {
    const r = revenuePerCustomer(40, 1000, 4);
    expect(r.mean).toBe(10);
    // sample sd of [0,0,10,30] = √(((0-10)²·2 + 0 + 20²)/3) = √200 ≈ 14.142; half = 1.95996 · 14.142 / 2 ≈ 13.859
    expect(r.ci95.map(round4)).toEqual([round4(10 - 13.859038), round4(10 + 13.859038)]);
    expect(revenuePerCustomer(0, 0, 0)).toEqual({ mean: 0, ci95: [0, 0] });
  });
});

describe("edge cases", () => {
  it("empty arms and zero-variance data give p = 1 and no lift interval", () => {
    expect(twoProportionPValue({ x: 0, n: 0 }, { x: 3, n: 10 })).toBe(1);
    expect(twoProportionPValue({ x: 0, n: 50 }, { x: 0, n: 50 })).toBe(1);
    expect(alwaysValidPValue({ x: 10, n: 10 }, { x: 10, n: 10 })).toBe(1);
    expect(waldLiftInterval({ x: 0, n: 0 }, { x: 1, n: 2 })).toEqual([0, 0]);
    expect(relativeLift({ x: 0, n: 10 }, { x: 1, n: 10 })).toBeNull();
    expect(wilsonInterval(0, 0)).toEqual([0, 0]);
  });
});
