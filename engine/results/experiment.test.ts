import { describe, expect, it } from "vitest";
import { resultsReportSchema } from "../schema/results";
import { analyseExperiment, type ArmCounts } from "./experiment";

const arm = (id: string, members: number, converted: number, extra: Partial<ArmCounts> = {}): ArmCounts => ({
  id,
  weight: 0.5,
  members,
  matured: members,
  converted,
  maturedConverted: converted,
  revenue: 0,
  revenueSquares: 0,
  hashMembers: members,
  expectedHashMembers: members,
  timeline: [],
  ...extra,
});
const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

describe("the spec §4 example", () => {
  const e = analyseExperiment({
    nodeId: "s1",
    kind: "random",
    baseline: "email",
    promoted: null,
    arms: [
      arm("email", 600, 130, { matured: 550, revenue: 15020, expectedHashMembers: 600 }),
      arm("sms", 600, 180, { matured: 550, revenue: 25100.5, expectedHashMembers: 600 }),
    ],
  });
  it("has the published arm figures", () => {
    expect(
      e.arms.map((a) => [a.id, a.members, a.matured, a.converted, r4(a.rate), a.ci95.map(r4), a.revenue]),
    ).toEqual([
      ["email", 600, 550, 130, 0.2167, [0.1856, 0.2514], 15020],
      ["sms", 600, 550, 180, 0.3, [0.2647, 0.3378], 25100.5],
    ]);
  });
  it("has the published comparison, srm and winner", () => {
    expect(e.comparisons).toHaveLength(1);
    const c = e.comparisons[0]!;
    expect([c.arm, c.vs, r4(c.absoluteLift), r4(c.relativeLift!), c.ci95.map(r4)]).toEqual([
      "sms",
      "email",
      0.0833,
      0.3846,
      [0.034, 0.1326],
    ]);
    expect(c.pValue.toPrecision(2)).toBe("0.00098");
    expect(c.alwaysValidPValue).toBeLessThan(0.05);
    expect(c.significant).toBe(true);
    expect(e.srmPValue).toBe(1);
    expect(e.winner).toBe("sms");
    expect(e.warnings).toEqual([]);
  });
});

describe("three arms", () => {
  const three = (b: number, c: number) =>
    analyseExperiment({
      nodeId: "s1",
      kind: "random",
      baseline: "a",
      promoted: null,
      arms: [arm("a", 1000, 250), arm("b", 1000, b), arm("c", 1000, c)],
    });
  it("Holm's correction: two raw p-values between 0.025 and 0.05 are both not significant", () => {
    const [b, c] = three(312, 315).comparisons;
    for (const x of [b!, c!]) {
      expect(x.alwaysValidPValue).toBeGreaterThan(0.025);
      expect(x.alwaysValidPValue).toBeLessThan(0.05);
    }
    // The smaller p (c) is doubled; the larger (b) is taken as is, but never below c's adjusted value.
    expect(c!.adjustedPValue).toBeCloseTo(2 * c!.alwaysValidPValue, 12);
    expect(b!.adjustedPValue).toBeCloseTo(Math.max(b!.alwaysValidPValue, c!.adjustedPValue), 12);
    expect([b!.significant, c!.significant]).toEqual([false, false]);
  });
  it("Holm's correction: once the smaller survives doubling, the larger is tested at α", () => {
    const [b, c] = three(312, 330).comparisons;
    expect(c!.adjustedPValue).toBeCloseTo(2 * c!.alwaysValidPValue, 12);
    expect(b!.adjustedPValue).toBe(b!.alwaysValidPValue);
    expect([b!.significant, c!.significant]).toEqual([true, true]);
  });

  it("names no winner when the best arm does not beat every other arm", () => {
    const e = analyseExperiment({
      nodeId: "s1",
      kind: "random",
      baseline: "a",
      promoted: null,
      arms: [arm("a", 2000, 400), arm("b", 2000, 600), arm("c", 2000, 610)],
    });
    expect(e.comparisons.every((c) => c.significant)).toBe(true);
    expect(e.winner).toBeNull();
    const clear = analyseExperiment({
      nodeId: "s1",
      kind: "random",
      baseline: "a",
      promoted: null,
      arms: [arm("a", 2000, 400), arm("b", 2000, 500), arm("c", 2000, 700)],
    });
    expect(clear.winner).toBe("c");
  });

  it("a baseline that beats every arm is the winner", () => {
    const e = analyseExperiment({
      nodeId: "h1",
      kind: "holdout",
      baseline: "holdout",
      promoted: null,
      arms: [arm("holdout", 2000, 700), arm("continue", 2000, 400)],
    });
    expect(e.comparisons[0]!.absoluteLift).toBeLessThan(0);
    expect(e.winner).toBe("holdout");
  });
});

describe("sample-ratio mismatch", () => {
  it("warns below 0.001 and names no winner", () => {
    const e = analyseExperiment({
      nodeId: "s1",
      kind: "random",
      baseline: "a",
      promoted: null,
      arms: [
        arm("a", 800, 100, { expectedHashMembers: 1000 }),
        arm("b", 1200, 500, { expectedHashMembers: 1000 }),
      ],
    });
    expect(e.srmPValue).toBeLessThan(0.001);
    expect(e.winner).toBeNull();
    expect(e.warnings.map((w) => w.code)).toEqual(["sample_ratio_mismatch"]);
  });
  it("says how many more customers per arm a small observed lift needs", () => {
    const e = analyseExperiment({
      nodeId: "s1",
      kind: "random",
      baseline: "a",
      promoted: null,
      arms: [arm("a", 200, 50), arm("b", 200, 56)],
    });
    const c = e.comparisons[0]!;
    expect(c.significant).toBe(false);
    expect(c.neededPerArm).toBeGreaterThan(1000);
    expect(c.morePerArm).toBe(c.neededPerArm! - 200);
  });
});

it("a report built from these parts passes the exported schema", () => {
  const e = analyseExperiment({
    nodeId: "s1",
    kind: "random",
    baseline: "a",
    promoted: null,
    arms: [arm("a", 0, 0), arm("b", 0, 0)],
  });
  expect(e.warnings.map((w) => w.code)).toEqual(["empty_arm", "empty_arm"]);
  const report = {
    journey: "x",
    journeyId: "j1",
    asOf: new Date(0).toISOString(),
    goal: null,
    totals: {
      entered: 0,
      matured: 0,
      converted: 0,
      conversionRate: 0,
      maturedConversionRate: 0,
      revenue: 0,
      delivered: 0,
      maturedConverted: 0,
      exited: 0,
      open: 0,
    },
    experiments: [e],
    version: null,
    from: null,
    to: null,
  };
  expect(resultsReportSchema.parse(report)).toEqual(report);
});
