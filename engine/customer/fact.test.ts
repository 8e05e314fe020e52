import { describe, expect, it } from "vitest";
import { customerFact } from "./fact";
import { CUSTOMER_FACTS_CATALOG } from "../schema/facts";
import type { CustomerModel } from "./model/predict";
import { emptyProfile } from "./profile";
import { computeRfmBoundaries } from "./rfm";
import { ev, fold, NOW, order } from "./test-helpers";
import { trainChurnModel } from "./churn/train";
import { simulatedBase } from "./churn/test-base";

const bgOnly: CustomerModel = {
  unit: "week",
  bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
};
const churn = trainChurnModel(simulatedBase(3000, NOW), NOW).model!;
const model: CustomerModel = { ...bgOnly, churn };

describe("customer fact", () => {
  const history = [
    order(200, 30),
    order(150, 40),
    order(100, 35),
    order(60, 50),
    ev("complaint", 3),
    ev("survey_response", 2, { score: 2 }),
  ];
  const p = fold(history, { model }).profile;
  const base = [p, fold([order(5, 10)]).profile, fold([order(300, 500), order(250, 500)]).profile];
  const rfm = computeRfmBoundaries(base, NOW);
  const f = customerFact(p, { city: "上海" }, "c-1", NOW, { model, rfm });

  it("exposes the spec's names", () => {
    for (const k of [
      "id",
      "traits",
      "stage",
      "rfm",
      "ordersCount",
      "totalSpent",
      "lastOrderAt",
      "daysSinceLastOrder",
      "avgDaysBetweenOrders",
      "churnRisk",
      "pAlive",
      "clv",
    ]) {
      expect(f, k).toHaveProperty(k);
    }
    expect(f).toMatchObject({
      id: "c-1",
      traits: { city: "上海" },
      // Last order 60 days ago against a 46.7-day cycle, a complaint and a 2/5 survey: the churn model puts the
      // chance of no order in 90 days at or above the 60% that "dormant" takes.
      stage: "dormant",
      ordersCount: 4,
      totalSpent: 155,
      avgOrderValue: 38.75,
      daysSinceLastOrder: 60,
      avgDaysBetweenOrders: 46.67,
      lastOrderAt: new Date(NOW - 60 * 86_400_000).toISOString(),
      complaints30d: 1,
      lastSatisfactionScore: 2,
    });
    // 1 order day in the last 90 days against 2 in the 90 before: falling frequency too.
    expect(f.churnSignals.sort()).toEqual(["falling_frequency", "low_satisfaction", "rising_complaints"]);
    expect(typeof f.rfm?.segment).toBe("string");
    expect(f.rfm?.score).toMatch(/^[1-5]{3}$/);
    // churnRisk is the churn model's calibrated probability, not 1 − P(alive).
    expect(f.churnRisk).toBeGreaterThanOrEqual(0.6);
    expect(f.churnRisk).toBeLessThan(1);
    expect(f.churnDrivers!.length).toBeGreaterThan(0);
    expect(f.pAlive).toBeGreaterThan(0);
    expect(f.pAlive).toBeLessThan(1);
    expect(f.expectedOrders90d).toBeGreaterThan(0);
    expect(f.clv).toBeGreaterThan(0);
    // Gamma-Gamma shrinks the own mean repeat value (41.67) towards the population mean (pγ/(q−1) = 35.2).
    expect(f.expectedOrderValue).toBeGreaterThan(35.2);
    expect(f.expectedOrderValue).toBeLessThan(41.67);
    expect(JSON.parse(JSON.stringify(f))).toEqual(f);
  });

  it("leaves out what cannot be computed (undefined, never null)", () => {
    const g = customerFact(emptyProfile(), {}, "c-2", NOW);
    expect(g.stage).toBe("prospect");
    for (const k of [
      "lastOrderAt",
      "daysSinceLastOrder",
      "avgDaysBetweenOrders",
      "pAlive",
      "churnRisk",
      "clv",
      "rfm",
      "avgOrderValue",
    ]) {
      expect(g, k).not.toHaveProperty(k);
    }
    expect(Object.values(g)).not.toContain(null);
    // With a model but no orders: still no predictions.
    expect(customerFact(emptyProfile(), {}, "c-2", NOW, { model })).not.toHaveProperty("pAlive");
  });

  it("a one-time buyer is alive for sure under BG/NBD, yet the churn model ranks a long-gone one as at risk", () => {
    const gone = customerFact(fold([order(400, 20)]).profile, {}, "c-3", NOW, { model });
    const fresh = customerFact(fold([order(35, 20)]).profile, {}, "c-4", NOW, { model });
    expect(gone.pAlive).toBe(1);
    expect(gone.churnRisk).toBeGreaterThan(fresh.churnRisk!);
    expect(gone.churnDrivers![0]!.effect).toBe("raises");
    // CLV follows: the long-gone buyer is worth less.
    expect(gone.clv!).toBeLessThan(fresh.clv!);
    // Without a churn model there is no churnRisk (never 1 − P(alive)).
    expect(
      customerFact(fold([order(400, 20)]).profile, {}, "c-3", NOW, { model: bgOnly }),
    ).not.toHaveProperty("churnRisk");
  });

  it("the facts catalog describes every field, in English and Chinese, with an example", () => {
    const paths = new Set(CUSTOMER_FACTS_CATALOG.map((c) => c.path));
    for (const k of Object.keys(f)) if (k !== "rfm") expect(paths, k).toContain(`$.${k}`);
    for (const k of Object.keys(f.rfm!)) expect(paths, k).toContain(`$.rfm.${k}`);
    for (const c of CUSTOMER_FACTS_CATALOG) {
      expect(c.description.en.length, c.path).toBeGreaterThan(3);
      expect(c.description.zh, c.path).toMatch(/[\u4e00-\u9fff]/);
      expect(c.example, c.path).not.toBeUndefined();
      expect(c.path).toMatch(/^\$(\.[A-Za-z_$][\w$-]*)+$/);
    }
  });
});
