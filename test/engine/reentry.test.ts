import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAY, eventTrigger, Harness, HOUR, journey, T0, waitFor } from "./harness";

let h: Harness;
beforeEach(async () => {
  h = await Harness.open();
});
afterEach(async () => {
  await h.close();
});

/** trigger → wait 1d → end: a run that stays active for a day, then completes. */
const doc = (reentry: Record<string, unknown>) =>
  journey(
    [
      ["t1", "trigger", eventTrigger("churn_signal")],
      ["w1", "wait", waitFor("1d")],
    ],
    [["t1", "w1"]],
    { reentry },
  );

const runsOf = async (j: string) => (await h.runs({ journeyId: j, customerId: "c1" })).map((r) => r.status);
const active = (statuses: string[]) =>
  statuses.filter((s) => s === "waiting" || s === "ready" || s === "acting");

describe("re-entry modes", () => {
  it("once: a second trigger is ignored, during the run and forever after", async () => {
    const j = await h.publish(doc({ mode: "once" }));
    await h.track("c1", "churn_signal");
    await h.advanceBy(HOUR);
    await h.track("c1", "churn_signal");
    expect(await runsOf(j)).toEqual(["waiting"]);
    await h.advanceBy(2 * DAY);
    expect(await runsOf(j)).toEqual(["completed"]);
    await h.track("c1", "churn_signal");
    await h.advanceBy(365 * DAY);
    await h.track("c1", "churn_signal");
    expect(await runsOf(j)).toEqual(["completed"]);
    // Manual entry is refused too.
    const [r] = await h.engine.enter(j, ["c1"]);
    expect(r).toMatchObject({ runId: null, reason: "entered_before" });
  });

  it("the default mode is once", async () => {
    const d = doc({ mode: "once" });
    delete (d.settings as Record<string, unknown>).reentry;
    const j = await h.publish(d);
    await h.track("c1", "churn_signal");
    await h.advanceBy(3 * DAY);
    await h.track("c1", "churn_signal");
    expect(await runsOf(j)).toEqual(["completed"]);
  });

  it("cooldown: ignored within the cooldown after the last entry, allowed from its end", async () => {
    const j = await h.publish(doc({ mode: "cooldown", cooldown: "3d" }));
    await h.track("c1", "churn_signal"); // entry at T0
    await h.advanceTo(T0 + 2 * DAY);
    expect(await runsOf(j)).toEqual(["completed"]);
    await h.track("c1", "churn_signal"); // within 3d of T0
    await h.advanceTo(T0 + 3 * DAY - 1);
    await h.track("c1", "churn_signal");
    expect(await runsOf(j)).toEqual(["completed"]);
    await h.advanceTo(T0 + 3 * DAY);
    await h.track("c1", "churn_signal"); // exactly 3d after
    expect(await runsOf(j)).toEqual(["completed", "waiting"]);
    // The cooldown now counts from the second entry.
    await h.advanceTo(T0 + 5 * DAY);
    await h.track("c1", "churn_signal");
    expect(await runsOf(j)).toEqual(["completed", "completed"]);
    await h.advanceTo(T0 + 6 * DAY);
    await h.track("c1", "churn_signal");
    expect(await runsOf(j)).toEqual(["completed", "completed", "waiting"]);
  });

  it("cooldown: never twice at once, even when the cooldown is shorter than the run", async () => {
    const j = await h.publish(doc({ mode: "cooldown", cooldown: "1h" }));
    await h.track("c1", "churn_signal");
    await h.advanceTo(T0 + 2 * HOUR);
    await h.track("c1", "churn_signal");
    expect(await runsOf(j)).toEqual(["waiting"]);
    await h.advanceTo(T0 + DAY);
    await h.track("c1", "churn_signal");
    expect(await runsOf(j)).toEqual(["completed", "waiting"]);
  });

  it("always: re-enters after the previous run ended, never while it is active", async () => {
    const j = await h.publish(doc({ mode: "always" }));
    await h.track("c1", "churn_signal");
    await h.track("c1", "churn_signal");
    await h.advanceTo(T0 + DAY - 1);
    await h.track("c1", "churn_signal");
    expect(await runsOf(j)).toEqual(["waiting"]);
    await h.advanceTo(T0 + DAY);
    expect(await runsOf(j)).toEqual(["completed"]);
    await h.track("c1", "churn_signal");
    expect(await runsOf(j)).toEqual(["completed", "waiting"]);
  });

  it("always: several triggering events in one ingest batch make one run", async () => {
    const j = await h.publish(doc({ mode: "always" }));
    const ev = {
      type: "track" as const,
      userId: "c1",
      event: "churn_signal",
      timestamp: new Date(T0).toISOString(),
    };
    await h.ingest([
      { ...ev, properties: {} },
      { ...ev, properties: {} },
      { ...ev, properties: {} },
    ]);
    await h.drain();
    expect(await runsOf(j)).toEqual(["waiting"]);
  });

  it("always: a run that exits and a new entry in the same ingest batch both commit", async () => {
    const d = doc({ mode: "always" });
    (d.settings as Record<string, unknown>).exitOn = [{ event: "unsubscribed" }];
    const j = await h.publish(d);
    await h.track("c1", "churn_signal");
    await h.advanceBy(HOUR);
    const at = new Date(h.now).toISOString();
    await h.ingest([
      { type: "track", userId: "c1", event: "unsubscribed", properties: {}, timestamp: at },
      { type: "track", userId: "c1", event: "churn_signal", properties: {}, timestamp: at },
    ]);
    await h.drain();
    expect(await runsOf(j)).toEqual(["exited", "waiting"]);
  });

  it("always: an event that is both exitOn and the trigger ends the run and never leaves two active", async () => {
    const d = doc({ mode: "always" });
    (d.settings as Record<string, unknown>).exitOn = [{ event: "churn_signal" }];
    const j = await h.publish(d);
    await h.track("c1", "churn_signal");
    await h.advanceBy(HOUR);
    await h.track("c1", "churn_signal");
    const statuses = await runsOf(j);
    expect(statuses[0]).toBe("exited");
    expect(active(statuses).length).toBeLessThanOrEqual(1);
  });

  it("every mode: manual entry of an active customer is refused", async () => {
    for (const mode of [{ mode: "once" }, { mode: "cooldown", cooldown: "1s" }, { mode: "always" }]) {
      const j = await h.publish(
        journey(
          [
            ["t1", "trigger", { kind: "manual" }],
            ["w1", "wait", waitFor("1d")],
          ],
          [["t1", "w1"]],
          { reentry: mode },
        ),
      );
      await h.identify("c1", {});
      const first = await h.engine.enter(j, ["c1", "c1"]);
      expect(first.filter((r) => r.runId !== null)).toHaveLength(1);
      await h.advanceBy(HOUR);
      const [again] = await h.engine.enter(j, ["c1"]);
      expect(again).toMatchObject({ runId: null, reason: "already_in_journey" });
      expect(active(await runsOf(j))).toHaveLength(1);
      await h.advanceBy(2 * DAY);
    }
  });
});
