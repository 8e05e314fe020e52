/** Measurements for `npm run bench`: full recomputation and incremental updates on generated customers. */
import { DEFAULT_CONFIG } from "./config";
import { demoCustomer, DEMO_DEFAULTS } from "./demo/generate";
import { toCustomerEvent } from "./events";
import { applyEvent, emptyProfile, recompute } from "./profile";
import type { CustomerModel } from "./model/predict";
import type { CustomerEvent } from "./types";

export interface RecomputeBench {
  customers: number;
  events: number;
  /** Time spent generating the events (not part of the recomputation). */
  generateMs: number;
  recomputeMs: number;
  perCustomerUs: number;
  peakRssMB: number;
}

const DEMO_MODEL: CustomerModel = {
  unit: "day",
  bgnbd: DEMO_DEFAULTS.bgnbd,
  gammaGamma: DEMO_DEFAULTS.gammaGamma,
};

/**
 * Generates n customers one at a time (so memory stays flat for 1M) and recomputes each profile in full
 * with the model's P(alive) in the stage rule. Only the recomputation is timed.
 */
export function benchRecompute(n: number, opts: { seed?: number; withModel?: boolean } = {}): RecomputeBench {
  const now = DEMO_DEFAULTS.now;
  let events = 0;
  let generateMs = 0;
  let recomputeMs = 0;
  let peak = process.memoryUsage().rss;
  const model = opts.withModel === false ? undefined : DEMO_MODEL;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const c = demoCustomer(i, { customers: n, seed: opts.seed ?? 1 });
    const evs: CustomerEvent[] = [];
    for (const e of c.events) {
      const ce = toCustomerEvent(e);
      if (ce) evs.push(ce);
    }
    const t1 = performance.now();
    recompute(evs, DEFAULT_CONFIG, now, model ? { model } : {});
    recomputeMs += performance.now() - t1;
    generateMs += t1 - t0;
    events += evs.length;
    if ((i & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    customers: n,
    events,
    generateMs: Math.round(generateMs),
    recomputeMs: Math.round(recomputeMs),
    perCustomerUs: n > 0 ? Math.round((recomputeMs * 1000) / n) : 0,
    peakRssMB: Math.round(peak / 1048576),
  };
}

export interface IncrementalBench {
  orders: number;
  totalMs: number;
  perOrderUs: number;
}

/** The cost of one `applyEvent` for an order on an existing profile (history included), averaged. */
export function benchApplyOrder(customers: number, opts: { seed?: number } = {}): IncrementalBench {
  let orders = 0;
  let totalMs = 0;
  for (let i = 0; i < customers; i++) {
    const c = demoCustomer(i, { customers, seed: opts.seed ?? 1 });
    let p = emptyProfile();
    for (const e of c.events) {
      const ce = toCustomerEvent(e);
      if (!ce) continue;
      const t0 = performance.now();
      const r = applyEvent(p, ce, DEFAULT_CONFIG, ce.timestamp, DEMO_MODEL);
      if (ce.name === "order_completed") {
        totalMs += performance.now() - t0;
        orders++;
      }
      p = r.profile;
    }
  }
  return {
    orders,
    totalMs: Math.round(totalMs),
    perOrderUs: orders > 0 ? Math.round((totalMs * 1000) / orders) : 0,
  };
}
