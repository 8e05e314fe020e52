import { describe, expect, it } from "vitest";
import { hyp2f1, lgamma, logAddExp } from "./special";
import { nelderMead } from "./optimize";

describe("special functions", () => {
  it("lgamma matches known values", () => {
    expect(lgamma(1)).toBeCloseTo(0, 14);
    expect(lgamma(2)).toBeCloseTo(0, 14);
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lgamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lgamma(0.01)).toBeCloseTo(4.599479878042022, 12);
    expect(lgamma(171)).toBeCloseTo(706.5730622457874, 9); // ln(170!)
    expect(lgamma(1e6)).toBeCloseTo(12815504.56914761, 4);
  });

  it("hyp2f1 matches closed forms", () => {
    for (const z of [0, 0.1, 0.5, 0.9, 0.99]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(z === 0 ? 1 : -Math.log(1 - z) / z, 10);
      expect(hyp2f1(0.5, 1, 1, z)).toBeCloseTo(Math.pow(1 - z, -0.5), 8);
    }
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
  });

  it("logAddExp does not overflow", () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logAddExp(-Infinity, 3)).toBe(3);
  });

  it("Nelder–Mead finds the Rosenbrock minimum", () => {
    const f = (x: number[]) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
    const r = nelderMead(f, [-1.2, 1], { fTol: 1e-14, xTol: 1e-10 });
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });
});
