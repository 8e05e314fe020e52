import Handlebars from "handlebars";
import { HELPERS } from "./helpers";

/** An isolated Handlebars instance (never the global one: nothing registered elsewhere leaks in). */
export type HandlebarsEnv = ReturnType<typeof Handlebars.create>;
export type CompiledTemplate = Handlebars.TemplateDelegate;
type CompileOptions = NonNullable<Parameters<HandlebarsEnv["compile"]>[1]>;

/** Built-in block helpers templates may use. `log` is removed; `helperMissing` is never called. */
export const BUILTIN_HELPERS = ["if", "unless", "each", "with", "lookup"] as const;
export const HELPER_NAMES: ReadonlySet<string> = new Set([...BUILTIN_HELPERS, ...Object.keys(HELPERS)]);

const knownHelpers: Record<string, boolean> = { log: false, helperMissing: false, blockHelperMissing: false };
for (const name of HELPER_NAMES) knownHelpers[name] = true;

/**
 * Compile options. `knownHelpersOnly` makes an unknown helper a compile error (and speeds lookups).
 * `html` parts are HTML-escaped (the Handlebars default); plain-text parts (subjects, text bodies, SMS,
 * push, WeChat fields, webhook JSON strings) are never interpreted as HTML, so escaping them would only
 * corrupt the text (`&amp;` in an SMS) — they compile with `noEscape`.
 */
export function compileOptions(mode: "html" | "text"): CompileOptions {
  return { knownHelpers, knownHelpersOnly: true, noEscape: mode === "text", preventIndent: true };
}

/**
 * Runtime options for every render: prototype properties and methods stay blocked (the defaults since
 * 4.6, stated here so a reader need not know that), and an unknown helper is never dispatched.
 */
export const RUNTIME_SECURITY = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  allowCallsToHelperMissing: false,
} as const;

export function createEnvironment(): HandlebarsEnv {
  const env = Handlebars.create();
  env.unregisterHelper("log");
  for (const [name, fn] of Object.entries(HELPERS)) env.registerHelper(name, fn);
  return env;
}

/** Compiles a template source; anything but a string is refused (Handlebars would accept an AST object). */
export function compileSource(env: HandlebarsEnv, source: unknown, mode: "html" | "text"): CompiledTemplate {
  if (typeof source !== "string")
    throw new TypeError(`template source must be a string, got ${typeof source}`);
  // precompile() runs the whole compiler eagerly, so syntax and unknown-helper errors surface here
  // rather than at the first render; compile() then builds the function (it is lazy by itself).
  env.precompile(source, compileOptions(mode));
  return env.compile(source, compileOptions(mode));
}
