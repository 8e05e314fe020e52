import { z } from "zod";
import { parseDuration } from "./duration";
import { JOURNEY_LIMITS } from "./limits";

/** json-rules-engine's built-in operators: the only ones a journey may use. */
export const OPERATORS = [
  "equal",
  "notEqual",
  "lessThan",
  "lessThanInclusive",
  "greaterThan",
  "greaterThanInclusive",
  "in",
  "notIn",
  "contains",
  "doesNotContain",
] as const;
export type Operator = (typeof OPERATORS)[number];

/** Facts a condition may read (spec §1 "Facts available to conditions"). */
export const FACTS = ["customer", "traits", "event", "journey", "eventCount"] as const;
export type FactName = (typeof FACTS)[number];

/** The simple JSONPath form `$.a.b` (no filters, wildcards or scripts). */
export const SIMPLE_PATH_RE = /^\$(\.[A-Za-z_$][\w$-]*)+$/;

export interface EventCountParams {
  event: string;
  since?: "entry";
  within?: string;
}

export interface LeafCondition {
  fact: FactName;
  operator: Operator;
  value: unknown;
  path?: string;
  params?: Record<string, unknown>;
}
export type NestedCondition = LeafCondition | AllConditions | AnyConditions | NotConditions;
export interface AllConditions {
  all: NestedCondition[];
}
export interface AnyConditions {
  any: NestedCondition[];
}
export interface NotConditions {
  not: NestedCondition;
}
/** json-rules-engine's top level: `all`, `any` or `not`. */
export type TopLevelCondition = AllConditions | AnyConditions | NotConditions;

const quote = (v: unknown): string => JSON.stringify(v) ?? String(v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export interface ConditionProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Every problem in a condition tree, with its path. Hand-written rather than a zod union so each message
 * names the offending value instead of "invalid input".
 */
export function conditionProblems(
  value: unknown,
  path: (string | number)[] = [],
  top = true,
  depth = 0,
): ConditionProblem[] {
  const out: ConditionProblem[] = [];
  // validateJourney checks this first, iteratively; this guard keeps direct uses of the schema bounded too.
  if (depth > JOURNEY_LIMITS.conditionDepth) {
    out.push({ path, message: `conditions nested more than ${JOURNEY_LIMITS.conditionDepth} groups deep` });
    return out;
  }
  if (!isObject(value)) {
    out.push({
      path,
      message: `a condition must be an object with all, any, not or fact; got ${quote(value)}`,
    });
    return out;
  }
  const groups = (["all", "any", "not"] as const).filter((k) => k in value);
  if (groups.length > 1) {
    out.push({
      path,
      message: `a condition group has exactly one of all, any or not; got ${groups.join(" and ")}`,
    });
    return out;
  }
  const group = groups[0];
  if (group === "all" || group === "any") {
    const list = value[group];
    if (!Array.isArray(list)) {
      out.push({
        path: [...path, group],
        message: `"${group}" must be a list of conditions; got ${quote(list)}`,
      });
      return out;
    }
    list.forEach((c, i) => out.push(...conditionProblems(c, [...path, group, i], false, depth + 1)));
    return out;
  }
  if (group === "not") {
    out.push(...conditionProblems(value.not, [...path, "not"], false, depth + 1));
    return out;
  }
  if (top) {
    out.push({ path, message: "conditions must start with all, any or not" });
    return out;
  }
  if ("condition" in value) {
    out.push({ path, message: `shared condition references (${quote(value.condition)}) are not supported` });
    return out;
  }
  out.push(...leafProblems(value, path));
  return out;
}

function leafProblems(leaf: Record<string, unknown>, path: (string | number)[]): ConditionProblem[] {
  const out: ConditionProblem[] = [];
  const { fact, operator, value } = leaf;
  if (!(FACTS as readonly unknown[]).includes(fact)) {
    out.push({
      path: [...path, "fact"],
      message: `unknown fact ${quote(fact)}; expected one of ${FACTS.join(", ")}`,
    });
  }
  if (!(OPERATORS as readonly unknown[]).includes(operator)) {
    out.push({
      path: [...path, "operator"],
      message: `unknown operator ${quote(operator)}; expected one of ${OPERATORS.join(", ")}`,
    });
  }
  if (value === undefined) {
    out.push({ path: [...path, "value"], message: "a condition needs a value" });
  } else if (isObject(value) && "fact" in value) {
    out.push({ path: [...path, "value"], message: "a value that refers to another fact is not supported" });
  } else if ((operator === "in" || operator === "notIn") && !Array.isArray(value)) {
    out.push({
      path: [...path, "value"],
      message: `operator "${operator}" needs a list value; got ${quote(value)}`,
    });
  }
  if (leaf.path !== undefined && (typeof leaf.path !== "string" || !SIMPLE_PATH_RE.test(leaf.path))) {
    out.push({ path: [...path, "path"], message: `bad path ${quote(leaf.path)}; use the simple form $.a.b` });
  }
  if (leaf.params !== undefined && !isObject(leaf.params)) {
    out.push({ path: [...path, "params"], message: `params must be an object; got ${quote(leaf.params)}` });
  }
  if (fact === "eventCount") {
    const p = isObject(leaf.params) ? leaf.params : {};
    if (typeof p.event !== "string" || p.event === "") {
      out.push({
        path: [...path, "params", "event"],
        message: `eventCount needs params.event; got ${quote(p.event)}`,
      });
    }
    const hasSince = p.since !== undefined;
    const hasWithin = p.within !== undefined;
    if (hasSince === hasWithin) {
      out.push({
        path: [...path, "params"],
        message: 'eventCount needs exactly one of params.since ("entry") or params.within (a duration)',
      });
    } else if (hasSince && p.since !== "entry") {
      out.push({
        path: [...path, "params", "since"],
        message: `since must be "entry"; got ${quote(p.since)}`,
      });
    } else if (hasWithin && parseDuration(p.within) === null) {
      out.push({
        path: [...path, "params", "within"],
        message: `bad duration ${quote(p.within)}; use a whole number and a unit s, m, h, d or w (e.g. "72h")`,
      });
    }
  }
  return out;
}

/** A zod schema for a top-level condition whose issues come from `conditionProblems`. */
export const topLevelConditionSchema = z.unknown().superRefine((value, ctx) => {
  for (const p of conditionProblems(value))
    ctx.addIssue({ code: "custom", path: p.path, message: p.message, input: value });
}) as unknown as z.ZodType<TopLevelCondition>;

export function isLeaf(c: NestedCondition): c is LeafCondition {
  return "fact" in c;
}
