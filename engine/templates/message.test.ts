import { describe, expect, it } from "vitest";
import { createTemplateLibrary } from "./library";
import { loadTemplateLibrary } from "./load";
import { sampleContext } from "./sample";
import { TEMPLATE_LOCALES, type RenderContext, type TemplateDefinition } from "./types";

// The one-call render (message.ts) must give exactly what rendering part by part gives.
const combined = loadTemplateLibrary(undefined, { combineParts: true });
const perPart = loadTemplateLibrary(undefined, { combineParts: false });

const hostile = (ctx: RenderContext): RenderContext => ({
  ...ctx,
  customer: {
    ...ctx.customer,
    traits: {
      ...(ctx.customer.traits as Record<string, unknown>),
      name: `<script>alert(1)</script> {{constructor}} & "quotes" 'x' \u2028`,
      city: "{{#each this}}{{/each}}",
    },
  },
  params: { surveyUrl: "javascript:alert(1)", productName: "<b>New</b>" },
});

describe("one compiled function per message", () => {
  for (const def of combined.list()) {
    for (const locale of TEMPLATE_LOCALES) {
      it(`${def.name} (${locale}) renders as part by part, with sample and hostile data`, () => {
        const ctx = sampleContext(def, locale);
        expect(combined.render(def.name, ctx)).toEqual(perPart.render(def.name, ctx));
        expect(combined.render(def.name, hostile(ctx))).toEqual(perPart.render(def.name, hostile(ctx)));
        const html = combined.render(def.name, hostile(ctx)).html;
        if (html !== undefined) expect(html).not.toContain("<script>");
      });
    }
  }

  it("keeps whitespace control, nested plain-text partials, partial blocks, blocks and escaping per part", () => {
    const def: TemplateDefinition = {
      name: "mix",
      channel: "email",
      version: 1,
      locales: {
        en: {
          subject: "{{~> greet ~}} !",
          html: "<p>\n  {{> greet}}\n</p>\n{{#each customer.traits.tags}}\n<i>{{this}}</i>\n{{/each}}\n{{#> box}}inside {{customer.traits.name}}{{/box}}\n{{> card who=customer.traits.name}}",
          text: "  {{> greet}}  \n{{#if customer.traits.vip}}\nVIP {{customer.traits.name}}\n{{else}}\nregular\n{{/if}}\n{{> outer}}\n{{#> box}}in {{customer.traits.name}}{{/box}}\n{{> card who=customer.traits.name}}",
        },
      },
    };
    const partials = {
      greet: "Hi {{customer.traits.name}}",
      outer: "[{{> greet}}] <{{customer.traits.name}}>",
      box: "<div>{{> @partial-block}}</div>",
      card: "<card>{{who}}</card>",
    };
    const ctx: RenderContext = {
      customer: { id: "c", traits: { name: "<Li & Na>", tags: ["a<b", "c"], vip: true } },
      now: new Date("2026-03-05T10:00:00Z"),
    };
    const a = createTemplateLibrary([def], { partials, combineParts: true }).render("mix", ctx);
    const b = createTemplateLibrary([def], { partials, combineParts: false }).render("mix", ctx);
    expect(a).toEqual(b);
    expect(a.html).toContain("Hi &lt;Li &amp; Na&gt;");
    expect(a.text).toContain("Hi <Li & Na>");
    expect(a.text).toContain("[Hi <Li & Na>] <<Li & Na>>");
    expect(a.text).toContain("<card><Li & Na></card>");
  });

  it("falls back to part by part when a plain-text part uses a dynamic partial", () => {
    const def: TemplateDefinition = {
      name: "dyn",
      channel: "sms",
      version: 1,
      locales: { en: { text: "{{> (lookup customer.traits 'which') }} {{customer.traits.name}}" } },
    };
    const ctx: RenderContext = {
      customer: { id: "c", traits: { name: "A&B", which: "p1" } },
      now: new Date("2026-03-05T10:00:00Z"),
    };
    const lib = createTemplateLibrary([def], { partials: { p1: "one" }, combineParts: true });
    expect(lib.render("dyn", ctx).text).toBe("one A&B");
  });

  it("names the failing part in a render error", () => {
    const def: TemplateDefinition = {
      name: "coupon-needed",
      channel: "email",
      version: 1,
      locales: { en: { subject: "Hi", html: "<p>ok</p>", text: "code {{couponCode}}" } },
    };
    const lib = createTemplateLibrary([def]);
    expect(() => lib.render("coupon-needed", { customer: { id: "c", traits: {} }, now: new Date() })).toThrow(
      /en\.text/,
    );
  });
});
