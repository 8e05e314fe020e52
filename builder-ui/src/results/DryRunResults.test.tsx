import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { analyseExperiment } from "../../../engine/results/experiment";
import type { ResultsReport } from "../../../engine/schema";
import { I18nProvider } from "../i18n/i18n";
import { DryRunResults } from "./DryRunResults";

const arm = (id: string, members: number, converted: number) => ({
  id,
  weight: 0.5,
  members,
  matured: members,
  converted,
  maturedConverted: converted,
  revenue: 0,
  revenueSquares: 0,
  hashMembers: members,
  expectedHashMembers: 600,
  timeline: [],
});

// The spec's §4 example counts.
const report: ResultsReport = {
  journey: "Win-back",
  journeyId: "j1",
  asOf: "2026-03-20T00:00:00.000Z",
  goal: { event: "order_completed", within: "14d" },
  totals: {
    entered: 1200,
    matured: 1200,
    converted: 310,
    conversionRate: 310 / 1200,
    maturedConversionRate: 310 / 1200,
    revenue: 0,
    delivered: 1200,
    maturedConverted: 310,
    exited: 0,
    open: 0,
  },
  experiments: [
    analyseExperiment({
      nodeId: "s1",
      kind: "random",
      baseline: "email",
      arms: [arm("email", 600, 130), arm("sms", 600, 180)],
      promoted: null,
    }),
  ],
  version: null,
  from: null,
  to: null,
};

function render(lang: "en" | "zh"): string {
  const store = new Map([["rekindle.lang", lang]]);
  Object.assign(globalThis, {
    localStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: () => undefined },
  });
  return renderToStaticMarkup(
    <I18nProvider>
      <DryRunResults report={report} />
    </I18nProvider>,
  );
}

describe("the dry run's results", () => {
  it("shows the conversion, each arm's rate and the verdict, in English and Chinese", () => {
    const en = render("en");
    expect(en).toContain("25.8% converted (310 of 1,200 entries)");
    expect(en).toContain("email 21.7% (130/600) · sms 30.0% (180/600)");
    expect(en).toContain("sms beats email: +8.3 points, 95% CI +3.4 to +13.3, significant");
    const zh = render("zh");
    expect(zh).toContain("转化率 25.8%");
    expect(zh).toContain("sms 优于 email：+8.3 个百分点，95% 置信区间 +3.4 至 +13.3，差异显著");
  });
});
