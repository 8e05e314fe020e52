import { describe, expect, it } from "vitest";
import { alwaysValidPValue } from "./msprt";
import { twoProportionPValue, waldLiftInterval, wilsonInterval, type Counts } from "./proportions";

/** mulberry32: a small seeded generator, so every run draws the same experiments. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function binomial(n: number, p: number, rand: () => number): number {
  let x = 0;
  for (let i = 0; i < n; i++) if (rand() < p) x++;
  return x;
}

describe("A/A experiments looked at after every 100 entries", () => {
  it("the always-valid p-value names a false winner in at most 5% of 500; naive peeking does far worse", () => {
    const rand = rng(20260312);
    const experiments = 500;
    const entries = 5000;
    let alwaysValidFalse = 0;
    let naiveFalse = 0;
    for (let e = 0; e < experiments; e++) {
      const a: Counts = { x: 0, n: 0 };
      const b: Counts = { x: 0, n: 0 };
      let avHit = false;
      let naiveHit = false;
      for (let i = 1; i <= entries; i++) {
        const arm = rand() < 0.5 ? a : b;
        arm.n++;
        if (rand() < 0.25) arm.x++;
        if (i % 100 === 0) {
          if (!avHit && alwaysValidPValue(a, b) < 0.05) avHit = true;
          if (!naiveHit && twoProportionPValue(a, b) < 0.05) naiveHit = true;
        }
      }
      if (avHit) alwaysValidFalse++;
      if (naiveHit) naiveFalse++;
    }
    const avRate = alwaysValidFalse / experiments;
    const naiveRate = naiveFalse / experiments;
    console.log(
      `A/A false winners over ${experiments} experiments, ${entries / 100} looks each: ` +
        `always-valid ${(avRate * 100).toFixed(1)}%, naive fixed-horizon ${(naiveRate * 100).toFixed(1)}%`,
    );
    expect(avRate).toBeLessThanOrEqual(0.05);
    expect(naiveRate).toBeGreaterThan(0.15);
  });
});

describe("interval coverage", () => {
  const settings = [
    { n: 200, p: 0.25 },
    { n: 500, p: 0.1 },
    { n: 1000, p: 0.4 },
  ];
  it("Wilson intervals cover the true rate 95% ± 2% of the time", () => {
    const rand = rng(7);
    for (const { n, p } of settings) {
      let covered = 0;
      const trials = 2000;
      for (let t = 0; t < trials; t++) {
        const [lo, hi] = wilsonInterval(binomial(n, p, rand), n);
        if (lo <= p && p <= hi) covered++;
      }
      expect(Math.abs(covered / trials - 0.95)).toBeLessThanOrEqual(0.02);
    }
  });
  it("Wald lift intervals cover the true difference 95% ± 2% of the time", () => {
    const rand = rng(11);
    for (const { n, p } of settings) {
      const q = p + 0.05;
      let covered = 0;
      const trials = 2000;
      for (let t = 0; t < trials; t++) {
        const [lo, hi] = waldLiftInterval({ x: binomial(n, p, rand), n }, { x: binomial(n, q, rand), n });
        if (lo <= q - p && q - p <= hi) covered++;
      }
      expect(Math.abs(covered / trials - 0.95)).toBeLessThanOrEqual(0.02);
    }
  });
});

describe("power", () => {
  it("detects +10 points at a 25% base with 1,000 per arm", () => {
    const rand = rng(99);
    const trials = 300;
    let detected = 0;
    for (let t = 0; t < trials; t++) {
      const a = { x: binomial(1000, 0.25, rand), n: 1000 };
      const b = { x: binomial(1000, 0.35, rand), n: 1000 };
      if (alwaysValidPValue(a, b) < 0.05) detected++;
    }
    expect(detected / trials).toBeGreaterThanOrEqual(0.95);
    expect(alwaysValidPValue({ x: 250, n: 1000 }, { x: 350, n: 1000 })).toBeLessThan(0.001);
  });
});
