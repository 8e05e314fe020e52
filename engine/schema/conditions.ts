import { z } from "zod";
import { parseDuration } from "./duration";
import { JOURNEY_LIMITS } from "./limits";
import { issueMessage } from "./messages";
import type { IssueCode, IssueParams } from "./messages";

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

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export interface ConditionProblem {
  path: (string | number)[];
  message: string;
  code: IssueCode;
  params: IssueParams;
}

const problem = (path: (string | number)[], code: IssueCode, params: IssueParams = {}): ConditionProblem => ({
  path,
  message: issueMessage(code, params),
  code,
  params,
});

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
    out.push(problem(path, "limit.condition_depth", { limit: JOURNEY_LIMITS.conditionDepth }));
    return out;
  }
  if (!isObject(value)) {
    out.push(problem(path, "condition.not_object", { got: value }));
    return out;
  }
  const groups = (["all", "any", "not"] as const).filter((k) => k in value);
  if (groups.length > 1) {
    out.push(problem(path, "condition.several_groups", { groups }));
    return out;
  }
  const group = groups[0];
  if (group === "all" || group === "any") {
    const list = value[group];
    if (!Array.isArray(list)) {
      out.push(problem([...path, group], "condition.group_not_list", { group, got: list }));
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
    out.push(problem(path, "condition.top_level"));
    return out;
  }
  if ("condition" in value) {
    out.push(problem(path, "condition.shared_reference", { got: value.condition }));
    return out;
  }
  out.push(...leafProblems(value, path));
  return out;
}

function leafProblems(leaf: Record<string, unknown>, path: (string | number)[]): ConditionProblem[] {
  const out: ConditionProblem[] = [];
  const { fact, operator, value } = leaf;
  if (!(FACTS as readonly unknown[]).includes(fact)) {
    out.push(problem([...path, "fact"], "condition.unknown_fact", { got: fact, expected: FACTS }));
  }
  if (!(OPERATORS as readonly unknown[]).includes(operator)) {
    out.push(
      problem([...path, "operator"], "condition.unknown_operator", { got: operator, expected: OPERATORS }),
    );
  }
  if (value === undefined) {
    out.push(problem([...path, "value"], "condition.no_value"));
  } else if (isObject(value) && "fact" in value) {
    out.push(problem([...path, "value"], "condition.fact_value"));
  } else if ((operator === "in" || operator === "notIn") && !Array.isArray(value)) {
    out.push(problem([...path, "value"], "condition.list_value", { operator, got: value }));
  }
  if (leaf.path !== undefined && (typeof leaf.path !== "string" || !SIMPLE_PATH_RE.test(leaf.path))) {
    out.push(problem([...path, "path"], "condition.bad_path", { got: leaf.path }));
  }
  if (leaf.params !== undefined && !isObject(leaf.params)) {
    out.push(problem([...path, "params"], "condition.params_not_object", { got: leaf.params }));
  }
  if (fact === "eventCount") {
    const p = isObject(leaf.params) ? leaf.params : {};
    if (typeof p.event !== "string" || p.event === "") {
      out.push(problem([...path, "params", "event"], "condition.event_count_event", { got: p.event }));
    }
    const hasSince = p.since !== undefined;
    const hasWithin = p.within !== undefined;
    if (hasSince === hasWithin) {
      out.push(problem([...path, "params"], "condition.event_count_window"));
    } else if (hasSince && p.since !== "entry") {
      out.push(problem([...path, "params", "since"], "condition.event_count_since", { got: p.since }));
    } else if (hasWithin && parseDuration(p.within) === null) {
      out.push(problem([...path, "params", "within"], "value.duration", { got: p.within }));
    }
  }
  return out;
}

/** A zod schema for a top-level condition whose issues come from `conditionProblems`. */
export const topLevelConditionSchema = z.unknown().superRefine((value, ctx) => {
  for (const p of conditionProblems(value))
    ctx.addIssue({
      code: "custom",
      path: p.path,
      message: p.message,
      input: value,
      params: { code: p.code, ...p.params },
    });
}) as unknown as z.ZodType<TopLevelCondition>;

/** One leaf condition as evaluated: the run log's "why". */
export interface ExplainLeaf {
  fact: FactName;
  /** The leaf's path, `undefined` when it has none. */
  path?: string;
  /** The leaf's params, `undefined` when it has none. */
  params?: Record<string, unknown>;
  /** The value seen: the fact after its path (json-rules-engine's `factResult`). */
  value: unknown;
  operator: Operator;
  /** The condition's value (json-rules-engine's `valueResult`): the compiled, frozen copy. */
  expected: unknown;
  result: boolean;
}
