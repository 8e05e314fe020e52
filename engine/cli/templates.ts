import type { TemplateRenderer } from "../runtime/template-renderer";
import { noTemplates } from "../runtime/template-renderer";

/** The built-in template library as the engine sees it. */
export function builtinTemplates(): TemplateRenderer {
  return noTemplates;
}
