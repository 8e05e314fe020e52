import { loadTemplateLibrary } from "./load";
import { sampleContext } from "./sample";
import { createTemplateLibrary, type TemplateLibrary } from "./library";

export interface TemplateBenchResult {
  template: string;
  renders: number;
  ms: number;
  rendersPerSecond: number;
  /** For comparison with the engineering notes: a small email (5 fields + a helper per part). */
  small: { rendersPerSecond: number };
}

function measure(durationMs: number, render: () => void): { renders: number; ms: number } {
  for (let i = 0; i < 2_000; i++) render();
  let renders = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (let i = 0; i < 500; i++) render();
    renders += 500;
    elapsed = performance.now() - start;
  }
  return { renders, ms: elapsed };
}

const SMALL = {
  subject: '{{default customer.traits.name "there"}}, your code {{coupon}}',
  html: '<p>Hi {{default customer.traits.name "there"}}, use {{coupon}} before {{formatDate now}}. Orders: {{customer.ordersCount}}. <a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
  text: 'Hi {{default customer.traits.name "there"}}, use {{coupon}} before {{formatDate now}}. Orders: {{customer.ordersCount}}. Unsubscribe: {{unsubscribeUrl}}',
};

/**
 * Renders per second of a cached email template (`winback-coupon`, subject + HTML + text with partials,
 * dates, a coupon and the sample customer). Measures; does not assert. The first render compiles and is
 * excluded, as is a short warm-up.
 */
export function benchTemplates(
  options: { durationMs?: number; template?: string; library?: TemplateLibrary } = {},
): TemplateBenchResult {
  const library = options.library ?? loadTemplateLibrary();
  const template = options.template ?? "winback-coupon";
  const def = library.get(template);
  if (!def) throw new Error(`unknown template "${template}"`);
  const ctx = sampleContext(def, "en");
  const durationMs = options.durationMs ?? 1_000;
  const full = measure(durationMs, () => library.render(template, ctx));
  const smallLib = createTemplateLibrary([
    { name: "small", channel: "email", version: 1, locales: { en: SMALL } },
  ]);
  const small = measure(durationMs, () => smallLib.render("small", ctx));
  return {
    template,
    renders: full.renders,
    ms: full.ms,
    rendersPerSecond: Math.round((full.renders / full.ms) * 1000),
    small: { rendersPerSecond: Math.round((small.renders / small.ms) * 1000) },
  };
}
