import { describe, expect, it } from "vitest";
import { renderIssue } from "./messages";
import { testValidationContext } from "./testing/arbitraries";
import type { ValidationContext } from "./validate-context";
import { validateJourney } from "./validate";

/** The test actions, with the message actions naming their channel as the registry does. */
const ctx: ValidationContext = {
  actions: (n) => {
    const info = testValidationContext.actions(n);
    return info && ["email", "sms", "push", "wechat"].includes(n) ? { ...info, channel: n } : info;
  },
};

type Spec = [id: string, type: string, data: Record<string, unknown>];
const doc = (nodes: Spec[], edges: [string, string, string?][], settings: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  name: "Goal window",
  settings: { goal: { event: "order_completed", within: "14d" }, ...settings },
  nodes: nodes.map(([id, type, data], i) => ({ id, type, position: { x: 0, y: i * 100 }, data })),
  edges: edges.map(([source, target, port], i) => ({
    id: `e${i}`,
    source,
    target,
    ...(port ? { sourceHandle: port } : {}),
  })),
});
const trigger: Spec = ["t1", "trigger", { kind: "event", event: "churn_signal" }];
const email = (id: string): Spec => [id, "action", { action: "email", template: "winback-coupon" }];
const wait = (id: string, duration: string): Spec => [id, "wait", { kind: "duration", duration }];

function warnings(d: unknown) {
  const r = validateJourney(d, ctx);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.warnings;
}

describe("paths that end before the goal window closes", () => {
  it("warns about a message path that ends early beside a path that holds its runs, in both languages", () => {
    // The spec's example, except that customers who did not qualify wait for the goal: the offer path ends
    // 72h after entry (plus at most a day of quiet hours), the other holds its runs for the whole window.
    const spec = (no: Spec) =>
      doc(
        [trigger, wait("w1", "72h"), ["c1", "condition", { conditions: { all: [] } }], email("a1"), no],
        [
          ["t1", "w1"],
          ["w1", "c1"],
          ["c1", "a1", "yes"],
          ["c1", no[0], "no"],
        ],
        { quietHours: { start: "21:00", end: "09:00" } },
      );
    // As the spec has it (every path ends early) run outcomes are consistent: nothing to say.
    expect(warnings(spec(["x1", "exit", {}]))).toEqual([]);
    const found = warnings(spec(["w2", "wait", { kind: "event", event: "order_completed", timeout: "14d" }]));
    expect(found).toHaveLength(1);
    const w = found[0]!;
    expect(w).toMatchObject({
      nodeId: "a1",
      path: "nodes[3]",
      code: "goal.message_path_ends_early",
      params: { message: "a1", end: "a1", latest: "4d", within: "14d" },
    });
    expect(w.message).toContain('after message "a1" the run ends at "a1" by 4d after entry');
    expect(w.message).toContain("the results report counts both alike");
    const zh = renderIssue(w, "zh");
    expect(zh).toContain("目标窗口（14d）");
    expect(zh).not.toMatch(/undefined|\$\{|NaN/);
  });

  it("warns about a split arm that ends at once while the other waits out the window", () => {
    const d = doc(
      [
        trigger,
        [
          "s1",
          "split",
          {
            kind: "random",
            branches: [
              { id: "a", weight: 1 },
              { id: "b", weight: 1 },
            ],
          },
        ],
        email("m1"),
        ["w1", "wait", { kind: "event", event: "order_completed", timeout: "14d" }],
      ],
      [
        ["t1", "s1"],
        ["s1", "m1", "a"],
        ["m1", "w1"],
      ],
    );
    const found = warnings(d);
    expect(found).toEqual([
      expect.objectContaining({
        nodeId: "s1",
        code: "goal.split_arm_ends_early",
        params: expect.objectContaining({ split: "s1", arm: "b", latest: "0s", end: "s1" }) as unknown,
      }),
    ]);
    expect(renderIssue(found[0]!, "zh")).toContain('分流 "s1" 的分支 "b"');
  });

  it("warns about a holdout that ends at once beside a treatment that waits for the goal, once per arm", () => {
    const d = (after: Spec) =>
      doc(
        [trigger, ["s1", "split", { kind: "holdout", percent: 10 }], email("m1"), after],
        [
          ["t1", "s1"],
          ["s1", "m1", "continue"],
          ["m1", after[0]],
        ],
      );
    const holding = warnings(d(["w1", "wait", { kind: "event", event: "order_completed", timeout: "14d" }]));
    expect(holding.map((w) => [w.code, w.params?.arm])).toEqual([["goal.split_arm_ends_early", "holdout"]]);
    // Both arms end at once: the arms are held alike, and run outcomes compare like with like.
    expect(warnings(d(["c1", "condition", { conditions: { all: [] } }]))).toEqual([]);
  });

  it("says nothing without a goal, when every path stays until the window closes, or after a loop", () => {
    const short = doc([trigger, email("a1")], [["t1", "a1"]]);
    expect(warnings({ ...short, settings: {} })).toEqual([]);
    expect(
      warnings(
        doc(
          [trigger, email("a1"), wait("w1", "14d")],
          [
            ["t1", "a1"],
            ["a1", "w1"],
          ],
        ),
      ),
    ).toEqual([]);
    // A reminder loop through a wait can hold a run for any time: not "before the window".
    const loop = doc(
      [trigger, email("a1"), wait("w1", "1d"), ["c1", "condition", { conditions: { all: [] } }]],
      [
        ["t1", "a1"],
        ["a1", "w1"],
        ["w1", "c1"],
        ["c1", "a1", "yes"],
      ],
    );
    expect(warnings(loop)).toEqual([]);
  });
});
