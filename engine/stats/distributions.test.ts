import { describe, expect, it } from "vitest";
import { chiSquaredSf, lnGamma, normalCdf, twoSidedP, Z_80, Z_975 } from "./distributions";

// Reference values: Abramowitz & Stegun table 26.1 and 26.8, and scipy.stats norm.cdf / chi2.sf.
describe("normalCdf", () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145705],
    [1.959963984540054, 0.975],
    [-3, 0.0013498980316301],
    [3.2905267314919255, 0.9995],
    [-5, 2.866515718791939e-7],
    [-8, 6.22096057427178e-16],
    [-10, 7.619853024160527e-24],
  ])("Φ(%d) = %d", (x, p) => {
    const got = normalCdf(x);
    if (p < 1e-6) expect(Math.abs(got - p) / p).toBeLessThan(1e-7);
    else expect(got).toBeCloseTo(p, 13);
  });
  it("is symmetric and monotone", () => {
    let prev = 0;
    for (let x = -9; x <= 9; x += 0.01) {
      const p = normalCdf(x);
      expect(p + normalCdf(-x)).toBeCloseTo(1, 14);
      expect(p).toBeGreaterThanOrEqual(prev);
      prev = p;
    }
  });
  it("quantile constants invert it", () => {
    expect(normalCdf(Z_975)).toBeCloseTo(0.975, 14);
    expect(normalCdf(Z_80)).toBeCloseTo(0.8, 14);
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 13);
    expect(twoSidedP(Number.NaN)).toBe(1);
  });
});

describe("chiSquaredSf", () => {
  it.each([
    [3.841458820694124, 1, 0.05],
    [10.827566170662733, 1, 0.001],
    [5.991464547107979, 2, 0.05],
    [7.814727903251178, 3, 0.05],
    [16.26623619623813, 3, 0.001],
    [18.307038053275146, 10, 0.05],
    [1, 1, 0.31731050786291415],
    [0.5, 4, 0.9735009788392561],
    [100, 50, 3.454931382984871e-5],
  ])("P(X ≥ %d; df %d) = %d", (x, df, p) => {
    expect(Math.abs(chiSquaredSf(x, df) - p) / p).toBeLessThan(1e-4);
  });
  it("with one degree of freedom equals the two-sided normal tail", () => {
    for (const z of [0.1, 0.7, 1.5, 2.5, 4]) expect(chiSquaredSf(z * z, 1)).toBeCloseTo(twoSidedP(z), 12);
  });
  it("is 1 at 0 and rejects bad degrees of freedom", () => {
    expect(chiSquaredSf(0, 3)).toBe(1);
    expect(() => chiSquaredSf(1, 0)).toThrow(RangeError);
  });
});

describe("lnGamma", () => {
  it("matches factorials and Γ(1/2) = √π", () => {
    expect(lnGamma(1)).toBeCloseTo(0, 13);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(lnGamma(101)).toBeCloseTo(363.73937555556347, 9);
  });
});
