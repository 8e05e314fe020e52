import { z } from "zod";

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

const leafSchema: z.ZodType<LeafCondition> = z
  .looseObject({
    fact: z.string().refine((f) => (FACTS as readonly string[]).includes(f), {
      error: (iss) => `unknown fact ${quote(iss.input)}; expected one of ${FACTS.join(", ")}`,
    }),
    operator: z.string().refine((o) => (OPERATORS as readonly string[]).includes(o), {
      error: (iss) => `unknown operator ${quote(iss.input)}; expected one of ${OPERATORS.join(", ")}`,
    }),
    value: z.unknown().refine((v) => v !== undefined, { error: "a condition needs a value" }),
    path: z
      .string()
      .refine((p) => SIMPLE_PATH_RE.test(p), {
        error: (iss) => `bad path ${quote(iss.input)}; use the simple form $.a.b`,
      })
      .optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((leaf, ctx) => {
    const value = leaf.value as unknown;
    if (value !== null && typeof value === "object" && !Array.isArray(value) && "fact" in value) {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: "a value that refers to another fact is not supported",
      });
    }
    if ((leaf.operator === "in" || leaf.operator === "notIn") && !Array.isArray(value)) {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `operator "${leaf.operator}" needs a list value, got ${quote(value)}`,
      });
    }
    if (leaf.fact === "eventCount") {
      const p = leaf.params ?? {};
      if (typeof p.event !== "string" || p.event === "") {
        ctx.addIssue({ code: "custom", path: ["params", "event"], message: "eventCount needs params.event" });
      }
      const hasSince = p.since !== undefined;
      const hasWithin = p.within !== undefined;
      if (hasSince === hasWithin) {
        ctx.addIssue({
          code: "custom",
          path: ["params"],
          message: 'eventCount needs exactly one of params.since ("entry") or params.within (a duration)',
        });
      } else if (hasSince && p.since !== "entry") {
        ctx.addIssue({
          code: "custom",
          path: ["params", "since"],
          message: `since must be "entry", got ${quote(p.since)}`,
        });
      } else if (hasWithin && (typeof p.within !== "string" || !/^\d+[smhdw]$/.test(p.within))) {
        ctx.addIssue({
          code: "custom",
          path: ["params", "within"],
          message: `bad duration ${quote(p.within)}; use a whole number and a unit s, m, h, d or w (e.g. "72h")`,
        });
      }
    }
  }) as unknown as z.ZodType<LeafCondition>;

export const nestedConditionSchema: z.ZodType<NestedCondition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(nestedConditionSchema) }),
    z.strictObject({ any: z.array(nestedConditionSchema) }),
    z.strictObject({ not: nestedConditionSchema }),
    leafSchema,
  ]),
) as z.ZodType<NestedCondition>;

export const topLevelConditionSchema: z.ZodType<TopLevelCondition> = z.union([
  z.strictObject({ all: z.array(nestedConditionSchema) }),
  z.strictObject({ any: z.array(nestedConditionSchema) }),
  z.strictObject({ not: nestedConditionSchema }),
]) as z.ZodType<TopLevelCondition>;

export function isLeaf(c: NestedCondition): c is LeafCondition {
  return "fact" in c;
}
