// The engine on PostgreSQL with 1, 2 and 4 workers (each an engine with its own pool, as separate processes
// would be, draining one database at once) beside the raw PostgreSQL floor and the SQLite engine, measured
// in the same run on a throwaway local cluster (scripts/pg-throwaway.mjs).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { defaultRegistry } from "../../engine/actions/builtins";
import type { InputEvent } from "../../engine/schema/events";
import { lifecycleModel } from "../../engine/customer/engine-model";
import { ManualClock } from "../../engine/runtime/clock";
import { Driver } from "../../engine/runtime/driver";
import { Engine } from "../../engine/runtime/engine";
import { PostgresStore } from "../../engine/store/postgres/store";
import { startThrowawayPostgres } from "../../scripts/pg-throwaway.mjs";
import { BENCH_JOURNEY, measureEngine } from "../engine";
import { WAIT_JOURNEY } from "../scheduler";
import { systemClock } from "../../engine/runtime/clock";
import { Scheduler } from "../../engine/runtime/scheduler";

const customers = Number(process.env.BENCH_PG_CUSTOMERS ?? 5_000);
const T0 = Date.parse("2026-03-01T00:00:00Z");
const HOUR = 3_600_000;

const server = await startThrowawayPostgres({ database: "rekindle" });
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
let dbs = 0;
async function freshDatabase(): Promise<string> {
  const name = `bench_${++dbs}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = server.url.replace(/\/[^/]*$/, `/${name}`);
  await (await PostgresStore.open(url)).close();
  return url;
}

function events(): InputEvent[] {
  const tiers = ["gold", "silver", "bronze"];
  const ts = new Date(T0).toISOString();
  const out: InputEvent[] = [];
  for (let i = 0; i < customers; i++) {
    out.push({
      type: "identify",
      userId: `c${i}`,
      traits: { email: `c${i}@example.com`, tier: tiers[i % 3] },
      timestamp: ts,
    });
    out.push({
      type: "track",
      userId: `c${i}`,
      event: "churn_signal",
      properties: {},
      timestamp: ts,
      messageId: `m${i}`,
    });
  }
  return out;
}

const countSteps = async (store: PostgresStore): Promise<number> =>
  (await store.pool.query<{ n: number }>("SELECT count(*) AS n FROM steps")).rows[0]!.n;

/** Steps/s of `workers` engines releasing every 72h wait at once, and events/s of one API engine ingesting. */
async function measurePostgresEngine(
  workers: number,
): Promise<{ stepsPerSec: number; steps: number; runsPerSec: number; ingestPerSec: number }> {
  const url = await freshDatabase();
  const open = async (clock: ManualClock) =>
    Engine.open({
      model: lifecycleModel(),
      store: await PostgresStore.open(url, { migrate: false, poolSize: 4 }),
      clock,
      registry: defaultRegistry(),
    });
  const api = await open(new ManualClock(T0));
  await api.createJourney(BENCH_JOURNEY, "bench");
  await api.publish("bench");
  const all = events();
  const t0 = performance.now();
  for (let i = 0; i < all.length; i += 2000) await api.ingest(all.slice(i, i + 2000));
  const ingestMs = performance.now() - t0;
  await new Driver(api, { batchSize: 500 }).advanceDue();
  const clocks = Array.from({ length: workers }, () => new ManualClock(T0 + 72 * HOUR));
  const engines = await Promise.all(clocks.map(open));
  const store = api.store as PostgresStore;
  const before = await countSteps(store);
  const t1 = performance.now();
  await Promise.all(
    engines.map(async (e) => {
      await new Driver(e, { batchSize: 500 }).advanceDue();
    }),
  );
  const ms = performance.now() - t1;
  const steps = (await countSteps(store)) - before;
  await Promise.all([api, ...engines].map((e) => e.close()));
  return {
    stepsPerSec: (steps / ms) * 1000,
    steps,
    // Each run released from its wait logs three steps (wait, condition, action) in one claim; the floor
    // logs as many per run, so runs/s beside the floor's runs/s compares the same work claim for claim.
    runsPerSec: (customers / ms) * 1000,
    ingestPerSec: (all.length / ingestMs) * 1000,
  };
}

/**
 * Events/s of `apis` API engines (each with its own pool, as separate API servers) ingesting the same
 * events at once, in groups of 2,000 taken in turn, into one database with the bench journey live.
 */
async function measureIngest(apis: number): Promise<number> {
  const url = await freshDatabase();
  const engines = await Promise.all(
    Array.from({ length: apis }, async () =>
      Engine.open({
        model: lifecycleModel(),
        store: await PostgresStore.open(url, { migrate: false, poolSize: 4 }),
        clock: new ManualClock(T0),
        registry: defaultRegistry(),
      }),
    ),
  );
  await engines[0]!.createJourney(BENCH_JOURNEY, "bench");
  await engines[0]!.publish("bench");
  // The others learn of the publish through LISTEN rekindle_live; wait until every one has it live.
  while (engines.some((e) => e.live().length === 0)) await new Promise((r) => setTimeout(r, 10));
  const all = events();
  const groups: InputEvent[][] = [];
  for (let i = 0; i < all.length; i += 2000) groups.push(all.slice(i, i + 2000));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    engines.map(async (e) => {
      for (let g = next++; g < groups.length; g = next++) await e.ingest(groups[g]!);
    }),
  );
  const ms = performance.now() - t0;
  await Promise.all(engines.map((e) => e.close()));
  return (all.length / ms) * 1000;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * Scheduler lateness when not saturated: `workers` live schedulers (real clock) on one database while an API
 * engine enters 100 customers every 250 ms for 10 s; each run waits 3 s, so releases fall due steadily.
 * Lateness is the released step's time minus its due time.
 */
async function measureLateness(
  workers: number,
): Promise<{ p50: number; p99: number; max: number; n: number }> {
  const url = await freshDatabase();
  const open = async () =>
    Engine.open({
      model: lifecycleModel(),
      store: await PostgresStore.open(url, { migrate: false, poolSize: 4 }),
      clock: systemClock,
      registry: defaultRegistry(),
    });
  const api = await open();
  await api.createJourney(WAIT_JOURNEY, "waits");
  await api.publish("waits");
  const engines = await Promise.all(Array.from({ length: workers }, open));
  const schedulers = engines.map((e) => new Scheduler(e, { batchSize: 500 }));
  for (const s of schedulers) s.start();
  const ts = new Date().toISOString();
  let entered = 0;
  for (let g = 0; g < 40; g++) {
    const ids = Array.from({ length: 100 }, (_, i) => `c${g}-${i}`);
    await api.ingest(
      ids.map((id): InputEvent => ({ type: "identify", userId: id, traits: {}, timestamp: ts })),
    );
    await api.enter("waits", ids);
    entered += ids.length;
    await new Promise((r) => setTimeout(r, 250));
  }
  const store = api.store as PostgresStore;
  const completed = async () =>
    (await store.pool.query<{ n: number }>("SELECT count(*) AS n FROM runs WHERE status = 'completed'"))
      .rows[0]!.n;
  const deadline = Date.now() + 60_000;
  while ((await completed()) < entered && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await Promise.all(schedulers.map((s) => s.stop()));
  const late = (
    await store.pool.query<{ late: number }>(
      "SELECT at - due_at AS late FROM steps WHERE outcome = 'released'",
    )
  ).rows
    .map((r) => r.late)
    .sort((a, b) => a - b);
  await Promise.all([api, ...engines].map((e) => e.close()));
  return {
    p50: percentile(late, 50),
    p99: percentile(late, 99),
    max: late[late.length - 1] ?? NaN,
    n: late.length,
  };
}

/**
 * The raw floor on PostgreSQL: claim a batch of due runs (SKIP LOCKED), advance each and append as many
 * run-log rows per run as the engine logs per released run (`stepsPerRun`), one transaction per batch, with
 * named prepared statements and unnest batches on the engine's tables: the same work, claim for claim.
 */
async function measureFloor(
  rows: number,
  stepsPerRun: number,
  batch = 500,
): Promise<{ stepsPerSec: number; runsPerSec: number; steps: number }> {
  const url = await freshDatabase();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(
    `INSERT INTO runs (id, journey_id, version_id, customer_id, status, node_id, port, due_at, held, visits, ctx, entered_at, step_seq)
     SELECT i, 'j', 1, 'c' || i, 'ready', 't1', 'next', 0, false, '{"t1":1}', '{}', 0, 1 FROM generate_series(1, $1) i`,
    [rows],
  );
  const claim = {
    name: "floor_claim",
    text: `UPDATE runs SET lease_until = $1, lease_owner = 'floor' WHERE id IN (SELECT id FROM runs WHERE due_at <= $2 AND NOT held AND (lease_until IS NULL OR lease_until < $2) ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING id, customer_id, visits, ctx, step_seq`,
  };
  const advance = {
    name: "floor_advance",
    text: `UPDATE runs r SET status = 'waiting', node_id = 'w1', port = 'next', due_at = NULL, visits = u.visits, ctx = u.ctx, step_seq = u.seq, lease_until = NULL, lease_owner = NULL
           FROM unnest($1::bigint[], $2::json[], $3::json[], $4::int[]) AS u(id, visits, ctx, seq) WHERE r.id = u.id`,
  };
  const log = {
    name: "floor_log",
    text: `INSERT INTO steps (run_id, journey_id, version_id, customer_id, node_id, node_type, visit, seq, at, due_at, port, outcome)
           SELECT id, 'j', 1, cid, 'w' || g, 'wait', 1, seq + g - 1, $4, NULL, NULL, 'waiting'
           FROM unnest($1::bigint[], $2::text[], $3::int[]) AS u(id, cid, seq), generate_series(1, $5::int) AS g`,
  };
  const t0 = performance.now();
  let steps = 0;
  let runs = 0;
  for (;;) {
    const now = Date.now();
    await c.query("BEGIN");
    const claimed = (
      await c.query<{
        id: string;
        customer_id: string;
        visits: Record<string, number>;
        ctx: unknown;
        step_seq: number;
      }>({ ...claim, values: [now + 60_000, now, batch] })
    ).rows;
    if (claimed.length === 0) {
      await c.query("COMMIT");
      break;
    }
    const visits = claimed.map((r) => JSON.stringify({ ...r.visits, w1: (r.visits.w1 ?? 0) + 1 }));
    const seqs = claimed.map((r) => r.step_seq + 1);
    const lastSeqs = seqs.map((q) => q + stepsPerRun - 1);
    await c.query({
      ...advance,
      values: [claimed.map((r) => r.id), visits, claimed.map((r) => JSON.stringify(r.ctx)), lastSeqs],
    });
    await c.query({
      ...log,
      values: [claimed.map((r) => r.id), claimed.map((r) => r.customer_id), seqs, now, stepsPerRun],
    });
    await c.query("COMMIT");
    steps += claimed.length * stepsPerRun;
    runs += claimed.length;
  }
  const ms = performance.now() - t0;
  await c.end();
  return { stepsPerSec: (steps / ms) * 1000, runsPerSec: (runs / ms) * 1000, steps };
}

try {
  const dir = mkdtempSync(join(tmpdir(), "rekindle-bench-pg-"));
  const sqlite = await measureEngine(join(dir, "engine.db"), customers);
  rmSync(dir, { recursive: true, force: true });
  const w1 = await measurePostgresEngine(1);
  const floor = await measureFloor(customers, Math.max(1, Math.round(w1.steps / customers)));
  const w2 = await measurePostgresEngine(2);
  const w4 = await measurePostgresEngine(4);
  const ingest1 = await measureIngest(1);
  const ingest2 = await measureIngest(2);
  const lateness = await measureLateness(2);
  process.stdout.write(
    JSON.stringify({
      pg_customers: customers,
      pg_engine_steps: w1.steps,
      pg_floor_steps_per_sec: Math.round(floor.stepsPerSec),
      pg_engine_1w_steps_per_sec: Math.round(w1.stepsPerSec),
      pg_engine_2w_steps_per_sec: Math.round(w2.stepsPerSec),
      pg_engine_4w_steps_per_sec: Math.round(w4.stepsPerSec),
      pg_engine_1w_floor_ratio: Number((w1.stepsPerSec / floor.stepsPerSec).toFixed(3)),
      pg_engine_1w_runs_per_sec: Math.round(w1.runsPerSec),
      pg_floor_runs_per_sec: Math.round(floor.runsPerSec),
      pg_engine_1w_floor_ratio_per_run: Number((w1.runsPerSec / floor.runsPerSec).toFixed(3)),
      pg_ingest_events_per_sec: Math.round(w1.ingestPerSec),
      pg_ingest_1api_events_per_sec: Math.round(ingest1),
      pg_ingest_2api_events_per_sec: Math.round(ingest2),
      pg_lateness_2w_waits: lateness.n,
      pg_lateness_2w_p50_ms: lateness.p50,
      pg_lateness_2w_p99_ms: lateness.p99,
      pg_lateness_2w_max_ms: lateness.max,
      sqlite_engine_steps_per_sec_same_customers: Math.round(sqlite.stepsPerSec!),
    }),
  );
} finally {
  await admin.end();
  await server.stop({ immediate: true });
}
