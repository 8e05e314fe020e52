/**
 * The trained churn model as stored (JSON in the nightly snapshot) and how it scores one customer:
 * `churnRisk` = the calibrated probability of no order within `horizonDays`, with the features that
 * pushed it up or down the most.
 */
import type { BgNbdParams } from "../model/bgnbd";
import { dayOf } from "../time";
import type { CustomerProfile } from "../types";
import { CHURN_FEATURES, churnFeatures } from "./features";
import type { BaseQuantiles, ChurnFeature, FeatureRow } from "./features";
import { applyIsotonic } from "./isotonic";
import type { IsotonicMap } from "./isotonic";
import type { LogisticModel } from "./logistic";

export interface ChurnModel {
  version: 1;
  horizonDays: number;
  /** The instant the model was fitted at (the job's `now`), ISO 8601. */
  fittedAt: string;
  /** The past cut its rows describe: features there, labels from the following horizon. */
  trainedAt: string;
  features: ChurnFeature[];
  logistic: LogisticModel;
  calibration: IsotonicMap;
  /** BG/NBD parameters (in days) fitted at the training cut, used for the BG/NBD features; null: none. */
  bgnbd: BgNbdParams | null;
  /** Where the base stands at `fittedAt` (the rank features of a score read it). */
  quantiles: BaseQuantiles;
  /** AUC at the latest cut of the out-of-fold scores (each customer scored by a regression that never saw them). */
  holdoutAuc: number;
  /** Share of customers at the latest cut with no order in the horizon. */
  baseRate: number;
  /** Training rows (over every cut) and the customers at the latest cut the hold-out AUC is taken over. */
  customers: { train: number; holdout: number };
  /** How many past cuts the rows were taken at (absent in models stored before cuts were stacked). */
  cuts?: number;
}

export interface ChurnDriver {
  feature: ChurnFeature;
  /** The plain value (days, orders, money…), null where it does not apply. */
  value: number | null;
  /** "raises" or "lowers" the risk against the average customer, and by how much on the log-odds scale. */
  effect: "raises" | "lowers";
  weight: number;
}

export interface ChurnScore {
  risk: number;
  drivers: ChurnDriver[];
}

const DRIVERS_SHOWN = 3;

/** The calibrated risk of a feature row, with its strongest drivers. */
export function scoreRow(m: ChurnModel, row: FeatureRow, drivers = DRIVERS_SHOWN): ChurnScore {
  // One pass: the linear predictor and the `drivers` largest contributions (this runs for every customer
  // on every event and every night, so no sort and no per-feature allocation).
  const lg = m.logistic;
  const top: number[] = [];
  const topC: number[] = [];
  let eta = lg.intercept;
  for (let j = 0; j < lg.coef.length; j++) {
    const c = (lg.coef[j]! * (row.x[j]! - lg.mean[j]!)) / lg.std[j]!;
    eta += c;
    if (drivers === 0 || Math.abs(c) < 1e-3) continue;
    let k = top.length;
    if (k === drivers && Math.abs(c) <= Math.abs(topC[k - 1]!)) continue;
    if (k === drivers) k--;
    while (k > 0 && Math.abs(topC[k - 1]!) < Math.abs(c)) {
      top[k] = top[k - 1]!;
      topC[k] = topC[k - 1]!;
      k--;
    }
    top[k] = j;
    topC[k] = c;
    if (top.length > drivers) {
      top.length = drivers;
      topC.length = drivers;
    }
  }
  const raw = eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta));
  const risk = Math.min(1, Math.max(0, applyIsotonic(m.calibration, raw)));
  const out: ChurnDriver[] = top.map((j, i) => {
    const v = row.raw[j]!;
    return {
      feature: CHURN_FEATURES[j]!,
      value: Number.isFinite(v) ? Math.round(v * 1000) / 1000 : null,
      effect: topC[i]! > 0 ? "raises" : "lowers",
      weight: Math.round(Math.abs(topC[i]!) * 1000) / 1000,
    };
  });
  return { risk, drivers: out };
}

/** The customer's churn risk at `nowMs` (undefined for a customer who never ordered). */
export function scoreChurn(
  m: ChurnModel,
  p: CustomerProfile,
  nowMs: number,
  drivers = DRIVERS_SHOWN,
): ChurnScore | undefined {
  const row = churnFeatures(p, dayOf(nowMs), {
    bgnbd: m.bgnbd ?? undefined,
    horizonDays: m.horizonDays,
    quantiles: m.quantiles,
  });
  return row ? scoreRow(m, row, drivers) : undefined;
}

const LABELS: Record<ChurnFeature, string> = {
  recency_rank: "days since last order",
  order_days: "order days",
  avg_order_value: "average order value",
  one_time_buyer: "one-time buyer",
  one_time_recency_rank: "days since the only order",
  repeat_recency_rank: "days since last order",
  gap_vs_own_cycle: "gap vs own cycle (×)",
  gap_trend: "last gap vs earlier gaps (×)",
  orders_last_30d: "orders in the last 30 days",
  orders_last_90d: "orders in the last 90 days",
  orders_prev_90d: "orders in the 90 days before",
  orders_last_365d: "orders in the last 365 days",
  spend_trend_90d: "spend change, last 90 days vs before",
  p_alive: "P(alive)",
  expected_orders_horizon: "expected orders in the horizon",
  engagement_30d: "engagement in 30 days",
  complaints_90d: "complaints in 90 days",
  satisfaction: "last satisfaction score",
  total_spend: "total spend",
  order_rate: "orders per 30 days",
  frequency_rank: "order days",
  spend_rank: "total spend",
};

/** One line a marketer can read: "churn risk 0.83: days since last order 212 raises, …". */
export function describeDrivers(drivers: readonly ChurnDriver[]): string {
  return drivers
    .map((d) => `${LABELS[d.feature]} ${d.value === null ? "n/a" : String(d.value)} ${d.effect} it`)
    .join("; ");
}
