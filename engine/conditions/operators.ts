import { OPERATORS } from "../schema/conditions";
import type { Operator } from "../schema/conditions";

/**
 * json-rules-engine 7.3.1's built-in operators (dist/engine-default-operators.js), reproduced
 * operation for operation so that every coercion is the same:
 *
 * | operator | json-rules-engine | here |
 * | --- | --- | --- |
 * | `equal` / `notEqual` | `a === b` / `a !== b` | same (a missing fact: `equal` false, `notEqual` true) |
 * | `in` / `notIn` | `b.indexOf(a) > -1` / `=== -1`, `b` the condition value | same; for an array value strict equality (NaN is never found); for a string value String.prototype.indexOf, i.e. substring after `String(a)` |
 * | `contains` / `doesNotContain` | fact validator `Array.isArray(a)`, then `a.indexOf(b)` | same: a fact that is not an array makes **both** false (also when missing) |
 * | `lessThan`, `lessThanInclusive`, `greaterThan`, `greaterThanInclusive` | validator `Number.parseFloat(a).toString() !== 'NaN'`, then JS `<`, `<=`, `>`, `>=` | same: `"12abc"` passes the validator then compares as NaN (false); `"9" < "10"` compares as strings (false); `[5]` is 5; `null`, `true`, `""`, missing are false |
 *
 * Where json-rules-engine throws (and so rejects the whole run) the leaf here is **false**, for positive and
 * negative operators alike: `in`/`notIn` with a value that is neither an array nor a string (a number,
 * null, an object), and a fact or value that cannot be converted to a primitive (an object whose own
 * `toString`/`valueOf` keys shadow the functions, e.g. `{"toString": 1}` parsed from JSON).
 */
export type OperatorTest = (factValue: unknown) => boolean;

export function isOperator(name: unknown): name is Operator {
  return typeof name === "string" && (OPERATORS as readonly string[]).includes(name);
}

function numberValidator(a: unknown): boolean {
  return Number.parseFloat(a as string).toString() !== "NaN";
}

type Compare = (a: unknown, b: unknown) => boolean;

// The casts only silence TypeScript: at run time these are JavaScript's abstract relational comparisons.
const lt: Compare = (a, b) => (a as number) < (b as number);
const le: Compare = (a, b) => (a as number) <= (b as number);
const gt: Compare = (a, b) => (a as number) > (b as number);
const ge: Compare = (a, b) => (a as number) >= (b as number);

function numeric(cmp: Compare, a: unknown, b: unknown): boolean {
  try {
    return numberValidator(a) && cmp(a, b);
  } catch {
    return false;
  }
}

function indexOfIn(b: unknown, a: unknown): number | undefined {
  try {
    return (b as { indexOf(x: unknown): number }).indexOf(a);
  } catch {
    return undefined;
  }
}

/**
 * One operator applied to a fact value and a condition value, exactly as json-rules-engine does except that
 * a throw becomes `false`. The slow, general path; `compileOperator` specialises the common cases.
 */
export function applyOperator(operator: Operator, a: unknown, b: unknown): boolean {
  switch (operator) {
    case "equal":
      return a === b;
    case "notEqual":
      return a !== b;
    case "in": {
      const i = indexOfIn(b, a);
      return i !== undefined && i > -1;
    }
    case "notIn": {
      const i = indexOfIn(b, a);
      return i !== undefined && i === -1;
    }
    case "contains":
      return Array.isArray(a) && a.indexOf(b) > -1;
    case "doesNotContain":
      return Array.isArray(a) && a.indexOf(b) === -1;
    case "lessThan":
      return numeric(lt, a, b);
    case "lessThanInclusive":
      return numeric(le, a, b);
    case "greaterThan":
      return numeric(gt, a, b);
    case "greaterThanInclusive":
      return numeric(ge, a, b);
  }
}

/** Above this many entries an `in`/`notIn` list is looked up through a Set. */
const SET_THRESHOLD = 8;

/**
 * A test of the fact value against a fixed condition value `b`, with the same results as
 * `applyOperator(operator, a, b)` for every `a`. `b` should be private to the caller (compile clones it):
 * no fact value can then be identical to an object inside it, as in json-rules-engine, which clones the
 * conditions on every run.
 */
export function compileOperator(operator: Operator, b: unknown): OperatorTest {
  switch (operator) {
    case "equal":
      return (a) => a === b;
    case "notEqual":
      return (a) => a !== b;
    case "in":
    case "notIn": {
      const positive = operator === "in";
      if (Array.isArray(b)) {
        const list: unknown[] = b;
        if (list.length > SET_THRESHOLD) {
          // Set.has uses SameValueZero; indexOf uses ===. They differ only for NaN, which indexOf never finds.
          const set = new Set<unknown>(list);
          return positive ? (a) => a === a && set.has(a) : (a) => a !== a || !set.has(a);
        }
        return positive ? (a) => list.indexOf(a) > -1 : (a) => list.indexOf(a) === -1;
      }
      if (typeof b === "string") return (a) => applyOperator(operator, a, b);
      return () => false; // json-rules-engine throws: `b.indexOf` is not a function
    }
    case "contains":
      return (a) => Array.isArray(a) && a.indexOf(b) > -1;
    case "doesNotContain":
      return (a) => Array.isArray(a) && a.indexOf(b) === -1;
    case "lessThan":
      return typeof b === "number"
        ? (a) => (typeof a === "number" ? a < b : numeric(lt, a, b))
        : (a) => numeric(lt, a, b);
    case "lessThanInclusive":
      return typeof b === "number"
        ? (a) => (typeof a === "number" ? a <= b : numeric(le, a, b))
        : (a) => numeric(le, a, b);
    case "greaterThan":
      return typeof b === "number"
        ? (a) => (typeof a === "number" ? a > b : numeric(gt, a, b))
        : (a) => numeric(gt, a, b);
    case "greaterThanInclusive":
      return typeof b === "number"
        ? (a) => (typeof a === "number" ? a >= b : numeric(ge, a, b))
        : (a) => numeric(ge, a, b);
  }
}
