import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { BuiltinDeps } from "./builtins";
import { builtinActions } from "./builtins";
import { allowOutsideModule } from "./plugin-resolution";
import { ActionRegistry, DuplicateActionError } from "./registry";
import type { ActionDefinition } from "./types";

/** The config file Rekindle reads from the working directory. */
export const CONFIG_FILE = "rekindle.config.json";
/** Comma-separated module specifiers, added to the config file's list. */
export const ACTIONS_ENV = "REKINDLE_ACTIONS";

export class PluginLoadError extends Error {
  override readonly name = "PluginLoadError";
  constructor(
    message: string,
    readonly module?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One module to load and the directory its relative path is resolved against. */
export interface PluginSpec {
  specifier: string;
  baseDir: string;
  /** Where it was listed: the config file's path, or `REKINDLE_ACTIONS`. */
  from: string;
}

/** An action a plug-in module exported, with the module it came from (for error messages and the catalog). */
export interface LoadedAction {
  def: ActionDefinition<never>;
  module: string;
}

/**
 * The modules to load: `actions` of `rekindle.config.json` in `cwd` (paths relative to the file), then
 * `REKINDLE_ACTIONS` (comma-separated; relative to `cwd`). Either may be absent.
 *
 * ```json
 * { "actions": ["./actions/loyalty-points.ts", "@acme/rekindle-actions"] }
 * ```
 */
export function pluginSpecs(
  options: { cwd?: string; env?: Record<string, string | undefined>; configFile?: string } = {},
): PluginSpec[] {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const file = options.configFile ? resolve(cwd, options.configFile) : join(cwd, CONFIG_FILE);
  const specs: PluginSpec[] = [];
  if (existsSync(file)) {
    let config: unknown;
    try {
      config = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new PluginLoadError(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    const actions = (config as { actions?: unknown } | null)?.actions;
    if (actions !== undefined) {
      if (!Array.isArray(actions) || !actions.every((a) => typeof a === "string" && a.trim() !== "")) {
        throw new PluginLoadError(`${file}: "actions" must be a list of module paths`);
      }
      for (const a of actions as string[])
        specs.push({ specifier: a.trim(), baseDir: dirname(file), from: file });
    }
  } else if (options.configFile) {
    throw new PluginLoadError(`config file ${file} does not exist`);
  }
  for (const a of (env[ACTIONS_ENV] ?? "").split(",")) {
    if (a.trim() !== "") specs.push({ specifier: a.trim(), baseDir: cwd, from: ACTIONS_ENV });
  }
  return specs;
}

function moduleUrl(spec: PluginSpec): string {
  const s = spec.specifier;
  if (s.startsWith("file:")) return s;
  if (isAbsolute(s)) return pathToFileURL(s).href;
  if (s.startsWith("./") || s.startsWith("../")) return pathToFileURL(resolve(spec.baseDir, s)).href;
  // A package name: resolved from the listing directory's node_modules.
  try {
    return pathToFileURL(createRequire(join(spec.baseDir, "noop.js")).resolve(s)).href;
  } catch (e) {
    throw new PluginLoadError(`cannot find action module "${s}" (listed in ${spec.from})`, s, { cause: e });
  }
}

const TYPE_RE = /^([a-z][a-z0-9_-]*\/)?[a-z][a-z0-9_-]*$/;

/** What is wrong with a value that should be an ActionDefinition (empty when nothing). */
export function actionShapeProblems(value: unknown): string[] {
  if (value === null || typeof value !== "object") return ["is not an object"];
  const d = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof d.type !== "string" || !TYPE_RE.test(d.type))
    problems.push(
      `"type" must be lower-case, namespaced like "acme/loyalty-points"; got ${JSON.stringify(d.type)}`,
    );
  if (!Number.isInteger(d.version) || (d.version as number) < 1)
    problems.push(`"version" must be a whole number of 1 or more; got ${JSON.stringify(d.version)}`);
  const title = d.title as Record<string, unknown> | undefined;
  if (!title || typeof title !== "object" || typeof title.en !== "string" || typeof title.zh !== "string")
    problems.push(`"title" must be { en, zh } strings`);
  const config = d.config as { safeParse?: unknown; _zod?: unknown } | undefined;
  if (!config || typeof config.safeParse !== "function" || config._zod === undefined)
    problems.push(`"config" must be a zod schema (import { z } from "zod")`);
  if (d.effect !== "internal" && d.effect !== "external")
    problems.push(`"effect" must be "internal" or "external"; got ${JSON.stringify(d.effect)}`);
  if (typeof d.execute !== "function") problems.push(`"execute" must be an async function`);
  if (
    d.ports !== undefined &&
    (!Array.isArray(d.ports) || !d.ports.every((p) => typeof p === "string" && /^[a-z][a-z0-9_-]*$/.test(p)))
  )
    problems.push(`"ports" must be a list of lower-case port names`);
  if (Array.isArray(d.ports) && d.ports.some((p) => p === "next" || p === "failed"))
    problems.push(`"ports" must not repeat "next" or "failed" (every action has them)`);
  const channel = d.channel as Record<string, unknown> | undefined;
  if (
    channel !== undefined &&
    (typeof channel?.name !== "string" || typeof channel.addressTrait !== "string")
  )
    problems.push(`"channel" must be { name, addressTrait }`);
  const template = d.template as Record<string, unknown> | undefined;
  if (
    template !== undefined &&
    (typeof template?.channel !== "string" || typeof template.required !== "boolean")
  )
    problems.push(`"template" must be { channel, required }`);
  return problems;
}

/**
 * Imports each module and returns the actions it default-exports (one ActionDefinition or an array of
 * them). A module that cannot load, or exports anything else, fails with a PluginLoadError naming it.
 */
export async function loadActionModules(specs: readonly PluginSpec[]): Promise<LoadedAction[]> {
  const out: LoadedAction[] = [];
  for (const spec of specs) {
    const url = moduleUrl(spec);
    allowOutsideModule(url);
    let mod: { default?: unknown };
    try {
      mod = (await import(url)) as { default?: unknown };
    } catch (e) {
      throw new PluginLoadError(
        `cannot load action module "${spec.specifier}" (listed in ${spec.from}): ${(e as Error).message}`,
        spec.specifier,
        { cause: e },
      );
    }
    if (mod.default === undefined) {
      throw new PluginLoadError(
        `action module "${spec.specifier}" has no default export: export default defineAction({...}) or a list of actions`,
        spec.specifier,
      );
    }
    const defs = Array.isArray(mod.default) ? (mod.default as unknown[]) : [mod.default];
    defs.forEach((def, i) => {
      const problems = actionShapeProblems(def);
      if (problems.length > 0) {
        const which = Array.isArray(mod.default) ? ` (item ${i})` : "";
        throw new PluginLoadError(
          `action module "${spec.specifier}"${which} does not export a valid action:\n  ${problems.join("\n  ")}`,
          spec.specifier,
        );
      }
      out.push({ def: def as ActionDefinition<never>, module: spec.specifier });
    });
  }
  return out;
}

/**
 * Registers plug-in actions after the built-ins. A type and version that is already registered (by a
 * built-in or another module) fails at start-up with an error naming both places.
 */
export function registerPlugins(
  registry: ActionRegistry,
  loaded: readonly LoadedAction[],
  builtins: ReadonlySet<string> = new Set(),
): ActionRegistry {
  const origin = new Map<string, string>();
  for (const key of builtins) origin.set(key, "a built-in action");
  for (const { def, module } of loaded) {
    const key = `${def.type}@${def.version}`;
    try {
      registry.register(def);
    } catch (e) {
      if (e instanceof DuplicateActionError) {
        throw new PluginLoadError(
          `action "${def.type}" version ${def.version} from "${module}" is already registered by ${origin.get(key) ?? "another module"}: bump its version or rename its type`,
          module,
          { cause: e },
        );
      }
      throw new PluginLoadError(`action from "${module}": ${(e as Error).message}`, module, { cause: e });
    }
    origin.set(key, `"${module}"`);
    registry.plugins.push({ type: def.type, version: def.version, module });
  }
  return registry;
}

/**
 * The registry Rekindle starts with: the built-in actions plus every action listed in
 * `rekindle.config.json` and `REKINDLE_ACTIONS`. Throws PluginLoadError on a bad module or a duplicate.
 */
export async function loadActionRegistry(
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    configFile?: string;
    deps?: BuiltinDeps;
  } = {},
): Promise<ActionRegistry> {
  const builtins = builtinActions(options.deps);
  const registry = new ActionRegistry(builtins);
  const loaded = await loadActionModules(pluginSpecs(options));
  return registerPlugins(registry, loaded, new Set(builtins.map((d) => `${d.type}@${d.version}`)));
}
