import { describe, expect, it } from "vitest";
import type { EventCountParams, LeafCondition, Operator, TopLevelCondition } from "../schema/conditions";
import { ConditionCompileError, compileCondition, copyConditionValue } from "./compile";
import type { FactContext } from "./facts";
import { leftHandSide, parsePath, resolveFact, resolvePath } from "./facts";
import { applyOperator } from "./operators";
import { evaluateReference } from "./reference";

function makeCtx(over: Partial<FactContext> = {}): FactContext {
  return {
    customer: {
      id: "c-1001",
      traits: { city: "Shanghai", email: "li@example.com", tags: ["vip", "beta"], age: 34, score: "12.5" },
      stage: "at_risk",
      ordersCount: 3,
      totalSpent: 388.5,
      daysSinceLastOrder: 45,
      rfm: { r: 2, f: 3, m: 4 },
      lastOrderAt: null,
    },
    event: {
      name: "churn_signal",
      properties: { revenue: 129.5, items: [1, 2] },
      timestamp: "2026-03-02T10:30:00Z",
    },
    journey: { enteredAt: "2026-03-01T08:00:00Z", hoursInJourney: 72, branch: "a" },
    eventCount: (p: EventCountParams) => (p.event === "order_completed" ? (p.since === "entry" ? 0 : 2) : 5),
    ...over,
  };
}

const leaf = (
  fact: LeafCondition["fact"],
  operator: Operator,
  value: unknown,
  path?: string,
): LeafCondition => (path === undefined ? { fact, operator, value } : { fact, operator, value, path });

/** Both the compiled evaluator and json-rules-engine must give `want`. */
async function check(cond: TopLevelCondition, want: boolean, ctx = makeCtx()): Promise<void> {
  const compiled = compileCondition(cond);
  const evaluation = compiled.evaluate(ctx);
  expect(compiled.test(ctx)).toBe(want);
  expect(evaluation.result).toBe(want);
  const reference = await evaluateReference(cond, ctx);
  expect(reference.result).toBe(want);
  expect(evaluation.explain).toEqual(reference.explain);
}

/** A single leaf whose fact value is `a` (customer.$.x) against value `b`. */
async function op(operator: Operator, a: unknown, b: unknown, want: boolean): Promise<void> {
  const customer: Record<string, unknown> = { id: "c" };
  if (a !== MISSING) customer.x = a;
  await check({ all: [leaf("customer", operator, b, "$.x")] }, want, makeCtx({ customer }));
  expect(applyOperator(operator, a === MISSING ? undefined : a, copyConditionValue(b))).toBe(want);
}
const MISSING = Symbol("missing");

describe("operators (compiled = json-rules-engine = expectation)", () => {
  const cases: [Operator, unknown, unknown, boolean][] = [
    ["equal", 1, 1, true],
    ["equal", "1", 1, false],
    ["equal", null, null, true],
    ["equal", MISSING, null, false],
    ["equal", MISSING, "x", false],
    ["equal", true, true, true],
    ["equal", [1], [1], false], // objects compare by identity
    ["equal", { a: 1 }, { a: 1 }, false],
    ["notEqual", MISSING, "x", true],
    ["notEqual", MISSING, null, true],
    ["notEqual", "a", "a", false],
    ["notEqual", 0, "0", true],
    ["notEqual", [1], [1], true],
    ["in", "vip", ["vip", "gold"], true],
    ["in", "VIP", ["vip", "gold"], false],
    ["in", 1, ["1"], false],
    ["in", MISSING, ["a"], false],
    ["in", null, [null], true],
    ["in", 7, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], true], // Set path
    ["in", "7", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], false],
    ["in", Number.NaN, [Number.NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9], false],
    ["in", "ell", "hello", true], // string value: substring, as in json-rules-engine
    ["in", MISSING, "undefined!", true], // String(undefined)
    ["in", "x", 5, false], // json-rules-engine throws: false here
    ["in", "x", null, false],
    ["in", "x", { a: 1 }, false],
    ["notIn", "x", ["a", "b"], true],
    ["notIn", "a", ["a", "b"], false],
    ["notIn", MISSING, ["a"], true],
    ["notIn", Number.NaN, [Number.NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9], true],
    ["notIn", "zz", "hello", true],
    ["notIn", "x", 5, false], // throws in json-rules-engine: false, not true
    ["contains", ["vip", "beta"], "vip", true],
    ["contains", ["vip", "beta"], "gold", false],
    ["contains", "vipbeta", "vip", false], // fact must be an array
    ["contains", MISSING, "vip", false],
    ["contains", [1, 2], "1", false],
    ["contains", [[1]], [1], false],
    ["doesNotContain", ["vip"], "gold", true],
    ["doesNotContain", ["vip"], "vip", false],
    ["doesNotContain", MISSING, "vip", false], // not an array: false, not true
    ["doesNotContain", "abc", "x", false],
    ["doesNotContain", null, "x", false],
    ["lessThan", 1, 2, true],
    ["lessThan", 2, 2, false],
    ["lessThan", "1", 2, true],
    ["lessThan", "12abc", 20, false], // passes parseFloat, compares as NaN
    ["lessThan", "9", "10", false], // string comparison
    ["lessThan", " 3", 4, true],
    ["lessThan", "abc", 1, false],
    ["lessThan", "", 1, false],
    ["lessThan", null, 1, false],
    ["lessThan", true, 2, false],
    ["lessThan", MISSING, 1, false],
    ["lessThan", [5], 10, true], // [5] → "5"
    ["lessThan", [], 10, false],
    ["lessThan", { a: 1 }, 10, false],
    ["lessThan", Number.NaN, 1, false],
    ["lessThan", 1, "2", true],
    ["lessThan", 1, null, false],
    ["lessThan", -1, null, true], // null → 0
    ["lessThan", { toString: 1 }, 10, false], // json-rules-engine throws: false
    ["lessThanInclusive", 2, 2, true],
    ["lessThanInclusive", "2", 2, true],
    ["lessThanInclusive", "Infinity", 2, false],
    ["lessThanInclusive", MISSING, 0, false],
    ["greaterThan", 3, 2, true],
    ["greaterThan", "3", "20", true], // string comparison
    ["greaterThan", "1e3", 999, true],
    ["greaterThan", "Infinity", 1e300, true],
    ["greaterThan", MISSING, -1, false],
    ["greaterThan", null, -1, false], // fails the validator before comparing
    ["greaterThan", 5, [4], true],
    ["greaterThan", 5, { toString: 1 }, false], // the value is cloned to {} → "[object Object]" → NaN
    ["lessThan", "9", [{ toString: 1 }], true], // cloned to [{}]: "9" < "[object Object]" as strings
    ["greaterThanInclusive", 2, 2, true],
    ["greaterThanInclusive", 1, 2, false],
    ["greaterThanInclusive", "0x10", 0, true], // parseFloat("0x10") = 0 passes; Number("0x10") = 16
    ["greaterThanInclusive", false, 0, false],
  ];
  for (const [operator, a, b, want] of cases) {
    const label = (v: unknown): string =>
      v === MISSING ? "missing" : typeof v === "number" ? String(v) : (JSON.stringify(v) ?? String(v));
    it(`${label(a)} ${operator} ${label(b)} → ${want}`, async () => {
      if (
        (operator.startsWith("in") && !Array.isArray(b) && typeof b !== "string") ||
        (operator.startsWith("notIn") && !Array.isArray(b) && typeof b !== "string") ||
        (a !== null && typeof a === "object" && Object.hasOwn(a, "toString"))
      ) {
        // json-rules-engine rejects the run; the compiled leaf is false.
        const customer: Record<string, unknown> = { id: "c", x: a };
        const cond: TopLevelCondition = { all: [leaf("customer", operator, b, "$.x")] };
        await expect(evaluateReference(cond, makeCtx({ customer }))).rejects.toThrow();
        expect(compileCondition(cond).test(makeCtx({ customer }))).toBe(false);
        expect(compileCondition({ not: cond }).test(makeCtx({ customer }))).toBe(true);
        expect(applyOperator(operator, a, b)).toBe(false);
        return;
      }
      await op(operator, a, b, want);
    });
  }
});

describe("facts and paths", () => {
  it("reads each fact", async () => {
    await check({ all: [leaf("customer", "equal", "c-1001", "$.id")] }, true);
    await check({ all: [leaf("traits", "equal", "Shanghai", "$.city")] }, true);
    await check({ all: [leaf("customer", "equal", "Shanghai", "$.traits.city")] }, true);
    await check({ all: [leaf("customer", "equal", 4, "$.rfm.m")] }, true);
    await check({ all: [leaf("event", "equal", "churn_signal", "$.name")] }, true);
    await check({ all: [leaf("event", "greaterThan", 100, "$.properties.revenue")] }, true);
    await check({ all: [leaf("journey", "greaterThanInclusive", 72, "$.hoursInJourney")] }, true);
    await check({ all: [leaf("journey", "in", ["a", "b"], "$.branch")] }, true);
    await check({ all: [leaf("traits", "contains", "vip", "$.tags")] }, true);
    await check({ all: [leaf("traits", "greaterThan", 12, "$.score")] }, true);
    await check({ all: [leaf("customer", "equal", null, "$.lastOrderAt")] }, true);
  });

  it("eventCount passes its params and exposes them for prefetch", async () => {
    const since = {
      fact: "eventCount",
      params: { event: "order_completed", since: "entry" },
      operator: "equal",
      value: 0,
    };
    const within = {
      fact: "eventCount",
      params: { event: "order_completed", within: "30d" },
      operator: "equal",
      value: 2,
    };
    const cond = { all: [since, { any: [within, { not: since }] }] } as TopLevelCondition;
    await check(cond, true);
    expect(compileCondition(cond).eventCountParams).toEqual([
      { event: "order_completed", since: "entry" },
      { event: "order_completed", within: "30d" },
    ]);
    const seen: EventCountParams[] = [];
    compileCondition(cond).test(makeCtx({ eventCount: (p) => (seen.push(p), 0) }));
    expect(seen[0]).toEqual({ event: "order_completed", since: "entry" });
  });

  it("a missing fact or path is undefined: equal false, notEqual true", async () => {
    const noEvent = makeCtx({ event: undefined });
    await check({ all: [leaf("event", "equal", "x", "$.name")] }, false, noEvent);
    await check({ all: [leaf("event", "notEqual", "x", "$.name")] }, true, noEvent);
    await check({ all: [leaf("customer", "equal", "x", "$.nope.deeper.still")] }, false);
    await check({ all: [leaf("customer", "notEqual", "x", "$.nope.deeper.still")] }, true);
    await check({ all: [leaf("customer", "notEqual", "x", "$.id.length")] }, true); // no stepping into strings
    const noTraits = makeCtx({ customer: { id: "c" } });
    await check({ all: [leaf("traits", "notEqual", "x", "$.city")] }, true, noTraits);
    await check({ all: [leaf("traits", "equal", "x", "$.city")] }, false, noTraits);
  });

  it("never reaches the prototype", async () => {
    for (const path of [
      "$.constructor",
      "$.toString",
      "$.__proto__",
      "$.hasOwnProperty",
      "$.traits.constructor",
    ]) {
      await check({ all: [leaf("customer", "equal", undefined, path)] }, true);
      const c = compileCondition({ all: [leaf("customer", "notEqual", undefined, path)] });
      expect(c.evaluate(makeCtx()).explain[0]?.value).toBeUndefined();
    }
    expect(resolvePath({}, "$.constructor")).toBeUndefined();
    expect(resolvePath([], "$.map")).toBeUndefined();
    expect(resolvePath({ a: Object.create({ b: 1 }) as object }, "$.a.b")).toBeUndefined();
    // an own data key named __proto__ (as JSON.parse makes it) is readable
    const parsed = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    expect(resolvePath(parsed, "$.__proto__.x")).toBe(1);
    await check(
      { all: [leaf("traits", "equal", 1, "$.__proto__.x")] },
      true,
      makeCtx({ customer: { id: "c", traits: parsed } }),
    );
  });

  it("arrays: own properties only (length yes, methods no)", async () => {
    await check({ all: [leaf("traits", "equal", 2, "$.tags.length")] }, true);
    await check({ all: [leaf("traits", "equal", undefined, "$.tags.map")] }, true);
  });

  it("a path on a primitive fact gives the fact itself (json-rules-engine quirk)", async () => {
    await check({ all: [leaf("eventCount", "equal", 5, "$.whatever")] }, true, makeCtx());
    const strTraits = makeCtx({ customer: { id: "c", traits: "plain" } });
    await check({ all: [leaf("traits", "equal", "plain", "$.city")] }, true, strTraits);
    expect(leftHandSide(strTraits, "traits", undefined, "$.city")).toBe("plain");
    await check(
      { all: [leaf("traits", "equal", null, "$.city")] },
      true,
      makeCtx({ customer: { traits: null } }),
    );
  });

  it("an invalid path resolves to undefined on objects", async () => {
    await check({ all: [leaf("customer", "equal", undefined, "$..id")] }, true);
    await check({ all: [leaf("customer", "equal", undefined, "$[0]")] }, true);
    await check({ all: [leaf("customer", "equal", undefined, "id")] }, true);
    expect(parsePath("$.a.b")).toEqual(["a", "b"]);
    expect(parsePath("$.a-b.$c_d")).toEqual(["a-b", "$c_d"]);
    expect(parsePath("$")).toBeUndefined();
    expect(parsePath("$.a[0]")).toBeUndefined();
    expect(parsePath(42)).toBeUndefined();
  });

  it("an empty path means no path", async () => {
    const cond = {
      all: [{ fact: "journey", operator: "notEqual", value: null, path: "" }],
    } as TopLevelCondition;
    await check(cond, true);
    expect(compileCondition(cond).evaluate(makeCtx()).explain[0]?.value).toEqual(makeCtx().journey);
  });

  it("an unknown fact is undefined", async () => {
    const cond = { all: [{ fact: "nope", operator: "equal", value: 1 }] } as unknown as TopLevelCondition;
    await check(cond, false);
    expect(resolveFact(makeCtx(), "nope")).toBeUndefined();
  });
});

describe("boolean structure", () => {
  const T = leaf("customer", "equal", "c-1001", "$.id");
  const F = leaf("customer", "equal", "other", "$.id");
  it("all / any / not, nested", async () => {
    await check({ all: [T, T, T] }, true);
    await check({ all: [T, F, T] }, false);
    await check({ any: [F, F, T] }, true);
    await check({ any: [F, F, F] }, false);
    await check({ any: [F, T] }, true);
    await check({ all: [T, F] }, false);
    await check({ not: T }, false);
    await check({ not: F }, true);
    await check({ not: { not: T } }, true);
    await check({ all: [{ any: [F, { not: F }] }, { not: { all: [T, F] } }] }, true);
  });

  it("empty all and empty any are both true (json-rules-engine)", async () => {
    await check({ all: [] }, true);
    await check({ any: [] }, true);
    await check({ not: { any: [] } }, false);
    await check({ all: [F, { any: [] }] }, false);
    await check({ any: [F, { all: [] }] }, true);
  });

  it("evaluate explains every leaf in document order, test short-circuits", async () => {
    const cond: TopLevelCondition = { any: [T, { not: F }, { all: [F, T] }] };
    const c = compileCondition(cond);
    const ev = c.evaluate(makeCtx());
    expect(ev.result).toBe(true);
    expect(c.leafCount).toBe(4);
    expect(ev.explain.map((e) => e.result)).toEqual([true, false, false, true]);
    expect(ev.explain[0]).toEqual({
      fact: "customer",
      path: "$.id",
      params: undefined,
      value: "c-1001",
      operator: "equal",
      expected: "c-1001",
      result: true,
    });
    expect((await evaluateReference(cond, makeCtx())).explain).toEqual(ev.explain);
    let calls = 0;
    const counting = compileCondition({
      any: [T, { fact: "eventCount", params: { event: "x", since: "entry" }, operator: "equal", value: 1 }],
    });
    counting.test(makeCtx({ eventCount: () => ++calls }));
    expect(calls).toBe(0);
    counting.evaluate(makeCtx({ eventCount: () => ++calls }));
    expect(calls).toBe(1);
  });

  it("values are private: mutating the document after compiling changes nothing", () => {
    const list = ["a"];
    const c = compileCondition({ all: [leaf("traits", "in", list, "$.city")] });
    list.push("Shanghai");
    expect(c.test(makeCtx())).toBe(false);
  });

  it("compiled values are frozen: the explanation cannot corrupt the condition", () => {
    const c = compileCondition({ all: [leaf("traits", "in", ["Beijing"], "$.city")] });
    const expected = c.evaluate(makeCtx()).explain[0]?.expected as string[];
    expect(() => expected.push("Shanghai")).toThrow(TypeError);
    expect(c.test(makeCtx())).toBe(false);
    const withCount = compileCondition({
      all: [{ fact: "eventCount", params: { event: "x", since: "entry" }, operator: "equal", value: 0 }],
    });
    expect(Object.isFrozen(withCount.eventCountParams[0])).toBe(true);
  });

  it("an object value is never equal to a fact, even the same object (json-rules-engine clones)", async () => {
    const shared = { k: 1 };
    await check(
      { all: [leaf("traits", "equal", shared, "$.o")] },
      false,
      makeCtx({ customer: { traits: { o: shared } } }),
    );
    await check(
      { all: [leaf("traits", "contains", shared, "$.arr")] },
      false,
      makeCtx({ customer: { traits: { arr: [shared] } } }),
    );
  });
});

describe("compile errors (what json-rules-engine refuses)", () => {
  const bad: [string, unknown][] = [
    ["leaf at the root", { fact: "customer", operator: "equal", value: 1 }],
    ["empty root", {}],
    ["all not an array", { all: { fact: "customer", operator: "equal", value: 1 } }],
    ["not an array", { not: [] }],
    ["unknown operator", { all: [{ fact: "customer", operator: "startsWith", value: "a" }] }],
    ["missing value", { all: [{ fact: "customer", operator: "equal" }] }],
    ["missing operator", { all: [{ fact: "customer", value: 1 }] }],
    ["missing fact", { all: [{ operator: "equal", value: 1 }] }],
    ["condition reference", { all: [{ condition: "shared" }] }],
    ["fact reference value", { all: [{ fact: "customer", operator: "equal", value: { fact: "journey" } }] }],
    ["non-object child", { any: [null] }],
  ];
  for (const [name, cond] of bad) {
    it(name, () => {
      expect(() => compileCondition(cond as TopLevelCondition)).toThrow(ConditionCompileError);
    });
  }
  it("locates the problem", () => {
    try {
      compileCondition({
        all: [{ not: { fact: "customer", operator: "nope", value: 1 } }],
      } as unknown as TopLevelCondition);
      expect.unreachable();
    } catch (e) {
      expect((e as ConditionCompileError).path).toEqual(["all", 0, "not", "operator"]);
    }
  });
  it("any takes precedence over all, as in json-rules-engine", async () => {
    const T = leaf("customer", "equal", "c-1001", "$.id");
    const F = leaf("customer", "equal", "x", "$.id");
    await check({ all: [F], any: [T] }, true);
  });
});
