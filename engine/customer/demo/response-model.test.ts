import { describe, expect, it } from "vitest";
import { type DemoDelivery, responseProbability } from "./response-model";

const delivery = (channel: string, template: string, stage: string, at: number): DemoDelivery => ({
  idempotencyKey: "k",
  customerId: "c",
  journeyId: "dormant-wake-up",
  nodeId: "a",
  channel,
  template,
  stage,
  timezone: "Asia/Shanghai",
  currency: "CNY",
  at,
  goalEvent: "order_completed",
});

describe("the demo's customer-response model", () => {
  // The wake-up play's channel split must have a winner on every replay, whatever day it ends (docs/demo.md):
  // with SMS only 1.8 times email the data's lead was about 8 points and its always-valid p-value about 0.03.
  it("makes the wake-up's SMS arm answer at least 2.2 times as often as its email arm, for every lapsed stage", () => {
    const at = Date.parse("2026-03-02T02:00:00Z");
    for (const stage of ["dormant", "churned"]) {
      const sms = responseProbability(delivery("sms", "winback-coupon-sms", stage, at));
      const email =
        (responseProbability(delivery("email", "winback-coupon", stage, at)) +
          responseProbability(delivery("email", "limited-discount", stage, at))) /
        2;
      expect(sms / email, stage).toBeGreaterThanOrEqual(2.2);
    }
  });

  it("leaves send time without effect, so the send-time split never names a winner", () => {
    for (let h = 0; h < 24; h++) {
      const at = Date.UTC(2026, 2, 2, h);
      expect(responseProbability(delivery("email", "winback-coupon", "dormant", at))).toBe(
        responseProbability(delivery("email", "winback-coupon", "dormant", Date.UTC(2026, 2, 2, 0))),
      );
    }
  });
});
