import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAY, email, eventTrigger, Harness, HOUR, journey, MINUTE, T0, tag } from "./harness";

let h: Harness;
beforeEach(async () => {
  h = await Harness.open();
});
afterEach(async () => {
  await h.close();
});

describe("quiet hours", () => {
  // T0 is 2026-03-02T00:00Z. Shanghai is UTC+8; New York is UTC-5 until 2026-03-08.
  const quiet = journey(
    [
      ["t1", "trigger", eventTrigger("churn_signal")],
      ["a1", "action", email()],
      ["a2", "action", tag("after")],
    ],
    [
      ["t1", "a1"],
      ["a1", "a2"],
    ],
    { timezone: "Asia/Shanghai", quietHours: { start: "21:00", end: "09:00" } },
  );

  it("defers a message inside the window to its end in the journey's timezone, logged", async () => {
    const j = await h.publish(quiet);
    await h.advanceTo(T0 + 14 * HOUR); // 22:00 in Shanghai
    await h.identify("c1", { email: "c1@example.com" });
    await h.track("c1", "churn_signal");
    const [deferred] = await h.steps({ nodeId: "a1", outcome: "deferred" });
    expect(deferred).toMatchObject({ reason: "quiet_hours", at: T0 + 14 * HOUR });
    expect(deferred!.detail).toMatchObject({ until: "2026-03-03T01:00:00.000Z", timezone: "Asia/Shanghai" });
    expect(await h.outbox()).toEqual([]);
    expect((await h.run(j, "c1")).status).toBe("waiting");

    await h.advanceTo(T0 + DAY + HOUR - 1);
    expect(await h.outbox()).toEqual([]);
    await h.advanceTo(T0 + 2 * DAY);
    const out = await h.outbox();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ status: "sent", deliveredAt: T0 + DAY + HOUR, nodeId: "a1" });
    expect(await h.steps({ nodeId: "a1", outcome: "queued" })).toHaveLength(1);
    expect(await h.steps({ nodeId: "a2", outcome: "executed" })).toHaveLength(1);
    expect((await h.run(j, "c1")).outcome).toBe("completed");
  });

  it("uses the customer's timezone trait over the journey's", async () => {
    await h.publish(quiet);
    await h.advanceTo(T0 + 3 * HOUR); // 11:00 Shanghai; 22:00 (Mar 1) New York
    await h.identify("sh", { email: "sh@example.com" });
    await h.identify("ny", { email: "ny@example.com", timezone: "America/New_York" });
    await h.track("sh", "churn_signal");
    await h.track("ny", "churn_signal");
    expect((await h.outbox({ customerId: "sh" }))[0]).toMatchObject({ deliveredAt: T0 + 3 * HOUR });
    expect(await h.outbox({ customerId: "ny" })).toEqual([]);
    const [d] = await h.steps({ customerId: "ny", outcome: "deferred" });
    expect(d!.detail).toMatchObject({ timezone: "America/New_York", until: "2026-03-02T14:00:00.000Z" });
    await h.advanceTo(T0 + DAY);
    expect((await h.outbox({ customerId: "ny" }))[0]).toMatchObject({
      status: "sent",
      deliveredAt: T0 + 14 * HOUR,
    });
  });

  it("a message at the window's end is sent, one just before is deferred (start inclusive, end exclusive)", async () => {
    await h.publish(quiet);
    await h.identify("c1", { email: "c1@example.com" });
    await h.identify("c2", { email: "c2@example.com" });
    await h.identify("c3", { email: "c3@example.com" });
    await h.advanceTo(T0 + HOUR - MINUTE); // 08:59 Shanghai
    await h.track("c1", "churn_signal");
    await h.advanceTo(T0 + HOUR); // 09:00 Shanghai
    await h.track("c2", "churn_signal");
    await h.advanceTo(T0 + 13 * HOUR); // 21:00 Shanghai
    await h.track("c3", "churn_signal");
    const at = async (c: string) => (await h.outbox({ customerId: c }))[0]?.deliveredAt;
    expect(await at("c1")).toBe(T0 + HOUR);
    expect(await at("c2")).toBe(T0 + HOUR);
    expect(await at("c3")).toBeUndefined();
    await h.advanceTo(T0 + 2 * DAY);
    expect(await at("c3")).toBe(T0 + DAY + HOUR);
  });

  it("never drops: every deferred message is delivered once, even when the engine was down at the window end", async () => {
    const j = await h.publish(quiet);
    await h.advanceTo(T0 + 14 * HOUR);
    const ids = Array.from({ length: 50 }, (_, i) => `c${i}`);
    await h.ingest(
      ids.flatMap((id) => [
        {
          type: "identify" as const,
          userId: id,
          traits: { email: `${id}@x.io` },
          timestamp: new Date(h.now).toISOString(),
        },
        {
          type: "track" as const,
          userId: id,
          event: "churn_signal",
          properties: {},
          timestamp: new Date(h.now).toISOString(),
        },
      ]),
    );
    await h.drain();
    expect(await h.steps({ outcome: "deferred" })).toHaveLength(50);
    h.jumpTo(T0 + DAY + 5 * HOUR); // down through 09:00; back at 13:00 Shanghai
    await h.drain();
    const out = await h.outbox();
    expect(out).toHaveLength(50);
    expect(new Set(out.map((o) => o.customerId)).size).toBe(50);
    expect(out.every((o) => o.status === "sent" && o.deliveredAt === T0 + DAY + 5 * HOUR)).toBe(true);
    const resumed = await h.steps({ nodeId: "a1", outcome: "resumed" });
    expect(resumed).toHaveLength(50);
    expect(resumed[0]).toMatchObject({ dueAt: T0 + DAY + HOUR, detail: { lateMs: 4 * HOUR } });
    expect((await h.runs({ journeyId: j })).every((r) => r.outcome === "completed")).toBe(true);
  });

  it("does not hold internal actions", async () => {
    await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("churn_signal")],
          ["a1", "action", tag("x")],
        ],
        [["t1", "a1"]],
        { timezone: "Asia/Shanghai", quietHours: { start: "21:00", end: "09:00" } },
      ),
    );
    await h.advanceTo(T0 + 14 * HOUR);
    await h.track("c1", "churn_signal");
    expect(await h.steps({ nodeId: "a1", outcome: "executed" })).toHaveLength(1);
  });
});

describe("frequency cap", () => {
  it("skips a message over the cap with reason capped, across journeys, and the run goes on", async () => {
    const a = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("promo")],
          ["a1", "action", email("promo-1")],
          ["a2", "action", { action: "sms", template: "promo-2" }],
        ],
        [
          ["t1", "a1"],
          ["a1", "a2"],
        ],
      ),
    );
    const b = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("churn_signal")],
          ["b1", "action", email()],
          ["b2", "action", tag("reached")],
        ],
        [
          ["t1", "b1"],
          ["b1", "b2"],
        ],
        { frequencyCap: { max: 2, per: "7d" }, reentry: { mode: "always" } },
      ),
    );
    await h.identify("c1", { email: "c1@example.com", phone: "+100" });
    await h.track("c1", "promo");
    expect(await h.outbox({ journeyId: a })).toHaveLength(2);
    await h.advanceBy(HOUR);
    await h.track("c1", "churn_signal");
    const [capped] = await h.steps({ nodeId: "b1", outcome: "skipped" });
    expect(capped).toMatchObject({ reason: "capped", port: "next" });
    expect(await h.outbox({ journeyId: b })).toEqual([]);
    expect(await h.steps({ nodeId: "b2", outcome: "executed" })).toHaveLength(1);
    expect((await h.runs({ journeyId: b }))[0]!.outcome).toBe("completed");
    expect((await h.store.getCustomers(["c1"])).get("c1")!.traits.tags).toEqual(["reached"]);

    // Until a week after the first two sends the cap holds; from exactly a week it has room again.
    await h.advanceTo(T0 + 7 * DAY - 1);
    await h.track("c1", "churn_signal");
    expect(await h.outbox({ journeyId: b })).toEqual([]);
    expect(await h.steps({ nodeId: "b1", outcome: "skipped" })).toHaveLength(2);
    await h.advanceTo(T0 + 7 * DAY);
    await h.track("c1", "churn_signal");
    expect(await h.outbox({ journeyId: b })).toHaveLength(1);
  });

  it("counts messages queued earlier in the same run and batch", async () => {
    const j = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("churn_signal")],
          ["a1", "action", email("one")],
          ["a2", "action", email("two")],
          ["a3", "action", email("three")],
        ],
        [
          ["t1", "a1"],
          ["a1", "a2"],
          ["a2", "a3"],
        ],
        { frequencyCap: { max: 2, per: "1d" } },
      ),
    );
    await h.identify("c1", { email: "c1@example.com" });
    await h.track("c1", "churn_signal");
    expect((await h.outbox({ journeyId: j })).map((o) => o.template)).toEqual(["one", "two"]);
    expect(await h.steps({ nodeId: "a3", outcome: "skipped" })).toMatchObject([{ reason: "capped" }]);
  });

  it("internal actions do not count and are never capped", async () => {
    await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("churn_signal")],
          ["a1", "action", tag("one")],
          ["a2", "action", tag("two")],
          ["a3", "action", email()],
        ],
        [
          ["t1", "a1"],
          ["a1", "a2"],
          ["a2", "a3"],
        ],
        { frequencyCap: { max: 1, per: "1d" } },
      ),
    );
    await h.identify("c1", { email: "c1@example.com" });
    await h.track("c1", "churn_signal");
    expect(await h.steps({ outcome: "skipped" })).toEqual([]);
    expect(await h.outbox()).toHaveLength(1);
  });
});

describe("a message action without an address", () => {
  const doc = (withFailed: boolean) =>
    journey(
      [
        ["t1", "trigger", eventTrigger("churn_signal")],
        ["a1", "action", email()],
        ["ok", "action", tag("next")],
        ["bad", "action", tag("failed")],
      ],
      [["t1", "a1"], ["a1", "ok"], withFailed ? ["a1", "bad", "failed"] : ["ok", "bad"]],
    );

  it("is skipped with reason no_address and goes through `failed` when connected", async () => {
    const j = await h.publish(doc(true));
    await h.identify("c1", { name: "no email" });
    await h.track("c1", "churn_signal");
    expect(await h.steps({ nodeId: "a1" })).toMatchObject([
      { outcome: "skipped", reason: "no_address", port: "failed", detail: { trait: "email" } },
    ]);
    expect(await h.steps({ nodeId: "bad", outcome: "executed" })).toHaveLength(1);
    expect(await h.steps({ nodeId: "ok" })).toEqual([]);
    expect(await h.outbox()).toEqual([]);
    expect((await h.run(j, "c1")).outcome).toBe("completed");
  });

  it("goes through `next` when `failed` is not connected", async () => {
    await h.publish(doc(false));
    await h.track("c1", "churn_signal"); // never identified: no traits at all
    expect(await h.steps({ nodeId: "a1" })).toMatchObject([
      { outcome: "skipped", reason: "no_address", port: "next" },
    ]);
    expect(await h.steps({ nodeId: "ok", outcome: "executed" })).toHaveLength(1);
    expect(await h.outbox()).toEqual([]);
  });

  it("an empty address counts as none; SMS needs `phone`", async () => {
    await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("churn_signal")],
          ["a1", "action", email()],
          ["a2", "action", { action: "sms", template: "sms-1" }],
        ],
        [
          ["t1", "a1"],
          ["a1", "a2"],
        ],
      ),
    );
    await h.identify("c1", { email: "  ", phone: "+8613800000000" });
    await h.track("c1", "churn_signal");
    expect(await h.steps({ nodeId: "a1" })).toMatchObject([{ outcome: "skipped", reason: "no_address" }]);
    expect((await h.outbox()).map((o) => o.action)).toEqual(["sms"]);
  });

  it("a skipped message does not count towards the cap", async () => {
    await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("churn_signal")],
          ["a1", "action", { action: "sms", template: "sms-1" }],
          ["a2", "action", email()],
        ],
        [
          ["t1", "a1"],
          ["a1", "a2"],
        ],
        { frequencyCap: { max: 1, per: "1d" } },
      ),
    );
    await h.identify("c1", { email: "c1@example.com" });
    await h.track("c1", "churn_signal");
    expect((await h.outbox()).map((o) => o.action)).toEqual(["email"]);
  });
});
