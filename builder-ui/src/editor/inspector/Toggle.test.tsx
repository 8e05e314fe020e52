import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { I18nProvider } from "../../i18n/i18n";
import { Toggle } from "./fields";

function render(lang: "en" | "zh", checked: boolean, label?: string): string {
  const store = new Map([["rekindle.lang", lang]]);
  Object.assign(globalThis, {
    localStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: () => undefined },
  });
  const html = renderToStaticMarkup(
    <I18nProvider>
      <Toggle checked={checked} onChange={() => undefined} {...(label ? { label } : {})} />
    </I18nProvider>,
  );
  return html.replace(/<[^>]+>/g, " ").trim();
}

describe("a switch's text", () => {
  it('says "On" only when on, in both languages', () => {
    expect(render("en", true)).toBe("On");
    expect(render("en", false)).toBe("Off");
    expect(render("zh", true)).toBe("开启");
    expect(render("zh", false)).toBe("关闭");
  });
  it("keeps a fixed label that names the switch", () => {
    expect(render("en", false, "Filter")).toBe("Filter");
  });
});
