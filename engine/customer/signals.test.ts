import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "./config";
import { detectSignals } from "./signals";
import { refresh } from "./profile";
import { ago, ev, fold, NOW, order } from "./test-helpers";
import { DAY_MS } from "./time";
import type { CustomerEvent, InternalEvent } from "./types";

const reasons = (events: CustomerEvent[], now = NOW): string[] =>
  detectSignals(fold(events, { now }).profile, DEFAULT_CONFIG, now)
    .map((s) => s.reason)
    .sort();
const signals = (emitted: InternalEvent[]): InternalEvent[] =>
  emitted.filter((e) => e.name === "churn_signal");

describe("churn signals: each reason", () => {
  it("order_gap: beyond 2 × own cycle (cycle 20 → after 40 days), since = last order + threshold", () => {
    const events = [order(100), order(80), order(60)];
    expect(reasons(events)).toEqual(["order_gap"]);
    const s = detectSignals(fold(events).profile, DEFAULT_CONFIG, NOW)[0]!;
    expect(s.since).toBe(Date.parse(ago(20)));
    expect(s.details).toEqual({ daysSinceLastOrder: 60, thresholdDays: 40, cycleDays: 20 });
    expect(reasons([order(100), order(80), order(39)])).toEqual([]);
  });

  it("order_gap for a one-order customer after 60 days; never below 21 days for short cycles", () => {
    expect(reasons([order(61)])).toEqual(["order_gap"]);
    expect(reasons([order(59)])).toEqual([]);
    // Cycle 2 days: threshold max(21, 4) = 21.
    expect(reasons([order(26), order(24), order(22), order(20)])).toEqual([]);
    expect(reasons([order(28), order(26), order(24), order(22)])).toEqual(["order_gap"]);
  });

  it("same-day orders do not shorten the cycle", () => {
    // Two orders on one day and one 30 days later: cycle 30, not 15.
    const events = [order(90.1), order(90), order(60)];
    expect(reasons(events)).toEqual([]); // gap 60 ≤ 2 × 30
  });

  it("falling_frequency: last 90 days ≤ half the 90 before (which had ≥ 2 order days)", () => {
    // 4 order days 95–170 days ago, 1 in the last 90 days (5 days ago, so no order_gap).
    const events = [order(170, 50), order(150, 50), order(120, 50), order(95, 50), order(5, 500)];
    expect(reasons(events)).toEqual(["falling_frequency"]);
    expect(reasons([order(170), order(150), order(30), order(5)])).toEqual([]);
  });

  it("falling_spend: net spend halves though the order days do not", () => {
    const events = [order(150, 100), order(120, 100), order(60, 40), order(5, 40)];
    expect(reasons(events)).toEqual(["falling_spend"]);
    // A refund can be what makes spend fall.
    expect(
      reasons([order(150, 100), order(120, 100), order(60, 100), order(5, 100), order(4, -150)]),
    ).toEqual(["falling_spend"]);
  });

  it("rising_complaints: more in the last 30 days than the 30 before, at least 1", () => {
    expect(reasons([order(5), ev("complaint", 3)])).toEqual(["rising_complaints"]);
    expect(reasons([order(5), ev("complaint", 3), ev("complaint", 40)])).toEqual([]);
    expect(reasons([order(5), ev("complaint", 3), ev("complaint", 4), ev("complaint", 40)])).toEqual([
      "rising_complaints",
    ]);
  });

  it("falling_engagement: last 30 days ≤ half the 30 before (which had ≥ 5)", () => {
    const before = Array.from({ length: 10 }, (_, i) => ev(i % 2 ? "product_viewed" : "add_to_cart", 35 + i));
    expect(reasons([order(5), ...before, ev("favourite", 2), ev("product_viewed", 1)])).toEqual([
      "falling_engagement",
    ]);
    expect(
      reasons([order(5), ...before, ...Array.from({ length: 6 }, (_, i) => ev("product_viewed", i + 1))]),
    ).toEqual([]);
    expect(reasons([order(5), ev("product_viewed", 40), ev("product_viewed", 41)])).toEqual([]); // too little before
  });

  it("low_satisfaction: CSAT ≤ 2 or NPS ≤ 6, answered within 90 days", () => {
    expect(reasons([order(5), ev("survey_response", 2, { score: 2 })])).toEqual(["low_satisfaction"]);
    expect(reasons([order(5), ev("survey_response", 2, { score: 3 })])).toEqual([]);
    expect(reasons([order(5), ev("survey_response", 2, { score: 6, scale: "nps" })])).toEqual([
      "low_satisfaction",
    ]);
    expect(reasons([order(5), ev("survey_response", 2, { score: 7, scale: "nps" })])).toEqual([]);
    expect(reasons([order(5), ev("survey_response", 91, { score: 1 })])).toEqual([]);
    // A later good answer replaces a bad one.
    expect(
      reasons([order(5), ev("survey_response", 10, { score: 1 }), ev("survey_response", 2, { score: 5 })]),
    ).toEqual([]);
  });

  it("a prospect has no signals", () => {
    expect(reasons([ev("product_viewed", 1)])).toEqual([]);
  });
});

describe("churn signals: episodes", () => {
  it("emits churn_signal once per episode, with reason and time, not every day it holds", () => {
    const t0 = Date.parse(ago(200));
    const start = fold([order(200), order(180), order(160)], { now: Date.parse(ago(160)) });
    expect(signals(start.emitted)).toEqual([]);
    let profile = start.profile;
    const out: InternalEvent[] = [];
    for (let d = 1; d <= 80; d++) {
      const r = refresh(profile, DEFAULT_CONFIG, t0 + (40 + d) * DAY_MS);
      profile = r.profile;
      out.push(...signals(r.emitted));
    }
    // Cycle 20 → order_gap after 40 days without an order: day 41 after the last order (day 40 + 41 = 81 after t0).
    // The falling order days and spend (3 order days in the previous 90, none since) are episodes of their own.
    expect(out.map((e) => e.properties.reason).sort()).toEqual([
      "falling_frequency",
      "falling_spend",
      "order_gap",
    ]);
    expect(out.find((e) => e.properties.reason === "order_gap")).toEqual({
      name: "churn_signal",
      properties: {
        reason: "order_gap",
        since: new Date(t0 + 80 * DAY_MS).toISOString(),
        daysSinceLastOrder: 41,
        thresholdDays: 40,
        cycleDays: 20,
      },
      timestamp: new Date(t0 + 81 * DAY_MS).toISOString(),
    });
    expect(profile.signals.map((s) => s.reason).sort()).toEqual([
      "falling_frequency",
      "falling_spend",
      "order_gap",
    ]);
    expect(profile.signalHistory).toHaveLength(3);
    expect(profile.signalHistory.every((h) => h.clearedAt === null)).toBe(true);
  });

  it("a new episode only after the signal cleared (an order) and held again", () => {
    const gap = (es: InternalEvent[]): InternalEvent[] =>
      signals(es).filter((e) => e.properties.reason === "order_gap");
    let { profile, emitted } = fold([order(100), order(80), order(60)], { now: NOW });
    expect(gap(emitted)).toHaveLength(1);
    // The customer orders again: the signal clears.
    ({ profile, emitted } = fold([order(0)], { from: profile, now: NOW }));
    expect(gap(emitted)).toEqual([]);
    expect(profile.signals.map((s) => s.reason)).not.toContain("order_gap");
    expect(profile.signalHistory.find((h) => h.reason === "order_gap")?.clearedAt).toBe(NOW);
    // 50 days of silence later (cycle now 33.3 → threshold 66.7 days): nothing until then, then a second episode.
    const out: InternalEvent[] = [];
    for (let d = 1; d <= 70; d++) {
      const r = refresh(profile, DEFAULT_CONFIG, NOW + d * DAY_MS);
      profile = r.profile;
      out.push(...gap(r.emitted));
    }
    expect(out.map((e) => e.timestamp)).toEqual([new Date(NOW + 67 * DAY_MS).toISOString()]);
    expect(profile.signalHistory.filter((h) => h.reason === "order_gap")).toHaveLength(2);
  });

  it("a signal that clears and holds again within the 14-day cooldown continues its episode silently", () => {
    let { profile, emitted } = fold([order(5), ev("complaint", 1)], { now: NOW });
    expect(signals(emitted).map((e) => e.properties.reason)).toEqual(["rising_complaints"]);
    // 31 days later the complaint leaves the window: cleared.
    ({ profile, emitted } = refresh(profile, DEFAULT_CONFIG, NOW + 31 * DAY_MS));
    expect(profile.signals.map((s) => s.reason)).not.toContain("rising_complaints");
    // Two new complaints 5 days later (more than the one in the 30 days before): holds again within the
    // cooldown → no new churn_signal.
    const later = NOW + 36 * DAY_MS;
    const c = { name: "complaint", timestamp: new Date(later).toISOString() };
    ({ profile, emitted } = fold([c, c], { from: profile, now: later }));
    expect(signals(emitted).filter((e) => e.properties.reason === "rising_complaints")).toEqual([]);
    expect(profile.signals.map((s) => s.reason)).toContain("rising_complaints");
    expect(profile.signalHistory.filter((h) => h.reason === "rising_complaints")).toHaveLength(1);
  });

  it("several reasons at once each emit their own churn_signal", () => {
    const { emitted } = fold([order(61), ev("complaint", 1), ev("survey_response", 1, { score: 1 })]);
    expect(
      signals(emitted)
        .map((e) => e.properties.reason)
        .sort(),
    ).toEqual(["low_satisfaction", "order_gap", "rising_complaints"]);
  });

  it("reasons and times do not depend on the order events arrive in", () => {
    const events = [order(100), order(80), order(60), ev("complaint", 2)];
    const a = fold(events).profile;
    const b = fold([...events].reverse()).profile;
    expect(b.signals.map((s) => [s.reason, s.since])).toEqual(a.signals.map((s) => [s.reason, s.since]));
  });
});
