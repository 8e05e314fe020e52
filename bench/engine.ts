import { defaultRegistry } from "../engine/actions/builtins";
import type { Journey } from "../engine/schema/journey";
import type { InputEvent } from "../engine/schema/events";
import { ManualClock } from "../engine/runtime/clock";
import { Driver } from "../engine/runtime/driver";
import { Engine } from "../engine/runtime/engine";
import { SqliteStore } from "../engine/store/sqlite/store";
import { lifecycleModel } from "../engine/customer/engine-model";

const T0 = Date.parse("2026-03-01T00:00:00Z");
const HOUR = 3_600_000;

/** trigger → condition → wait 72h → condition → action, as issue 2's benchmark prescribes. */
export const BENCH_JOURNEY: Journey = {
  schemaVersion: 1,
  name: "Bench: win-back",
  settings: {},
  nodes: [
    { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event: "churn_signal" } },
    {
      id: "c1",
      type: "condition",
      position: { x: 0, y: 100 },
      data: {
        conditions: {
          all: [{ fact: "traits", path: "$.tier", operator: "in", value: ["gold", "silver", "bronze"] }],
        },
      },
    },
    { id: "w1", type: "wait", position: { x: 0, y: 200 }, data: { kind: "duration", duration: "72h" } },
    {
      id: "c2",
      type: "condition",
      position: { x: 0, y: 300 },
      data: {
        conditions: { all: [{ fact: "customer", path: "$.ordersCount", operator: "equal", value: 0 }] },
      },
    },
    { id: "a1", type: "action", position: { x: 0, y: 400 }, data: { action: "email" } },
  ],
  edges: [
    { id: "e1", source: "t1", target: "c1" },
    { id: "e2", source: "c1", sourceHandle: "yes", target: "w1" },
    { id: "e3", source: "w1", target: "c2" },
    { id: "e4", source: "c2", sourceHandle: "yes", target: "a1" },
  ],
};

/** Advances every due run (journey steps only; deliveries are the outbox's separate pipeline). */
export async function drainSteps(engine: Engine, batch = 1000): Promise<void> {
  await new Driver(engine, { batchSize: batch }).advanceDue();
}

export function drainOutbox(engine: Engine, batch = 1000): Promise<number> {
  return new Driver(engine, { dispatchLimit: batch, dispatchConcurrency: 64 }).deliverDue();
}

/** Engine steps per second through the full journey on a file database, in virtual time. */
export async function measureEngine(file: string, customers: number): Promise<Record<string, number>> {
  const clock = new ManualClock(T0);
  const store = SqliteStore.open(file);
  const engine = await Engine.open({ model: lifecycleModel(), store, clock, registry: defaultRegistry() });
  await engine.createJourney(BENCH_JOURNEY, "bench");
  await engine.publish("bench");
  const tiers = ["gold", "silver", "bronze"];
  const events: InputEvent[] = [];
  for (let i = 0; i < customers; i++) {
    const ts = new Date(T0).toISOString();
    events.push({
      type: "identify",
      userId: `c${i}`,
      traits: { email: `c${i}@example.com`, tier: tiers[i % 3] },
      timestamp: ts,
    });
    events.push({
      type: "track",
      userId: `c${i}`,
      event: "churn_signal",
      properties: {},
      timestamp: ts,
      messageId: `m${i}`,
    });
  }
  const count = (): { steps: number; sent: number } =>
    store.db
      .prepare(
        "SELECT (SELECT count(*) FROM steps) AS steps, (SELECT count(*) FROM outbox WHERE status = 'sent') AS sent",
      )
      .get() as {
      steps: number;
      sent: number;
    };
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += 2000) await engine.ingest(events.slice(i, i + 2000));
  const t1 = performance.now();
  const entered = count().steps;
  await drainSteps(engine);
  clock.advance(72 * HOUR);
  await drainSteps(engine);
  const t2 = performance.now();
  const steps = count().steps;
  const delivered = await drainOutbox(engine);
  const t3 = performance.now();
  const row = count();
  await engine.close();
  const runMs = t2 - t1;
  return {
    stepsPerSec: ((steps - entered) / runMs) * 1000,
    steps: steps - entered,
    ms: runMs,
    deliveries: row.sent,
    dispatchPerSec: (delivered / (t3 - t2)) * 1000,
    ingestEventsPerSec: (events.length / (t1 - t0)) * 1000,
    endToEndStepsPerSec: (row.steps / (t3 - t0)) * 1000,
  };
}
