// Costs as stored history grows (`npm run bench` part): the scheduler's idle claim, the dispatcher's idle
// claim, ingestion and advancing due runs, on an empty database and on one holding BENCH_HISTORY_STEPS
// finished run-log steps (with their runs, deliveries and events), measured in the same run.
import { defaultRegistry } from "../engine/actions/builtins";
import { lifecycleModel } from "../engine/customer/engine-model";
import { ManualClock } from "../engine/runtime/clock";
import { Driver } from "../engine/runtime/driver";
import { Engine } from "../engine/runtime/engine";
import type { InputEvent } from "../engine/schema/events";
import { loadFinishedHistory } from "../engine/store/sqlite/history-load";
import { SqliteStore } from "../engine/store/sqlite/store";
import { BENCH_JOURNEY, drainSteps } from "./engine";

const T0 = Date.parse("2026-03-01T00:00:00Z");
const HOUR = 3_600_000;

export interface HistoryCosts {
  /** Microseconds of one scheduler tick with nothing due. */
  idleTickUs: number;
  /** Microseconds of one dispatcher claim with nothing due. */
  idleClaimUs: number;
  ingestEventsPerSec: number;
  stepsPerSec: number;
  loadSeconds: number;
}

async function timeEach(n: number, f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < n; i++) await f();
  return ((performance.now() - t) / n) * 1000;
}

/**
 * One round on the database in `file`: loads `historySteps` first when asked, then measures with a journey
 * and customers of this round's own (archived afterwards, so later rounds on the same file do not run it).
 */
export async function measureHistory(
  file: string,
  historySteps: number,
  customers: number,
  round = 0,
): Promise<HistoryCosts> {
  const store = SqliteStore.open(file);
  const t = performance.now();
  if (historySteps > 0) loadFinishedHistory(store, historySteps, T0 - 365 * 24 * HOUR);
  const loadSeconds = (performance.now() - t) / 1000;
  const clock = new ManualClock(T0);
  const engine = await Engine.open({ model: lifecycleModel(), store, clock, registry: defaultRegistry() });
  const journey = `bench-${round}`;
  await engine.createJourney(BENCH_JOURNEY, journey);
  await engine.publish(journey);
  const driver = new Driver(engine, { batchSize: 1000 });
  const idleTickUs = await timeEach(2000, () => driver.tickOnce());
  const idleClaimUs = await timeEach(2000, () => engine.claimDeliveries(16, 30_000));
  const events: InputEvent[] = [];
  const ts = new Date(T0).toISOString();
  for (let i = 0; i < customers; i++) {
    events.push({
      type: "identify",
      userId: `r${round}-c${i}`,
      traits: { email: `r${round}-c${i}@example.com`, tier: "gold" },
      timestamp: ts,
    });
    events.push({
      type: "track",
      userId: `r${round}-c${i}`,
      event: "churn_signal",
      properties: {},
      timestamp: ts,
      messageId: `m-r${round}-${i}`,
    });
  }
  const t1 = performance.now();
  for (let i = 0; i < events.length; i += 2000) await engine.ingest(events.slice(i, i + 2000));
  const t2 = performance.now();
  await drainSteps(engine);
  clock.advance(72 * HOUR);
  const t3 = performance.now();
  await drainSteps(engine);
  const t4 = performance.now();
  await engine.archive(journey);
  await engine.close();
  return {
    idleTickUs: Math.round(idleTickUs),
    idleClaimUs: Math.round(idleClaimUs),
    ingestEventsPerSec: Math.round((events.length / (t2 - t1)) * 1000),
    // After the wait: c2 (condition) and a1 (the email's outbox row) per customer.
    stepsPerSec: Math.round(((customers * 2) / (t4 - t3)) * 1000),
    loadSeconds: Math.round(loadSeconds * 10) / 10,
  };
}
