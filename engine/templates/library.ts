// One class, Library: the compiled-template cache, rendering, checking and previews share its private state,
// so it stays one file (its pure helpers live in render-data.ts, environment.ts and message.ts).
import Handlebars from "handlebars";
import { analyzeTemplate, catalogCovers, normaliseCatalog } from "./analyze";
import { parseTemplateDefinition, templateHash } from "./definition";
import {
  compileOptions,
  compileSource,
  createEnvironment,
  RUNTIME_SECURITY,
  type CompiledTemplate,
  type HandlebarsEnv,
} from "./environment";
import type { RenderData } from "./helpers";
import { intlFor, resolveLocale } from "./locale";
import { sampleContext } from "./sample";
import { smsInfo } from "./sms";
import {
  compileMessage,
  compileTextPartial,
  registerPartHelper,
  TEXT_PARTIAL,
  type PartSink,
} from "./message";
import {
  TEMPLATE_LOCALES,
  TemplateError,
  type FieldCatalog,
  type RenderContext,
  type RenderedMessage,
  type TemplateDefinition,
  type TemplateIssue,
  type TemplateLocale,
  type TemplatePin,
} from "./types";
import {
  firstLine,
  isoOf,
  lineOf,
  oneLine,
  ownPath,
  partKeys,
  plain,
  tidyText,
  toPlain,
  UNSAFE_KEYS,
} from "./render-data";

/** Which template to use: the latest version by name, or an exact published version. */
export type TemplateRef = string | { name: string; version: number; hash?: string };

export interface TemplateLibrary {
  has(name: string): boolean;
  /** The latest version, or the given one. */
  get(name: string, version?: number): TemplateDefinition | undefined;
  /** The latest version of every template, by name. */
  list(): TemplateDefinition[];
  versions(name: string): number[];
  /** Registers a definition (e.g. a journey version's snapshot). Same name and version with other content throws. */
  add(definition: TemplateDefinition): TemplatePin;
  /** The latest version's pin, to store with a journey version at publish. Throws for an unknown name. */
  pin(name: string): TemplatePin;
  /** Renders; throws `TemplateError` with a clear message (unknown template, missing coupon, bad data…). */
  render(ref: TemplateRef, ctx: RenderContext): RenderedMessage;
  /** Renders with sample data (see `sampleContext`), optionally overridden. */
  preview(ref: TemplateRef, locale: TemplateLocale, overrides?: Partial<RenderContext>): RenderedMessage;
  /** Publish check: compile errors, unknown partials and variables the catalog cannot supply. */
  check(ref: TemplateRef, available: FieldCatalog): TemplateIssue[];
  /** Every variable path the template reads (all locales and parts). */
  variables(ref: TemplateRef): string[];
}

export interface TemplateLibraryOptions {
  /** Partial sources by name; `footer.zh` overrides `footer` for Chinese copy. */
  partials?: Record<string, string>;
  /**
   * Deployment-wide values every render gets under `brand` (shop name, URL, support address, postal
   * address…), e.g. from `templates/brand.json`. Always supplied, so `brand.*` passes the publish check.
   */
  brand?: Record<string, unknown>;
  /**
   * Render all parts of a message in one Handlebars call (default; see message.ts). `false` renders part
   * by part, the reference the combined path is tested against.
   */
  combineParts?: boolean;
}

/** Paths every render supplies, so a catalog need not list them. */
export const RENDER_FIELDS = [
  "customer.id",
  "journey.name",
  "now",
  "locale",
  "timezone",
  "unsubscribeUrl",
  "brand",
] as const;
/** A variable may be supplied through another path (`coupon` falls back to the `coupon` trait). */
const VARIABLE_ALIASES: Readonly<Record<string, readonly string[]>> = { coupon: ["customer.traits.coupon"] };
const RESERVED = new Set([
  "brand",
  "customer",
  "coupon",
  "journey",
  "event",
  "now",
  "unsubscribeUrl",
  "locale",
  "timezone",
]);

type RuntimeOptions = Readonly<Parameters<CompiledTemplate>[1] & object>;

type JsonNode =
  | { kind: "literal"; value: unknown }
  | { kind: "template"; fn: CompiledTemplate }
  | { kind: "path"; parts: string[] }
  | { kind: "array"; items: JsonNode[] }
  | { kind: "object"; entries: [string, JsonNode][] };

interface CompiledLocale {
  parts: Map<string, { fn: CompiledTemplate; mode: "html" | "text" }>;
  /** Every string part in one template (see message.ts); absent when the parts cannot be combined. */
  message?: CompiledTemplate;
  json?: JsonNode;
  templateId?: string;
}

interface Entry {
  def: TemplateDefinition;
  hash: string;
  compiled: Map<TemplateLocale, CompiledLocale>;
}

class Library implements TemplateLibrary {
  private readonly env: HandlebarsEnv = createEnvironment();
  private readonly entries = new Map<string, Map<number, Entry>>();
  private readonly partialSources: ReadonlyMap<string, ReadonlyMap<string, string>>;
  private readonly compiledPartials = new Map<string, Record<string, CompiledTemplate>>();
  private readonly brand: unknown;
  private readonly options = new Map<string, RuntimeOptions>();
  private readonly messagePartials = new Map<TemplateLocale, Record<string, CompiledTemplate>>();

  private readonly combine: boolean;

  constructor(definitions: Iterable<TemplateDefinition>, options: TemplateLibraryOptions) {
    this.combine = options.combineParts ?? true;
    const byLocale = new Map<string, Map<string, string>>();
    const generic = new Map<string, string>();
    const specific: [string, TemplateLocale, string][] = [];
    for (const [key, source] of Object.entries(options.partials ?? {})) {
      if (typeof source !== "string")
        throw new TemplateError("invalid_definition", `partial "${key}" is not a string`);
      const m = /^(.+)\.(zh|en)$/.exec(key);
      if (m?.[1] && m[2]) specific.push([m[1], m[2] as TemplateLocale, source]);
      else generic.set(key, source);
    }
    for (const locale of TEMPLATE_LOCALES) {
      const map = new Map(generic);
      for (const [name, l, source] of specific) if (l === locale) map.set(name, source);
      byLocale.set(locale, map);
    }
    this.partialSources = byLocale;
    this.brand = toPlain(options.brand ?? {});
    registerPartHelper(this.env);
    for (const def of definitions) this.add(def);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string, version?: number): TemplateDefinition | undefined {
    const versions = this.entries.get(name);
    if (!versions) return undefined;
    if (version !== undefined) return versions.get(version)?.def;
    return this.latest(versions).def;
  }

  list(): TemplateDefinition[] {
    return [...this.entries.values()]
      .map((versions) => this.latest(versions).def)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  versions(name: string): number[] {
    return [...(this.entries.get(name)?.keys() ?? [])].sort((a, b) => a - b);
  }

  add(definition: TemplateDefinition): TemplatePin {
    const def = parseTemplateDefinition(definition);
    const hash = templateHash(def);
    let versions = this.entries.get(def.name);
    const existing = versions?.get(def.version);
    if (existing) {
      if (existing.hash !== hash) {
        throw new TemplateError(
          "invalid_definition",
          `template "${def.name}" version ${def.version} already exists with different content: bump its version`,
          def.name,
        );
      }
      return { name: def.name, version: def.version, hash };
    }
    if (!versions) this.entries.set(def.name, (versions = new Map<number, Entry>()));
    versions.set(def.version, { def, hash, compiled: new Map() });
    return { name: def.name, version: def.version, hash };
  }

  pin(name: string): TemplatePin {
    const entry = this.entry(name);
    return { name: entry.def.name, version: entry.def.version, hash: entry.hash };
  }

  render(ref: TemplateRef, ctx: RenderContext): RenderedMessage {
    const entry = this.entry(ref);
    const { def } = entry;
    if (!(ctx.now instanceof Date) || Number.isNaN(ctx.now.getTime())) {
      throw new TemplateError(
        "render_error",
        `template "${def.name}": the render context needs a valid "now"`,
        def.name,
      );
    }
    const customer = ctx.customer && typeof ctx.customer === "object" ? ctx.customer : {};
    const preferred = resolveLocale(customer, { locale: ctx.locale, timezone: ctx.timezone });
    const language = this.pickLocale(def, preferred.language);
    const compiled = this.compiled(entry, language);
    const root = this.root(ctx, customer, language, preferred.timezone);
    const intl = intlFor(language, preferred);
    let texts: Record<string, string>;
    if (compiled.message) {
      const sink: PartSink = { out: {}, current: "" };
      try {
        compiled.message(root, this.messageOptions(language, intl, preferred.timezone, sink));
      } catch (err) {
        throw this.renderError(def.name, `${language}.${sink.current}`, err);
      }
      texts = sink.out;
    } else {
      texts = {};
      for (const [key, part] of compiled.parts) {
        try {
          texts[key] = part.fn(root, this.runtimeOptions(language, intl, preferred.timezone, part.mode));
        } catch (err) {
          throw this.renderError(def.name, `${language}.${key}`, err);
        }
      }
    }
    // Every part wrote its key, so a key of the template's parts is always an own property.
    const run = (key: string): string => (Object.hasOwn(texts, key) ? texts[key]! : "");
    // Literal result objects: an object spread followed by more properties costs microseconds here.
    const template = def.name;
    const version = def.version;
    switch (def.channel) {
      case "email": {
        const text = tidyText(run("text"));
        const subject = oneLine(run("subject"));
        const html = run("html").trim();
        return { channel: "email", template, version, locale: language, subject, html, text, body: text };
      }
      case "sms": {
        const text = tidyText(run("text"));
        const info = smsInfo(text);
        return {
          channel: "sms",
          template,
          version,
          locale: language,
          text,
          body: text,
          segments: info.segments,
          length: info.length,
          encoding: info.encoding,
        };
      }
      case "push": {
        const body = tidyText(run("body"));
        const url = compiled.parts.has("url") ? oneLine(run("url")) : undefined;
        const title = oneLine(run("title"));
        const m: RenderedMessage = { channel: "push", template, version, locale: language, title, body };
        if (url) m.url = url;
        return m;
      }
      case "wechat": {
        const fields: Record<string, string> = {};
        for (const key of compiled.parts.keys()) {
          if (key.startsWith("fields.")) fields[key.slice("fields.".length)] = tidyText(run(key));
        }
        const body = Object.values(fields).join("\n");
        const url = compiled.parts.has("url") ? oneLine(run("url")) : undefined;
        const templateId = compiled.templateId ?? "";
        const m: RenderedMessage = {
          channel: "wechat",
          template,
          version,
          locale: language,
          templateId,
          fields,
          body,
        };
        if (url) m.url = url;
        return m;
      }
      case "webhook": {
        let json: unknown;
        try {
          const options = this.runtimeOptions(language, intl, preferred.timezone, "text");
          json = this.renderJson(compiled.json ?? { kind: "literal", value: null }, root, options);
        } catch (err) {
          throw this.renderError(def.name, `${language}.json`, err);
        }
        return {
          channel: "webhook",
          template,
          version,
          locale: language,
          json,
          body: JSON.stringify(json) ?? "null",
        };
      }
    }
  }

  preview(ref: TemplateRef, locale: TemplateLocale, overrides: Partial<RenderContext> = {}): RenderedMessage {
    const def = this.entry(ref).def;
    return this.render(ref, sampleContext(def, locale, overrides));
  }

  check(ref: TemplateRef, available: FieldCatalog): TemplateIssue[] {
    const name = typeof ref === "string" ? ref : ref.name;
    let entry: Entry;
    try {
      entry = this.entry(ref);
    } catch (err) {
      return [{ template: name, code: "unknown_template", message: (err as Error).message }];
    }
    const catalog = normaliseCatalog([...available, ...RENDER_FIELDS]);
    const issues: TemplateIssue[] = [];
    const missing = new Map<string, { where: string[]; part: string; line: number }>();
    for (const [locale, parts] of Object.entries(entry.def.locales) as [
      TemplateLocale,
      Record<string, string>,
    ][]) {
      const partials = this.partialSources.get(locale) ?? new Map<string, string>();
      for (const key of partKeys(parts)) {
        if (key === "templateId") continue;
        const part = `${locale}.${key}`;
        for (const [label, source, mode] of this.sourcesOf(entry.def.channel, key, parts[key] ?? "")) {
          try {
            this.env.precompile(source, compileOptions(mode));
          } catch (err) {
            const line = lineOf(err);
            issues.push({
              template: name,
              code: "compile_error",
              part,
              ...(line === undefined ? {} : { line }),
              message: `template "${name}" (${part}${label}) does not compile: ${firstLine((err as Error).message)}`,
            });
            continue;
          }
          const analysis = analyzeTemplate(source, partials);
          for (const p of analysis.partials) {
            if (!partials.has(p)) {
              issues.push({
                template: name,
                code: "unknown_partial",
                part,
                message: `template "${name}" (${part}) uses the partial "${p}", which does not exist`,
              });
            }
          }
          for (const v of analysis.variables) {
            if (this.supplied(catalog, v.path)) continue;
            const m = missing.get(v.path);
            if (m) m.where.push(`${part} line ${v.line}`);
            else missing.set(v.path, { where: [`${part} line ${v.line}`], part, line: v.line });
          }
        }
      }
    }
    for (const [variable, m] of missing) {
      issues.push({
        template: name,
        code: "unknown_variable",
        part: m.part,
        line: m.line,
        variable,
        message: `template "${name}" uses {{${variable}}} (${m.where.join(", ")}), which the customer profile cannot supply`,
      });
    }
    return issues;
  }

  variables(ref: TemplateRef): string[] {
    const entry = this.entry(ref);
    const out = new Set<string>();
    for (const [locale, parts] of Object.entries(entry.def.locales) as [
      TemplateLocale,
      Record<string, string>,
    ][]) {
      const partials = this.partialSources.get(locale) ?? new Map<string, string>();
      for (const key of partKeys(parts)) {
        if (key === "templateId") continue;
        for (const [, source] of this.sourcesOf(entry.def.channel, key, parts[key] ?? "")) {
          for (const v of analyzeTemplate(source, partials).variables) out.add(v.path);
        }
      }
    }
    return [...out].sort();
  }

  // ---- internals ----

  private supplied(catalog: ReadonlySet<string>, path: string): boolean {
    if (catalogCovers(catalog, path)) return true;
    const head = path.split(".")[0] ?? path;
    return (VARIABLE_ALIASES[head] ?? []).some((alias) =>
      catalogCovers(catalog, alias + path.slice(head.length)),
    );
  }

  private latest(versions: Map<number, Entry>): Entry {
    let best: Entry | undefined;
    for (const e of versions.values()) if (!best || e.def.version > best.def.version) best = e;
    return best!;
  }

  private entry(ref: TemplateRef): Entry {
    const name = typeof ref === "string" ? ref : ref.name;
    const versions = this.entries.get(name);
    if (!versions) {
      const known = [...this.entries.keys()].sort().join(", ");
      throw new TemplateError(
        "unknown_template",
        `unknown template "${name}" (known: ${known || "none"})`,
        name,
      );
    }
    if (typeof ref === "string") return this.latest(versions);
    const entry = versions.get(ref.version);
    if (!entry) {
      throw new TemplateError(
        "unknown_version",
        `template "${name}" has no version ${ref.version} (versions: ${[...versions.keys()].join(", ")}); register the snapshot published with the journey`,
        name,
      );
    }
    if (ref.hash !== undefined && ref.hash !== entry.hash) {
      throw new TemplateError(
        "pin_mismatch",
        `template "${name}" version ${ref.version} has changed since it was pinned (hash ${entry.hash.slice(0, 12)}, pinned ${ref.hash.slice(0, 12)})`,
        name,
      );
    }
    return entry;
  }

  private pickLocale(def: TemplateDefinition, wanted: TemplateLocale): TemplateLocale {
    if (def.locales[wanted]) return wanted;
    if (def.locales.en) return "en";
    return (Object.keys(def.locales)[0] as TemplateLocale | undefined) ?? wanted;
  }

  /** The sources a part compiles to: one for a string part, one per string leaf for webhook JSON. */
  private sourcesOf(channel: string, key: string, source: string): [string, string, "html" | "text"][] {
    if (channel === "webhook" && key === "json") {
      const out: [string, string, "html" | "text"][] = [];
      const walk = (v: unknown, path: string) => {
        if (typeof v === "string") out.push([path, v, "text"]);
        else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
      };
      try {
        walk(JSON.parse(source), "");
      } catch {
        return [];
      }
      return out.map(([p, s, m]) => [p ? ` at ${p}` : "", s, m]);
    }
    return [["", source, key === "html" ? "html" : "text"]];
  }

  private compiled(entry: Entry, locale: TemplateLocale): CompiledLocale {
    const cached = entry.compiled.get(locale);
    if (cached) return cached;
    const parts = entry.def.locales[locale] ?? {};
    const out: CompiledLocale = { parts: new Map() };
    for (const key of partKeys(parts)) {
      const source = parts[key] ?? "";
      try {
        if (key === "templateId") out.templateId = source.trim();
        else if (entry.def.channel === "webhook" && key === "json")
          out.json = this.compileJson(JSON.parse(source));
        else {
          const mode = key === "html" ? "html" : "text";
          out.parts.set(key, { fn: compileSource(this.env, source, mode), mode });
        }
      } catch (err) {
        throw new TemplateError(
          "compile_error",
          `template "${entry.def.name}" (${locale}.${key}) does not compile: ${firstLine((err as Error).message)}`,
          entry.def.name,
          { cause: err },
        );
      }
    }
    if (entry.def.channel !== "webhook" && out.parts.size > 0 && this.combine) {
      try {
        out.message = compileMessage(
          this.env,
          [...out.parts].map(
            ([key, p]) => [key, parts[key] ?? "", p.mode] as [string, string, "html" | "text"],
          ),
          this.partialSources.get(locale),
        );
      } catch {
        // e.g. a dynamic partial in a plain-text part: render part by part, as compiled above
      }
    }
    entry.compiled.set(locale, out);
    return out;
  }

  /** Options of a one-call message render: a fresh `@data` carrying the sink the parts are written to. */
  private messageOptions(language: TemplateLocale, intl: string, timezone: string, sink: PartSink) {
    let partials = this.messagePartials.get(language);
    if (!partials) {
      partials = { ...this.partials(language, "html") };
      for (const [name, source] of this.partialSources.get(language) ?? []) {
        try {
          partials[`${name}${TEXT_PARTIAL}`] = compileTextPartial(
            this.env,
            source,
            this.partialSources.get(language),
          );
        } catch (err) {
          throw new TemplateError(
            "compile_error",
            `partial "${name}" (${language}) does not compile: ${firstLine((err as Error).message)}`,
          );
        }
      }
      this.messagePartials.set(language, partials);
    }
    // Literal objects of one fixed shape: this runs once per render.
    const data: RenderData & { "rekindle parts": PartSink } = {
      language,
      intl,
      timezone,
      "rekindle parts": sink,
    };
    return {
      allowProtoPropertiesByDefault: RUNTIME_SECURITY.allowProtoPropertiesByDefault,
      allowProtoMethodsByDefault: RUNTIME_SECURITY.allowProtoMethodsByDefault,
      allowCallsToHelperMissing: RUNTIME_SECURITY.allowCallsToHelperMissing,
      data,
      partials,
    };
  }

  private compileJson(value: unknown): JsonNode {
    if (typeof value === "string") {
      // A string that is exactly one `{{path}}` keeps the value's JSON type (a number stays a number).
      const ast = Handlebars.parse(value);
      const only = ast.body.length === 1 ? ast.body[0] : undefined;
      if (only?.type === "MustacheStatement") {
        const m = only as hbs.AST.MustacheStatement;
        const p = m.path as hbs.AST.PathExpression;
        if (p.type === "PathExpression" && m.params.length === 0 && m.hash === undefined && p.depth === 0) {
          const parts = p.data ? (p.parts[0] === "root" ? p.parts.slice(1) : null) : p.parts;
          if (parts && parts.length > 0 && !(parts.length === 1 && this.env.helpers[parts[0] ?? ""])) {
            return { kind: "path", parts };
          }
        }
      }
      return { kind: "template", fn: compileSource(this.env, value, "text") };
    }
    if (Array.isArray(value)) return { kind: "array", items: value.map((v) => this.compileJson(v)) };
    if (value && typeof value === "object") {
      return {
        kind: "object",
        entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, this.compileJson(v)]),
      };
    }
    return { kind: "literal", value };
  }

  private renderJson(node: JsonNode, root: Record<string, unknown>, options: RuntimeOptions): unknown {
    switch (node.kind) {
      case "literal":
        return node.value;
      case "path":
        return ownPath(root, node.parts) ?? null;
      case "template":
        return node.fn(root, options);
      case "array":
        return node.items.map((n) => this.renderJson(n, root, options));
      case "object": {
        const out: Record<string, unknown> = {};
        for (const [k, n] of node.entries) {
          if (UNSAFE_KEYS.has(k)) continue;
          out[k] = this.renderJson(n, root, options);
        }
        return out;
      }
    }
  }

  /**
   * Runtime options per (language, Intl locale, zone, escaping), built once: Handlebars copies `data`
   * into a fresh frame on every call and never mutates these objects.
   */
  private runtimeOptions(language: TemplateLocale, intl: string, timezone: string, mode: "html" | "text") {
    const key = `${language}|${intl}|${timezone}|${mode}`;
    let options = this.options.get(key);
    if (!options) {
      const data: RenderData = { language, intl, timezone };
      options = Object.freeze({
        ...RUNTIME_SECURITY,
        data: Object.freeze(data),
        partials: this.partials(language, mode),
      });
      if (this.options.size >= 5_000) this.options.clear();
      this.options.set(key, options);
    }
    return options;
  }

  private partials(locale: TemplateLocale, mode: "html" | "text"): Record<string, CompiledTemplate> {
    const key = `${locale}:${mode}`;
    let compiled = this.compiledPartials.get(key);
    if (!compiled) {
      compiled = {};
      for (const [name, source] of this.partialSources.get(locale) ?? []) {
        try {
          compiled[name] = compileSource(this.env, source, mode);
        } catch (err) {
          throw new TemplateError(
            "compile_error",
            `partial "${name}" (${locale}) does not compile: ${firstLine((err as Error).message)}`,
          );
        }
      }
      this.compiledPartials.set(key, compiled);
    }
    return compiled;
  }

  private root(
    ctx: RenderContext,
    customer: Record<string, unknown>,
    locale: TemplateLocale,
    timezone: string,
  ): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    const params = ctx.params;
    if (params) {
      for (const k of Object.keys(params)) {
        if (!RESERVED.has(k) && !UNSAFE_KEYS.has(k)) root[k] = plain(params[k]);
      }
    }
    const plainCustomer = plain(customer) as Record<string, unknown>;
    const traits = plainCustomer.traits as Record<string, unknown> | undefined;
    const coupon = ctx.coupon ?? (typeof traits?.coupon === "string" ? traits.coupon : undefined);
    root.brand = this.brand;
    root.customer = plainCustomer;
    root.coupon = coupon;
    root.journey = plain(ctx.journey);
    root.event = plain(ctx.event);
    root.now = isoOf(ctx.now);
    root.unsubscribeUrl = ctx.unsubscribeUrl;
    root.locale = locale;
    root.timezone = timezone;
    return root;
  }

  private renderError(template: string, part: string, err: unknown): TemplateError {
    if (err instanceof TemplateError) {
      return new TemplateError(err.code, `template "${template}" (${part}): ${err.message}`, template, {
        cause: err,
      });
    }
    return new TemplateError(
      "render_error",
      `template "${template}" (${part}) failed to render: ${firstLine((err as Error)?.message ?? String(err))}`,
      template,
      { cause: err },
    );
  }
}

/** Builds a library from definitions (validated) and shared partials. */
export function createTemplateLibrary(
  definitions: Iterable<TemplateDefinition> = [],
  options: TemplateLibraryOptions = {},
): TemplateLibrary {
  return new Library(definitions, options);
}
