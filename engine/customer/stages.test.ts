import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, resolveConfig } from "./config";
import type { CustomerModel } from "./model/predict";
import { refresh } from "./profile";
import { computeStage, stageThresholds } from "./stages";
import { ago, ev, fold, NOW, order } from "./test-helpers";
import { DAY_MS } from "./time";

const S = DEFAULT_CONFIG.stages;
const stageOf = (events: Parameters<typeof fold>[0], model?: CustomerModel): string =>
  fold(events, model ? { model } : {}).profile.stage;

describe("lifecycle stages (defaults)", () => {
  it("prospect: known, never ordered (engagement and refunds do not make a customer)", () => {
    expect(stageOf([ev("product_viewed", 3)])).toBe("prospect");
    expect(stageOf([order(3, -20)])).toBe("prospect");
  });

  it("new: first order at most 30 days ago, even with a second order", () => {
    expect(stageOf([order(10)])).toBe("new");
    expect(stageOf([order(30)])).toBe("new");
    expect(stageOf([order(20), order(5)])).toBe("new");
  });

  it("active: ordered within the customer's own dormancy threshold", () => {
    // Cycle 30 days → dormant after min(120, max(30, 2.5 × 30)) = 75 days.
    const events = [order(100), order(70), order(40), order(10)];
    expect(stageOf(events)).toBe("active");
    expect(stageThresholds(fold(events).profile, S)).toEqual({
      cycleDays: 30,
      dormantAfterDays: 75,
      churnedAfterDays: 150,
    });
    // One order 31–120 days ago: active.
    expect(stageOf([order(31)])).toBe("active");
    expect(stageOf([order(120)])).toBe("active");
  });

  it("dormant: far beyond the own cycle (cycle 10 days → after 30 days), or 120 days without an order", () => {
    expect(stageOf([order(70), order(60), order(50), order(40)])).toBe("dormant");
    expect(stageOf([order(60), order(50), order(40), order(29)])).toBe("active");
    expect(stageOf([order(121)])).toBe("dormant");
    // A long own cycle (200 days) is capped by the absolute 120 days.
    expect(stageOf([order(600), order(400), order(200)])).toBe("dormant");
  });

  it("churned: longer still (own cycle 10 → after 90 days; one order → after 365 days)", () => {
    expect(stageOf([order(120), order(110), order(100), order(91)])).toBe("churned");
    expect(stageOf([order(120), order(110), order(100), order(89)])).toBe("dormant");
    expect(stageOf([order(366)])).toBe("churned");
    expect(stageOf([order(364)])).toBe("dormant");
  });

  it("with a churn model the calibrated risk decides, once the gap is at least 30 days", () => {
    const score = (risk: number) => ({
      risk,
      horizonDays: 90,
      drivers: [{ feature: "recency_rank" as const, value: 50, effect: "raises" as const, weight: 1.2 }],
    });
    const repeat = fold([order(80), order(65), order(50)]).profile;
    const churned = computeStage(repeat, S, NOW, score(0.9));
    expect(churned).toEqual({
      stage: "churned",
      reason:
        "10% chance of an order in the next 90 days: churn risk 90% ≥ 85% (days since last order 50 raises it)",
    });
    expect(computeStage(repeat, S, NOW, score(0.85)).stage).toBe("churned");
    expect(computeStage(repeat, S, NOW, score(0.849)).stage).toBe("dormant");
    expect(computeStage(repeat, S, NOW, score(0.6)).stage).toBe("dormant");
    expect(computeStage(repeat, S, NOW, score(0.59))).toEqual({
      stage: "active",
      reason: "last order 50 days ago, churn risk 59%",
    });
    // Too recent for dormancy whatever the risk: 29 days.
    expect(computeStage(fold([order(60), order(29)]).profile, S, NOW, score(0.99)).stage).toBe("active");
    // A one-time buyer is judged by the model, not by the 120/365-day rules: 400 days ago but likely back…
    const once = fold([order(400)]).profile;
    expect(computeStage(once, S, NOW).stage).toBe("churned");
    expect(computeStage(once, S, NOW, score(0.3)).stage).toBe("active");
    // …and 40 days ago but unlikely to return: churned.
    expect(computeStage(fold([order(40)]).profile, S, NOW, score(0.95)).stage).toBe("churned");
  });

  it("thresholds are configurable", () => {
    const config = resolveConfig({ stages: { newDays: 7, dormantAfterDays: 60 } });
    expect(fold([order(10)], { config }).profile.stage).toBe("active");
    expect(fold([order(61)], { config }).profile.stage).toBe("dormant");
  });
});

describe("stage changes", () => {
  it("emit lifecycle_stage_changed (from → to) and are kept in the history, as time passes and orders come", () => {
    const t0 = Date.parse(ago(400));
    let { profile, emitted } = fold([{ name: "product_viewed", timestamp: ago(401) }], {
      now: Date.parse(ago(401)),
    });
    expect(emitted).toEqual([]);
    expect(profile.stage).toBe("prospect");

    ({ profile, emitted } = fold(
      [{ name: "order_completed", properties: { revenue: 50 }, timestamp: new Date(t0).toISOString() }],
      {
        now: t0,
        from: profile,
      },
    ));
    expect(emitted).toEqual([
      {
        name: "lifecycle_stage_changed",
        properties: { from: "prospect", to: "new", reason: "first order 0 days ago" },
        timestamp: new Date(t0).toISOString(),
      },
    ]);

    const seen: string[] = [];
    for (let d = 1; d <= 400; d++) {
      const r = refresh(profile, DEFAULT_CONFIG, t0 + d * DAY_MS);
      profile = r.profile;
      for (const e of r.emitted)
        if (e.name === "lifecycle_stage_changed") seen.push(`${String(e.properties.to)}@${d}`);
    }
    // new until day 30, active until 120, dormant until 365, then churned; each change once.
    expect(seen).toEqual(["active@31", "dormant@121", "churned@366"]);
    expect(profile.stageHistory.map((h) => `${h.from}>${h.to}`)).toEqual([
      "prospect>new",
      "new>active",
      "active>dormant",
      "dormant>churned",
    ]);

    // An order brings the customer back.
    const back = fold([order(0)], { from: profile, now: NOW });
    expect(back.profile.stage).toBe("active");
    expect(back.emitted.filter((e) => e.name === "lifecycle_stage_changed").map((e) => e.properties)).toEqual(
      [expect.objectContaining({ from: "churned", to: "active" })],
    );
  });
});
