import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { channelDeliver, defaultRegistry } from "../../engine/actions/builtins";
import { createChannelProviders, loadChannelConfig } from "../../engine/channels";
import { systemClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import { Scheduler } from "../../engine/runtime/scheduler";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { json, startSink } from "./sink";
import { lifecycleModel } from "../../engine/customer/engine-model";

/** An endpoint that reads every request and never answers. */
async function startHole() {
  const open: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    open.push(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    open,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const hookJourney = (name: string, event: string, url: string) => ({
  schemaVersion: 1,
  name,
  settings: {},
  nodes: [
    { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event } },
    { id: "w1", type: "action", position: { x: 0, y: 100 }, data: { action: "webhook", params: { url } } },
  ],
  edges: [{ id: "e1", source: "t1", target: "w1" }],
});

const waitJourney = {
  schemaVersion: 1,
  name: "Short waits",
  settings: {},
  nodes: [
    { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event: "tick" } },
    { id: "w1", type: "wait", position: { x: 0, y: 100 }, data: { kind: "duration", duration: "1s" } },
    {
      id: "tag",
      type: "action",
      position: { x: 0, y: 200 },
      data: { action: "add_tag", params: { tag: "on_time" } },
    },
  ],
  edges: [
    { id: "e1", source: "t1", target: "w1" },
    { id: "e2", source: "w1", target: "tag" },
  ],
};

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("an endpoint that never answers", () => {
  it("holds only its own deliveries: other journeys' waits release and other receivers get theirs", async () => {
    const hole = await startHole();
    const sink = await startSink(json(200, { ok: true }));
    cleanup.push(hole.close, sink.close);
    const providers = createChannelProviders(
      loadChannelConfig({
        REKINDLE_WEBHOOK_ALLOW: "127.0.0.1",
        REKINDLE_WEBHOOK_TIMEOUT_MS: "120000",
      }),
    );
    const engine = await Engine.open({
      model: lifecycleModel(),
      store: SqliteStore.open(":memory:"),
      clock: systemClock,
      registry: defaultRegistry({ deliver: channelDeliver(providers) }),
    });
    const docs = {
      hole: hookJourney("To a hole", "stall", hole.url),
      good: hookJourney("To a good receiver", "ping", `${sink.url}/hook`),
      waits: waitJourney,
    };
    for (const [id, doc] of Object.entries(docs)) {
      await engine.createJourney(doc, id);
      await engine.publish(id, doc);
    }
    const scheduler = new Scheduler(engine, {
      maxSleepMs: 50,
      dispatcher: { concurrency: 8, perReceiver: 4, timeoutMs: 120_000, maxSleepMs: 50 },
    });
    scheduler.start();
    cleanup.push(async () => {
      hole.open.forEach((r) => r.destroy());
      await scheduler.stop();
      await engine.close();
    });

    const at = () => new Date().toISOString();
    const track = (event: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        type: "track" as const,
        userId: `${event}-${i}`,
        event,
        properties: {},
        timestamp: at(),
      }));
    await engine.ingest(track("stall", 40));
    await until("the hole to hold its lane", () => Promise.resolve(hole.open.length === 4));
    await engine.ingest([...track("tick", 20), ...track("ping", 20)]);

    await until("every short wait to release", async () => {
      const runs = await engine.store.listRuns({ journeyId: "waits" });
      return runs.length === 20 && runs.every((r) => r.status === "completed");
    });
    await until("the good receiver's deliveries", async () => {
      const rows = await engine.store.listOutbox({ journeyId: "good" });
      return rows.length === 20 && rows.every((r) => r.status === "sent");
    });
    const waits = await engine.store.listRuns({ journeyId: "waits" });
    expect(waits.map((r) => r.outcome)).toEqual(Array(20).fill("completed"));
    expect(sink.seen).toHaveLength(20);
    // Meanwhile the hole still holds exactly its lane's share, and nothing of it was recorded as sent.
    expect(hole.open).toHaveLength(4);
    const stalled = await engine.store.listOutbox({ journeyId: "hole" });
    expect(stalled).toHaveLength(40);
    expect(stalled.filter((r) => r.status === "sending")).toHaveLength(4);
    expect(stalled.some((r) => r.status === "sent")).toBe(false);
    expect(scheduler.dispatcher.inFlight).toBe(4);
  }, 60_000);
});
