import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DAY,
  email,
  eventTrigger,
  Harness,
  HOUR,
  identifyEvent,
  journey,
  T0,
  trackEvent,
  waitFor,
  tag,
} from "./harness";

let h: Harness;
beforeEach(async () => {
  h = await Harness.open();
});
afterEach(async () => {
  await h.close();
});

const waitThenEmail = (wait: string, template: string, waitId = "w1") =>
  journey(
    [
      ["t1", "trigger", eventTrigger("churn_signal")],
      [waitId, "wait", waitFor(wait)],
      ["a1", "action", email(template)],
    ],
    [
      ["t1", waitId],
      [waitId, "a1"],
    ],
  );

const customers = (n: number, prefix = "c") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

async function enter(ids: string[], event = "churn_signal"): Promise<void> {
  await h.ingest(
    ids.flatMap((id) => [
      identifyEvent(id, { email: `${id}@x.io` }, h.now),
      trackEvent(id, event, {}, h.now),
    ]),
  );
  await h.drain();
}

describe("pause and resume", () => {
  it("freezes due runs while paused and releases every one of them (late) after resume; nothing is lost", async () => {
    const a = await h.publish(waitThenEmail("72h", "winback"));
    const b = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("cart_abandoned")],
          ["w1", "wait", { kind: "event", event: "email_opened", timeout: "3d" }],
          ["m", "action", tag("matched")],
          ["o", "action", tag("timeout")],
        ],
        [
          ["t1", "w1"],
          ["w1", "m", "matched"],
          ["w1", "o", "timeout"],
        ],
      ),
    );
    const ids = customers(20);
    await enter(ids);
    await enter(["m1", "m2"], "cart_abandoned");
    expect(await h.runs({ status: "waiting" })).toHaveLength(22);

    await h.advanceTo(T0 + HOUR);
    await h.engine.pause(a);
    await h.engine.pause(b);

    // m1's email is opened during the pause: the match is kept, the run does not move yet.
    await h.advanceTo(T0 + 10 * HOUR);
    await h.track("m1", "email_opened");
    const m1 = await h.run(b, "m1");
    expect(m1.status).toBe("ready");
    expect(await h.steps({ runId: m1.id, outcome: "matched" })).toHaveLength(1);

    await h.advanceTo(T0 + 100 * HOUR);
    expect(await h.engine.tick()).toBe(0);
    expect(await h.steps({ outcome: "released" })).toEqual([]);
    expect(await h.steps({ nodeId: "m" })).toEqual([]);
    expect(await h.outbox()).toEqual([]);
    expect(await h.runs({ journeyId: a, status: "waiting" })).toHaveLength(20);

    await h.engine.resume(a);
    await h.engine.resume(b);
    await h.drain();

    const released = await h.steps({ journeyId: a, nodeId: "w1", outcome: "released" });
    expect(released).toHaveLength(20);
    for (const s of released)
      expect(s).toMatchObject({ dueAt: T0 + 72 * HOUR, detail: { lateMs: 28 * HOUR } });
    const out = await h.outbox({ journeyId: a });
    expect(out).toHaveLength(20);
    expect(out.every((o) => o.status === "sent" && o.deliveredAt === T0 + 100 * HOUR)).toBe(true);
    expect(new Set(out.map((o) => o.customerId))).toEqual(new Set(ids));
    expect((await h.runs({ journeyId: a })).every((r) => r.outcome === "completed")).toBe(true);

    expect(await h.steps({ customerId: "m1", nodeId: "m", outcome: "executed" })).toHaveLength(1);
    expect(await h.steps({ customerId: "m1", nodeId: "o" })).toEqual([]);
    expect(await h.steps({ customerId: "m2", nodeId: "o", outcome: "executed" })).toHaveLength(1);
    expect((await h.runs({ journeyId: b })).map((r) => r.outcome)).toEqual(["completed", "completed"]);
  });

  it("a run waiting on a delivery result when paused moves on only after resume, delivered once", async () => {
    const j = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("churn_signal")],
          ["w1", "wait", waitFor("1h")],
          ["a1", "action", email()],
          ["ok", "action", tag("ok")],
          ["ko", "action", tag("ko")],
        ],
        [
          ["t1", "w1"],
          ["w1", "a1"],
          ["a1", "ok"],
          ["a1", "ko", "failed"],
        ],
      ),
    );
    await enter(["c1"]);
    h.jumpTo(T0 + HOUR);
    expect(await h.engine.tick()).toBe(1);
    expect((await h.run(j, "c1")).status).toBe("acting");
    await h.engine.pause(j);
    await h.advanceTo(T0 + 5 * HOUR);
    expect(await h.steps({ nodeId: "ok" })).toEqual([]);
    expect((await h.run(j, "c1")).status).not.toMatch(/completed|failed/);
    await h.engine.resume(j);
    await h.drain();
    expect(await h.outbox()).toMatchObject([{ status: "sent" }]);
    expect(await h.steps({ nodeId: "a1", outcome: "queued" })).toHaveLength(1);
    expect(await h.steps({ nodeId: "ok", outcome: "executed" })).toHaveLength(1);
    expect((await h.run(j, "c1")).outcome).toBe("completed");
  });
});

describe("versions", () => {
  it("a new version leaves runs on the old one; new entries use the new one", async () => {
    const j = await h.publish(waitThenEmail("1d", "v1-template"));
    await enter(["old1", "old2"]);
    const v1 = (await h.run(j, "old1")).versionId;

    await h.advanceTo(T0 + HOUR);
    // v2 waits 2d on a differently named node: old runs sit on a node v2 does not have.
    await h.publish(waitThenEmail("2d", "v2-template", "w2"), j);
    await enter(["new1"]);
    const v2 = (await h.run(j, "new1")).versionId;
    expect(v2).not.toBe(v1);
    expect((await h.run(j, "new1")).nodeId).toBe("w2");

    await h.advanceTo(T0 + DAY);
    const early = await h.outbox();
    expect(early.map((o) => [o.customerId, o.template, o.versionId, o.deliveredAt])).toEqual([
      ["old1", "v1-template", v1, T0 + DAY],
      ["old2", "v1-template", v1, T0 + DAY],
    ]);
    expect((await h.run(j, "old1")).outcome).toBe("completed");
    expect((await h.run(j, "new1")).status).toBe("waiting");

    await h.advanceTo(T0 + HOUR + 2 * DAY);
    const late = await h.outbox({ customerId: "new1" });
    expect(late.map((o) => [o.template, o.versionId, o.deliveredAt])).toEqual([
      ["v2-template", v2, T0 + HOUR + 2 * DAY],
    ]);
    const versions = await h.store.listVersions(j);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
  });
});

describe("audience trigger", () => {
  const audience = (reentry: Record<string, unknown>) =>
    journey(
      [
        [
          "t1",
          "trigger",
          {
            kind: "audience",
            schedule: "0 9 * * *",
            conditions: {
              all: [
                { fact: "customer", path: "$.traits.plan", operator: "equal", value: "gold" },
                { fact: "customer", path: "$.ordersCount", operator: "greaterThan", value: 0 },
              ],
            },
          },
        ],
        ["w1", "wait", waitFor("1d")],
      ],
      [["t1", "w1"]],
      { reentry },
    );

  const seed = async () => {
    await h.ingest([
      identifyEvent("gold-buyer", { plan: "gold" }, h.now),
      trackEvent("gold-buyer", "order_completed", { revenue: 10 }, h.now),
      identifyEvent("gold-idle", { plan: "gold" }, h.now),
      identifyEvent("silver-buyer", { plan: "silver" }, h.now),
      trackEvent("silver-buyer", "order_completed", { revenue: 10 }, h.now),
      identifyEvent("gold-buyer-2", { plan: "gold" }, h.now),
      trackEvent("gold-buyer-2", "order_completed", { revenue: 5 }, h.now),
    ]);
    await h.drain();
  };
  const entered = async (j: string) => (await h.runs({ journeyId: j })).map((r) => r.customerId).sort();

  it("enters the customers matching its conditions on traits and computed state", async () => {
    const j = await h.publish(audience({ mode: "once" }));
    await seed();
    expect(await h.engine.fireAudience(j, "t1")).toBe(2);
    await h.drain();
    expect(await entered(j)).toEqual(["gold-buyer", "gold-buyer-2"]);
    const steps = await h.steps({ journeyId: j, nodeId: "t1", outcome: "entered" });
    expect(steps.map((s) => s.detail)).toEqual([{ trigger: "audience" }, { trigger: "audience" }]);
  });

  it("respects re-entry: once never again; always only after the run ended", async () => {
    const once = await h.publish(audience({ mode: "once" }));
    const always = await h.publish(audience({ mode: "always" }));
    const cooldown = await h.publish(audience({ mode: "cooldown", cooldown: "3d" }));
    await seed();
    for (const j of [once, always, cooldown]) expect(await h.engine.fireAudience(j, "t1")).toBe(2);
    await h.drain();
    // Still in the journey: nobody enters twice at once.
    await h.advanceBy(HOUR);
    for (const j of [once, always, cooldown]) expect(await h.engine.fireAudience(j, "t1")).toBe(0);
    // The runs have ended.
    await h.advanceTo(T0 + 2 * DAY);
    expect(await h.engine.fireAudience(once, "t1")).toBe(0);
    expect(await h.engine.fireAudience(always, "t1")).toBe(2);
    expect(await h.engine.fireAudience(cooldown, "t1")).toBe(0);
    await h.advanceTo(T0 + 3 * DAY);
    expect(await h.engine.fireAudience(cooldown, "t1")).toBe(2);
    expect((await h.runs({ journeyId: once })).length).toBe(2);
    expect((await h.runs({ journeyId: always })).length).toBe(4);
    expect((await h.runs({ journeyId: cooldown })).length).toBe(4);
  });

  it("a customer who newly matches enters on the next firing", async () => {
    const j = await h.publish(audience({ mode: "once" }));
    await seed();
    await h.engine.fireAudience(j, "t1");
    await h.track("gold-idle", "order_completed", { revenue: 1 });
    expect(await h.engine.fireAudience(j, "t1")).toBe(1);
    expect(await entered(j)).toEqual(["gold-buyer", "gold-buyer-2", "gold-idle"]);
  });
});

describe("idempotency", () => {
  it("a cycle through a wait visits an action twice with two keys `run:node:visit`", async () => {
    const j = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("churn_signal")],
          ["a1", "action", email()],
          ["w1", "wait", waitFor("1d")],
          [
            "c1",
            "condition",
            {
              conditions: {
                all: [{ fact: "journey", path: "$.hoursInJourney", operator: "lessThan", value: 30 }],
              },
            },
          ],
        ],
        [
          ["t1", "a1"],
          ["a1", "w1"],
          ["w1", "c1"],
          ["c1", "a1", "yes"],
        ],
      ),
    );
    await enter(["c1"]);
    await h.advanceTo(T0 + 5 * DAY);
    const run = await h.run(j, "c1");
    expect(run.outcome).toBe("completed");
    const out = await h.outbox();
    expect(out.map((o) => [o.idempotencyKey, o.visit, o.deliveredAt])).toEqual([
      [`${run.id}:a1:1`, 1, T0],
      [`${run.id}:a1:2`, 2, T0 + DAY],
    ]);
    const queued = await h.steps({ nodeId: "a1", outcome: "queued" });
    expect(queued.map((s) => [s.visit, s.detail])).toEqual([
      [1, { idempotencyKey: `${run.id}:a1:1` }],
      [2, { idempotencyKey: `${run.id}:a1:2` }],
    ]);
  });

  it("ignores a duplicate messageId, in the same batch and later", async () => {
    const j = await h.publish({
      ...waitThenEmail("1h", "t"),
      settings: { reentry: { mode: "always" } },
    });
    await h.identify("c1", { email: "c1@x.io" });
    const ev = trackEvent("c1", "churn_signal", {}, h.now, { messageId: "m-1" });
    expect(await h.ingest([ev, ev])).toEqual(["accepted", "duplicate"]);
    await h.drain();
    expect(await h.runs({ journeyId: j })).toHaveLength(1);
    await h.advanceTo(T0 + DAY);
    expect(await h.track("c1", "churn_signal", {}, { messageId: "m-1" })).toEqual(["duplicate"]);
    expect(await h.runs({ journeyId: j })).toHaveLength(1);
    expect(await h.store.countEvents("c1", "churn_signal", 0, Number.MAX_SAFE_INTEGER)).toBe(1);
    expect(await h.track("c1", "churn_signal", {}, { messageId: "m-2" })).toEqual(["accepted"]);
    expect(await h.runs({ journeyId: j })).toHaveLength(2);
  });

  it("a duplicate order does not count twice in the customer's state", async () => {
    await h.track("c1", "order_completed", { revenue: 10 }, { messageId: "o-1" });
    await h.track("c1", "order_completed", { revenue: 10 }, { messageId: "o-1" });
    const c = (await h.store.getCustomers(["c1"])).get("c1")!;
    expect(c.state).toMatchObject({ ordersCount: 1, totalSpent: 10 });
  });

  it("dispatching again never delivers a sent message twice", async () => {
    await h.publish(waitThenEmail("1h", "t"));
    await enter(["c1"]);
    await h.advanceTo(T0 + HOUR);
    expect(await h.engine.dispatch()).toBe(0);
    h.jumpTo(T0 + 10 * DAY);
    expect(await h.engine.dispatch()).toBe(0);
    expect(await h.outbox()).toHaveLength(1);
  });
});
