/** Known answers for the overview's KPI definitions, at the edges of their windows. */
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../../store/sqlite/store";
import type { OutboxRow, StoredEvent } from "../../store/types";
import { DAY_MS } from "../time";
import type { OrderDay, StageChange } from "../types";
import { KpiCollector, WAKE_UP_WINDOW_MS, baseKpis, churnSignalKpis, wakeUpRate } from "./kpis";

const D0 = 20_000; // a UTC day number
const from = D0 * DAY_MS;
const to = (D0 + 30) * DAY_MS;
const H = 3_600_000;
const orders = (...days: number[]): OrderDay[] =>
  days.map((d) => ({ day: d, orders: 1, revenue: 10, refunded: 0 }));

describe("repurchase and retention", () => {
  it("count order days before `to` only, and the previous period [from − 30 days, from)", () => {
    const c = new KpiCollector({ from, to, now: to });
    const none: StageChange[] = [];
    c.add("a", { days: orders(D0 - 30, D0), stageHistory: none }); // bought at both periods' first days: retained
    c.add("b", { days: orders(D0 - 1, D0 + 30), stageHistory: none }); // the day at `to` is outside: not retained
    c.add("c", { days: orders(D0 - 31, D0 + 29), stageHistory: none }); // before the previous period
    c.add("d", { days: [{ day: D0 - 5, orders: 0, revenue: 0, refunded: 5 }], stageHistory: none }); // refund only
    c.add("e", { days: orders(D0 + 1, D0 + 2), stageHistory: none }); // two days in the period: a repeat buyer
    const k = baseKpis(c);
    // Buyers before `to`: a, b, c, e; repeat (two order days before `to`): a, c, e.
    expect(k.repurchase).toMatchObject({ numerator: 3, denominator: 4, rate: 0.75 });
    // Previous period buyers: a and b; a bought again in the period, b only at `to`.
    expect(k.retention).toMatchObject({ numerator: 1, denominator: 2, rate: 0.5 });
  });

  it("has no rate without a denominator", () => {
    const k = baseKpis(new KpiCollector({ from, to, now: to }));
    expect(k.repurchase.rate).toBeNull();
    expect(k.retention).toMatchObject({ numerator: 0, denominator: 0, rate: null });
  });
});

let seq = 0;
const event = (
  customerId: string,
  name: string,
  at: number,
  properties: Record<string, unknown> = {},
): StoredEvent => ({
  messageId: `m${++seq}`,
  customerId,
  type: "track",
  name,
  properties,
  timestamp: at,
  receivedAt: at,
});
const sent = (
  customerId: string,
  journeyId: string,
  at: number,
  channel: string | null = "email",
): OutboxRow => ({
  idempotencyKey: `k${++seq}`,
  runId: seq,
  journeyId,
  versionId: 1,
  nodeId: "n",
  visit: 1,
  customerId,
  action: channel ? "send_email" : "webhook",
  channel,
  template: null,
  payload: {},
  status: "sent",
  attempts: 1,
  nextAttemptAt: null,
  createdAt: at,
  deliveredAt: at,
  response: null,
  error: null,
  resumesRun: false,
});

describe("the wake-up rate", () => {
  it("counts contacts within a dormant episode and the period, matured, woken by an order in [contact, contact + 14 d)", async () => {
    const store = SqliteStore.open(":memory:");
    const now = to + 20 * DAY_MS;
    const c = new KpiCollector({ from, to, now });
    const dormant = (at: number, until?: number): StageChange[] => [
      { from: "active", to: "dormant", at, reason: "" },
      ...(until !== undefined
        ? [{ from: "dormant" as const, to: "active" as const, at: until, reason: "" }]
        : []),
    ];
    const t = from + 5 * DAY_MS;
    c.add("w1", { days: [], stageHistory: dormant(from - DAY_MS) }); // woke: order 14 d − 1 ms after contact
    c.add("w2", { days: [], stageHistory: dormant(from - DAY_MS) }); // order exactly 14 d after: too late
    c.add("w3", { days: [], stageHistory: dormant(t, t + DAY_MS) }); // contacted after the episode ended: no contact
    c.add("w4", { days: [], stageHistory: dormant(from) }); // only a webhook (no channel): not contacted
    c.add("w5", { days: [], stageHistory: dormant(from) }); // contacted 10 days before `now`: not matured
    c.add("w6", { days: [], stageHistory: dormant(to) }); // dormant from `to` on: outside the period
    expect(c.episodes.map((e) => e.customerId)).toEqual(["w1", "w2", "w3", "w4", "w5"]);
    await store.commit({
      outbox: [
        sent("w1", "wake", t),
        sent("w2", "wake", t),
        sent("w3", "wake", t + DAY_MS),
        sent("w4", "hook", t, null),
        sent("w5", "other", now - 10 * DAY_MS),
      ],
      events: [
        event("w1", "order_completed", t + WAKE_UP_WINDOW_MS - 1),
        event("w2", "order_completed", t + WAKE_UP_WINDOW_MS),
      ],
    });
    const k = await wakeUpRate(store, c.episodes, { from, to, now }, "order_completed");
    expect(k).toMatchObject({
      numerator: 1,
      denominator: 2,
      rate: 0.5,
      journeys: [{ id: "wake", count: 2 }],
    });
    expect(k.band).toEqual({ low: 0.2, high: 0.3 });
  });
});

describe("the churn-signal KPIs", () => {
  it("win back within [signal, signal + 72 h) among signals answered within 72 h; signals in [from, to) only", async () => {
    const store = SqliteStore.open(":memory:");
    const now = to + 10 * DAY_MS;
    const s = from + DAY_MS;
    await store.commit({
      events: [
        event("a", "churn_signal", s), // answered at +1 h, order at +72 h − 1 ms: won back
        event("b", "churn_signal", s), // answered at +1 h, order at +72 h: not won back
        event("c", "churn_signal", s), // answered at exactly +72 h (still within, as the churn-response report counts); no order
        event("d", "churn_signal", to), // at `to`: outside the period
        event("e", "churn_signal", from), // at `from`: inside; never answered
        event("a", "order_completed", s + 72 * H - 1),
        event("b", "order_completed", s + 72 * H),
      ],
      outbox: [
        sent("a", "golden", s + H),
        sent("b", "golden", s + H),
        sent("c", "golden", s + 72 * H),
        sent("d", "golden", to + H),
      ],
    });
    const k = await churnSignalKpis(store, { from, to, now }, "order_completed");
    expect(k.winBack).toMatchObject({
      numerator: 1,
      denominator: 3,
      rate: 1 / 3,
      journeys: [{ id: "golden", count: 3 }],
    });
    // Four signals in the period (a, b, c, e), all decided; a, b and c answered within 72 hours.
    expect(k.answered).toMatchObject({ numerator: 3, denominator: 4, rate: 0.75 });
  });
});
