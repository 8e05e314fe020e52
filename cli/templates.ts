import { libraryRenderer, loadTemplateLibrary } from "../engine/index";
import type { TemplateRenderer } from "../engine/index";

let cached: TemplateRenderer | undefined;

/** The built-in template library (`templates/`) as the engine sees it. */
export function builtinTemplates(): TemplateRenderer {
  cached ??= libraryRenderer(loadTemplateLibrary());
  return cached;
}
