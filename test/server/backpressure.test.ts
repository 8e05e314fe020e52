import { describe, expect, it } from "vitest";
import type { Engine, IngestStatus } from "../../engine/index";
import type { InputEvent } from "../../engine/schema/events";
import { deliveryBackpressure } from "../../server/backpressure";
import { Ingester } from "../../server/ingester";

const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
};

describe("ingestion yields to delivery", () => {
  it("holds a group commit while deliveries are claimed late and the loop is saturated, until they catch up", async () => {
    const dispatcher = { lagMs: 5_000 };
    const { gate } = deliveryBackpressure(dispatcher, { utilization: () => 0.99, maxWaitMs: 60_000 });
    const held = gate();
    expect(await settled(held)).toBe(false);
    dispatcher.lagMs = 0;
    await held;
  });

  it("never holds for a slow receiver (the loop idles) nor when deliveries are on time", async () => {
    const idle = deliveryBackpressure({ lagMs: 5_000 }, { utilization: () => 0.2, maxWaitMs: 60_000 });
    expect(await settled(idle.gate())).toBe(true);
    const onTime = deliveryBackpressure({ lagMs: 10 }, { utilization: () => 1, maxWaitMs: 60_000 });
    expect(await settled(onTime.gate())).toBe(true);
  });

  it("slows ingestion but never stops it: a group waits at most maxWaitMs", async () => {
    const { gate } = deliveryBackpressure({ lagMs: 5_000 }, { utilization: () => 1, maxWaitMs: 20 });
    await gate();
  });

  it("the ingester commits a group only once its gate lets it", async () => {
    const committed: string[] = [];
    const engine = {
      ingest: (events: readonly InputEvent[]): Promise<IngestStatus[]> => {
        committed.push(...events.map((e) => e.userId ?? ""));
        return Promise.resolve(events.map(() => ({ status: "accepted" }) as unknown as IngestStatus));
      },
    } as unknown as Engine;
    const ingester = new Ingester(engine);
    let open!: () => void;
    const opened = new Promise<void>((r) => (open = r));
    ingester.setGate(() => opened);
    const done = ingester.submit([
      { type: "track", userId: "u1", event: "go", properties: {}, timestamp: new Date().toISOString() },
    ] as unknown as InputEvent[]);
    expect(await settled(done)).toBe(false);
    expect(committed).toEqual([]);
    open();
    await done;
    expect(committed).toEqual(["u1"]);
  });
});
