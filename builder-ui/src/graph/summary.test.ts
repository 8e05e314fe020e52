import { describe, expect, it } from "vitest";
import { FACTS_CATALOG } from "../../../engine/schema";
import type { JourneyNode } from "../../../engine/schema";
import type { ActionType } from "../../../engine/schema";
import { translate } from "../i18n/translate";
import type { Lang } from "../i18n/translate";
import type { MessageKey } from "../i18n/dict";
import { factOptions, leafFor, operatorsFor, parseValue } from "./facts";
import { summarize } from "./summary";

const facts = factOptions([
  {
    fact: "customer",
    path: "$.churnRisk",
    type: "number",
    unit: "probability",
    description: { en: "Probability of churn", zh: "流失风险（0–1）" },
    example: 0.3,
  },
  {
    fact: "customer",
    path: "$.stage",
    type: "string",
    enum: ["new", "dormant"],
    description: { en: "Lifecycle stage", zh: "生命周期阶段" },
    example: "new",
  },
  // The facts beside `customer` as the contract has them (eventCount, journey, traits, event).
  ...FACTS_CATALOG.filter((f) => f.fact !== "customer"),
]);
const actions: ActionType[] = [
  {
    type: "email",
    version: 1,
    title: { en: "Email", zh: "邮件" },
    channel: "email",
    ports: ["next", "failed"],
    config: {},
  },
];
const ctx = (lang: Lang) => ({
  t: (k: MessageKey, v?: Record<string, string | number>) => translate(lang, k, v),
  lang,
  facts,
  actions,
});
const node = (type: string, data: Record<string, unknown>) =>
  ({ id: "n", type, position: { x: 0, y: 0 }, data }) as JourneyNode;

describe("node summaries say what a node does", () => {
  it("waits", () => {
    expect(summarize(node("wait", { kind: "duration", duration: "72h" }), ctx("en")).title).toBe("Wait 72 h");
    expect(summarize(node("wait", { kind: "duration", duration: "72h" }), ctx("zh")).title).toBe(
      "等待 72 小时",
    );
    expect(
      summarize(node("wait", { kind: "until", time: "10:00", days: ["mon", "fri"] }), ctx("en")),
    ).toEqual({
      title: "Wait until 10:00",
      lines: ["Mon Fri"],
    });
    expect(
      summarize(node("wait", { kind: "event", event: "order_completed", timeout: "3d" }), ctx("en")).lines,
    ).toEqual(["Gives up after 3 d"]);
  });

  it("conditions", () => {
    const c = node("condition", {
      conditions: {
        all: [{ fact: "customer", path: "$.churnRisk", operator: "greaterThanInclusive", value: 0.7 }],
      },
    });
    expect(summarize(c, ctx("en")).lines).toEqual(["Churn risk ≥ 0.7"]);
    expect(summarize(c, ctx("zh")).lines).toEqual(["流失风险 ≥ 0.7"]);
    const two = node("condition", {
      conditions: {
        any: [
          { fact: "customer", path: "$.stage", operator: "in", value: ["dormant", "new"] },
          {
            fact: "eventCount",
            params: { event: "order_completed", since: "entry" },
            operator: "equal",
            value: 0,
          },
        ],
      },
    });
    expect(summarize(two, ctx("en")).lines).toEqual([
      "Stage is one of [dormant, new]",
      "or order_completed count since entry = 0",
    ]);
  });

  it("actions, triggers, splits and exits", () => {
    expect(summarize(node("action", { action: "email", template: "winback-coupon" }), ctx("en")).title).toBe(
      "Email: winback-coupon",
    );
    expect(summarize(node("action", { action: "email", template: "winback-coupon" }), ctx("zh")).title).toBe(
      "邮件: winback-coupon",
    );
    expect(summarize(node("trigger", { kind: "event", event: "churn_signal" }), ctx("en")).title).toBe(
      "When churn_signal",
    );
    expect(summarize(node("trigger", { kind: "stage", to: "dormant" }), ctx("en")).title).toBe(
      "Becomes Dormant",
    );
    expect(
      summarize(
        node("split", {
          kind: "random",
          branches: [
            { id: "a", weight: 3 },
            { id: "b", weight: 1 },
          ],
        }),
        ctx("en"),
      ),
    ).toEqual({
      title: "Split 2 ways",
      lines: ["a 75% · b 25%"],
    });
    expect(summarize(node("split", { kind: "holdout", percent: 10 }), ctx("en")).title).toBe("Hold out 10%");
    expect(summarize(node("exit", {}), ctx("en")).title).toBe("End of journey");
  });
});

describe("condition builder helpers", () => {
  it("offers operators that fit the type", () => {
    expect(operatorsFor("number")).toContain("greaterThanInclusive");
    expect(operatorsFor("number")).not.toContain("contains");
    expect(operatorsFor("enum")).toEqual(["equal", "notEqual", "in", "notIn"]);
    expect(operatorsFor("list")).toEqual(["contains", "doesNotContain"]);
  });
  it("builds leaves and parses values by type", () => {
    const churn = facts.find((f) => f.path === "$.churnRisk")!;
    expect(leafFor(churn)).toEqual({ fact: "customer", path: "$.churnRisk", operator: "equal", value: 0 });
    const ec = facts.find((f) => f.fact === "eventCount")!;
    expect(leafFor(ec)).toMatchObject({
      fact: "eventCount",
      params: { event: "order_completed", since: "entry" },
    });
    expect(parseValue("0.7", "number", "greaterThan")).toBe(0.7);
    expect(parseValue("a, b，c", "string", "in")).toEqual(["a", "b", "c"]);
    expect(parseValue("1,2", "number", "notIn")).toEqual([1, 2]);
  });
});
