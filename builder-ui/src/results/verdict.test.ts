import { describe, expect, it } from "vitest";
import type { ArmResult, ExperimentResult } from "../../../engine/schema";
import { translate } from "../i18n/translate";
import type { MessageKey } from "../i18n/dict";
import { timelineOption } from "./chartOptions";
import { points, verdictText, verdicts } from "./verdict";

const arm = (id: string, members: number, converted: number, ci95: [number, number]): ArmResult => ({
  id,
  members,
  matured: members,
  converted,
  rate: converted / members,
  ci95,
  revenue: 0,
  maturedConverted: converted,
  maturedRate: converted / members,
  revenuePerCustomer: 0,
  revenuePerCustomerCi95: [0, 0],
  weight: 0.5,
  timeline: [],
});

// The spec's §4 example: sms 180/600 against email 130/600.
const spec: ExperimentResult = {
  nodeId: "s1",
  kind: "random",
  baseline: "email",
  arms: [arm("email", 600, 130, [0.1856, 0.2514]), arm("sms", 600, 180, [0.2647, 0.3378])],
  comparisons: [
    {
      arm: "sms",
      vs: "email",
      absoluteLift: 0.0833,
      relativeLift: 0.3846,
      ci95: [0.034, 0.1326],
      pValue: 0.00098,
      alwaysValidPValue: 0.011,
      adjustedPValue: 0.011,
      significant: true,
      neededPerArm: 390,
      morePerArm: 0,
    },
  ],
  srmPValue: 1,
  winner: "sms",
  warnings: [],
  promoted: null,
};

const en = (k: MessageKey, v?: Record<string, string | number>): string => translate("en", k, v);
const zh = (k: MessageKey, v?: Record<string, string | number>): string => translate("zh", k, v);
const num = (n: number): string => n.toLocaleString("en-US");

describe("experiment verdicts", () => {
  it("states the spec example's winner with its lift and interval in both languages", () => {
    const [v] = verdicts(spec);
    expect(verdictText(v!, spec, en, num)).toBe(
      "sms beats email: +8.3 points, 95% CI +3.4 to +13.3, significant",
    );
    expect(verdictText(v!, spec, zh, num)).toBe(
      "sms 优于 email：+8.3 个百分点，95% 置信区间 +3.4 至 +13.3，差异显著",
    );
  });

  it("asks for the missing customers per arm when nothing is significant yet", () => {
    const exp: ExperimentResult = {
      ...spec,
      winner: null,
      comparisons: [
        {
          ...spec.comparisons[0]!,
          absoluteLift: 0.02,
          ci95: [-0.01, 0.05],
          significant: false,
          morePerArm: 1234,
        },
      ],
    };
    expect(verdictText(verdicts(exp)[0]!, exp, en, num)).toBe(
      "No difference yet between sms and email (+2.0 points, 95% CI −1.0 to +5.0): need about 1,234 more customers per arm",
    );
  });

  it("names no winner when the split's arm sizes do not match its weights", () => {
    const exp = { ...spec, srmPValue: 0.0001 };
    const list = verdicts(exp);
    expect(list.map((v) => v.kind)).toEqual(["srm"]);
    expect(verdictText(list[0]!, exp, en, num)).toContain("sample-ratio mismatch, p = 0.00010");
  });

  it("names a holdout's arms for what they mean", () => {
    const exp: ExperimentResult = {
      ...spec,
      kind: "holdout",
      baseline: "holdout",
      arms: [arm("holdout", 100, 10, [0.05, 0.17]), arm("continue", 900, 180, [0.17, 0.23])],
      comparisons: [{ ...spec.comparisons[0]!, arm: "continue", vs: "holdout", absoluteLift: 0.1 }],
    };
    expect(verdictText(verdicts(exp)[0]!, exp, en, num)).toMatch(
      /^Got the journey beats Held back: \+10\.0 points/,
    );
  });

  it("rounds points with a sign", () => {
    expect([points(0.0833), points(-0.004), points(0), points(0.00049)]).toEqual([
      "+8.3",
      "−0.4",
      "0.0",
      "0.0",
    ]);
  });
});

describe("cumulative conversions chart", () => {
  it("carries each arm's count over days it has no point for", () => {
    const exp: ExperimentResult = {
      ...spec,
      arms: [
        { ...spec.arms[0]!, timeline: [{ date: "2026-03-01", members: 5, converted: 1 }] },
        {
          ...spec.arms[1]!,
          timeline: [
            { date: "2026-03-01", members: 5, converted: 0 },
            { date: "2026-03-02", members: 9, converted: 3 },
          ],
        },
      ],
    };
    const o = timelineOption(exp, ["email", "sms"], "Conversions") as {
      xAxis: { data: string[] };
      series: { data: number[] }[];
    };
    expect(o.xAxis.data).toEqual(["2026-03-01", "2026-03-02"]);
    expect(o.series.map((s) => s.data)).toEqual([
      [1, 1],
      [0, 3],
    ]);
  });
});
