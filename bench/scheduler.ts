import { defaultRegistry } from "../engine/actions/builtins";
import type { Journey } from "../engine/schema/journey";
import type { InputEvent } from "../engine/schema/events";
import { systemClock } from "../engine/runtime/clock";
import { Driver } from "../engine/runtime/driver";
import { Engine } from "../engine/runtime/engine";
import { Scheduler } from "../engine/runtime/scheduler";
import { SqliteStore } from "../engine/store/sqlite/store";
import { lifecycleModel } from "../engine/customer/engine-model";

export const WAIT_JOURNEY: Journey = {
  schemaVersion: 1,
  name: "Bench: waits",
  settings: { reentry: { mode: "always" } },
  nodes: [
    { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "manual" } },
    { id: "w1", type: "wait", position: { x: 0, y: 100 }, data: { kind: "duration", duration: "3s" } },
    { id: "x1", type: "exit", position: { x: 0, y: 200 }, data: {} },
  ],
  edges: [
    { id: "e1", source: "t1", target: "w1" },
    { id: "e2", source: "w1", target: "x1" },
  ],
};

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Live scheduler, real clock: `count` waits fall due at the same instant; how late is each released? */
export async function measureLateness(
  file: string,
  count: number,
): Promise<{ p50: number; p99: number; max: number; released: number }> {
  const store = SqliteStore.open(file);
  const engine = await Engine.open({
    model: lifecycleModel(),
    store,
    clock: systemClock,
    registry: defaultRegistry(),
  });
  await engine.createJourney(WAIT_JOURNEY, "waits");
  await engine.publish("waits");
  const ts = new Date().toISOString();
  const ids = Array.from({ length: count }, (_, i) => `c${i}`);
  await engine.ingest(
    ids.map((id): InputEvent => ({ type: "identify", userId: id, traits: {}, timestamp: ts })),
  );
  await engine.enter("waits", ids);
  // The entries are due now: advance them into the wait, all in one transaction so all share one due time.
  await new Driver(engine, { batchSize: count }).advanceDue();
  const scheduler = new Scheduler(engine, { batchSize: 500 });
  scheduler.start();
  const done = (): number =>
    (store.db.prepare("SELECT count(*) AS n FROM runs WHERE status = 'completed'").get() as { n: number }).n;
  const deadline = Date.now() + 60_000;
  while (done() < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await scheduler.stop();
  const late = (
    store.db.prepare("SELECT at - due_at AS late FROM steps WHERE outcome = 'released'").all() as {
      late: number;
    }[]
  )
    .map((r) => r.late)
    .sort((a, b) => a - b);
  await engine.close();
  return {
    p50: percentile(late, 50),
    p99: percentile(late, 99),
    max: late[late.length - 1] ?? NaN,
    released: late.length,
  };
}

/**
 * Peak RSS of a live engine holding `count` waiting runs: the runs are rows with due times, never timers or
 * objects in memory, so memory stays flat however many customers wait. The rows are written with one raw
 * prepared statement (entering a million customers through ingestion is measured elsewhere).
 */
export async function measureWaitingRss(
  file: string,
  count: number,
): Promise<{ peakRssMb: number; runs: number }> {
  const store = SqliteStore.open(file);
  const engine = await Engine.open({
    model: lifecycleModel(),
    store,
    clock: systemClock,
    registry: defaultRegistry(),
  });
  await engine.createJourney(WAIT_JOURNEY, "waits");
  const version = await engine.publish("waits");
  const insert = store.db.prepare(
    "INSERT INTO runs (id, journey_id, version_id, customer_id, status, node_id, port, due_at, held, visits, ctx, entered_at, step_seq) VALUES (?, 'waits', ?, ?, 'waiting', 'w1', 'next', ?, 0, '{\"t1\":1,\"w1\":1}', '{}', ?, 2)",
  );
  const now = Date.now();
  const far = now + 30 * 86_400_000;
  store.db.transaction(() => {
    for (let i = 1; i <= count; i++) insert.run(i, version.id, `c${i}`, far + (i % 86_400) * 1000, now);
  })();
  await engine.close();
  // A fresh engine on the full database, with its scheduler running for a few seconds.
  const live = await Engine.open({
    model: lifecycleModel(),
    store: SqliteStore.open(file),
    clock: systemClock,
    registry: defaultRegistry(),
  });
  const scheduler = new Scheduler(live);
  scheduler.start();
  await new Promise((r) => setTimeout(r, 3000));
  await scheduler.stop();
  const runs = (live.store as SqliteStore).db
    .prepare("SELECT count(*) AS n FROM runs WHERE status = 'waiting'")
    .get() as { n: number };
  await live.close();
  return { peakRssMb: process.resourceUsage().maxRSS / 1024, runs: runs.n };
}
