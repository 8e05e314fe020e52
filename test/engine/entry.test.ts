import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventTrigger, Harness, journey, waitFor, tag } from "./harness";

let h: Harness;
beforeEach(async () => {
  h = await Harness.open();
});
afterEach(async () => {
  await h.close();
});

const tagsOf = async (id: string) => (await h.store.getCustomers([id])).get(id)?.traits.tags;

describe("entry", () => {
  it("an event trigger's `where` filters on the event", async () => {
    const j = await h.publish(
      journey(
        [
          [
            "t1",
            "trigger",
            eventTrigger("cart_abandoned", {
              all: [{ fact: "event", path: "$.properties.value", operator: "greaterThan", value: 20 }],
            }),
          ],
          ["w1", "wait", waitFor("1h")],
        ],
        [["t1", "w1"]],
      ),
    );
    await h.track("small", "cart_abandoned", { value: 5 });
    await h.track("big", "cart_abandoned", { value: 50 });
    expect((await h.runs({ journeyId: j })).map((r) => r.customerId)).toEqual(["big"]);
    expect((await h.run(j, "big")).ctx.event).toMatchObject({
      name: "cart_abandoned",
      properties: { value: 50 },
    });
  });

  it("a stage trigger enters when the lifecycle stage changes to its stage", async () => {
    const j = await h.publish(
      journey(
        [
          ["t1", "trigger", { kind: "stage", to: "dormant" }],
          ["a1", "action", tag("dormant")],
        ],
        [["t1", "a1"]],
      ),
    );
    await h.track("c1", "lifecycle_stage_changed", { from: "active", to: "churned" });
    expect(await h.runs({ journeyId: j })).toEqual([]);
    await h.track("c1", "lifecycle_stage_changed", { from: "active", to: "dormant" });
    expect((await h.run(j, "c1")).outcome).toBe("completed");
    expect(await tagsOf("c1")).toEqual(["dormant"]);
  });

  it("manual entry goes through the manual trigger and refuses unknown customers", async () => {
    const j = await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("never")],
          ["m1", "trigger", { kind: "manual" }],
          ["a1", "action", tag("manual")],
        ],
        [["m1", "a1"]],
      ),
    );
    await h.identify("c1", {});
    const out = await h.engine.enter(j, ["c1", "ghost"]);
    expect(out).toMatchObject([
      { customerId: "c1", reason: null },
      { customerId: "ghost", runId: null, reason: "unknown_customer" },
    ]);
    await h.drain();
    expect(await h.steps({ nodeId: "m1", outcome: "entered" })).toMatchObject([
      { detail: { trigger: "manual" } },
    ]);
    expect(await tagsOf("c1")).toEqual(["manual"]);
  });

  it("a paused journey takes no entries; entries resume with the journey", async () => {
    const j = await h.publish(journey([["t1", "trigger", eventTrigger("go")]], []));
    await h.engine.pause(j);
    await h.track("c1", "go");
    expect(await h.runs({ journeyId: j })).toEqual([]);
    await h.engine.resume(j);
    await h.track("c1", "go");
    expect(await h.runs({ journeyId: j })).toHaveLength(1);
  });

  it("the branch a split chose is the `journey.branch` fact of later conditions", async () => {
    await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("go")],
          [
            "s1",
            "split",
            {
              kind: "random",
              branches: [
                { id: "a", weight: 1 },
                { id: "b", weight: 1 },
              ],
            },
          ],
          [
            "c1",
            "condition",
            { conditions: { all: [{ fact: "journey", path: "$.branch", operator: "equal", value: "a" }] } },
          ],
          ["ya", "action", tag("saw-a")],
          ["nb", "action", tag("saw-b")],
        ],
        [
          ["t1", "s1"],
          ["s1", "c1", "a"],
          ["s1", "c1", "b"],
          ["c1", "ya", "yes"],
          ["c1", "nb", "no"],
        ],
      ),
    );
    const ids = Array.from({ length: 40 }, (_, i) => `c${i}`);
    for (const id of ids) await h.track(id, "go");
    for (const s of await h.steps({ nodeId: "s1" })) {
      expect(await tagsOf(s.customerId)).toEqual([s.port === "a" ? "saw-a" : "saw-b"]);
    }
  });
});
