import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ResultsReport } from "../../../engine/schema";
import { I18nProvider } from "../i18n/i18n";
import { PlaybookBand } from "./PlaybookBand";
import { apiQuery } from "./ResultsFilters";

const band = {
  metric: { en: "Wake-up rate", zh: "唤醒率" },
  goal: { event: "order_completed", within: "14d" },
  band: { low: 0.2, high: 0.3 },
  withTesting: { low: 0.35, high: 0.45 },
};
const report = (matured: number, maturedRate: number, rate: number) =>
  ({
    totals: { entered: 1000, matured, conversionRate: rate, maturedConversionRate: maturedRate },
  }) as unknown as ResultsReport;

function render(lang: "en" | "zh", r: ResultsReport): string {
  const store = new Map([["rekindle.lang", lang]]);
  Object.assign(globalThis, {
    localStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: () => undefined },
  });
  return renderToStaticMarkup(
    <I18nProvider>
      <PlaybookBand band={band} report={r} />
    </I18nProvider>,
  );
}

describe("the playbook band beside the measured rate", () => {
  it("compares the matured rate with the industry band, in English and Chinese", () => {
    const en = render("en", report(800, 0.375, 0.3));
    expect(en).toContain("Wake-up rate");
    expect(en).toContain("37.5%");
    expect(en).toContain("20.0% – 30.0%");
    expect(en).toContain("35.0% – 45.0%");
    expect(en).toContain('data-where="above"');
    expect(en).toContain("measured on 800 matured entries");
    const zh = render("zh", report(800, 0.25, 0.2));
    expect(zh).toContain("唤醒率");
    expect(zh).toContain("处于行业区间内");
  });

  it("uses every entry while none has matured", () => {
    const en = render("en", report(0, 0, 0.12));
    expect(en).toContain("12.0%");
    expect(en).toContain('data-where="below"');
    expect(en).toContain("windows still open");
  });
});

describe("the results filters' query", () => {
  it("sends inclusive UTC days as a half-open range, and drops a range that ends before it starts", () => {
    expect(apiQuery({ version: 2, from: "2026-03-01", to: "2026-03-31" })).toEqual({
      version: 2,
      from: "2026-03-01T00:00:00.000Z",
      to: "2026-04-01T00:00:00.000Z",
    });
    expect(apiQuery({ from: "2026-03-05", to: "2026-03-01" })).toEqual({});
    expect(apiQuery({})).toEqual({});
  });
});
