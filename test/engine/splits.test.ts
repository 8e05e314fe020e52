import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventTrigger, Harness, journey, T0, trackEvent } from "./harness";

let h: Harness;
beforeEach(async () => {
  h = await Harness.open();
});
afterEach(async () => {
  await h.close();
});

const N = 10_000;
const ids = Array.from({ length: N }, (_, i) => `cust-${i}`);

const randomDoc = journey(
  [
    ["t1", "trigger", eventTrigger("churn_signal")],
    [
      "s1",
      "split",
      {
        kind: "random",
        branches: [
          { id: "a", weight: 50 },
          { id: "b", weight: 30 },
          { id: "c", weight: 20 },
        ],
      },
    ],
  ],
  [["t1", "s1"]],
  { reentry: { mode: "always" } },
);

const holdoutDoc = journey(
  [
    ["t1", "trigger", eventTrigger("churn_signal")],
    ["s1", "split", { kind: "holdout", percent: 10 }],
    ["a1", "action", { action: "add_tag", params: { tag: "treated" } }],
  ],
  [
    ["t1", "s1"],
    ["s1", "a1", "continue"],
  ],
);

/** Enters every customer with one ingest call, drains, and returns customer → port taken at s1. */
async function enterAll(customers: readonly string[]): Promise<Map<string, string>> {
  await h.ingest(customers.map((id) => trackEvent(id, "churn_signal", {}, h.now)));
  await h.drain();
  const out = new Map<string, string>();
  for (const s of await h.steps({ nodeId: "s1", from: h.now, to: h.now + 1 })) out.set(s.customerId, s.port!);
  return out;
}

describe("random split", () => {
  it("is within ±2 points of its weights over 10k customers, and the same on a re-run", async () => {
    const j = await h.publish(randomDoc);
    const first = await enterAll(ids);
    expect(first.size).toBe(N);
    const share = (port: string) => ([...first.values()].filter((p) => p === port).length / N) * 100;
    expect(Math.abs(share("a") - 50)).toBeLessThanOrEqual(2);
    expect(Math.abs(share("b") - 30)).toBeLessThanOrEqual(2);
    expect(Math.abs(share("c") - 20)).toBeLessThanOrEqual(2);
    expect((await h.runs({ journeyId: j })).every((r) => r.outcome === "completed")).toBe(true);

    // Re-entry (mode always) sends every customer down the same branch, and so does a fresh engine.
    h.jumpTo(T0 + 1000);
    const second = await enterAll(ids.slice(0, 2000));
    for (const [id, port] of second) expect(port).toBe(first.get(id));
    expect(second.size).toBe(2000);

    const other = await Harness.open();
    try {
      await other.publish(randomDoc, j);
      await other.ingest(ids.slice(0, 2000).map((id) => trackEvent(id, "churn_signal", {}, other.now)));
      await other.drain();
      for (const s of await other.steps({ nodeId: "s1" })) expect(s.port).toBe(first.get(s.customerId));
    } finally {
      await other.close();
    }
  });

  it("records the branch on the run for the `journey.branch` fact", async () => {
    const j = await h.publish(randomDoc);
    await h.track("c1", "churn_signal");
    const run = await h.run(j, "c1");
    const [step] = await h.steps({ nodeId: "s1" });
    expect(run.ctx.branch).toBe(step!.port);
  });
});

describe("holdout split", () => {
  it("holds back its percent (±2 points) over 10k customers, deterministically", async () => {
    await h.publish(holdoutDoc);
    const ports = await enterAll(ids);
    const held = [...ports.values()].filter((p) => p === "holdout").length;
    expect(Math.abs((held / N) * 100 - 10)).toBeLessThanOrEqual(2);
    expect(await h.steps({ nodeId: "a1", outcome: "executed" })).toHaveLength(N - held);

    const again = await Harness.open();
    try {
      await again.publish(holdoutDoc, "j1");
      await again.ingest(ids.slice(0, 1000).map((id) => trackEvent(id, "churn_signal", {}, again.now)));
      await again.drain();
      for (const s of await again.steps({ nodeId: "s1" })) expect(s.port).toBe(ports.get(s.customerId));
    } finally {
      await again.close();
    }
  });

  it("0 holds back no one and 100 everyone", async () => {
    for (const percent of [0, 100]) {
      const doc = structuredClone(holdoutDoc) as { nodes: { id: string; data: Record<string, unknown> }[] };
      doc.nodes.find((n) => n.id === "s1")!.data.percent = percent;
      const j = await h.publish(doc);
      await h.ingest(ids.slice(0, 500).map((id) => trackEvent(id, "churn_signal", {}, h.now)));
      await h.drain();
      const ports = (await h.steps({ journeyId: j, nodeId: "s1" })).map((s) => s.port);
      expect(ports).toHaveLength(500);
      expect(new Set(ports)).toEqual(new Set([percent === 0 ? "continue" : "holdout"]));
    }
  });
});
