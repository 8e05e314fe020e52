import type { EventCountParams } from "../schema/conditions";

/**
 * What the engine supplies to a condition: the values behind the facts of spec §1
 * "Facts available to conditions". Plain JSON-like data; `eventCount` is a synchronous
 * lookup (the engine prefetches the counts named by `CompiledCondition.eventCountParams`).
 */
export interface FactContext {
  /** The profile: `{id, traits, ...computed state}`. */
  customer: Record<string, unknown>;
  /** The event that triggered entry or matched a wait; `undefined` when there is none. */
  event: { name: string; properties: Record<string, unknown>; timestamp: string } | undefined;
  journey: { enteredAt: string; hoursInJourney: number; branch?: string | undefined };
  /** Engine-provided lookup: how many such events the customer has. */
  eventCount(params: EventCountParams): number;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Reads an own property of an object or array; anything else (or an inherited property) is `undefined`. */
export function ownProperty(value: unknown, key: string): unknown {
  if (value === null || typeof value !== "object") return undefined;
  return hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

const EMPTY_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The value of a fact by name, before any path. `traits` is `customer.traits`; `eventCount`
 * calls the engine's lookup with the condition's params (`{}` when absent, as json-rules-engine
 * does); an unknown fact name is `undefined` (json-rules-engine with `allowUndefinedFacts`).
 */
export function resolveFact(ctx: FactContext, name: string, params?: Record<string, unknown>): unknown {
  switch (name) {
    case "customer":
      return ctx.customer;
    case "traits":
      return ownProperty(ctx.customer, "traits");
    case "event":
      return ctx.event;
    case "journey":
      return ctx.journey;
    case "eventCount":
      return ctx.eventCount((params ?? EMPTY_PARAMS) as unknown as EventCountParams);
    default:
      return undefined;
  }
}

/** `$.a.b` → `["a", "b"]`. Same grammar as the schema's SIMPLE_PATH_RE; anything else is `undefined`. */
const SEGMENT_PATH_RE = /^\$(?:\.[A-Za-z_$][\w$-]*)+$/;

export function parsePath(path: unknown): readonly string[] | undefined {
  if (typeof path !== "string" || !SEGMENT_PATH_RE.test(path)) return undefined;
  return path.slice(2).split(".");
}

/**
 * Walks own properties only: a missing key, an inherited key (`constructor`, `__proto__` unless it is an
 * own data key, `toString`…) or a step into a non-object gives `undefined`. Never throws.
 */
export function getPath(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (let i = 0; i < segments.length; i++) {
    if (current === null || typeof current !== "object") return undefined;
    const key = segments[i] as string;
    if (!hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const pathCache = new Map<string, readonly string[] | null>();

/**
 * The simple JSONPath resolver `$.a.b` (also json-rules-engine's `pathResolver` in the reference).
 * An invalid path resolves to `undefined`; never throws.
 */
export function resolvePath(value: unknown, path: string): unknown {
  let segments = pathCache.get(path);
  if (segments === undefined) {
    segments = parsePath(path) ?? null;
    if (pathCache.size < 10_000) pathCache.set(path, segments);
  }
  return segments === null ? undefined : getPath(value, segments);
}

/**
 * A condition's left-hand side exactly as json-rules-engine 7.3.1's Almanac computes it: the fact value,
 * then, if the condition has a (non-empty) path and the fact value is a non-null object (arrays included),
 * the path resolved in it. A path on a primitive or missing fact gives the fact value itself
 * (e.g. `{fact: "eventCount", path: "$.x"}` is the count) — a json-rules-engine quirk kept on purpose.
 */
export function leftHandSide(
  ctx: FactContext,
  fact: string,
  params: Record<string, unknown> | undefined,
  path: string | undefined,
): unknown {
  const value = resolveFact(ctx, fact, params);
  if (path && value !== null && typeof value === "object") return resolvePath(value, path);
  return value;
}
