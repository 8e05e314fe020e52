import { describe, expect, it } from "vitest";
import { createTemplateLibrary } from "./library";
import { resolveLocale } from "./locale";
import { TemplateError, type RenderContext, type TemplateDefinition } from "./types";

const now = new Date("2026-03-05T02:30:00Z");

function email(
  name: string,
  parts: { subject: string; html: string; text: string },
  version = 1,
): TemplateDefinition {
  return { name, channel: "email", version, locales: { en: parts, zh: parts } };
}

function ctx(traits: Record<string, unknown>, extra: Partial<RenderContext> = {}): RenderContext {
  return { customer: { id: "c-1", traits }, now, unsubscribeUrl: "https://x.test/u?t=1&c=2", ...extra };
}

describe("escaping", () => {
  const lib = createTemplateLibrary([
    email("hello", {
      subject: "Hi {{customer.traits.name}}",
      html: '<p>Hi {{customer.traits.name}}</p><a href="{{unsubscribeUrl}}">x</a>',
      text: "Hi {{customer.traits.name}}",
    }),
  ]);

  it("HTML-escapes hostile trait values in the HTML part", () => {
    const m = lib.render("hello", ctx({ name: "<script>alert(1)</script>" }));
    expect(m.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain('href="https://x.test/u?t&#x3D;1&amp;c&#x3D;2"');
  });

  it("keeps plain-text parts literal (never interpreted as HTML)", () => {
    const m = lib.render("hello", ctx({ name: "Tom & Jerry <3" }));
    expect(m.subject).toBe("Hi Tom & Jerry <3");
    expect(m.text).toBe("Hi Tom & Jerry <3");
    expect(m.body).toBe(m.text);
  });

  it("never evaluates mustaches inside data", () => {
    const m = lib.render("hello", ctx({ name: "{{constructor.constructor 'return process'}} {{> footer}}" }));
    expect(m.text).toBe("Hi {{constructor.constructor 'return process'}} {{> footer}}");
    expect(m.html).toContain("{{constructor.constructor &#x27;return process&#x27;}}");
  });

  it("collapses a subject to one line", () => {
    const m = lib.render("hello", ctx({ name: "A\r\nBcc: evil@x.test" }));
    expect(m.subject).toBe("Hi A Bcc: evil@x.test");
  });
});

describe("no access to prototypes or constructors", () => {
  const hostile = [
    "{{constructor}}",
    "{{constructor.name}}",
    "{{customer.constructor.constructor}}",
    "{{customer.__proto__}}",
    "{{customer.__proto__.constructor.name}}",
    "{{lookup customer 'constructor'}}",
    "{{lookup (lookup customer 'constructor') 'name'}}",
    "{{#with customer.constructor}}{{name}}{{/with}}",
    "{{#each customer.__proto__}}{{@key}}{{/each}}",
    "{{customer.traits.toString}}",
    "{{customer.traits.hasOwnProperty}}",
    "{{#with (lookup this 'constructor')}}{{name}}{{/with}}",
    "{{helperMissing}}{{#helperMissing}}x{{/helperMissing}}{{blockHelperMissing}}",
  ];
  for (const source of hostile) {
    it(`renders nothing for ${source}`, () => {
      const lib = createTemplateLibrary([
        { name: "t", channel: "sms", version: 1, locales: { en: { text: `[${source}]` } } },
      ]);
      const m = lib.render("t", ctx({ name: "x" }));
      expect(m.text).toBe("[]");
    });
  }

  it("drops prototype-named keys and functions from the data", () => {
    const traits = JSON.parse('{"name":"x","__proto__":{"polluted":"yes"}}') as Record<string, unknown>;
    const lib = createTemplateLibrary([
      {
        name: "t",
        channel: "sms",
        version: 1,
        locales: { en: { text: "[{{customer.traits.polluted}}{{customer.fn}}]" } },
      },
    ]);
    const m = lib.render("t", { customer: { id: "c", traits, fn: () => "called" }, now });
    expect(m.text).toBe("[]");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("rejects unknown helpers and log at compile time", () => {
    for (const text of [
      "{{log 'x'}}",
      "{{#evil customer}}{{/evil}}",
      "{{evil customer}}",
      "{{helperMissing 1}}",
    ]) {
      const lib = createTemplateLibrary([
        { name: "t", channel: "sms", version: 1, locales: { en: { text } } },
      ]);
      expect(() => lib.render("t", ctx({}))).toThrow(TemplateError);
      expect(lib.check("t", ["customer"]).map((i) => i.code)).toContain("compile_error");
    }
  });

  it("refuses a definition whose source is not a string", () => {
    const bad = {
      name: "t",
      channel: "sms",
      version: 1,
      locales: { en: { text: { type: "Program", body: [] } } },
    };
    expect(() => createTemplateLibrary([bad as unknown as TemplateDefinition])).toThrow(
      /invalid template "t"/,
    );
  });
});

describe("check (publish)", () => {
  const lib = createTemplateLibrary(
    [
      email("offer", {
        subject: "{{customer.traits.name}}, {{couponCode}}",
        html: "{{> header}}{{#with customer}}{{traits.nickname}} {{../journey.name}}{{/with}}{{#each customer.items as |item|}}{{item.sku}}{{/each}}",
        text: "{{money customer.clv}} {{surveyUrl}} {{@root.event.properties.revenue}} {{lookup customer.traits 'city'}}",
      }),
    ],
    { partials: { header: "<h1>{{brand.name}} {{customer.traits.title}}</h1>" } },
  );

  it("lists every variable, through with, each, block params, ../, @root, lookup and partials", () => {
    expect(lib.variables("offer")).toEqual([
      "brand.name",
      "coupon",
      "customer",
      "customer.clv",
      "customer.items",
      "customer.items.sku",
      "customer.traits.city",
      "customer.traits.name",
      "customer.traits.nickname",
      "customer.traits.title",
      "event.properties.revenue",
      "journey.name",
      "surveyUrl",
    ]);
  });

  it("reports each variable the profile cannot supply, with where it is used", () => {
    const issues = lib.check("offer", [
      "customer.traits.name",
      "customer.traits.city",
      "customer.clv",
      "customer.items",
    ]);
    const vars = issues.filter((i) => i.code === "unknown_variable").map((i) => i.variable);
    expect(vars.sort()).toEqual([
      "coupon",
      "customer.traits.nickname",
      "customer.traits.title",
      "event.properties.revenue",
      "surveyUrl",
    ]);
    const nickname = issues.find((i) => i.variable === "customer.traits.nickname");
    expect(nickname?.message).toMatch(
      /template "offer" uses \{\{customer.traits.nickname\}\} \(en.html line 1, zh.html line 1\)/,
    );
  });

  it("accepts a section over a value ({{#customer.traits.vip}})", () => {
    const l = createTemplateLibrary([
      {
        name: "s",
        channel: "sms",
        version: 1,
        locales: { en: { text: "{{#customer.traits.vip}}VIP {{level}}{{/customer.traits.vip}}" } },
      },
    ]);
    expect(l.render("s", ctx({ vip: { level: 2 } })).text).toBe("VIP 2");
    expect(l.variables("s")).toEqual(["customer.traits.vip", "customer.traits.vip.level"]);
  });

  it("passes when the catalog supplies everything (wildcards, aliases, params)", () => {
    const issues = lib.check("offer", [
      "customer.traits.*",
      "customer.clv",
      "customer.items",
      "event",
      "surveyUrl",
      // the coupon may come from a webhook response mapped into traits
    ]);
    expect(issues).toEqual([]);
  });

  it("reports compile errors with their line and unknown partials", () => {
    const bad = createTemplateLibrary([
      email("broken", { subject: "ok", html: "<p>\n{{#if x}}\nno close", text: "{{> nope}}" }),
    ]);
    const issues = bad.check("broken", ["x"]);
    expect(issues.find((i) => i.code === "compile_error")).toMatchObject({ part: "en.html" });
    expect(issues.find((i) => i.code === "compile_error")?.message).toMatch(/does not compile/);
    expect(issues.find((i) => i.code === "unknown_partial")?.message).toMatch(/partial "nope"/);
    expect(() => bad.render("broken", ctx({}))).toThrow(/does not compile/);
  });

  it("reports an unknown template", () => {
    const issues = lib.check("nope", []);
    expect(issues.map((i) => i.code)).toEqual(["unknown_template"]);
    expect(issues[0]?.message).toContain('unknown template "nope"');
    expect(() => lib.render("nope", ctx({}))).toThrow(/unknown template "nope" \(known: offer\)/);
  });
});

describe("versions and pins", () => {
  it("keeps pinned versions rendering after a newer one is added", () => {
    const v1 = email("promo", { subject: "Old {{customer.id}}", html: "<p>old</p>", text: "old" });
    const lib = createTemplateLibrary([v1]);
    const pin = lib.pin("promo");
    expect(pin).toMatchObject({ name: "promo", version: 1 });
    expect(pin.hash).toMatch(/^[0-9a-f]{64}$/);
    lib.add(email("promo", { subject: "New", html: "<p>new</p>", text: "new" }, 2));
    expect(lib.render("promo", ctx({})).subject).toBe("New");
    expect(lib.render(pin, ctx({})).subject).toBe("Old c-1");
    expect(lib.versions("promo")).toEqual([1, 2]);
    expect(lib.get("promo")?.version).toBe(2);
  });

  it("refuses changed content under the same version, and a stale pin", () => {
    const lib = createTemplateLibrary([email("promo", { subject: "A", html: "a", text: "a" })]);
    const pin = lib.pin("promo");
    expect(() => lib.add(email("promo", { subject: "B", html: "b", text: "b" }))).toThrow(/bump its version/);
    expect(() => lib.render({ ...pin, hash: "0".repeat(64) }, ctx({}))).toThrow(
      /changed since it was pinned/,
    );
    expect(() => lib.render({ name: "promo", version: 9 }, ctx({}))).toThrow(/has no version 9/);
  });
});

describe("helpers", () => {
  const lib = createTemplateLibrary([
    {
      name: "h",
      channel: "sms",
      version: 1,
      locales: {
        en: {
          text: [
            '{{formatDate now}}|{{formatDate now style="short" time=true}}|{{formatDate (dateAdd now "72h") format="yyyy-MM-dd HH:mm"}}',
            '{{money 1234.5}}|{{money 1234.5 "EUR"}}|{{money 99 "GBP" decimals=0}}|{{money "x"}}',
            '{{default customer.traits.nick "friend"}}|{{default customer.traits.name "friend"}}',
            '{{customer.traits.n}} {{plural customer.traits.n "day" "days"}}|1 {{plural 1 "day"}}',
            '{{number 1234567}}|{{couponCode}}|{{safeUrl "javascript:alert(1)"}}|{{#if (eq locale "en")}}EN{{/if}}',
          ].join("\n"),
        },
        zh: {
          text: '{{formatDate now}}|{{formatDate now style="short" time=true}}|{{money 1234.5}}|{{plural 3 "天"}}|{{couponCode}}',
        },
      },
    },
  ]);

  it("formats in the customer's time zone and locale (en)", () => {
    const m = lib.render(
      "h",
      ctx({ name: "Ann", n: 3, timezone: "America/New_York", locale: "en-US" }, { coupon: "C-1" }),
    );
    expect(m.text?.split("\n")).toEqual([
      "March 4, 2026|3/4/2026, 9:30 PM|2026-03-07 21:30",
      "$1,234.50|€1,234.50|£99|",
      "friend|Ann",
      "3 days|1 day",
      "1,234,567|C-1|#|EN",
    ]);
  });

  it("formats for Chinese customers, with CNY by default", () => {
    const m = lib.render("h", ctx({ timezone: "Asia/Shanghai" }, { coupon: "C-2" }));
    expect(m.locale).toBe("zh");
    expect(m.text).toBe("2026年3月5日|2026/3/5 10:30|¥1,234.50|天|C-2");
  });

  it("uses the customer's currency trait and a GB locale", () => {
    const gb = createTemplateLibrary([
      { name: "m", channel: "sms", version: 1, locales: { en: { text: "{{money 10}} {{formatDate now}}" } } },
    ]);
    expect(gb.render("m", ctx({ currency: "GBP", locale: "en-GB", timezone: "Europe/London" })).text).toBe(
      "£10.00 5 March 2026",
    );
  });

  it("fails clearly when a template needs a coupon and the run has none", () => {
    expect(() => lib.render("h", ctx({ locale: "en" }))).toThrow(
      /\{\{couponCode\}\} but no coupon was issued/,
    );
    try {
      lib.render("h", ctx({ locale: "en" }));
    } catch (err) {
      expect(err).toBeInstanceOf(TemplateError);
      expect((err as TemplateError).code).toBe("missing_coupon");
    }
  });

  it("takes the coupon from a trait when the run issued none", () => {
    const m = lib.render("h", ctx({ locale: "zh", coupon: "FROM-WEBHOOK" }));
    expect(m.text).toContain("FROM-WEBHOOK");
  });
});

describe("locale rule", () => {
  it("prefers explicit, then traits.locale, then traits.language, then a Chinese zone, then English", () => {
    expect(resolveLocale({ traits: { locale: "zh-TW" } }, { locale: "en" }).language).toBe("en");
    expect(resolveLocale({ traits: { locale: "zh_CN", language: "en" } }).intl).toBe("zh-CN");
    expect(resolveLocale({ traits: { language: "en-GB", timezone: "Asia/Shanghai" } })).toEqual({
      language: "en",
      intl: "en-GB",
      timezone: "Asia/Shanghai",
    });
    expect(resolveLocale({ traits: { timezone: "Asia/Hong_Kong" } }).language).toBe("zh");
    expect(resolveLocale({ traits: { locale: "fr-FR", timezone: "Europe/Paris" } }).language).toBe("en");
    expect(resolveLocale({ traits: { timezone: "Not/AZone" } }).timezone).toBe("UTC");
    expect(resolveLocale({}).language).toBe("en");
  });

  it("falls back to English when a template lacks the customer's language", () => {
    const lib = createTemplateLibrary([
      { name: "t", channel: "sms", version: 1, locales: { en: { text: "hello" } } },
    ]);
    expect(lib.render("t", ctx({ locale: "zh" })).locale).toBe("en");
  });
});

describe("channels", () => {
  it("renders push, wechat and webhook shapes", () => {
    const lib = createTemplateLibrary([
      {
        name: "p",
        channel: "push",
        version: 1,
        locales: { en: { title: "Hi {{customer.traits.name}}", body: "Body", url: "https://x.test" } },
      },
      {
        name: "w",
        channel: "wechat",
        version: 1,
        locales: {
          en: {
            templateId: "TM-1",
            "fields.first": "Hi {{customer.traits.name}}",
            "fields.remark": "Thanks",
          },
        },
      },
      {
        name: "j",
        channel: "webhook",
        version: 1,
        locales: {
          en: {
            json: JSON.stringify({
              id: "{{customer.id}}",
              clv: "{{customer.clv}}",
              note: "<b>{{customer.traits.name}}</b>",
              tags: ["a", 1, null],
              missing: "{{customer.nope}}",
            }),
          },
        },
      },
    ]);
    const c = { customer: { id: "c-9", clv: 120.5, traits: { name: 'A "quoted" <b>' } }, now };
    expect(lib.render("p", c)).toMatchObject({
      title: 'Hi A "quoted" <b>',
      body: "Body",
      url: "https://x.test",
    });
    expect(lib.render("w", c)).toMatchObject({
      templateId: "TM-1",
      fields: { first: 'Hi A "quoted" <b>', remark: "Thanks" },
    });
    const j = lib.render("j", c);
    expect(j.json).toEqual({
      id: "c-9",
      clv: 120.5,
      note: '<b>A "quoted" <b></b>',
      tags: ["a", 1, null],
      missing: null,
    });
    expect(JSON.parse(j.body)).toEqual(j.json);
  });

  it("validates parts per channel", () => {
    expect(() =>
      createTemplateLibrary([
        { name: "e", channel: "email", version: 1, locales: { en: { subject: "s", html: "h" } } },
      ]),
    ).toThrow(/needs "text" in locale "en"/);
    expect(() =>
      createTemplateLibrary([
        { name: "s", channel: "sms", version: 1, locales: { en: { text: "t", subjet: "x" } } },
      ]),
    ).toThrow(/"subjet" is not a part of a sms template/);
    expect(() =>
      createTemplateLibrary([
        { name: "Bad Name", channel: "sms", version: 1, locales: { en: { text: "t" } } },
      ]),
    ).toThrow(/kebab-case/);
  });
});
