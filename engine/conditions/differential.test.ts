import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  EventCountParams,
  FactName,
  LeafCondition,
  NestedCondition,
  Operator,
  TopLevelCondition,
} from "../schema/conditions";
import { OPERATORS } from "../schema/conditions";
import { compileCondition } from "./compile";
import type { FactContext } from "./facts";
import { evaluateReference } from "./reference";

/**
 * The compiled evaluator against real json-rules-engine 7.3.1 over generated conditions and facts: the same
 * result and the same per-leaf explanation. Where json-rules-engine rejects the run (an operator that
 * throws), every leaf is re-run alone: those that throw must be false here, the others must agree.
 */

const KEYS = [
  "a",
  "b",
  "city",
  "tags",
  "n",
  "length",
  "constructor",
  "toString",
  "valueOf",
  "__proto__",
] as const;
const VALUE_KEYS = KEYS.filter((k) => k !== "__proto__"); // documented: a __proto__ key in a *value* is dropped

const numericStrings = fc.constantFrom(
  "1",
  "10",
  "9",
  " 3",
  "-2.5",
  "12abc",
  "1e3",
  "0x10",
  "Infinity",
  "",
  "abc",
  "NaN",
);
const primitive: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 12 }) },
  { weight: 1, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, -0) },
  { weight: 3, arbitrary: numericStrings },
  { weight: 2, arbitrary: fc.constantFrom("a", "b", "vip", "Shanghai", "undefined", "[object Object]") },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.constant(null) },
);

function jsonValue(keys: readonly string[]): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { maxDepth: 3, depthIdentifier: `v${keys.length}` },
      { weight: 6, arbitrary: primitive },
      { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 4 }) },
      {
        weight: 1,
        arbitrary: fc
          .array(fc.tuple(fc.constantFrom(...keys), tie("value")), { maxLength: 4 })
          .map((entries) => Object.fromEntries(entries) as unknown), // own data keys, __proto__ included
      },
    ),
  }));
  return value;
}
const factValue = jsonValue(KEYS);
const conditionValue = jsonValue(VALUE_KEYS);

/** An object whose keys come from the pool, so generated paths often hit. */
const record = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .array(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 6 })
    .map((e) => Object.fromEntries(e) as Record<string, unknown>);

const contextArb: fc.Arbitrary<FactContext> = fc
  .record({
    customer: record(factValue),
    traits: fc.option(
      fc.oneof({ weight: 5, arbitrary: record(factValue) }, { weight: 1, arbitrary: factValue }),
      {
        nil: undefined,
      },
    ),
    event: fc.option(
      fc.record({
        name: fc.constantFrom("order_completed", "x"),
        properties: record(factValue),
        timestamp: fc.constant("t"),
      }),
      { nil: undefined },
    ),
    journey: fc.record({
      enteredAt: fc.constant("2026-03-01T08:00:00Z"),
      hoursInJourney: fc.oneof(
        fc.integer({ min: 0, max: 200 }),
        fc.double({ noNaN: true, min: 0, max: 500 }),
      ),
      branch: fc.option(fc.constantFrom("a", "b"), { nil: undefined }),
    }),
    counts: fc.record({ o: factValue, v: fc.nat(5) }),
  })
  .map(({ customer, traits, event, journey, counts }) => {
    if (traits !== undefined) customer.traits = traits;
    return {
      customer,
      event: event,
      journey,
      eventCount: (p: EventCountParams) => (p.event === "o" ? counts.o : counts.v) as number,
    };
  });

const pathArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 6,
    arbitrary: fc
      .array(fc.constantFrom(...KEYS, "traits", "properties", "name", "hoursInJourney", "branch"), {
        minLength: 1,
        maxLength: 3,
      })
      .map((segs) => `$.${segs.join(".")}`),
  },
  { weight: 1, arbitrary: fc.constantFrom("", "$..a", "$[0]", "a.b", "$") },
);

const paramsArb = fc.oneof(
  fc.record({ event: fc.constantFrom("o", "v"), since: fc.constant("entry" as const) }),
  fc.record({ event: fc.constantFrom("o", "v"), within: fc.constantFrom("30d", "72h") }),
);

const inList = fc.array(primitive, { maxLength: 12 });
const leafArb: fc.Arbitrary<LeafCondition> = fc
  .record({
    fact: fc.oneof(
      {
        weight: 12,
        arbitrary: fc.constantFrom<FactName>("customer", "traits", "event", "journey", "eventCount"),
      },
      { weight: 1, arbitrary: fc.constant("unknownFact" as FactName) },
    ),
    operator: fc.constantFrom<Operator>(...OPERATORS),
    path: pathArb,
    params: paramsArb,
    anyValue: conditionValue,
    list: fc.oneof({ weight: 12, arbitrary: inList }, { weight: 1, arbitrary: conditionValue }),
  })
  .map(({ fact, operator, path, params, anyValue, list }) => {
    const value = operator === "in" || operator === "notIn" ? list : anyValue;
    const leaf: LeafCondition = { fact, operator, value };
    if (path !== undefined) leaf.path = path;
    if (fact === "eventCount") leaf.params = params;
    return leaf;
  });

const { node: nodeArb } = fc.letrec<{ node: NestedCondition }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 4, depthIdentifier: "cond" },
    { weight: 3, arbitrary: leafArb },
    { weight: 1, arbitrary: fc.array(tie("node"), { maxLength: 4 }).map((all) => ({ all })) },
    { weight: 1, arbitrary: fc.array(tie("node"), { maxLength: 4 }).map((any) => ({ any })) },
    { weight: 1, arbitrary: tie("node").map((not) => ({ not })) },
  ),
}));
const topArb: fc.Arbitrary<TopLevelCondition> = fc.oneof(
  { weight: 3, arbitrary: fc.array(nodeArb, { maxLength: 5 }).map((all) => ({ all })) },
  { weight: 3, arbitrary: fc.array(nodeArb, { maxLength: 5 }).map((any) => ({ any })) },
  { weight: 1, arbitrary: nodeArb.map((not) => ({ not })) },
);

function leavesOf(c: NestedCondition, out: LeafCondition[] = []): LeafCondition[] {
  if ("all" in c) for (const x of c.all) leavesOf(x, out);
  else if ("any" in c) for (const x of c.any) leavesOf(x, out);
  else if ("not" in c) leavesOf(c.not, out);
  else out.push(c);
  return out;
}

const stats = { runs: 0, leaves: 0, trueResults: 0, rejected: 0 };

describe("compiled conditions = json-rules-engine (differential)", () => {
  it("agrees on generated conditions and facts", async () => {
    await fc.assert(
      fc.asyncProperty(topArb, contextArb, async (cond, ctx) => {
        const compiled = compileCondition(cond);
        const mine = compiled.evaluate(ctx);
        expect(compiled.test(ctx)).toBe(mine.result);
        expect(mine.explain).toHaveLength(compiled.leafCount);
        stats.runs++;
        stats.leaves += compiled.leafCount;
        let reference;
        try {
          reference = await evaluateReference(cond, ctx);
        } catch {
          reference = undefined;
        }
        if (reference !== undefined) {
          if (mine.result) stats.trueResults++;
          expect(mine.result).toBe(reference.result);
          expect(mine.explain).toEqual(reference.explain);
          return;
        }
        stats.rejected++;
        const leaves = leavesOf(cond);
        let threw = 0;
        for (const [i, leaf] of leaves.entries()) {
          try {
            const alone = await evaluateReference({ all: [leaf] }, ctx);
            expect(mine.explain[i]).toEqual(alone.explain[0]);
          } catch {
            threw++;
            expect(mine.explain[i]?.result).toBe(false);
          }
        }
        expect(threw).toBeGreaterThan(0);
      }),
      { numRuns: 8000 },
    );
    expect(stats.runs).toBeGreaterThanOrEqual(8000);
    // the generator must exercise both outcomes, not only the trivial one
    expect(stats.trueResults).toBeGreaterThan(stats.runs / 10);
    expect(stats.runs - stats.trueResults - stats.rejected).toBeGreaterThan(stats.runs / 10);
  });

  it("agrees on every operator over a grid of interesting value pairs", async () => {
    const pool: unknown[] = [
      undefined,
      null,
      true,
      false,
      0,
      -0,
      1,
      2,
      -1,
      9,
      10,
      1.5,
      Number.NaN,
      Infinity,
      -Infinity,
      "",
      "0",
      "1",
      "2",
      "9",
      "10",
      " 3",
      "12abc",
      "1e3",
      "0x10",
      "Infinity",
      "abc",
      "a",
      "undefined",
      "null",
      [],
      [1],
      [5, 6],
      ["a"],
      ["a", "b"],
      [null],
      [[1]],
      {},
      { a: 1 },
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      [Number.NaN, "1", 2, "a", null, false, 0, 7, 9, 10],
    ];
    const customer: Record<string, unknown> = { id: "c" };
    pool.forEach((v, i) => {
      if (v !== undefined) customer[`v${i}`] = v;
    });
    const ctx: FactContext = {
      customer,
      event: undefined,
      journey: { enteredAt: "t", hoursInJourney: 1 },
      eventCount: () => 0,
    };
    let compared = 0;
    for (const operator of OPERATORS) {
      const leaves: LeafCondition[] = [];
      pool.forEach((_a, i) => {
        pool.forEach((b) => {
          // json-rules-engine throws for in/notIn with a value that is neither a list nor a string
          if ((operator === "in" || operator === "notIn") && !Array.isArray(b) && typeof b !== "string")
            return;
          leaves.push({ fact: "customer", path: `$.v${i}`, operator, value: b });
        });
      });
      const cond: TopLevelCondition = { all: leaves };
      const mine = compileCondition(cond).evaluate(ctx);
      const reference = await evaluateReference(cond, ctx);
      expect(mine.explain).toEqual(reference.explain);
      expect(mine.result).toBe(reference.result);
      compared += leaves.length;
    }
    expect(compared).toBeGreaterThan(14_000);
  });
});
