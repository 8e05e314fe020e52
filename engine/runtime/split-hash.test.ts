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

describe("the public assignment hash (spec §4)", () => {
  // Reference values from an independent implementation of the spec's text: 32-bit FNV-1a over UTF-16 code
  // units, then murmur3's 32-bit finaliser, divided by 2^32.
  it.each([
    ["j1\u0000c-1001\u0000s1", 0.29314177529886365],
    ["j1\u0000c-1\u0000s1", 0.6350118084810674],
    ["winback-72h\u0000李娜\u0000h1", 0.6316688128281385],
    ["\u0000\u0000", 0.0965376936364919],
    ["j2\u0000c-😀\u0000split", 0.6699325577355921],
  ])("unitHash(%j) = %d", (text, u) => {
    expect(unitHash(text)).toBe(u);
  });
  it("a holdout holds back u * 100 < percent; a random split takes the first cumulative share above u", () => {
    const u = unitHash("j1\u0000c-1001\u0000s1"); // 0.293…
    expect(u * 100 < 30).toBe(true);
    expect(u * 100 < 29).toBe(false);
    expect(
      pickBranch(
        [
          { id: "email", weight: 1 },
          { id: "sms", weight: 1 },
        ],
        u,
      ),
    ).toBe("email");
    expect(
      pickBranch(
        [
          { id: "a", weight: 29 },
          { id: "b", weight: 71 },
        ],
        u,
      ),
    ).toBe("b");
  });
});
