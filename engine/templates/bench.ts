import { loadTemplateLibrary } from "./load";
import { sampleContext } from "./sample";
import type { TemplateLibrary } from "./library";

export interface TemplateBenchResult {
  template: string;
  renders: number;
  ms: number;
  rendersPerSecond: number;
}

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
  for (let i = 0; i < 2_000; i++) library.render(template, ctx);
  const durationMs = options.durationMs ?? 1_000;
  let renders = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (let i = 0; i < 500; i++) library.render(template, ctx);
    renders += 500;
    elapsed = performance.now() - start;
  }
  return { template, renders, ms: elapsed, rendersPerSecond: Math.round((renders / elapsed) * 1000) };
}
