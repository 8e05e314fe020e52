/**
 * Customer-state benchmarks (issue 6):
 *
 * - `customer_cdnow_recompute_s`: the nightly full recomputation (`recomputeAll`: fit pass + refresh pass)
 *   over the real CDNOW master cohort (23,570 customers), imported first with `importFile` onto a
 *   temporary SQLite file, with the engine's clock at 1998-07-01 (the day after the data ends). Cold: no
 *   previous fit to start the optimiser from, as on the first night. Target: under 5 s. The figures are null
 *   when `../shared/data/cdnow` is missing.
 * - `customer_1m_recompute_s` and `customer_1m_peak_rss_mb`: the same job over 1M generated customers, run
 *   in a child process so its peak RSS is its own. Generating 1M customers through ingestion would take
 *   longer than the job itself, so the child builds each demo customer's profile with `recompute` (the same
 *   function the engine's model runs) and inserts the rows directly into the `customers` table with a raw
 *   prepared statement; only `recomputeAll` is timed. The peak RSS is the child's maximum resident set
 *   (generation included, whose memory is flat). Targets: under 2 minutes within 1 GB.
 *   `BENCH_CUSTOMER_N` changes the size.
 * - `customer_order_ingest_us`: the incremental cost per ingested order through `engine.ingest` (event
 *   stored, profile updated, stage and signals re-evaluated, journeys matched), on the imported CDNOW base
 *   with its fit installed, in chunks of 500 orders for existing customers; `customer_order_apply_us` is the
 *   profile update alone (`applyEvent`).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultRegistry } from "../engine/actions/builtins";
import { benchApplyOrder } from "../engine/customer/bench";
import { DEFAULT_CONFIG } from "../engine/customer/config";
import { demoCustomer, DEMO_DEFAULTS } from "../engine/customer/demo/generate";
import { lifecycleModel } from "../engine/customer/engine-model";
import { toCustomerEvent } from "../engine/customer/events";
import { importFile } from "../engine/customer/import";
import type { CustomerModel } from "../engine/customer/model/predict";
import { recompute } from "../engine/customer/profile";
import { recomputeAll } from "../engine/customer/recompute-job";
import type { CustomerEvent } from "../engine/customer/types";
import { ManualClock } from "../engine/runtime/clock";
import { Engine } from "../engine/runtime/engine";
import type { InputEvent } from "../engine/schema/events";
import { SqliteStore } from "../engine/store/sqlite/store";

const here = dirname(fileURLToPath(import.meta.url));
const CDNOW = join(here, "..", "..", "shared", "data", "cdnow", "CDNOW_master.txt");
const DAY = 86_400_000;
const round = (v: number, digits = 2): number => Number(v.toFixed(digits));

async function openEngine(file: string, now: number) {
  const store = SqliteStore.open(file);
  const model = lifecycleModel();
  const clock = new ManualClock(now);
  const engine = await Engine.open({ store, clock, registry: defaultRegistry(), model });
  return { store, model, clock, engine };
}

/** CDNOW: import, cold recomputation, then per-order ingestion cost on the fitted base. */
async function benchCdnow(dir: string): Promise<Record<string, number | null>> {
  if (!existsSync(CDNOW)) {
    process.stderr.write(`bench customer: ${CDNOW} not found; CDNOW figures are null\n`);
    return {
      customer_cdnow_customers: null,
      customer_cdnow_import_s: null,
      customer_cdnow_recompute_s: null,
      customer_cdnow_fit_s: null,
      customer_cdnow_refresh_s: null,
      customer_order_ingest_us: null,
    };
  }
  const end = Date.parse("1998-07-01T00:00:00Z");
  const { model, clock, engine } = await openEngine(join(dir, "cdnow.db"), end);
  const t0 = performance.now();
  const imp = await importFile(engine, CDNOW, "orders", {
    map: { revenue: "dollar_value" },
    chunkSize: 20_000,
  });
  const importS = (performance.now() - t0) / 1000;
  const r = await recomputeAll(engine, model);

  // Per-order ingestion: one more order for existing customers, a day later, in chunks of 500.
  clock.set(end + DAY);
  const orders = 20_000;
  const events: InputEvent[] = [];
  for (let i = 0; i < orders; i++) {
    const id = String(1 + ((i * 7919) % imp.customers)).padStart(5, "0");
    events.push({
      type: "track",
      userId: id,
      event: "order_completed",
      properties: { revenue: 10 + (i % 50) },
      timestamp: new Date(end + (i % 1000) * 60_000).toISOString(),
      messageId: `bench-order-${i}`,
    });
  }
  const t1 = performance.now();
  for (let i = 0; i < orders; i += 500) await engine.ingest(events.slice(i, i + 500));
  const ingestUs = ((performance.now() - t1) * 1000) / orders;
  await engine.close();
  return {
    customer_cdnow_customers: r.customers,
    customer_cdnow_import_s: round(importS),
    customer_cdnow_recompute_s: round(r.totalMs / 1000),
    customer_cdnow_fit_s: round(r.fitMs / 1000),
    customer_cdnow_refresh_s: round(r.refreshMs / 1000),
    customer_order_ingest_us: Math.round(ingestUs),
  };
}

const DEMO_MODEL: CustomerModel = {
  unit: "day",
  bgnbd: DEMO_DEFAULTS.bgnbd,
  gammaGamma: DEMO_DEFAULTS.gammaGamma,
};

/** The child's work: n generated customers inserted directly, then one timed `recomputeAll`. */
export async function benchGenerated(n: number, file: string): Promise<Record<string, number>> {
  const now = Date.parse(DEMO_DEFAULTS.now);
  const tg = performance.now();
  {
    const store = SqliteStore.open(file);
    const insert = store.db.prepare(
      "INSERT INTO customers (id, traits, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
    );
    const tx = store.db.transaction((rows: [string, string, string][]) => {
      for (const [id, traits, state] of rows) insert.run(id, traits, state, now, now);
    });
    let rows: [string, string, string][] = [];
    for (let i = 0; i < n; i++) {
      const c = demoCustomer(i, { customers: n, seed: 1 });
      const evs: CustomerEvent[] = [];
      let traits: Record<string, unknown> = {};
      for (const e of c.events) {
        if (e.type === "identify") traits = { ...traits, ...e.traits };
        const ce = toCustomerEvent(e);
        if (ce) evs.push(ce);
      }
      const p = recompute(evs, DEFAULT_CONFIG, now, { model: DEMO_MODEL }).profile;
      rows.push([c.id, JSON.stringify(traits), JSON.stringify(p)]);
      if (rows.length === 5000) {
        tx(rows);
        rows = [];
      }
    }
    tx(rows);
    await store.close();
  }
  const generateS = (performance.now() - tg) / 1000;

  // The night after: the job refits and refreshes everyone one day later.
  const { model, engine } = await openEngine(file, now + DAY);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const cpu0 = process.cpuUsage();
  const r = await recomputeAll(engine, model);
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await engine.close();
  return {
    customers: r.customers,
    generate_s: round(generateS),
    recompute_s: round(r.totalMs / 1000),
    fit_s: round(r.fitMs / 1000),
    refresh_s: round(r.refreshMs / 1000),
    recompute_cpu_s: round((cpu.user + cpu.system) / 1e6),
    emitted: r.emitted,
    peak_rss_job_mb: Math.round(peak / 1048576),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

export async function benchCustomer(): Promise<Record<string, number | null>> {
  const dir = mkdtempSync(join(tmpdir(), "rekindle-bench-customer-"));
  try {
    const figures: Record<string, number | null> = await benchCdnow(dir);
    figures.customer_order_apply_us = benchApplyOrder(2000).perOrderUs;
    const n = Number(process.env.BENCH_CUSTOMER_N ?? 1_000_000);
    const out = execFileSync(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(import.meta.url),
        "--generated",
        String(n),
        join(dir, "generated.db"),
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 },
    );
    const g = JSON.parse(out.trim().split("\n").pop()!) as Record<string, number>;
    const label = n === 1_000_000 ? "1m" : String(n);
    figures[`customer_${label}_customers`] = g.customers ?? null;
    figures[`customer_${label}_recompute_s`] = g.recompute_s ?? null;
    figures[`customer_${label}_fit_s`] = g.fit_s ?? null;
    figures[`customer_${label}_refresh_s`] = g.refresh_s ?? null;
    figures[`customer_${label}_recompute_cpu_s`] = g.recompute_cpu_s ?? null;
    figures[`customer_${label}_peak_rss_mb`] = g.peak_rss_mb ?? null;
    figures[`customer_${label}_peak_rss_job_mb`] = g.peak_rss_job_mb ?? null;
    figures[`customer_${label}_generate_s`] = g.generate_s ?? null;
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === "--generated") {
    const r = await benchGenerated(Number(process.argv[3]), process.argv[4]!);
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(await benchCustomer())}\n`);
  }
}
