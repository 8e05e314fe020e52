import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "./config";
import { customerFact } from "./fact";
import { avgDaysBetweenOrders, orderDaysCount, orderWindows } from "./metrics";
import { profileSummary } from "./model/predict";
import { applyEvent, emptyProfile, profileFacts, recompute, refresh } from "./profile";
import { ago, ev, fold, NOW, order } from "./test-helpers";
import type { CustomerEvent } from "./types";

describe("profile: orders", () => {
  it("one order", () => {
    const { profile: p } = fold([order(5, 129.5)]);
    expect(p.ordersCount).toBe(1);
    expect(p.totalSpent).toBe(129.5);
    expect(p.firstOrderAt).toBe(Date.parse(ago(5)));
    expect(p.lastOrderAt).toBe(p.firstOrderAt);
    expect(orderDaysCount(p)).toBe(1);
    expect(avgDaysBetweenOrders(p)).toBeUndefined();
    expect(profileSummary(p, NOW)).toMatchObject({ x: 0, tx: 0 });
    const f = customerFact(p, {}, "c-1", NOW);
    expect(f).toMatchObject({
      ordersCount: 1,
      totalSpent: 129.5,
      avgOrderValue: 129.5,
      daysSinceLastOrder: 5,
    });
    expect(f.avgDaysBetweenOrders).toBeUndefined();
  });

  it("same-day orders are separate orders but one order day (one transaction for the models)", () => {
    // 2026-02-09 10:00 and 18:00 UTC, then 2026-02-19.
    const events: CustomerEvent[] = [
      { name: "order_completed", properties: { revenue: 30 }, timestamp: "2026-02-09T10:00:00Z" },
      { name: "order_completed", properties: { revenue: 20 }, timestamp: "2026-02-09T18:00:00Z" },
      { name: "order_completed", properties: { revenue: 50 }, timestamp: "2026-02-19T09:00:00Z" },
    ];
    const { profile: p } = fold(events);
    expect(p.ordersCount).toBe(3);
    expect(orderDaysCount(p)).toBe(2);
    expect(p.days.map((d) => [d.orders, d.revenue])).toEqual([
      [2, 50],
      [1, 50],
    ]);
    expect(avgDaysBetweenOrders(p)).toBe(10);
    expect(profileSummary(p, NOW)).toMatchObject({ x: 1, tx: 10, m: 50 });
  });

  it("a negative revenue is a refund: lowers spend, is not an order, keeps the last order time", () => {
    const { profile: p } = fold([order(20, 100), order(10, -30)]);
    expect(p.ordersCount).toBe(1);
    expect(p.totalSpent).toBe(70);
    expect(p.refundsCount).toBe(1);
    expect(p.refundedTotal).toBe(30);
    expect(p.lastOrderAt).toBe(Date.parse(ago(20)));
    expect(orderDaysCount(p)).toBe(1);
    expect(customerFact(p, {}, "c", NOW).avgOrderValue).toBe(70);
    expect(orderWindows(p, NOW, 90)).toEqual({ orders: 1, prevOrders: 0, spend: 70, prevSpend: 0 });
  });

  it("a refund that arrives before its order gives the same profile", () => {
    const a = fold([order(20, 100), order(10, -30)]).profile;
    const b = fold([order(10, -30), order(20, 100)]).profile;
    expect(profileFacts(b)).toEqual(profileFacts(a));
  });

  it("a missing or non-numeric revenue counts the order with value 0; numeric strings are read", () => {
    const { profile: p } = fold([ev("order_completed", 3), ev("order_completed", 2, { revenue: "12.5" })]);
    expect(p.ordersCount).toBe(2);
    expect(p.totalSpent).toBe(12.5);
  });

  it("orders and spend in the last 90 days against the 90 before", () => {
    const { profile: p } = fold([order(10, 10), order(100, 20), order(170, 40), order(200, 80)]);
    expect(orderWindows(p, NOW, 90)).toEqual({ orders: 1, prevOrders: 2, spend: 10, prevSpend: 60 });
    const f = customerFact(p, {}, "c", NOW);
    expect([f.orders90d, f.ordersPrev90d, f.spend90d, f.spendPrev90d]).toEqual([1, 2, 10, 60]);
    // The windows move with time: 100 days later only the order 10 days ago is in the previous window.
    const later = NOW + 100 * 86_400_000;
    expect(orderWindows(p, later, 90)).toEqual({ orders: 0, prevOrders: 1, spend: 0, prevSpend: 10 });
  });
});

describe("profile: complaints, engagement, satisfaction", () => {
  it("counts complaints and engagement, recent and total", () => {
    const { profile: p } = fold([
      ev("complaint", 5),
      ev("complaint", 40),
      ev("product_viewed", 1),
      ev("browse", 2),
      ev("favourite", 3),
      ev("add_to_cart", 4),
      ev("add_to_cart", 45),
      ev("something_else", 1),
    ]);
    expect(p.complaintsCount).toBe(2);
    expect(p.engagement).toMatchObject({ view: 2, favourite: 1, cart: 2 });
    const f = customerFact(p, {}, "c", NOW);
    expect(f).toMatchObject({
      complaintsCount: 2,
      complaints30d: 1,
      views30d: 2,
      favourites30d: 1,
      addToCart30d: 1,
      engagement30d: 4,
      engagementPrev30d: 1,
    });
    expect(p.eventsApplied).toBe(8);
  });

  it("keeps the satisfaction answer with the latest timestamp, whatever the arrival order", () => {
    const a = fold([
      ev("survey_response", 10, { score: 2 }),
      ev("survey_response", 3, { score: 9, scale: "nps" }),
    ]).profile;
    const b = fold([
      ev("survey_response", 3, { score: 9, scale: "nps" }),
      ev("survey_response", 10, { score: 2 }),
    ]).profile;
    expect(a.satisfaction).toEqual({ score: 9, scale: "nps", at: Date.parse(ago(3)) });
    expect(b.satisfaction).toEqual(a.satisfaction);
    expect(a.surveysCount).toBe(2);
  });

  it("infers the scale when none is given: above 5 or 0 is NPS, else CSAT; no score is ignored", () => {
    expect(fold([ev("survey_response", 1, { score: 8 })]).profile.satisfaction?.scale).toBe("nps");
    expect(fold([ev("survey_response", 1, { score: 4 })]).profile.satisfaction?.scale).toBe("csat");
    expect(fold([ev("survey_response", 1, { comment: "hi" })]).profile.satisfaction).toBeNull();
  });

  it("drops per-day engagement older than the retention but keeps totals", () => {
    const { profile: p } = fold([ev("product_viewed", 200), ev("product_viewed", 1)]);
    expect(p.engagement.view).toBe(2);
    expect(p.engagement.days).toHaveLength(1);
  });
});

const eventArb = fc.oneof(
  fc.record({
    k: fc.constant("order"),
    d: fc.integer({ min: 0, max: 400 }),
    v: fc.integer({ min: -50, max: 300 }),
  }),
  fc.record({
    k: fc.constantFrom("complaint", "product_viewed", "favourite", "add_to_cart"),
    d: fc.integer({ min: 0, max: 100 }),
    v: fc.constant(0),
  }),
  fc.record({
    k: fc.constant("survey_response"),
    d: fc.integer({ min: 0, max: 100 }),
    v: fc.integer({ min: 0, max: 10 }),
  }),
);
const toEvent = (x: { k: string; d: number; v: number }, i: number): CustomerEvent => {
  // Distinct timestamps (ties would make "latest survey" depend on arrival order, as the spec intends).
  const ts = new Date(NOW - x.d * 86_400_000 - i * 1000).toISOString();
  if (x.k === "order") return { name: "order_completed", properties: { revenue: x.v }, timestamp: ts };
  if (x.k === "survey_response")
    return { name: "survey_response", properties: { score: x.v }, timestamp: ts };
  return { name: x.k, properties: {}, timestamp: ts };
};

describe("profile: out-of-order events and recomputation", () => {
  it("any permutation of the same events gives the same facts, stage and active signals", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 25 }), fc.integer(), (raw, seed) => {
        const events = raw.map(toEvent);
        const shuffled = fc.sample(
          fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
          { seed, numRuns: 1 },
        )[0]!;
        const a = fold(events).profile;
        const b = fold(shuffled).profile;
        expect(profileFacts(b)).toEqual(profileFacts(a));
      }),
      { numRuns: 150 },
    );
  });

  it("recompute equals folding applyEvent (facts, stage, active signals)", () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 25 }), (raw) => {
        const events = raw.map(toEvent);
        const folded = fold(events).profile;
        const full = recompute(events, DEFAULT_CONFIG, NOW).profile;
        expect(profileFacts(full)).toEqual(profileFacts(folded));
      }),
      { numRuns: 150 },
    );
  });

  it("recompute carries the stored histories and emits only changes against them", () => {
    const events = [order(300), order(280)];
    const first = fold(events, { now: Date.parse(ago(270)) }).profile; // new → active back then
    const { profile, emitted } = recompute(events, DEFAULT_CONFIG, NOW, { previous: first });
    // Own cycle 20 days: churned after max(90, 5 × 20) = 100 days without an order; it has been 280.
    expect(profile.stage).toBe("churned");
    expect(emitted.find((e) => e.name === "lifecycle_stage_changed")?.properties).toMatchObject({
      from: first.stage,
      to: "churned",
    });
    expect(profile.stageHistory.slice(0, first.stageHistory.length)).toEqual(first.stageHistory);
    // Recomputing again at the same moment changes nothing and emits nothing.
    const again = recompute(events, DEFAULT_CONFIG, NOW, { previous: profile });
    expect(again.emitted).toEqual([]);
  });

  it("applyEvent does not mutate its input", () => {
    const p0 = emptyProfile();
    const snapshot = JSON.stringify(p0);
    applyEvent(p0, order(1), DEFAULT_CONFIG, NOW);
    expect(JSON.stringify(p0)).toBe(snapshot);
    const p1 = fold([order(100), order(50), ev("complaint", 2)]).profile;
    const s1 = JSON.stringify(p1);
    refresh(p1, DEFAULT_CONFIG, NOW + 400 * 86_400_000);
    applyEvent(p1, ev("product_viewed", 0), DEFAULT_CONFIG, NOW);
    expect(JSON.stringify(p1)).toBe(s1);
  });

  it("never writes to the profile it was given, over any history (copy on write)", () => {
    const deepFreeze = <T>(o: T): T => {
      if (o && typeof o === "object" && !Object.isFrozen(o)) {
        Object.freeze(o);
        for (const v of Object.values(o)) deepFreeze(v);
      }
      return o;
    };
    const anEvent = fc.oneof(
      fc
        .record({ d: fc.integer({ min: 0, max: 700 }), r: fc.integer({ min: -50, max: 300 }) })
        .map(({ d, r }) => order(d, r)),
      fc.integer({ min: 0, max: 200 }).map((d) => ev("complaint", d)),
      fc.integer({ min: 0, max: 200 }).map((d) => ev("survey_response", d, { score: d % 11 })),
      fc
        .record({ d: fc.integer({ min: 0, max: 120 }), k: fc.constantFrom("product_viewed", "cart_viewed") })
        .map(({ d, k }) => ev(k, d)),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(anEvent, fc.integer({ min: 0, max: 400 })), { maxLength: 40 }),
        (steps) => {
          let frozen = emptyProfile();
          let plain = emptyProfile();
          for (const [e, later] of steps) {
            const now = NOW + later * 86_400_000;
            // Frozen input: any write to it throws (modules are strict), so a missed copy fails here.
            frozen = applyEvent(deepFreeze(frozen), e, DEFAULT_CONFIG, now).profile;
            frozen = refresh(deepFreeze(frozen), DEFAULT_CONFIG, now + 86_400_000).profile;
            plain = applyEvent(structuredClone(plain), e, DEFAULT_CONFIG, now).profile;
            plain = refresh(structuredClone(plain), DEFAULT_CONFIG, now + 86_400_000).profile;
          }
          expect(frozen).toEqual(plain);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("throws on an unreadable timestamp", () => {
    expect(() =>
      applyEvent(emptyProfile(), { name: "order_completed", timestamp: "yesterday" }, DEFAULT_CONFIG, NOW),
    ).toThrow(/bad time/);
  });
});
