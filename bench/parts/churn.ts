/**
 * The nightly job with the churn model, over 1M generated customers (`BENCH_CHURN_N` changes the size):
 *
 * - `churn_1m_recompute_s`: `recomputeAll` as the server runs it nightly: BG/NBD, Gamma-Gamma and RFM over the
 *   base, the churn model trained on a 50,000-customer sample (features 90 days back, labels from the 90 days
 *   since, and a cut every 30 days further back up to 12 cuts or 400,000 rows; three cross-fitted folds),
 *   then every profile refreshed, its stage scored by the churn model;
 *   `churn_1m_train_s` is the churn training alone, `churn_1m_holdout_auc` its hold-out AUC.
 * - `churn_1m_peak_rss_job_mb`: the peak resident set sampled during that job (generation excluded).
 * - The floor, measured in the same run on the same database: `churn_1m_floor_recompute_s`, the same job
 *   with no churn model (the BG/NBD fit and the refresh alone).
 * `…_cpu_s` are the same jobs in CPU seconds (user + system), which a busy machine does not inflate.
 * Targets: under 2 minutes within 1 GB.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultRegistry } from "../../engine/actions/builtins";
import { DEFAULT_CONFIG } from "../../engine/customer/config";
import { demoCustomer, DEMO_DEFAULTS } from "../../engine/customer/demo/generate";
import { lifecycleModel } from "../../engine/customer/engine-model";
import { toCustomerEvent } from "../../engine/customer/events";
import type { CustomerModel } from "../../engine/customer/model/predict";
import { recompute } from "../../engine/customer/profile";
import { recomputeAll } from "../../engine/customer/recompute-job";
import type { CustomerEvent } from "../../engine/customer/types";
import { ManualClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import { SqliteStore } from "../../engine/store/sqlite/store";

const DAY = 86_400_000;
const round = (v: number, digits = 2): number => Number(v.toFixed(digits));
const n = Number(process.env.BENCH_CHURN_N ?? 1_000_000);
const label = n === 1_000_000 ? "1m" : String(n);
const now = Date.parse(DEMO_DEFAULTS.now);
const DEMO_MODEL: CustomerModel = {
  unit: "day",
  bgnbd: DEMO_DEFAULTS.bgnbd,
  gammaGamma: DEMO_DEFAULTS.gammaGamma,
};

const dir = mkdtempSync(join(tmpdir(), "rekindle-bench-churn-"));
const file = join(dir, "churn.db");
try {
  const tg = performance.now();
  {
    const store = SqliteStore.open(file);
    const insert = store.db.prepare(
      "INSERT INTO customers (id, traits, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
    );
    const tx = store.db.transaction((rows: [string, string][]) => {
      for (const [id, state] of rows) insert.run(id, "{}", state, now, now);
    });
    let rows: [string, string][] = [];
    for (let i = 0; i < n; i++) {
      const c = demoCustomer(i, { customers: n, seed: 1 });
      const evs: CustomerEvent[] = [];
      for (const e of c.events) {
        const ce = toCustomerEvent(e);
        if (ce) evs.push(ce);
      }
      rows.push([c.id, JSON.stringify(recompute(evs, DEFAULT_CONFIG, now, { model: DEMO_MODEL }).profile)]);
      if (rows.length === 5000) {
        tx(rows);
        rows = [];
      }
    }
    tx(rows);
    await store.close();
  }
  const generateS = (performance.now() - tg) / 1000;

  const job = async (trainChurn: boolean, at: number) => {
    const store = SqliteStore.open(file);
    const model = lifecycleModel();
    const engine = await Engine.open({
      store,
      clock: new ManualClock(at),
      registry: defaultRegistry(),
      model,
    });
    (globalThis as { gc?: () => void }).gc?.();
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const cpu0 = process.cpuUsage();
    const r = await recomputeAll(engine, model, { trainChurn });
    const cpu = process.cpuUsage(cpu0);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    await engine.close();
    return { r, peak, cpuS: (cpu.user + cpu.system) / 1e6 };
  };
  // The night after generation, then the floor the night after that (same base, no churn model).
  const withChurn = await job(true, now + DAY);
  const floor = await job(false, now + 2 * DAY);
  const stats = withChurn.r.snapshot.stats;
  const auc = stats.churn && "holdoutAuc" in stats.churn ? stats.churn.holdoutAuc : null;
  process.stdout.write(
    `${JSON.stringify({
      [`churn_${label}_customers`]: withChurn.r.customers,
      [`churn_${label}_generate_s`]: round(generateS),
      [`churn_${label}_recompute_s`]: round(withChurn.r.totalMs / 1000),
      [`churn_${label}_fit_s`]: round(withChurn.r.fitMs / 1000),
      [`churn_${label}_train_s`]: round((stats.churnMs ?? 0) / 1000),
      [`churn_${label}_refresh_s`]: round(withChurn.r.refreshMs / 1000),
      [`churn_${label}_recompute_cpu_s`]: round(withChurn.cpuS),
      [`churn_${label}_floor_recompute_cpu_s`]: round(floor.cpuS),
      [`churn_${label}_holdout_auc`]: auc === null ? null : round(auc, 3),
      [`churn_${label}_peak_rss_job_mb`]: Math.round(withChurn.peak / 1048576),
      [`churn_${label}_floor_recompute_s`]: round(floor.r.totalMs / 1000),
      [`churn_${label}_floor_peak_rss_job_mb`]: Math.round(floor.peak / 1048576),
      [`churn_${label}_peak_rss_mb`]: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
