/**
 * Confidence before publishing, on the engine: audience sizes (and the stated proxies for event and stage
 * triggers), next fire times in the schedule's zone, live journeys sharing a trigger, the diff against the
 * live version, "run now" as a due timer slot, and a test send of one message step.
 */
import { describe, expect, it } from "vitest";
import { defaultRegistry } from "../actions/builtins";
import type { Delivery } from "../actions/builtins/deliver";
import { ConflictError, NotFoundError, BadInputError } from "../errors";
import { AudienceSchedules } from "./audience-schedules";
import { DAY, HOUR, Harness, T0, journey } from "../../test/engine/harness";

const gold = { all: [{ fact: "customer", path: "$.traits.plan", operator: "equal", value: "gold" }] };
const vip = { all: [{ fact: "customer", path: "$.traits.vip", operator: "equal", value: true }] };
const audience = (conditions: unknown, schedule = "0 9 * * *", extra: Record<string, unknown> = {}) => ({
  kind: "audience",
  schedule,
  conditions,
  ...extra,
});

async function withCustomers(h: Harness): Promise<void> {
  await h.identify("g1", { plan: "gold", vip: true, email: "g1@example.com" });
  await h.identify("g2", { plan: "gold", email: "g2@example.com" });
  await h.identify("g3", { plan: "gold", vip: true });
  await h.identify("s1", { plan: "silver", vip: true });
}

describe("the publish check", () => {
  it("counts an audience trigger's customers now and lists its next fire times in the journey's zone", async () => {
    const h = await Harness.open();
    await withCustomers(h);
    const doc = journey(
      [
        ["t1", "trigger", audience(gold)],
        ["x1", "exit", {}],
      ],
      [["t1", "x1"]],
      { timezone: "Asia/Shanghai" },
    );
    await h.engine.createJourney(doc, "draft");
    const check = await h.engine.publishCheck("draft", { fires: 3 });
    expect(check).toMatchObject({
      journeyId: "draft",
      liveVersion: null,
      timezone: "Asia/Shanghai",
      valid: true,
    });
    expect(check.diff).toBeNull();
    expect(check.triggers).toHaveLength(1);
    const t = check.triggers[0]!;
    expect(t).toMatchObject({
      nodeId: "t1",
      kind: "audience",
      measure: "matching_now",
      customers: 3,
      scanned: 4,
      total: 4,
      estimated: false,
      timezone: "Asia/Shanghai",
    });
    expect(t.sample.sort()).toEqual(["g1", "g2", "g3"]);
    // T0 is Monday 00:00 UTC = 08:00 in Shanghai: 09:00 Shanghai is 01:00 UTC that day.
    expect(t.nextFires).toEqual(
      [T0 + HOUR, T0 + HOUR + DAY, T0 + HOUR + 2 * DAY].map((ms) => new Date(ms).toISOString()),
    );
    await h.close();
  });

  it("scales a capped scan up and says it is an estimate", async () => {
    const h = await Harness.open();
    await withCustomers(h);
    const doc = journey([["t1", "trigger", audience(gold)]], []);
    await h.engine.createJourney(doc, "draft");
    const check = await h.engine.publishCheck("draft", { scanLimit: 2 });
    // The first two customers by id (g1, g2) both match: 2 of 2 scanned, 4 stored.
    expect(check.triggers[0]).toMatchObject({ customers: 4, scanned: 2, total: 4, estimated: true });
    await h.close();
  });

  it("counts an event trigger's recent senders matching its where, as a stated proxy", async () => {
    const h = await Harness.open({ start: T0 });
    await h.track("old", "cart_abandoned", { value: 500 }, { at: T0 });
    await h.advanceTo(T0 + 10 * DAY);
    await h.track("a", "cart_abandoned", { value: 300 });
    await h.track("a", "cart_abandoned", { value: 400 });
    await h.track("b", "cart_abandoned", { value: 50 });
    await h.track("c", "cart_abandoned", { value: 900 });
    await h.track("c", "page_viewed", {});
    const where = {
      all: [{ fact: "event", path: "$.properties.value", operator: "greaterThan", value: 100 }],
    };
    const doc = journey([["t1", "trigger", { kind: "event", event: "cart_abandoned", where }]], []);
    await h.engine.createJourney(doc, "draft");
    const check = await h.engine.publishCheck("draft");
    // a and c (b's value is too small; "old" sent it 10 days ago, before the 7-day window).
    expect(check.triggers[0]).toMatchObject({
      kind: "event",
      measure: "event_senders",
      customers: 2,
      scanned: 4,
      event: "cart_abandoned",
      sinceDays: 7,
      nextFires: [],
    });
    await h.close();
  });

  it("counts a stage trigger's customers at the stage now", async () => {
    const h = await Harness.open();
    await h.identify("p1", { email: "p1@example.com" });
    await h.identify("p2", {});
    await h.track("n1", "order_completed", { revenue: 20 });
    const doc = journey([["t1", "trigger", { kind: "stage", to: "prospect" }]], []);
    await h.engine.createJourney(doc, "draft");
    const [t] = (await h.engine.publishCheck("draft")).triggers;
    expect(t).toMatchObject({ kind: "stage", measure: "at_stage_now", stage: "prospect", total: 3 });
    expect(t!.customers).toBe(2);
    await h.close();
  });

  it("names live journeys sharing a trigger, with the customers two audiences share, and diffs the live version", async () => {
    const h = await Harness.open();
    await withCustomers(h);
    await h.publish(journey([["t1", "trigger", audience(vip, "0 10 * * 1")]], [], {}, "VIP weekly"), "vip");
    await h.publish(
      journey([["t1", "trigger", { kind: "event", event: "churn_signal" }]], [], {}, "Churn"),
      "churn",
    );
    await h.publish(
      journey([["t1", "trigger", { kind: "event", event: "other" }]], [], {}, "Other"),
      "other",
    );
    const v1 = journey(
      [
        ["t1", "trigger", audience(gold)],
        ["t2", "trigger", { kind: "event", event: "churn_signal" }],
        ["x1", "exit", {}],
      ],
      [
        ["t1", "x1"],
        ["t2", "x1"],
      ],
    );
    await h.publish(v1, "mine");
    const nodes = (v1 as { nodes: unknown[] }).nodes;
    const tagged = {
      id: "a1",
      type: "action",
      position: { x: 0, y: 0 },
      data: { action: "add_tag", params: { tag: "x" } },
    };
    await h.engine.saveDraft("mine", { ...v1, nodes: [...nodes, tagged] });
    const check = await h.engine.publishCheck("mine");
    expect(check.liveVersion).toBe(1);
    expect(check.diff?.nodes.added).toEqual(["a1"]);
    expect(check.overlaps).toEqual([
      // gold ∩ vip = g1, g3.
      {
        nodeId: "t1",
        journeyId: "vip",
        journeyName: "VIP weekly",
        version: 1,
        kind: "audience",
        key: "0 10 * * 1",
        sharedCustomers: 2,
      },
      {
        nodeId: "t2",
        journeyId: "churn",
        journeyName: "Churn",
        version: 1,
        kind: "event",
        key: "churn_signal",
        sharedCustomers: null,
      },
    ]);
    await h.close();
  });
});

describe("run now", () => {
  it("queues a due slot that the driver fires once, entering the audience", async () => {
    const h = await Harness.open();
    const schedules = new AudienceSchedules(h.engine, (err) => {
      throw err;
    });
    await withCustomers(h);
    await h.publish(
      journey(
        [
          ["t1", "trigger", audience(gold, "0 0 1 1 *")],
          ["x1", "exit", {}],
        ],
        [["t1", "x1"]],
        { reentry: { mode: "always" } },
      ),
      "gold",
    );
    await schedules.ready();
    const queued = await h.engine.queueAudienceRun("gold", "t1");
    expect(queued).toEqual({ nodeId: "t1", dueAt: h.now });
    // Nothing entered yet: the request only stored the slot.
    expect(await h.runs({ journeyId: "gold" })).toHaveLength(0);
    // The driver claims the due slot like any other (the live scheduler does the same on the real clock).
    await h.advanceBy(0);
    expect((await h.runs({ journeyId: "gold" })).map((r) => r.customerId).sort()).toEqual(["g1", "g2", "g3"]);
    // Fired once: draining again enters nobody new.
    await h.advanceBy(HOUR);
    expect(await h.runs({ journeyId: "gold" })).toHaveLength(3);
    schedules.stop();
    await h.close();
  });

  it("refuses a journey that is not live and a node that is not an audience trigger", async () => {
    const h = await Harness.open();
    await h.engine.createJourney(journey([["t1", "trigger", audience(gold)]], []), "draft");
    await expect(h.engine.queueAudienceRun("draft", "t1")).rejects.toBeInstanceOf(ConflictError);
    await h.publish(journey([["t1", "trigger", { kind: "manual" }]], []), "manual");
    await expect(h.engine.queueAudienceRun("manual", "t1")).rejects.toBeInstanceOf(NotFoundError);
    await h.close();
  });
});

describe("a test send", () => {
  const sent: { delivery: Delivery; key: string }[] = [];
  const registry = defaultRegistry({
    deliver: (delivery, opts) => {
      sent.push({ delivery, key: opts.idempotencyKey });
      return Promise.resolve({ status: "done", response: { provider: "capture" } });
    },
  });
  const doc = journey(
    [
      ["t1", "trigger", { kind: "event", event: "churn_signal" }],
      ["a1", "action", { action: "email", template: "winback-coupon" }],
      ["a2", "action", { action: "add_tag", params: { tag: "x" } }],
    ],
    [
      ["t1", "a1"],
      ["a1", "a2"],
    ],
  );

  it("renders the step for a customer and sends it to their address or to another, outside any run", async () => {
    sent.length = 0;
    const h = await Harness.open({ registry });
    await withCustomers(h);
    await h.engine.createJourney(doc, "j");
    const own = await h.engine.testSend("j", { nodeId: "a1", customerId: "g1", requestId: "r1" });
    expect(own).toMatchObject({
      status: "sent",
      channel: "email",
      to: "g1@example.com",
      customerId: "g1",
      provider: "capture",
    });
    expect(sent[0]!.delivery).toMatchObject({
      channel: "email",
      address: "g1@example.com",
      customerId: "g1",
    });
    expect(sent[0]!.key).toBe("test:j:a1:r1");
    const other = await h.engine.testSend("j", { nodeId: "a1", customerId: "g1", to: "me@shop.example" });
    expect(other).toMatchObject({ status: "sent", to: "me@shop.example", customerId: "g1" });
    // Addressed elsewhere, the message's links name a test id, not the real customer.
    expect(sent[1]!.delivery.customerId).toBe("test:g1");
    // A sample profile when only an address is given.
    expect(await h.engine.testSend("j", { nodeId: "a1", to: "me@shop.example" })).toMatchObject({
      status: "sent",
      customerId: "sample",
    });
    // Nothing in the run log or the outbox.
    expect(await h.steps()).toHaveLength(0);
    expect(await h.outbox()).toHaveLength(0);
    await h.close();
  });

  it("says why it cannot send", async () => {
    const h = await Harness.open({ registry });
    await withCustomers(h);
    await h.engine.createJourney(doc, "j");
    await expect(h.engine.testSend("j", { nodeId: "a2", customerId: "g1" })).rejects.toBeInstanceOf(
      BadInputError,
    );
    await expect(h.engine.testSend("j", { nodeId: "a1", customerId: "g3" })).rejects.toThrow(
      /no email trait/,
    );
    await expect(h.engine.testSend("j", { nodeId: "zz", customerId: "g1" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(h.engine.testSend("j", { nodeId: "a1", customerId: "nobody" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await h.store.addSuppression({
      customerId: "g2",
      channel: "email",
      reason: "unsubscribed",
      source: "api",
      createdAt: h.now,
    });
    await expect(h.engine.testSend("j", { nodeId: "a1", customerId: "g2" })).rejects.toThrow(/unsubscribed/);
    await h.close();
  });
});
