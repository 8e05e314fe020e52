import { describe, expect, it } from "vitest";
import { JOURNEY_LIMITS, limitIssues } from "./limits";

const nest = (depth: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { x: v };
  return v;
};

describe("journey document limits", () => {
  it("accept conditions exactly at the depth limit and refuse one group more, naming the node and path", () => {
    const tree = (groups: number): unknown => {
      let c: unknown = { fact: "traits", path: "$.a", operator: "equal", value: 1 };
      for (let i = 1; i < groups; i++) c = { not: c };
      return { all: [c] };
    };
    const doc = (groups: number) => ({
      nodes: [{ id: "c1", type: "condition", data: { conditions: tree(groups) } }],
    });
    expect(limitIssues(doc(JOURNEY_LIMITS.conditionDepth))).toEqual([]);
    const [issue, ...rest] = limitIssues(doc(JOURNEY_LIMITS.conditionDepth + 1));
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ nodeId: "c1", code: "limit.condition_depth", params: { limit: 32 } });
    expect(issue!.path).toBe(
      `nodes[0].data.conditions.all[0]${".not".repeat(JOURNEY_LIMITS.conditionDepth)}`,
    );
  });

  it("count groups only inside condition trees", () => {
    const params: unknown = nest(40, 1);
    expect(
      limitIssues({ nodes: [{ id: "a", data: { params: { all: { any: { not: params } } } } }] }),
    ).toEqual([]);
  });

  it("refuse any value nested deeper than the document limit, and overlong lists", () => {
    expect(limitIssues({ settings: nest(JOURNEY_LIMITS.documentDepth - 2, 1) })).toEqual([]);
    expect(limitIssues({ settings: nest(JOURNEY_LIMITS.documentDepth, 1) })[0]).toMatchObject({
      code: "limit.depth",
      path: expect.stringMatching(/^settings(\.x)+$/) as unknown,
    });
    const list = Array.from({ length: JOURNEY_LIMITS.arrayLength + 1 }, () => 0);
    expect(limitIssues({ edges: list })).toEqual([
      {
        path: "edges",
        code: "limit.array_length",
        params: { limit: 10_000, length: 10_001 },
        message: expect.any(String) as unknown,
      },
    ]);
  });

  it("stop at the total number of values without walking the rest", () => {
    const wide = Array.from({ length: 100 }, () => Array.from({ length: 5000 }, () => 0));
    expect(limitIssues({ nodes: wide }).map((i) => i.code)).toEqual(["limit.values"]);
  });

  it("walk a million-deep chain without overflowing the stack", () => {
    let v: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) v = [v];
    expect(limitIssues({ settings: v })[0]?.code).toBe("limit.depth");
  });
});
