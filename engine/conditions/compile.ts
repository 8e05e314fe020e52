// Over 300 lines: compileCondition builds the fast test and the explaining evaluation from one walk of the
// condition, so the two cannot disagree; the getters and value copies they share are here too.
import type { EventCountParams, ExplainLeaf, FactName, TopLevelCondition } from "../schema/conditions";
import type { FactContext } from "./facts";
import { getPath, ownProperty, parsePath } from "./facts";
import { compileOperator, isOperator } from "./operators";

// The explanation record is part of the contract (the builder renders it): it lives in engine/schema.
export type { ExplainLeaf } from "../schema/conditions";

export interface ConditionEvaluation {
  result: boolean;
  /** One entry per leaf, in document order; every leaf is evaluated (as json-rules-engine does). */
  explain: ExplainLeaf[];
}

export interface CompiledCondition {
  /** The result only: short-circuits and allocates nothing. */
  readonly test: (ctx: FactContext) => boolean;
  /** The result and the explanation of every leaf. */
  readonly evaluate: (ctx: FactContext) => ConditionEvaluation;
  /** The distinct params of every `eventCount` leaf, in document order, so the engine can prefetch (frozen). */
  readonly eventCountParams: readonly EventCountParams[];
  /** How many leaves the condition has (the length of every `explain`). */
  readonly leafCount: number;
}

/** A condition that json-rules-engine would refuse to load or run; `path` locates it in the tree. */
export class ConditionCompileError extends Error {
  constructor(
    message: string,
    readonly path: readonly (string | number)[],
  ) {
    super(path.length > 0 ? `${path.join(".")}: ${message}` : message);
    this.name = "ConditionCompileError";
  }
}

type Test = (ctx: FactContext) => boolean;
type Explain = (ctx: FactContext, out: ExplainLeaf[]) => boolean;
type Getter = (ctx: FactContext) => unknown;
interface Compiled {
  test: Test;
  explain: Explain;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Keys that are data properties of Object.prototype (`toString`, `valueOf`, `constructor`, …). */
const PROTOTYPE_DATA_KEYS = new Set(
  Object.getOwnPropertyNames(Object.prototype).filter((k) => {
    const d = Object.getOwnPropertyDescriptor(Object.prototype, k);
    return d !== undefined && d.set === undefined;
  }),
);

/**
 * A private deep copy of a condition value, as json-rules-engine's `clone` makes one on every run: no fact
 * is then ever identical to an object in the value, and, as with `clone`, a plain object loses the keys
 * that are data properties of Object.prototype (`{"toString": 1}` becomes `{}`, which changes how a numeric
 * operator converts it). An own `__proto__` key is dropped too (`clone` would make it the copy's
 * prototype; that is not reproduced).
 */
export function copyConditionValue<T>(value: T): T {
  return deepFreeze(copyValue(value)) as T;
}

/** Compiled values are shared by every evaluation (and exposed in `explain`): nobody may change them. */
function deepFreeze(value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k]);
  }
  return value;
}

function copyValue(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(copyValue);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      if (k === "__proto__" || PROTOTYPE_DATA_KEYS.has(k)) continue;
      out[k] = copyValue((value as Record<string, unknown>)[k]);
    }
    return out;
  }
  if (proto === null) {
    const out = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(value)) {
      Object.defineProperty(out, k, {
        value: copyValue((value as Record<string, unknown>)[k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  try {
    return structuredClone(value); // a Date or the like: not JSON, kept as it is
  } catch {
    return value;
  }
}

function factGetter(fact: string, params: Record<string, unknown> | undefined): Getter {
  switch (fact) {
    case "customer":
      return (ctx) => ctx.customer;
    case "traits":
      return (ctx) => ownProperty(ctx.customer, "traits");
    case "event":
      return (ctx) => ctx.event;
    case "journey":
      return (ctx) => ctx.journey;
    case "eventCount": {
      const p = (params ?? {}) as unknown as EventCountParams;
      return (ctx) => ctx.eventCount(p);
    }
    default:
      return () => undefined; // json-rules-engine with allowUndefinedFacts
  }
}

/** Same as facts.ts `leftHandSide`, specialised once per leaf. */
function leafGetter(fact: string, params: Record<string, unknown> | undefined, path: unknown): Getter {
  const base = factGetter(fact, params);
  if (!path) return base;
  const segments = parsePath(path);
  if (segments === undefined) {
    return (ctx) => {
      const v = base(ctx);
      return v !== null && typeof v === "object" ? undefined : v;
    };
  }
  if (segments.length === 1) {
    const k = segments[0] as string;
    return (ctx) => {
      const v = base(ctx);
      return v !== null && typeof v === "object" ? ownProperty(v, k) : v;
    };
  }
  if (segments.length === 2) {
    const k0 = segments[0] as string;
    const k1 = segments[1] as string;
    return (ctx) => {
      const v = base(ctx);
      return v !== null && typeof v === "object" ? ownProperty(ownProperty(v, k0), k1) : v;
    };
  }
  return (ctx) => {
    const v = base(ctx);
    return v !== null && typeof v === "object" ? getPath(v, segments) : v;
  };
}

function paramsKey(p: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(p)
      .sort()
      .map((k) => [k, p[k]]),
  );
}

class Compiler {
  leafCount = 0;
  readonly eventCountParams: EventCountParams[] = [];
  private readonly seenParams = new Set<string>();

  node(cond: unknown, path: (string | number)[]): Compiled {
    if (cond === null || typeof cond !== "object" || Array.isArray(cond)) {
      throw new ConditionCompileError("a condition must be an object", path);
    }
    const c = cond as Record<string, unknown>;
    // json-rules-engine's Condition.booleanOperator: any, then all, then not.
    if (hasOwn(c, "any")) return this.anyAll("any", c.any, path);
    if (hasOwn(c, "all")) return this.anyAll("all", c.all, path);
    if (hasOwn(c, "not")) {
      if (Array.isArray(c.not)) throw new ConditionCompileError('"not" cannot be an array', [...path, "not"]);
      const child = this.node(c.not, [...path, "not"]);
      const t = child.test;
      const e = child.explain;
      return { test: (ctx) => !t(ctx), explain: (ctx, out) => !e(ctx, out) };
    }
    if (hasOwn(c, "condition")) {
      throw new ConditionCompileError("condition references are not supported", [...path, "condition"]);
    }
    return this.leaf(c, path);
  }

  private anyAll(kind: "any" | "all", list: unknown, path: (string | number)[]): Compiled {
    if (!Array.isArray(list)) throw new ConditionCompileError(`"${kind}" must be an array`, [...path, kind]);
    const children = list.map((child, i) => this.node(child, [...path, kind, i]));
    const tests = children.map((c) => c.test);
    const explains = children.map((c) => c.explain);
    const n = tests.length;
    // json-rules-engine: an empty list is true for `all` **and** for `any`.
    if (n === 0) return { test: () => true, explain: () => true };
    if (n === 1) return children[0] as Compiled;
    let test: Test;
    let explain: Explain;
    if (kind === "all") {
      if (n === 2) {
        const [t0, t1] = tests as [Test, Test];
        test = (ctx) => t0(ctx) && t1(ctx);
      } else {
        test = (ctx) => {
          for (let i = 0; i < n; i++) if (!(tests[i] as Test)(ctx)) return false;
          return true;
        };
      }
      explain = (ctx, out) => {
        let ok = true;
        for (let i = 0; i < n; i++) if (!(explains[i] as Explain)(ctx, out)) ok = false;
        return ok;
      };
    } else {
      if (n === 2) {
        const [t0, t1] = tests as [Test, Test];
        test = (ctx) => t0(ctx) || t1(ctx);
      } else {
        test = (ctx) => {
          for (let i = 0; i < n; i++) if ((tests[i] as Test)(ctx)) return true;
          return false;
        };
      }
      explain = (ctx, out) => {
        let ok = false;
        for (let i = 0; i < n; i++) if ((explains[i] as Explain)(ctx, out)) ok = true;
        return ok;
      };
    }
    return { test, explain };
  }

  private leaf(c: Record<string, unknown>, path: (string | number)[]): Compiled {
    if (!hasOwn(c, "fact"))
      throw new ConditionCompileError('a condition needs "fact" (or all/any/not)', path);
    if (!hasOwn(c, "operator")) throw new ConditionCompileError('a condition needs "operator"', path);
    if (!hasOwn(c, "value")) throw new ConditionCompileError('a condition needs "value"', path);
    const fact = c.fact as FactName;
    const operator = c.operator;
    if (!isOperator(operator)) {
      throw new ConditionCompileError(`unknown operator ${JSON.stringify(operator)}`, [...path, "operator"]);
    }
    const expected = copyConditionValue(c.value);
    if (
      expected !== null &&
      typeof expected === "object" &&
      !Array.isArray(expected) &&
      hasOwn(expected, "fact")
    ) {
      throw new ConditionCompileError("a value that refers to another fact is not supported", [
        ...path,
        "value",
      ]);
    }
    const rawParams = c.params;
    const params =
      rawParams !== null && typeof rawParams === "object"
        ? copyConditionValue(rawParams as Record<string, unknown>)
        : undefined;
    // json-rules-engine applies a path when it is truthy; one that is not `$.a.b` resolves to undefined.
    const leafPath = typeof c.path === "string" && c.path !== "" ? c.path : undefined;

    this.leafCount++;
    if (fact === "eventCount") {
      const p = params ?? {};
      const key = paramsKey(p);
      if (!this.seenParams.has(key)) {
        this.seenParams.add(key);
        this.eventCountParams.push(p as unknown as EventCountParams);
      }
    }

    const get = leafGetter(fact, params, c.path);
    const op = compileOperator(operator, expected);
    return {
      test: (ctx) => op(get(ctx)),
      explain: (ctx, out) => {
        const value = get(ctx);
        const result = op(value);
        out.push({ fact, path: leafPath, params, value, operator, expected, result });
        return result;
      },
    };
  }
}

/**
 * Compiles a json-rules-engine condition (spec §1, `all` / `any` / `not`, nested) once into closures that
 * give json-rules-engine 7.3.1's result (with `allowUndefinedFacts` and the `$.a.b` path resolver) for any
 * facts, without promises or engine state. Operator semantics: see operators.ts. Throws
 * `ConditionCompileError` for what json-rules-engine would refuse to load or run (not all/any/not at the
 * top, `any`/`all` not an array, `not` an array, a leaf without fact/operator/value, an unknown operator,
 * a condition reference, a value that refers to a fact).
 */
export function compileCondition(cond: TopLevelCondition): CompiledCondition {
  const compiler = new Compiler();
  const top = cond as unknown;
  if (
    top === null ||
    typeof top !== "object" ||
    !(hasOwn(top, "all") || hasOwn(top, "any") || hasOwn(top, "not"))
  ) {
    throw new ConditionCompileError('the conditions root must contain "all", "any" or "not"', []);
  }
  const root = compiler.node(top, []);
  const test = root.test;
  const rootExplain = root.explain;
  return {
    test,
    evaluate: (ctx) => {
      const explain: ExplainLeaf[] = [];
      const result = rootExplain(ctx, explain);
      return { result, explain };
    },
    eventCountParams: compiler.eventCountParams,
    leafCount: compiler.leafCount,
  };
}
