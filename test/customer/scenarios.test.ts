/**
 * Scenario tests for issue 6: a lifecycle stage change and a churn signal each start the journeys that
 * listen for them — once per episode. Successive nightly refreshes while the condition still holds do not
 * re-enter; a new episode after the condition cleared does (re-entry `always` or an elapsed `cooldown`),
 * and a journey with re-entry `once` never takes the customer twice.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LifecycleModel } from "../../engine/customer/engine-model";
import { recomputeAll, refreshAll } from "../../engine/customer/recompute-job";
import { DAY, eventTrigger, Harness, HOUR, journey, T0, waitFor } from "../engine/harness";

let h: Harness;
let model: LifecycleModel;
beforeEach(async () => {
  h = await Harness.open();
  model = h.engine.model as LifecycleModel;
});
afterEach(async () => {
  await h.close();
});

const stageJourney = (reentry: Record<string, unknown>) =>
  journey(
    [
      ["t1", "trigger", { kind: "stage", to: "dormant" }],
      ["w1", "wait", waitFor("1d")],
    ],
    [["t1", "w1"]],
    { reentry },
    "Dormant win-back",
  );
const signalJourney = (reentry: Record<string, unknown>) =>
  journey(
    [
      ["t1", "trigger", eventTrigger("churn_signal")],
      ["w1", "wait", waitFor("1d")],
    ],
    [["t1", "w1"]],
    { reentry },
    "Churn-signal win-back",
  );

/** The nightly job at 03:00 UTC of day `d` after T0: time moves there, every profile is refreshed. */
async function night(d: number): Promise<number> {
  await h.advanceTo(T0 + d * DAY + 3 * HOUR);
  const r = await refreshAll(h.engine, model);
  await h.drain();
  return r.emitted;
}

async function order(d: number, revenue = 50): Promise<void> {
  await h.advanceTo(T0 + d * DAY + 12 * HOUR);
  await h.track("c1", "order_completed", { revenue });
}

const entries = async (journeyId: string): Promise<number> =>
  (await h.runs({ journeyId, customerId: "c1" })).length;

const events = async (name: string) =>
  (await h.store.listEvents("c1", 10_000)).filter((e) => e.name === name).reverse();

describe("stage changes and churn signals start their journeys once per episode", () => {
  it("enters on the first night the condition holds, not again on later nights, again in a new episode", async () => {
    const stageAlways = await h.publish(stageJourney({ mode: "always" }));
    const signalAlways = await h.publish(signalJourney({ mode: "always" }));
    const stageCooldown = await h.publish(stageJourney({ mode: "cooldown", cooldown: "200d" }));
    const signalOnce = await h.publish(signalJourney({ mode: "once" }));
    await h.identify("c1", { email: "c1@example.com" });
    await order(0);
    expect(model.fact((await h.store.getCustomers(["c1"])).get("c1")!, h.now).stage).toBe("new");

    // A one-order customer: order_gap after 60 days, dormant after 120.
    expect(await night(59)).toBe(1); // new → active after 30 days (one stage change)
    expect(await entries(signalAlways)).toBe(0);
    expect(await night(61)).toBe(1); // churn_signal order_gap
    expect(await entries(signalAlways)).toBe(1);
    expect(await entries(signalOnce)).toBe(1);
    for (const d of [62, 63, 90, 119]) {
      expect(await night(d)).toBe(0);
      expect(await entries(signalAlways)).toBe(1);
    }
    expect(await entries(stageAlways)).toBe(0);
    expect(await night(121)).toBe(1); // active → dormant
    expect(await entries(stageAlways)).toBe(1);
    expect(await entries(stageCooldown)).toBe(1);
    for (const d of [122, 123, 150]) {
      expect(await night(d)).toBe(0);
      expect(await entries(stageAlways)).toBe(1);
      expect(await entries(signalAlways)).toBe(1);
    }
    // The full nightly job (refit + refresh) does not re-enter either.
    await h.advanceTo(T0 + 151 * DAY + 3 * HOUR);
    const r = await recomputeAll(h.engine, model);
    expect(r.emitted).toBe(0);
    expect(r.snapshot.rfm?.customers).toBe(1);

    // An order ends both episodes: dormant → active, the order_gap signal clears.
    await order(151);
    const profile = (await h.store.getCustomers(["c1"])).get("c1")!.state;
    expect(profile.stage).toBe("active");
    expect(profile.signals).toEqual([]);
    expect(await entries(stageAlways)).toBe(1);

    // Own cycle 151 days: dormant and order_gap both after 120 days without an order → a new episode.
    expect(await night(200)).toBe(0);
    expect(await night(272)).toBe(2);
    expect(await entries(stageAlways)).toBe(2);
    expect(await entries(signalAlways)).toBe(2);
    // Cooldown 200 days since the entry on day 121: only 151 days by day 272, so it refuses; once never re-enters.
    expect(await entries(stageCooldown)).toBe(1);
    expect(await entries(signalOnce)).toBe(1);
    for (const d of [273, 300]) {
      expect(await night(d)).toBe(0);
      expect(await entries(stageAlways)).toBe(2);
      expect(await entries(signalAlways)).toBe(2);
    }
    expect(await night(322)).toBe(0);

    // Each episode appears once in the event history, with its reason and onset.
    const signals = await events("churn_signal");
    expect(signals.map((e) => e.properties.reason)).toEqual(["order_gap", "order_gap"]);
    expect(signals.map((e) => (e.timestamp - T0) / DAY)).toEqual([61 + 3 / 24, 272 + 3 / 24]);
    const stages = await events("lifecycle_stage_changed");
    expect(stages.map((e) => `${String(e.properties.from)}→${String(e.properties.to)}`)).toEqual([
      "prospect→new",
      "new→active",
      "active→dormant",
      "dormant→active",
      "active→dormant",
    ]);
  });

  it("a cooldown longer than the gap between episodes keeps the customer out of the second one", async () => {
    const stageCooldown = await h.publish(stageJourney({ mode: "cooldown", cooldown: "200d" }));
    await h.identify("c1", { email: "c1@example.com" });
    await order(0);
    await night(121);
    expect(await entries(stageCooldown)).toBe(1);
    await order(122);
    // Own cycle 122 days: dormant after 120 days → day 243, 122 days after the first entry (< 200).
    await night(243);
    expect((await h.store.getCustomers(["c1"])).get("c1")!.state.stage).toBe("dormant");
    expect(await entries(stageCooldown)).toBe(1);
    // …and a later episode past the cooldown enters again.
    await order(250);
    await night(250 + 121);
    expect(await entries(stageCooldown)).toBe(2);
  });

  it("stage triggers listen for their stage only; a signal journey's where clause sees the reason", async () => {
    const churnedOnly = await h.publish(
      journey(
        [
          ["t1", "trigger", { kind: "stage", to: "churned" }],
          ["w1", "wait", waitFor("1d")],
        ],
        [["t1", "w1"]],
        { reentry: { mode: "always" } },
      ),
    );
    const lowSatisfaction = await h.publish(
      journey(
        [
          [
            "t1",
            "trigger",
            eventTrigger("churn_signal", {
              all: [
                { fact: "event", path: "$.properties.reason", operator: "equal", value: "low_satisfaction" },
              ],
            }),
          ],
          ["w1", "wait", waitFor("1d")],
        ],
        [["t1", "w1"]],
        { reentry: { mode: "always" } },
      ),
    );
    await h.identify("c1", { email: "c1@example.com" });
    await order(0);
    await night(121);
    expect(await entries(churnedOnly)).toBe(0);
    expect(await entries(lowSatisfaction)).toBe(0);
    await h.advanceTo(T0 + 122 * DAY);
    await h.track("c1", "survey_response", { scale: "csat", score: 1 });
    expect(await entries(lowSatisfaction)).toBe(1);
    await night(366);
    expect(await entries(churnedOnly)).toBe(1);
    expect(await entries(lowSatisfaction)).toBe(1);
  });
});
