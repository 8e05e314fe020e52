import { describe, expect, it } from "vitest";
import { inputEventSchema } from "../../schema/events";
import { benchApplyOrder, benchRecompute } from "../bench";
import { DEFAULT_CONFIG } from "../config";
import { toCustomerEvent } from "../events";
import { customerFact } from "../fact";
import { fitModelFromProfiles } from "../model/predict";
import { recompute } from "../profile";
import { computeRfmBoundaries } from "../rfm";
import { demoCustomers, generateDemo, DEMO_DEFAULTS, toNdjson } from "./generate";

describe("demo customer base", () => {
  // How fast it generates is a bench figure, not a test: a loaded machine fails a time limit.
  it("generates 2,000 customers deterministically, labelled as demo data", () => {
    const events = generateDemo({ customers: 2000, seed: 42 });
    for (const e of events) if (e.type === "identify") expect(e.traits.demo).toBe(true);
    expect(toNdjson(generateDemo({ customers: 50, seed: 42 }))).toBe(
      toNdjson(generateDemo({ customers: 50, seed: 42 })),
    );
    expect(toNdjson(generateDemo({ customers: 50, seed: 43 }))).not.toBe(
      toNdjson(generateDemo({ customers: 50, seed: 42 })),
    );

    // Valid spec §2 input, sorted, unique message ids, nothing after `now`.
    const ids = new Set<string>();
    let prev = "";
    for (const e of events) {
      expect(inputEventSchema.safeParse(e).success).toBe(true);
      expect(e.timestamp >= prev).toBe(true);
      expect(e.timestamp <= "2026-03-01T00:00:00.000Z").toBe(true);
      expect(e.timestamp).toMatch(/Z$/);
      prev = e.timestamp;
      ids.add(e.messageId);
    }
    expect(ids.size).toBe(events.length);
    const identifies = events.filter((e) => e.type === "identify");
    expect(identifies).toHaveLength(2000);
    const names = new Set(identifies.map((e) => (e.type === "identify" ? String(e.traits.name) : "")));
    expect([...names].some((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true);
    expect([...names].some((n) => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(n))).toBe(true);
    const zones = new Set(identifies.map((e) => (e.type === "identify" ? String(e.traits.timezone) : "")));
    expect(zones.size).toBeGreaterThan(6);
    for (const z of zones) expect(() => new Intl.DateTimeFormat("en", { timeZone: z })).not.toThrow();
    const kinds = new Set(events.map((e) => (e.type === "track" ? e.event : "identify")));
    for (const k of [
      "order_completed",
      "complaint",
      "survey_response",
      "product_viewed",
      "favourite",
      "add_to_cart",
    ])
      expect(kinds).toContain(k);
    expect(
      events.some(
        (e) => e.type === "track" && e.event === "order_completed" && (e.properties.revenue as number) < 0,
      ),
    ).toBe(true);
  });

  it("yields a plausible base: every stage, several RFM segments and signals", () => {
    const profiles = [];
    const stages = new Map<string, number>();
    for (const c of demoCustomers({ customers: 1500, seed: 3 })) {
      const evs = c.events.map(toCustomerEvent).filter((e) => e !== undefined);
      const p = recompute(evs, DEFAULT_CONFIG, DEMO_DEFAULTS.now).profile;
      profiles.push(p);
      stages.set(p.stage, (stages.get(p.stage) ?? 0) + 1);
    }
    for (const s of ["prospect", "new", "active", "dormant", "churned"])
      expect(stages.get(s) ?? 0, s).toBeGreaterThan(10);
    const rfm = computeRfmBoundaries(profiles, DEMO_DEFAULTS.now);
    const segments = new Set(
      profiles.map((p, i) => customerFact(p, {}, String(i), DEMO_DEFAULTS.now, { rfm }).rfm?.segment),
    );
    expect(segments.size).toBeGreaterThanOrEqual(8);
    expect(profiles.some((p) => p.signals.length > 0)).toBe(true);
    // The nightly refit from profiles finds the generator's parameters roughly (days; 1,500 customers).
    const model = fitModelFromProfiles(profiles, DEMO_DEFAULTS.now);
    expect(model.unit).toBe("day");
    expect(model.bgnbd.r / DEMO_DEFAULTS.bgnbd.r).toBeGreaterThan(0.7);
    expect(model.bgnbd.r / DEMO_DEFAULTS.bgnbd.r).toBeLessThan(1.4);
    expect(model.bgnbd.alpha / DEMO_DEFAULTS.bgnbd.alpha).toBeGreaterThan(0.6);
    expect(model.bgnbd.alpha / DEMO_DEFAULTS.bgnbd.alpha).toBeLessThan(1.6);
    expect(model.gammaGamma).not.toBeNull();
    expect(model.logLik?.bgnbd).toBeLessThan(0);
  });

  it("bench helpers run", () => {
    const r = benchRecompute(300);
    expect(r.customers).toBe(300);
    expect(r.events).toBeGreaterThan(1000);
    expect(r.recomputeMs).toBeGreaterThanOrEqual(0);
    expect(r.peakRssMB).toBeGreaterThan(0);
    expect(benchApplyOrder(50).orders).toBeGreaterThan(10);
  });
});
