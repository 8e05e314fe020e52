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

  it("churned: a very low P(alive) once the gap is at least 30 days", () => {
    // 16 order days 2 days apart, last one 50 days ago: P(alive) ≈ 0.002 with these day parameters.
    const events = Array.from({ length: 16 }, (_, i) => order(80 - 2 * i));
    const model: CustomerModel = {
      unit: "week",
      bgnbd: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 },
      gammaGamma: null,
    };
    expect(stageOf(events)).toBe("dormant");
    expect(stageOf(events, model)).toBe("churned");
    expect(fold(events, { model }).profile.stageReason).toMatch(/^P\(alive\) 0\.00\d < 0\.1$/);
    // The same customer 20 days after the last order is not churned by the model (gap < 30 days).
    const recent = Array.from({ length: 16 }, (_, i) => order(50 - 2 * i));
    expect(computeStage(fold(recent).profile, S, NOW, 0.01).stage).toBe("active");
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
