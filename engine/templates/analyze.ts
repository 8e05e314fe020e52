import Handlebars from "handlebars";
import { HELPER_IMPLIED_VARIABLES } from "./helpers";
import { HELPER_NAMES } from "./environment";

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type PathExpression = hbs.AST.PathExpression;
type Expression = hbs.AST.Expression;

export interface VariableUse {
  /** Dotted path from the render root, e.g. `customer.traits.name`. */
  path: string;
  line: number;
}

export interface TemplateAnalysis {
  variables: VariableUse[];
  partials: string[];
  helpers: string[];
}

interface Scope {
  /** Path of the context object from the root; `null` when it cannot be known (e.g. a helper's result). */
  base: string[] | null;
  /** Block params (`as |item i|`) bound in this scope: name → path, or null for an index. */
  locals: Map<string, string[] | null>;
}

/**
 * Lists the variables a template reads, by walking its Handlebars AST: paths are resolved through
 * `with`, `each` (an item's fields count as fields of the list), block params, `../` and `@root`, and
 * partials are followed. Used at publish to reject templates that need data the profile lacks.
 */
export function analyzeTemplate(source: string, partials: ReadonlyMap<string, string>): TemplateAnalysis {
  const variables = new Map<string, number>();
  const usedPartials = new Set<string>();
  const usedHelpers = new Set<string>();
  const partialStack: string[] = [];

  const record = (parts: string[], line: number) => {
    if (parts.length === 0) return;
    const path = parts.join(".");
    if (!variables.has(path)) variables.set(path, line);
  };

  const resolve = (path: PathExpression, scopes: Scope[]): string[] | null => {
    if (path.data) {
      return path.parts[0] === "root" ? path.parts.slice(1) : null; // @index, @key, @first, @timezone…
    }
    const first = path.parts[0];
    if (path.depth === 0 && first !== undefined) {
      for (let i = scopes.length - 1; i >= 0; i--) {
        const bound = scopes[i]?.locals.get(first);
        if (bound !== undefined) return bound === null ? null : [...bound, ...path.parts.slice(1)];
      }
    }
    const scope = scopes[Math.max(0, scopes.length - 1 - path.depth)];
    if (!scope || scope.base === null) return null;
    return [...scope.base, ...path.parts];
  };

  const isHelperCall = (path: Node, hasArgs: boolean): path is PathExpression => {
    if (path.type !== "PathExpression") return false;
    const p = path as PathExpression;
    if (p.data || p.depth > 0 || p.parts.length !== 1) return false;
    const name = p.parts[0] ?? "";
    return HELPER_NAMES.has(name) && (hasArgs || p.original === name);
  };

  const expr = (e: Expression, scopes: Scope[]) => {
    switch (e.type) {
      case "PathExpression": {
        const parts = resolve(e as PathExpression, scopes);
        if (parts) record(parts, e.loc.start.line);
        return;
      }
      case "SubExpression":
        call(e as hbs.AST.SubExpression, scopes);
        return;
      default:
        return; // literals
    }
  };

  const call = (
    node: { path: Node; params: Expression[]; hash?: hbs.AST.Hash | undefined; loc: hbs.AST.SourceLocation },
    scopes: Scope[],
  ) => {
    const hasArgs = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (isHelperCall(node.path, hasArgs)) {
      const name = node.path.parts[0] ?? "";
      usedHelpers.add(name);
      for (const v of HELPER_IMPLIED_VARIABLES[name] ?? []) record(v.split("."), node.loc.start.line);
      if (name === "lookup") {
        const [target, key] = node.params;
        if (target?.type === "PathExpression" && key?.type === "StringLiteral") {
          const base = resolve(target as PathExpression, scopes);
          if (base) record([...base, (key as hbs.AST.StringLiteral).value], node.loc.start.line);
          return;
        }
      }
    } else {
      expr(node.path, scopes);
    }
    for (const p of node.params) expr(p, scopes);
    for (const pair of node.hash?.pairs ?? []) expr(pair.value, scopes);
  };

  const withLocals = (program: Program, base: string[] | null, itemPath: string[] | null): Scope => {
    const locals = new Map<string, string[] | null>();
    const [item, index] = program.blockParams ?? [];
    if (item !== undefined) locals.set(item, itemPath);
    if (index !== undefined) locals.set(index, null);
    return { base, locals };
  };

  const program = (p: Program | undefined, scopes: Scope[]) => {
    if (!p) return;
    for (const s of p.body) statement(s, scopes);
  };

  const partial = (node: hbs.AST.PartialStatement | hbs.AST.PartialBlockStatement, scopes: Scope[]) => {
    const nameNode = node.name;
    const name =
      nameNode.type === "PathExpression"
        ? nameNode.original
        : (nameNode as hbs.AST.Node).type === "StringLiteral"
          ? (nameNode as unknown as hbs.AST.StringLiteral).value
          : null;
    for (const p of node.params) expr(p, scopes);
    for (const pair of node.hash?.pairs ?? []) expr(pair.value, scopes);
    if (name === null) return;
    usedPartials.add(name);
    const source = partials.get(name);
    if (source === undefined || partialStack.includes(name)) return;
    const ctx = node.params[0];
    let base: string[] | null = scopes[scopes.length - 1]?.base ?? [];
    if (ctx) base = ctx.type === "PathExpression" ? resolve(ctx as PathExpression, scopes) : null;
    const locals = new Map<string, string[] | null>();
    for (const pair of node.hash?.pairs ?? []) {
      locals.set(
        pair.key,
        pair.value.type === "PathExpression" ? resolve(pair.value as PathExpression, scopes) : null,
      );
    }
    partialStack.push(name);
    program(Handlebars.parse(source), [...scopes, { base, locals }]);
    partialStack.pop();
  };

  const statement = (s: hbs.AST.Statement, scopes: Scope[]) => {
    switch (s.type) {
      case "MustacheStatement":
        call(s as hbs.AST.MustacheStatement, scopes);
        return;
      case "BlockStatement": {
        const b = s as hbs.AST.BlockStatement;
        const hasArgs = b.params.length > 0 || (b.hash?.pairs.length ?? 0) > 0;
        const current = scopes[scopes.length - 1]?.base ?? null;
        if (isHelperCall(b.path, hasArgs)) {
          const name = b.path.parts[0] ?? "";
          usedHelpers.add(name);
          for (const p of b.params) expr(p, scopes);
          for (const pair of b.hash?.pairs ?? []) expr(pair.value, scopes);
          const target = b.params[0];
          const targetPath =
            target?.type === "PathExpression" ? resolve(target as PathExpression, scopes) : null;
          if (name === "each") {
            program(b.program, [...scopes, withLocals(b.program, targetPath, targetPath)]);
          } else if (name === "with") {
            program(b.program, [...scopes, withLocals(b.program, targetPath, targetPath)]);
          } else {
            program(b.program, [...scopes, withLocals(b.program, current, null)]);
          }
          program(b.inverse, scopes);
          return;
        }
        // `{{#customer.traits.vip}}…{{/customer.traits.vip}}`: a section over a value.
        const target = resolve(b.path, scopes);
        if (target) record(target, b.loc.start.line);
        program(b.program, [...scopes, withLocals(b.program, target, target)]);
        program(b.inverse, scopes);
        return;
      }
      case "PartialStatement":
        partial(s as hbs.AST.PartialStatement, scopes);
        return;
      case "PartialBlockStatement": {
        const pb = s as hbs.AST.PartialBlockStatement;
        partial(pb, scopes);
        program(pb.program, scopes);
        return;
      }
      default:
        return; // content, comments, decorators
    }
  };

  program(Handlebars.parse(source), [{ base: [], locals: new Map() }]);
  return {
    variables: [...variables].map(([path, line]) => ({ path, line })),
    partials: [...usedPartials],
    helpers: [...usedHelpers],
  };
}

/** Entries normalised: `a.b.*` → `a.b`. */
export function normaliseCatalog(catalog: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const entry of catalog) out.add(entry.endsWith(".*") ? entry.slice(0, -2) : entry);
  return out;
}

/**
 * Whether the catalog supplies a path: an entry covers itself and everything beneath it, and a path that
 * is a parent of an entry (an object tested with `{{#if customer.traits}}`) is supplied too.
 */
export function catalogCovers(catalog: ReadonlySet<string>, path: string): boolean {
  if (catalog.has(path)) return true;
  const parts = path.split(".");
  for (let i = parts.length - 1; i > 0; i--) {
    if (catalog.has(parts.slice(0, i).join("."))) return true;
  }
  const prefix = `${path}.`;
  for (const entry of catalog) if (entry.startsWith(prefix)) return true;
  return false;
}
