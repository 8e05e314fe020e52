/**
 * Reads a template library from disk — the only file of engine/templates that does I/O.
 *
 * Layout (see templates/README.md):
 *   <dir>/brand.json                       deployment-wide values under `brand` (optional)
 *   <dir>/partials/<name>.hbs              a partial for every locale
 *   <dir>/partials/<name>.<locale>.hbs     a partial for one locale (wins over the generic one)
 *   <dir>/<template-name>/template.json    { channel, version, description?, tags?, sample?, templateId? }
 *   <dir>/<template-name>/<locale>.<part>.hbs   one file per part: zh.subject.hbs, en.html.hbs, zh.fields.first.hbs…
 *   <dir>/<template-name>/<locale>.json         the body of a webhook template
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseTemplateDefinition } from "./definition";
import { createTemplateLibrary, type TemplateLibrary, type TemplateLibraryOptions } from "./library";
import { TEMPLATE_LOCALES, TemplateError, type TemplateDefinition, type TemplateLocale } from "./types";

/** The built-in offer library shipped in the repository's `templates/` folder. */
export const BUILTIN_TEMPLATES_DIR = fileURLToPath(new URL("../../templates/", import.meta.url));

export interface TemplateDirectory {
  definitions: TemplateDefinition[];
  partials: Record<string, string>;
  brand: Record<string, unknown>;
}

const PART_FILE = /^(zh|en)\.([A-Za-z0-9_.]+)\.hbs$/;
const JSON_FILE = /^(zh|en)\.json$/;

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch (err) {
    throw new TemplateError("invalid_definition", `${path}: ${(err as Error).message}`);
  }
}

function readTemplate(dir: string, name: string): TemplateDefinition {
  const meta = readJson(join(dir, "template.json"));
  if (!meta || typeof meta !== "object" || Array.isArray(meta)) {
    throw new TemplateError("invalid_definition", `${join(dir, "template.json")}: expected an object`, name);
  }
  const { templateId, name: declared, ...rest } = meta as Record<string, unknown>;
  if (declared !== undefined && declared !== name) {
    throw new TemplateError(
      "invalid_definition",
      `${join(dir, "template.json")}: name ${JSON.stringify(declared)} does not match its folder "${name}"`,
      name,
    );
  }
  const locales: Partial<Record<TemplateLocale, Record<string, string>>> = {};
  for (const file of readdirSync(dir).sort()) {
    if (file === "template.json" || file.endsWith(".test.ts") || file.startsWith(".")) continue;
    const part = PART_FILE.exec(file);
    const json = JSON_FILE.exec(file);
    const locale = (part?.[1] ?? json?.[1]) as TemplateLocale | undefined;
    if (!locale) {
      throw new TemplateError(
        "invalid_definition",
        `${join(dir, file)}: expected <locale>.<part>.hbs or <locale>.json with locale ${TEMPLATE_LOCALES.join("/")}`,
        name,
      );
    }
    const parts = (locales[locale] ??= {});
    parts[part?.[2] ?? "json"] = readFileSync(join(dir, file), "utf8");
  }
  if (templateId !== undefined) {
    for (const locale of Object.keys(locales) as TemplateLocale[]) {
      const id =
        typeof templateId === "string"
          ? templateId
          : (templateId as Record<string, unknown> | null)?.[locale];
      if (typeof id === "string") locales[locale]!.templateId = id;
    }
  }
  return parseTemplateDefinition({ ...rest, name, locales });
}

/** Reads every template folder, the partials and brand.json of a directory. */
export function readTemplateDirectory(dir: string = BUILTIN_TEMPLATES_DIR): TemplateDirectory {
  const definitions: TemplateDefinition[] = [];
  const partials: Record<string, string> = {};
  let brand: Record<string, unknown> = {};
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (entry === "brand.json") {
      brand = readJson(path) as Record<string, unknown>;
    } else if (entry === "partials") {
      for (const file of readdirSync(path).sort()) {
        const m = /^([A-Za-z0-9_-]+(?:\.(?:zh|en))?)\.hbs$/.exec(file);
        if (m?.[1]) partials[m[1]] = readFileSync(join(path, file), "utf8");
      }
    } else if (statSync(path).isDirectory() && existsTemplateJson(path)) {
      definitions.push(readTemplate(path, entry));
    }
  }
  return { definitions, partials, brand };
}

function existsTemplateJson(dir: string): boolean {
  try {
    return statSync(join(dir, "template.json")).isFile();
  } catch {
    return false;
  }
}

/**
 * Loads a library from a directory (the built-in one by default). `options.brand` is merged over
 * brand.json; `options.partials` over the directory's partials.
 */
export function loadTemplateLibrary(
  dir: string = BUILTIN_TEMPLATES_DIR,
  options: TemplateLibraryOptions = {},
): TemplateLibrary {
  const read = readTemplateDirectory(dir);
  return createTemplateLibrary(read.definitions, {
    partials: { ...read.partials, ...options.partials },
    brand: { ...read.brand, ...options.brand },
    ...(options.combineParts !== undefined ? { combineParts: options.combineParts } : {}),
  });
}
