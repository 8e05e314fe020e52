import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { STEP_OUTCOMES, STEP_REASONS } from "../../../engine/schema/run-log";
import { en, zh } from "../i18n/dict";
import { I18nProvider } from "../i18n/i18n";
import { RunLog } from "./RunLog";

/** Renders the run log on the server (no effects run, so it asks the API nothing) in one language. */
function render(lang: "en" | "zh"): string {
  const store = new Map([["rekindle.lang", lang]]);
  Object.assign(globalThis, {
    localStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: () => undefined },
  });
  return renderToStaticMarkup(
    <I18nProvider>
      <RunLog query={new URLSearchParams()} />
    </I18nProvider>,
  );
}

/** The options inside the first element matched by `open`, up to its closing `close` tag. */
function options(html: string, open: RegExp, close: string): { value: string; text: string }[] {
  const start = html.search(open);
  expect(start, `found ${String(open)}`).toBeGreaterThanOrEqual(0);
  const inner = html.slice(start, html.indexOf(close, start));
  return [...inner.matchAll(/<option([^>]*)>([^<]*)/g)].map((m) => ({
    value: /value="([^"]*)"/.exec(m[1]!)?.[1] ?? "",
    text: m[2]! || (/label="([^"]*)"/.exec(m[1]!)?.[1] ?? ""),
  }));
}

describe("the run log's filters", () => {
  it("offer exactly the engine's step outcomes, labelled in English and Chinese", () => {
    for (const [lang, dict] of [
      ["en", en],
      ["zh", zh],
    ] as const) {
      const opts = options(render(lang), /<select[^>]*name="outcome"/, "</select>").filter(
        (o) => o.value !== "",
      );
      expect(opts.map((o) => o.value)).toEqual([...STEP_OUTCOMES]);
      expect(opts.map((o) => o.text)).toEqual(STEP_OUTCOMES.map((o) => dict[`outcome.${o}`]));
    }
  });

  it("suggest exactly the engine's own reasons, labelled", () => {
    const opts = options(render("zh"), /<datalist[^>]*id="run-log-reasons"/, "</datalist>");
    expect(opts.map((o) => o.value)).toEqual([...STEP_REASONS]);
    expect(opts.map((o) => o.text)).toEqual(STEP_REASONS.map((r) => zh[`reason.${r}`]));
  });

  it("have a Chinese label apart from the English one for every outcome and reason", () => {
    for (const o of STEP_OUTCOMES) expect(zh[`outcome.${o}`]).not.toBe(en[`outcome.${o}`]);
    for (const r of STEP_REASONS) expect(zh[`reason.${r}`]).not.toBe(en[`reason.${r}`]);
  });
});
