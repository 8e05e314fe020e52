import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAY, email, eventTrigger, Harness, HOUR, journey, T0, waitFor } from "./harness";

let h: Harness;
beforeEach(async () => {
  h = await Harness.open();
});
afterEach(async () => {
  await h.close();
});

const doc = (settings: Record<string, unknown>, wait: Record<string, unknown> = waitFor("72h")) =>
  journey(
    [
      ["t1", "trigger", eventTrigger("churn_signal")],
      ["w1", "wait", wait],
      ["a1", "action", email()],
    ],
    [
      ["t1", "w1"],
      ["w1", "a1", wait.kind === "event" ? "timeout" : "next"],
    ],
    settings,
  );

const enterAndWait = async (settings: Record<string, unknown>, wait?: Record<string, unknown>) => {
  const j = await h.publish(doc(settings, wait));
  await h.identify("c1", { email: "c1@example.com" });
  await h.track("c1", "churn_signal");
  expect((await h.run(j, "c1")).status).toBe("waiting");
  return j;
};

describe("exitOn and goal", () => {
  it("an exitOn event ends a waiting run at once, outcome exited, and the wait never fires", async () => {
    const j = await enterAndWait({ exitOn: [{ event: "unsubscribed" }] });
    await h.advanceTo(T0 + 10 * HOUR);
    await h.track("c1", "unsubscribed");
    const run = await h.run(j, "c1");
    expect(run).toMatchObject({ status: "exited", outcome: "exited", endedAt: T0 + 10 * HOUR, dueAt: null });
    expect(await h.steps({ runId: run.id, outcome: "exited" })).toMatchObject([
      { nodeId: "w1", reason: "exit_event", at: T0 + 10 * HOUR },
    ]);
    await h.advanceTo(T0 + 10 * DAY);
    expect(await h.steps({ nodeId: "a1" })).toEqual([]);
    expect(await h.outbox()).toEqual([]);
  });

  it("an exitOn `where` filters which events exit", async () => {
    const j = await enterAndWait({
      exitOn: [
        {
          event: "unsubscribed",
          where: { all: [{ fact: "event", path: "$.properties.all", operator: "equal", value: true }] },
        },
      ],
    });
    await h.track("c1", "unsubscribed", { all: false });
    expect((await h.run(j, "c1")).status).toBe("waiting");
    await h.track("c1", "unsubscribed", { all: true });
    expect((await h.run(j, "c1")).status).toBe("exited");
  });

  it("an exitOn event also ends a run waiting for another event", async () => {
    const j = await enterAndWait(
      { exitOn: [{ event: "unsubscribed" }] },
      { kind: "event", event: "email_opened", timeout: "3d" },
    );
    await h.advanceBy(HOUR);
    await h.track("c1", "unsubscribed");
    expect((await h.run(j, "c1")).status).toBe("exited");
  });

  it("a goal event within `within` converts a waiting run at once", async () => {
    const j = await enterAndWait({ goal: { event: "order_completed", within: "14d" } });
    await h.advanceTo(T0 + 30 * HOUR);
    await h.track("c1", "order_completed", { revenue: 10 });
    const run = await h.run(j, "c1");
    expect(run).toMatchObject({ status: "converted", outcome: "converted", endedAt: T0 + 30 * HOUR });
    expect(await h.steps({ runId: run.id, outcome: "converted" })).toMatchObject([{ reason: "goal" }]);
    await h.advanceTo(T0 + 10 * DAY);
    expect(await h.outbox()).toEqual([]);
  });

  it("an event that is both goal and exitOn converts", async () => {
    const j = await enterAndWait({
      exitOn: [{ event: "order_completed" }],
      goal: { event: "order_completed", within: "14d" },
    });
    await h.advanceBy(HOUR);
    await h.track("c1", "order_completed");
    const run = await h.run(j, "c1");
    expect(run.outcome).toBe("converted");
    expect(await h.steps({ runId: run.id, outcome: "exited" })).toEqual([]);
  });

  it("a goal event outside `within` does not convert (and, being an exitOn too, exits)", async () => {
    const j = await enterAndWait({ goal: { event: "order_completed", within: "1d" } }, waitFor("5d"));
    await h.advanceTo(T0 + DAY);
    await h.track("c1", "order_completed");
    expect((await h.run(j, "c1")).status).toBe("waiting");
    await h.advanceTo(T0 + 5 * DAY);
    expect((await h.run(j, "c1")).outcome).toBe("completed");

    const j2 = await h.publish(
      doc(
        { exitOn: [{ event: "order_completed" }], goal: { event: "order_completed", within: "1d" } },
        waitFor("5d"),
      ),
    );
    await h.track("c2", "churn_signal");
    await h.advanceBy(DAY);
    await h.track("c2", "order_completed");
    expect((await h.run(j2, "c2")).outcome).toBe("exited");
  });

  it("a goal event stamped before entry does not convert", async () => {
    const j = await enterAndWait({ goal: { event: "order_completed", within: "14d" } });
    await h.advanceBy(HOUR);
    await h.track("c1", "order_completed", {}, { at: T0 - HOUR });
    expect((await h.run(j, "c1")).status).toBe("waiting");
  });

  it("exitOn ends a run that waits out quiet hours, and the deferred message is not sent", async () => {
    // Shanghai is UTC+8: 14:00Z is 22:00 local, inside 21:00–09:00.
    const j = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("churn_signal")],
          ["a1", "action", email()],
        ],
        [["t1", "a1"]],
        {
          timezone: "Asia/Shanghai",
          quietHours: { start: "21:00", end: "09:00" },
          exitOn: [{ event: "bye" }],
        },
      ),
    );
    await h.advanceTo(T0 + 14 * HOUR);
    await h.identify("c1", { email: "c1@example.com" });
    await h.track("c1", "churn_signal");
    expect((await h.run(j, "c1")).status).toBe("waiting");
    await h.advanceBy(HOUR);
    await h.track("c1", "bye");
    expect((await h.run(j, "c1")).status).toBe("exited");
    await h.advanceBy(DAY);
    expect(await h.outbox()).toEqual([]);
  });
});
