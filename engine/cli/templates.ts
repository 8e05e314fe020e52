import type { TemplateRenderer } from "../runtime/template-renderer";
import { libraryRenderer } from "../templates/engine-renderer";
import { loadTemplateLibrary } from "../templates/load";

let cached: TemplateRenderer | undefined;

/** The built-in template library (`templates/`) as the engine sees it. */
export function builtinTemplates(): TemplateRenderer {
  cached ??= libraryRenderer(loadTemplateLibrary());
  return cached;
}
