import Handlebars from "handlebars";
import type { HelperOptions } from "handlebars";
import { compileOptions, type CompiledTemplate, type HandlebarsEnv } from "./environment";

/**
 * One compiled function per message. Handlebars spends a fixed ~5 µs per top-level call (it re-wraps
 * every helper and rebuilds its prototype-access tables each time); an email has three parts, so the
 * parts of one locale are compiled into a single template whose top level is one capture block per part.
 * Partials and nested calls run inside that one call. Escaping is unchanged: the HTML part keeps
 * Handlebars' escaping; the plain-text parts are compiled exactly as `noEscape` would (every mustache
 * unescaped) and call plain-text versions of the partials. The public compile API is used throughout,
 * and the runtime security options still apply to the one call.
 */

/** The capture helper: a name with a space, which no template can type (it is not a valid identifier). */
export const PART_HELPER = "rekindle part";
/** Runs an inlined partial that was given a hash (`{{> button url=…}}`) with the context a partial gets. */
export const HASH_HELPER = "rekindle hash";
/** Plain-text partials are registered under `<name><TEXT_PARTIAL>`, also impossible to type. */
export const TEXT_PARTIAL = " text";

/** Where the capture helper writes each part's output; passed per call in `@data`. */
export interface PartSink {
  out: Record<string, string>;
  /** The part being rendered (for error messages). */
  current: string;
}
export const SINK_KEY = "rekindle parts" as const;

export function registerPartHelper(env: HandlebarsEnv): void {
  // What Handlebars does for `{{> name key=value}}`: the partial's context is the caller's context
  // extended with the hash (own properties copied, the hash wins); data and depths are the caller's.
  env.registerHelper(HASH_HELPER, function (this: unknown, options: HelperOptions) {
    return options.fn(Object.assign({}, this, options.hash));
  });
  env.registerHelper(PART_HELPER, function (this: unknown, key: unknown, options: HelperOptions) {
    const sink = (options.data as Record<string, unknown> | undefined)?.[SINK_KEY] as PartSink | undefined;
    if (!sink || typeof key !== "string") return "";
    sink.current = key;
    sink.out[key] = options.fn(this);
    return "";
  });
}

type Node = hbs.AST.Node & Record<string, unknown>;

/** Makes a parsed plain-text template render as `noEscape` would, with plain-text partials. */
function toText(node: unknown): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) toText(n);
    return;
  }
  const n = node as Node;
  switch (n.type) {
    case "MustacheStatement":
      n.escaped = false;
      break;
    case "PartialStatement":
    case "PartialBlockStatement": {
      const name = n.name as hbs.AST.PathExpression | hbs.AST.SubExpression;
      if (name.type !== "PathExpression") throw new Error("dynamic partials cannot be combined");
      // Renamed to the plain-text partial by inlinePartials (statements) or here (partial blocks);
      // `@partial-block` is the caller's block, not a named partial.
      if (n.type === "PartialBlockStatement" && !name.data) {
        name.original = `${name.original}${TEXT_PARTIAL}`;
        name.parts = [name.original];
      }
      break;
    }
  }
  for (const key of ["body", "program", "inverse", "params", "hash", "pairs", "value", "path"]) {
    const child = n[key];
    if (child && typeof child === "object") toText(child);
  }
}

const loc = { source: undefined, start: { line: 1, column: 0 }, end: { line: 1, column: 0 } };

/** A block statement calling one of the internal helpers (names no template can type). */
function block(
  helper: string,
  params: unknown[],
  hash: unknown,
  program: hbs.AST.Program,
): hbs.AST.Statement {
  return {
    type: "BlockStatement",
    path: { type: "PathExpression", data: false, depth: 0, parts: [helper], original: helper, loc },
    params,
    hash,
    program,
    inverse: undefined,
    openStrip: { open: false, close: false },
    inverseStrip: { open: false, close: false },
    closeStrip: { open: false, close: false },
    loc,
  } as unknown as hbs.AST.Statement;
}

/** Compile options for assembled ASTs: the internal helpers are known, standalone stripping already done. */
function internalOptions(mode: "html" | "text") {
  const base = compileOptions(mode);
  return {
    ...base,
    knownHelpers: { ...base.knownHelpers, [PART_HELPER]: true, [HASH_HELPER]: true },
    ignoreStandalone: true,
  };
}

/**
 * Clears whitespace-control flags once they have been applied to the content around them (by `parse`),
 * so the second pass `compile` runs over an assembled AST changes nothing, even where inlined partials
 * now sit beside other content.
 */
function settle(node: unknown): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) settle(n);
    return;
  }
  const n = node as Node;
  for (const key of ["strip", "openStrip", "closeStrip", "inverseStrip"]) {
    if (n[key] && typeof n[key] === "object") n[key] = { open: false, close: false };
  }
  for (const key of ["body", "program", "inverse"]) {
    const child = n[key];
    if (child && typeof child === "object") settle(child);
  }
}

/**
 * Replaces `{{> name}}` (a static name, no context argument, no hash) by the partial's own statements,
 * so it costs nothing at render time. Partials with arguments, partial blocks, dynamic and unknown
 * partials stay runtime calls. Same output: the partial would render with the same context and data.
 */
function inlinePartials(
  program: hbs.AST.Program,
  partials: ReadonlyMap<string, string>,
  mode: "html" | "text",
  depth: number,
): void {
  const walk = (body: hbs.AST.Statement[]): hbs.AST.Statement[] => {
    const out: hbs.AST.Statement[] = [];
    for (const st of body) {
      const n = st as unknown as Node;
      if (n.type === "PartialStatement") {
        const p = st as hbs.AST.PartialStatement;
        const path = p.name.type === "PathExpression" ? p.name : null;
        const name = path && !path.data ? path.original : null;
        const source = name !== null ? partials.get(name) : undefined;
        if (source !== undefined && depth < 8 && p.params.length === 0) {
          const inner = parseSource(source, mode, partials, depth + 1);
          // With `preventIndent`, a standalone partial's indentation is output once, as content.
          if (p.indent) {
            const content = { type: "ContentStatement", original: p.indent, value: p.indent, loc: p.loc };
            out.push(content);
          }
          if (!p.hash) out.push(...inner.body);
          else out.push(block(HASH_HELPER, [], p.hash, inner));
          continue;
        }
        if (mode === "text" && name !== null) {
          (p.name as hbs.AST.PathExpression).original = `${name}${TEXT_PARTIAL}`;
          (p.name as hbs.AST.PathExpression).parts = [`${name}${TEXT_PARTIAL}`];
        }
        out.push(st);
        continue;
      }
      for (const key of ["program", "inverse"]) {
        const child = n[key] as hbs.AST.Program | undefined;
        if (child && Array.isArray(child.body)) child.body = walk(child.body);
      }
      out.push(st);
    }
    return out;
  };
  program.body = walk(program.body);
}

/**
 * Parses a source exactly as `compile` would (same whitespace control), optionally as plain text, with
 * simple partials inlined when their sources are given.
 */
export function parseSource(
  source: string,
  mode: "html" | "text",
  partials?: ReadonlyMap<string, string>,
  depth = 0,
): hbs.AST.Program {
  const ast = Handlebars.parse(source, compileOptions(mode));
  settle(ast);
  if (mode === "text") toText(ast);
  if (partials) inlinePartials(ast, partials, mode, depth);
  return ast;
}

/**
 * Compiles the parts (`key → [source, mode]`) into one template. Throws when a part cannot be combined
 * (a dynamic partial in a plain-text part); the caller then renders part by part.
 */
export function compileMessage(
  env: HandlebarsEnv,
  parts: [key: string, source: string, mode: "html" | "text"][],
  partials?: ReadonlyMap<string, string>,
): CompiledTemplate {
  const build = (): hbs.AST.Program => {
    const body = parts.map(([key, source, mode]) =>
      block(
        PART_HELPER,
        [{ type: "StringLiteral", value: key, original: key, loc }],
        undefined,
        parseSource(source, mode, partials),
      ),
    );
    return { type: "Program", body, strip: {}, blockParams: undefined, loc } as unknown as hbs.AST.Program;
  };
  // The parts were parsed (and whitespace-controlled) already; a second standalone pass must not run.
  const options = internalOptions("html");
  env.precompile(build(), options); // surfaces compile errors now, not at the first render
  return env.compile(build(), options);
}

/** A plain-text partial, compiled from its transformed AST (its own nested partials are plain text too). */
export function compileTextPartial(
  env: HandlebarsEnv,
  source: string,
  partials?: ReadonlyMap<string, string>,
): CompiledTemplate {
  const options = internalOptions("text");
  env.precompile(parseSource(source, "text", partials), options);
  return env.compile(parseSource(source, "text", partials), options);
}
