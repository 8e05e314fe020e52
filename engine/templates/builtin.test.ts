import { describe, expect, it } from "vitest";
import { benchTemplates } from "./bench";
import { BUILTIN_TEMPLATES_DIR, loadTemplateLibrary, readTemplateDirectory } from "./load";
import { sampleContext } from "./sample";
import { TEMPLATE_LOCALES } from "./types";

const library = loadTemplateLibrary();

/** What a typical customer profile supplies (traits from identify, computed state) plus the issued coupon. */
const PROFILE = [
  "customer.traits.name",
  "customer.traits.email",
  "customer.lastOrderAt",
  "customer.ordersCount",
  "customer.totalSpent",
  "customer.clv",
  "coupon",
];

const REQUIRED = [
  "winback-coupon",
  "limited-discount",
  "vip-perks",
  "content-recommendation",
  "new-product-trial",
  "satisfaction-survey",
  "last-chance-72h",
];

describe("built-in template library", () => {
  it("ships the offer library, an SMS, a push, a WeChat and a webhook template", () => {
    const names = library.list().map((d) => d.name);
    for (const name of REQUIRED) expect(names).toContain(name);
    const channels = new Set(library.list().map((d) => d.channel));
    expect([...channels].sort()).toEqual(["email", "push", "sms", "webhook", "wechat"]);
  });

  for (const def of library.list()) {
    for (const locale of TEMPLATE_LOCALES) {
      it(`renders ${def.name} in ${locale}`, () => {
        expect(def.locales[locale], `${def.name} has ${locale}`).toBeDefined();
        const m = library.preview(def.name, locale);
        expect(m.locale).toBe(locale);
        expect(m.body.trim()).not.toBe("");
        expect(m.body).not.toMatch(/\{\{|\}\}|undefined|\[object Object\]|NaN/);
        if (locale === "zh") expect(m.body).toMatch(/[\u4e00-\u9fff]/);
        if (def.channel === "email") {
          expect(m.subject).toBeTruthy();
          expect(m.html).toContain('href="https://rekindle.example.com/u/preview-token"');
          expect(m.text).toContain("https://rekindle.example.com/u/preview-token");
          expect(m.html).toMatch(/^<!doctype html>/);
          expect(m.html).toContain("</html>");
        }
        if (def.channel === "sms") {
          expect(m.segments).toBeGreaterThanOrEqual(1);
          expect(m.segments).toBeLessThanOrEqual(2);
          expect(m.encoding).toBe(locale === "zh" ? "UCS-2" : "GSM-7");
          expect(m.text).toMatch(locale === "zh" ? /回T退订/ : /Reply STOP/);
        }
      });
    }
    it(`${def.name} passes the publish check against a typical profile`, () => {
      const params = Object.keys(def.sample ?? {});
      expect(library.check(def.name, [...PROFILE, ...params])).toEqual([]);
    });
  }

  it("renders the spec's winback-coupon with the coupon, in the customer's language", () => {
    const m = library.render("winback-coupon", {
      customer: {
        id: "c-1001",
        traits: { email: "li@example.com", name: "Li Na", timezone: "Asia/Shanghai" },
      },
      coupon: "WB-7Q2M",
      journey: { name: "Win-back within 72 hours" },
      now: new Date("2026-03-05T10:30:00Z"),
      unsubscribeUrl: "https://rekindle.example.com/u/abc",
    });
    expect(m.locale).toBe("zh");
    expect(m.subject).toBe("Li Na，好久不见！送您一张专属优惠券");
    expect(m.body).toContain("优惠码：WB-7Q2M");
    expect(m.body).toContain("有效期至 2026年3月19日");
    expect(m.html).toContain("WB-7Q2M");
  });

  it("rejects the survey template at publish when the action gives no surveyUrl", () => {
    const issues = library.check("satisfaction-survey", PROFILE);
    expect(issues.map((i) => i.variable)).toEqual(["surveyUrl"]);
  });

  it("reads the directory layout (templates, partials per locale, brand)", () => {
    const dir = readTemplateDirectory(BUILTIN_TEMPLATES_DIR);
    expect(Object.keys(dir.partials).sort()).toEqual(
      ["button", "coupon", "footer.en", "footer.zh", "footerText.en", "footerText.zh", "header"].sort(),
    );
    expect(dir.brand.name).toBeTruthy();
    expect(dir.definitions.find((d) => d.name === "vip-perks-wechat")?.locales.zh?.templateId).toBe(
      "TM-VIP-UPGRADE-0001",
    );
  });

  it("previews with brand overrides", () => {
    const lib = loadTemplateLibrary(undefined, { brand: { name: "Acme" } });
    const def = lib.get("winback-push");
    expect(def).toBeDefined();
    expect(lib.render("winback-push", sampleContext(def!, "en")).title).toBe("We miss you, Alex Morgan");
    expect(lib.preview("winback-coupon", "en").html).toContain(">Acme</a>");
  });

  it("measures renders per second of a cached email template", () => {
    const r = benchTemplates({ durationMs: 300, library });
    console.log(
      `template bench: ${r.rendersPerSecond} renders/s (${r.template}: subject+html+text, partials, 4 dates); small email ${r.small.rendersPerSecond}/s`,
    );
    expect(r.rendersPerSecond).toBeGreaterThan(0);
  });
});
