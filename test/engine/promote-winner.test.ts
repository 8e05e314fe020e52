import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeResults } from "../../engine/results";
import { unitHash, pickBranch } from "../../engine/runtime/split-hash";
import { DAY, eventTrigger, Harness, HOUR, journey, T0, trackEvent, waitFor } from "./harness";

let h: Harness;
beforeEach(async () => {
  h = await Harness.open();
});
afterEach(async () => {
  await h.close();
});

const branches = [
  { id: "email", weight: 50 },
  { id: "sms", weight: 50 },
];

/**
 * A two-arm split; the email arm waits two days and comes back to the split, so a run assigned before the
 * promotion visits the split again after it.
 */
const doc = (promoteWinner: Record<string, unknown> | undefined) =>
  journey(
    [
      ["t1", "trigger", eventTrigger("churn_signal")],
      ["s1", "split", { kind: "random", branches, ...(promoteWinner ? { promoteWinner } : {}) }],
      ["w1", "wait", waitFor("2d")],
      ["a1", "action", { action: "add_tag", params: { tag: "sms" } }],
    ],
    [
      ["t1", "s1"],
      ["s1", "w1", "email"],
      ["w1", "s1"],
      ["s1", "a1", "sms"],
    ],
    { goal: { event: "order_completed", within: "1d" } },
  );

/** The arm the public hash gives (spec §4). */
const hashArm = (journeyId: string, customerId: string) =>
  pickBranch(branches, unitHash(`${journeyId}\u0000${customerId}\u0000s1`));

/** 400 customers enter at T0; 40% of the SMS arm and 10% of the email arm order within the day. */
async function firstWave(journeyId: string): Promise<string[]> {
  const ids = Array.from({ length: 400 }, (_, i) => `old-${i}`);
  await h.ingest(ids.map((id) => trackEvent(id, "churn_signal", {}, T0)));
  await h.drain();
  const orders = ids.filter((id, i) => (hashArm(journeyId, id) === "sms" ? i % 5 < 2 : i % 10 === 0));
  await h.ingest(orders.map((id) => trackEvent(id, "order_completed", { revenue: 10 }, T0 + HOUR)));
  await h.drain();
  return ids;
}

async function secondWave(): Promise<string[]> {
  const ids = Array.from({ length: 60 }, (_, i) => `new-${i}`);
  await h.ingest(ids.map((id) => trackEvent(id, "churn_signal", {}, h.now)));
  await h.drain();
  return ids;
}

describe("promoteWinner (spec §4)", () => {
  it("sends new entries to the significant winner, logged `winner`; runs already assigned keep their arm", async () => {
    const j = await h.publish(doc({ minPerArm: 100 }));
    const old = await firstWave(j);
    // The windows close at T0 + 1d; one more day on, the email runs come back to the split.
    await h.advanceTo(T0 + DAY + HOUR);
    const fresh = await secondWave();
    await h.advanceTo(T0 + 2 * DAY + 2 * HOUR);

    const steps = await h.steps({ journeyId: j, nodeId: "s1" });
    const newSteps = steps.filter((s) => fresh.includes(s.customerId));
    expect(newSteps).toHaveLength(fresh.length);
    for (const s of newSteps) {
      expect(s.port).toBe("sms");
      expect(s.reason).toBe("winner");
    }
    // The hash alone would have sent about half of them to email.
    expect(fresh.filter((id) => hashArm(j, id) === "email").length).toBeGreaterThan(10);

    // Every earlier run kept the arm the hash gave it, first visit and the email arm's revisit after the promotion.
    const oldSteps = steps.filter((s) => old.includes(s.customerId));
    const revisits = oldSteps.filter((s) => s.visit === 2);
    expect(revisits.length).toBeGreaterThan(100);
    for (const s of oldSteps) {
      expect(s.port).toBe(hashArm(j, s.customerId));
      expect(s.reason).toBeNull();
    }

    const report = await computeResults(h.store, j, { asOf: h.now });
    const exp = report.experiments[0]!;
    expect(exp.promoted).toBe("sms");
    expect(exp.winner).toBe("sms");
    // Promoted entries are members of the winning arm, but not of the sample-ratio check.
    expect(exp.srmPValue).toBeGreaterThan(0.001);
    expect(exp.arms.find((a) => a.id === "sms")!.members).toBe(
      old.filter((id) => hashArm(j, id) === "sms").length + fresh.length,
    );
  });

  it("keeps the hash while an arm has fewer matured members than minPerArm", async () => {
    const j = await h.publish(doc({ minPerArm: 500 }));
    await firstWave(j);
    await h.advanceTo(T0 + DAY + HOUR);
    const fresh = await secondWave();
    const steps = await h.steps({ journeyId: j, nodeId: "s1" });
    for (const s of steps.filter((x) => fresh.includes(x.customerId))) {
      expect(s.port).toBe(hashArm(j, s.customerId));
      expect(s.reason).toBeNull();
    }
    expect((await computeResults(h.store, j, { asOf: h.now })).experiments[0]!.promoted).toBeNull();
  });

  it("keeps the hash while the windows are still open, and without promoteWinner", async () => {
    const open = await h.publish(doc({ minPerArm: 100 }));
    const without = await h.publish(doc(undefined));
    await firstWave(open);
    await firstWave(without);
    // Still inside the one-day windows: nothing has matured.
    await h.advanceTo(T0 + 2 * HOUR);
    const fresh = await secondWave();
    for (const j of [open, without]) {
      const steps = await h.steps({ journeyId: j, nodeId: "s1" });
      for (const s of steps.filter((x) => fresh.includes(x.customerId))) {
        expect(s.port).toBe(hashArm(j, s.customerId));
        expect(s.reason).toBeNull();
      }
    }
  });
});
