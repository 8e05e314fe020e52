import type { RenderContext, TemplateDefinition, TemplateLocale } from "./types";

/**
 * Sample data for previews: a plausible customer in each language. A definition's `sample` is merged
 * into `params` (e.g. `surveyUrl`), and the caller's overrides win over both.
 */
export function sampleContext(
  def: Pick<TemplateDefinition, "sample">,
  locale: TemplateLocale,
  overrides: Partial<RenderContext> = {},
): RenderContext {
  const zh = locale === "zh";
  const now = overrides.now ?? new Date("2026-03-05T02:30:00Z");
  return {
    customer: {
      id: "c-1001",
      traits: zh
        ? {
            name: "李娜",
            email: "li.na@example.com",
            phone: "+8613800138000",
            timezone: "Asia/Shanghai",
            city: "上海",
          }
        : {
            name: "Alex Morgan",
            email: "alex@example.com",
            phone: "+14155550100",
            timezone: "America/New_York",
            city: "Boston",
          },
      stage: "at_risk",
      ordersCount: 6,
      totalSpent: zh ? 3280 : 486.5,
      lastOrderAt: "2025-12-18T09:12:00Z",
      daysSinceLastOrder: 77,
      clv: zh ? 5200 : 820,
      churnRisk: 0.72,
    },
    locale,
    coupon: "BACK-8K2F",
    journey: { name: zh ? "预览" : "Preview" },
    now,
    unsubscribeUrl: "https://rekindle.example.com/u/preview-token",
    ...overrides,
    params: { ...def.sample, ...overrides.params },
  };
}
