import { describe, expect, it } from "vitest";
import { pickBranch, unitHash } from "./split-hash";

describe("unitHash", () => {
  it("is stable, in [0, 1), and spreads neighbouring ids", () => {
    expect(unitHash("j1\u0000c-1\u0000s1")).toBe(unitHash("j1\u0000c-1\u0000s1"));
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const u = unitHash(`j\u0000c-${i}\u0000s1`);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      buckets[Math.floor(u * 10)]!++;
    }
    for (const b of buckets) expect(Math.abs(b - 2000)).toBeLessThan(200);
  });
});

describe("pickBranch", () => {
  const branches = [
    { id: "a", weight: 1 },
    { id: "b", weight: 0 },
    { id: "c", weight: 3 },
  ];
  it("maps [0, 1) onto branches by weight and never picks a zero-weight branch", () => {
    expect(pickBranch(branches, 0)).toBe("a");
    expect(pickBranch(branches, 0.2499)).toBe("a");
    expect(pickBranch(branches, 0.25)).toBe("c");
    expect(pickBranch(branches, 0.999999999)).toBe("c");
    for (let u = 0; u < 1; u += 0.001) expect(pickBranch(branches, u)).not.toBe("b");
  });
  it("a trailing zero-weight branch is not picked through rounding", () => {
    const third = [
      { id: "x", weight: 1 },
      { id: "y", weight: 1 },
      { id: "z", weight: 1 },
      { id: "zero", weight: 0 },
    ];
    for (let u = 0; u < 1; u += 1e-4) expect(pickBranch(third, u)).not.toBe("zero");
    expect(pickBranch(third, 1 - Number.EPSILON)).not.toBe("zero");
  });
});
