import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAY, email, eventTrigger, Harness, HOUR, journey, MINUTE, SECOND, T0, waitFor } from "./harness";

let h: Harness;
beforeEach(async () => {
  h = await Harness.open();
});
afterEach(async () => {
  await h.close();
});

const seventyTwo = journey(
  [
    ["t1", "trigger", eventTrigger("churn_signal")],
    ["w1", "wait", waitFor("72h")],
    ["a1", "action", email()],
  ],
  [
    ["t1", "w1"],
    ["w1", "a1"],
  ],
);

describe("a 72h duration wait", () => {
  it("releases at exactly +72h and not a millisecond before", async () => {
    const j = await h.publish(seventyTwo);
    await h.identify("c1", { email: "c1@example.com" });
    await h.track("c1", "churn_signal");
    const run = await h.run(j, "c1");
    expect(run.status).toBe("waiting");
    expect(run.dueAt).toBe(T0 + 72 * HOUR);

    await h.advanceTo(T0 + 72 * HOUR - 1);
    expect(h.now).toBe(T0 + 72 * HOUR - 1);
    expect(await h.steps({ nodeId: "w1", outcome: "released" })).toEqual([]);
    expect(await h.steps({ nodeId: "a1" })).toEqual([]);
    expect(await h.outbox()).toEqual([]);
    expect((await h.run(j, "c1")).status).toBe("waiting");

    await h.advanceTo(T0 + 72 * HOUR);
    const [released] = await h.steps({ nodeId: "w1", outcome: "released" });
    expect(released).toMatchObject({ at: T0 + 72 * HOUR, dueAt: T0 + 72 * HOUR, detail: { lateMs: 0 } });
    const out = await h.outbox();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ status: "sent", deliveredAt: T0 + 72 * HOUR, nodeId: "a1" });
    expect((await h.run(j, "c1")).status).toBe("completed");
  });

  it("nothing moves at +71h59m59.999s even when ticked directly", async () => {
    const j = await h.publish(seventyTwo);
    await h.identify("c1", { email: "c1@example.com" });
    await h.track("c1", "churn_signal");
    h.jumpTo(T0 + 71 * HOUR + 59 * MINUTE + 59 * SECOND + 999);
    expect(await h.engine.tick()).toBe(0);
    expect(await h.engine.dispatch()).toBe(0);
    expect((await h.run(j, "c1")).status).toBe("waiting");
    h.jumpTo(T0 + 72 * HOUR);
    expect(await h.engine.tick()).toBe(1);
  });

  it("a run due while the engine was down is released as soon as it is back, with its lateness logged", async () => {
    const j = await h.publish(seventyTwo);
    await h.identify("c1", { email: "c1@example.com" });
    await h.track("c1", "churn_signal");
    h.jumpTo(T0 + 75 * HOUR);
    await h.drain();
    const [released] = await h.steps({ nodeId: "w1", outcome: "released" });
    expect(released).toMatchObject({
      at: T0 + 75 * HOUR,
      dueAt: T0 + 72 * HOUR,
      detail: { lateMs: 3 * HOUR },
    });
    const out = await h.outbox();
    expect(out).toHaveLength(1);
    expect(out[0]!.deliveredAt).toBe(T0 + 75 * HOUR);
    expect((await h.run(j, "c1")).status).toBe("completed");
  });
});

describe("wait for an event", () => {
  const doc = (where?: unknown) =>
    journey(
      [
        ["t1", "trigger", eventTrigger("cart_abandoned")],
        [
          "w1",
          "wait",
          { kind: "event", event: "email_opened", timeout: "3d", ...(where !== undefined ? { where } : {}) },
        ],
        ["m", "action", { action: "add_tag", params: { tag: "matched" } }],
        ["o", "action", { action: "add_tag", params: { tag: "timed_out" } }],
      ],
      [
        ["t1", "w1"],
        ["w1", "m", "matched"],
        ["w1", "o", "timeout"],
      ],
    );

  /** Enters c1 at T0 (the wait begins at T0) and returns the journey id. */
  const enter = async (where?: unknown): Promise<string> => {
    const j = await h.publish(doc(where));
    await h.track("c1", "cart_abandoned");
    const run = await h.run(j, "c1");
    expect(run).toMatchObject({ status: "waiting", waitEvent: "email_opened", waitSince: T0 });
    return j;
  };
  const portTaken = async (j: string): Promise<string | null> => {
    const leave = (await h.steps({ runId: (await h.run(j, "c1")).id, nodeId: "w1" })).filter(
      (s) => s.port !== null,
    );
    return leave.length === 1 ? leave[0]!.port : `ambiguous: ${leave.map((s) => s.port).join(",")}`;
  };

  it("takes `matched` for an event after the wait began, at once", async () => {
    const j = await enter();
    await h.advanceTo(T0 + 5 * HOUR);
    await h.track("c1", "email_opened");
    expect(await portTaken(j)).toBe("matched");
    const run = await h.run(j, "c1");
    expect(run.status).toBe("completed");
    expect(run.endedAt).toBe(T0 + 5 * HOUR);
    expect(run.ctx.event?.name).toBe("email_opened");
    expect((await h.steps({ nodeId: "m", outcome: "executed" })).length).toBe(1);
    expect(await h.steps({ nodeId: "o" })).toEqual([]);
  });

  it("matches an event stamped exactly at the start of the wait", async () => {
    const j = await enter();
    await h.track("c1", "email_opened", {}, { at: T0 });
    expect(await portTaken(j)).toBe("matched");
  });

  it("matches an event stamped just before the timeout", async () => {
    const j = await enter();
    await h.advanceTo(T0 + 72 * HOUR - 1);
    await h.track("c1", "email_opened");
    expect(await portTaken(j)).toBe("matched");
  });

  it("takes `timeout` when no event comes, at exactly T + timeout", async () => {
    const j = await enter();
    await h.advanceTo(T0 + 72 * HOUR - 1);
    expect((await h.run(j, "c1")).status).toBe("waiting");
    await h.advanceTo(T0 + 72 * HOUR);
    expect(await portTaken(j)).toBe("timeout");
    const [released] = await h.steps({ nodeId: "w1", outcome: "released" });
    expect(released).toMatchObject({ at: T0 + 72 * HOUR, reason: "timeout", port: "timeout" });
    expect((await h.steps({ nodeId: "o", outcome: "executed" })).length).toBe(1);
  });

  it("ignores an event stamped before the wait began", async () => {
    const j = await enter();
    await h.advanceTo(T0 + HOUR);
    await h.track("c1", "email_opened", {}, { at: T0 - 1 });
    expect((await h.run(j, "c1")).status).toBe("waiting");
    await h.advanceTo(T0 + 72 * HOUR);
    expect(await portTaken(j)).toBe("timeout");
  });

  it("ignores an event stamped at exactly T + timeout, even when processed before the tick", async () => {
    const j = await enter();
    h.jumpTo(T0 + 72 * HOUR);
    // Ingested before the scheduler ticks at the due time: the run is still waiting, but the event is too late.
    await h.ingest([
      {
        type: "track",
        userId: "c1",
        event: "email_opened",
        properties: {},
        timestamp: new Date(T0 + 72 * HOUR).toISOString(),
      },
    ]);
    expect((await h.run(j, "c1")).status).toBe("waiting");
    await h.drain();
    expect(await portTaken(j)).toBe("timeout");
  });

  it("an event in the window processed late (engine was behind) still matches", async () => {
    const j = await enter();
    h.jumpTo(T0 + 80 * HOUR);
    await h.ingest([
      {
        type: "track",
        userId: "c1",
        event: "email_opened",
        properties: {},
        timestamp: new Date(T0 + 71 * HOUR).toISOString(),
      },
    ]);
    await h.drain();
    expect(await portTaken(j)).toBe("matched");
  });

  it("ignores other events and `where` filters the awaited one", async () => {
    const j = await enter({
      all: [{ fact: "event", path: "$.properties.bounced", operator: "notEqual", value: true }],
    });
    await h.advanceTo(T0 + HOUR);
    await h.track("c1", "page_viewed");
    await h.track("c1", "email_opened", { bounced: true });
    expect((await h.run(j, "c1")).status).toBe("waiting");
    await h.advanceTo(T0 + 2 * HOUR);
    await h.track("c1", "email_opened", { bounced: false });
    expect(await portTaken(j)).toBe("matched");
    expect((await h.run(j, "c1")).ctx.event?.properties).toEqual({ bounced: false });
  });

  it("an event for another customer does not match", async () => {
    const j = await enter();
    await h.track("c2", "email_opened");
    await h.advanceTo(T0 + 72 * HOUR);
    expect(await portTaken(j)).toBe("timeout");
  });
});

describe("wait until a local time", () => {
  it("waits until the next such time in the customer's zone, else the journey's, on the given days", async () => {
    const j = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("go")],
          ["w1", "wait", { kind: "until", time: "09:00", days: ["wed"] }],
        ],
        [["t1", "w1"]],
        { timezone: "Asia/Shanghai", reentry: { mode: "always" } },
      ),
    );
    await h.identify("ny", { timezone: "America/New_York" });
    await h.track("sh", "go"); // Mon 08:00 Shanghai → Wed 09:00 Shanghai = Wed 01:00Z
    await h.track("ny", "go"); // Sun 19:00 New York → Wed 09:00 New York = Wed 14:00Z
    expect((await h.run(j, "sh")).dueAt).toBe(T0 + 2 * DAY + HOUR);
    expect((await h.run(j, "ny")).dueAt).toBe(T0 + 2 * DAY + 14 * HOUR);
  });

  it("a cycle through an until wait releases once per day, not forever at the same instant", async () => {
    const j = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("go")],
          ["w1", "wait", { kind: "until", time: "09:00" }],
          ["a1", "action", { action: "add_tag", params: { tag: "daily" } }],
        ],
        [
          ["t1", "w1"],
          ["w1", "a1"],
          ["a1", "w1"],
        ],
      ),
    );
    await h.track("c1", "go");
    h.jumpTo(T0 + 9 * HOUR);
    expect(await h.engine.tick()).toBe(1);
    expect(await h.engine.tick()).toBe(0);
    expect((await h.run(j, "c1")).dueAt).toBe(T0 + DAY + 9 * HOUR);
    await h.advanceTo(T0 + 3 * DAY + 9 * HOUR);
    expect(await h.steps({ nodeId: "a1", outcome: "executed" })).toHaveLength(4);
  });
});

describe("zero-length waits", () => {
  it("a 0s wait releases at once, logged like any release", async () => {
    const j = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("go")],
          ["w1", "wait", waitFor("0s")],
          ["w2", "wait", { kind: "event", event: "never", timeout: "0m" }],
          ["a1", "action", { action: "add_tag", params: { tag: "done" } }],
        ],
        [
          ["t1", "w1"],
          ["w1", "w2"],
          ["w2", "a1", "timeout"],
        ],
      ),
    );
    await h.track("c1", "go");
    expect((await h.run(j, "c1")).outcome).toBe("completed");
    expect(await h.steps({ outcome: "released" })).toMatchObject([
      { nodeId: "w1", at: T0, dueAt: T0, detail: { lateMs: 0 } },
      { nodeId: "w2", at: T0, port: "timeout", reason: "timeout" },
    ]);
  });

  it("a cycle through a 0s wait ends the run failed at the step limit instead of spinning forever", async () => {
    const j = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("go")],
          ["w1", "wait", waitFor("0s")],
        ],
        [
          ["t1", "w1"],
          ["w1", "w1"],
        ],
      ),
    );
    await h.track("c1", "go");
    const run = await h.run(j, "c1");
    expect(run.outcome).toBe("failed");
    expect(await h.steps({ runId: run.id, outcome: "failed" })).toMatchObject([{ reason: "step_limit" }]);
    expect(await h.engine.nextDueAt()).toBeNull();
  });
});
