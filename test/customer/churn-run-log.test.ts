/** The run log explains a condition on the churn risk with the model's strongest drivers. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { simulatedBase } from "../../engine/customer/churn/test-base";
import { trainChurnModel } from "../../engine/customer/churn/train";
import type { LifecycleModel } from "../../engine/customer/engine-model";
import { DAY, eventTrigger, Harness, journey, T0 } from "../engine/harness";

let h: Harness;
beforeEach(async () => {
  h = await Harness.open();
  const churn = trainChurnModel(simulatedBase(3000, T0), T0).model!;
  (h.engine.model as LifecycleModel).setSnapshot({
    model: { unit: "day", bgnbd: { r: 0.25, alpha: 30, a: 0.8, b: 2.4 }, gammaGamma: null, churn },
  });
});
afterEach(async () => {
  await h.close();
});

describe("a condition on churnRisk in the run log", () => {
  it("carries the drivers beside the leaf it explains", async () => {
    await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("page_viewed")],
          [
            "c1",
            "condition",
            {
              conditions: {
                all: [{ fact: "customer", path: "$.churnRisk", operator: "greaterThan", value: 0.5 }],
              },
            },
          ],
        ],
        [["t1", "c1"]],
      ),
    );
    await h.advanceTo(T0 - 300 * DAY);
    await h.track("c1", "order_completed", { revenue: 20 });
    await h.advanceTo(T0);
    await h.track("c1", "page_viewed", {});
    await h.drain();
    const step = (await h.steps({ customerId: "c1" })).find((s) => s.nodeType === "condition")!;
    const detail = step.detail as {
      explain: { path: string; value: number; result: boolean }[];
      churnDrivers: { feature: string; effect: string }[];
    };
    expect(detail.explain[0]).toMatchObject({ path: "$.churnRisk", result: true });
    expect(detail.explain[0]!.value).toBeGreaterThan(0.5);
    expect(detail.churnDrivers.length).toBeGreaterThan(0);
    expect(detail.churnDrivers[0]!.effect).toMatch(/raises|lowers/);
  });
});
