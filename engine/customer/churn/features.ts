/**
 * The churn model's features: what a customer's profile says at a cut day, computed from the profile's
 * day buckets with nothing after the cut, so the same function builds the training rows (at a past cut,
 * labelled by what happened next) and the scoring rows (at today). Day-granular on purpose: a training row
 * and a scoring row of the same history get the same numbers.
 */
import { bgnbdConditionalExpected, bgnbdPAlive } from "../model/bgnbd";
import type { BgNbdParams } from "../model/bgnbd";
import type { CustomerProfile } from "../types";
import { DAY_MS } from "../time";

/** Names in the order of the feature vector (stored with the model; the explanation names them). */
export const CHURN_FEATURES = [
  "recency_rank",
  "order_days",
  "avg_order_value",
  "one_time_buyer",
  "one_time_recency_rank",
  "repeat_recency_rank",
  "gap_vs_own_cycle",
  "gap_trend",
  "orders_last_30d",
  "orders_last_90d",
  "orders_prev_90d",
  "orders_last_365d",
  "spend_trend_90d",
  "p_alive",
  "expected_orders_horizon",
  "engagement_30d",
  "complaints_90d",
  "satisfaction",
  "total_spend",
  "order_rate",
  "frequency_rank",
  "spend_rank",
] as const;
export type ChurnFeature = (typeof CHURN_FEATURES)[number];
export const FEATURE_COUNT = CHURN_FEATURES.length;

/** What the customer looked like at the cut: the model's inputs and the plain numbers they come from. */
export interface FeatureRow {
  /** The transformed values the model reads (logs, ratios), in CHURN_FEATURES order. */
  x: Float64Array;
  /** The same facts in plain units for the explanation (days, counts, money), NaN where none applies. */
  raw: Float64Array;
}

/** The BG/NBD quantities need a fit; without one they are left neutral in training and scoring alike. */
export interface FeatureContext {
  /** BG/NBD parameters in days. */
  bgnbd?: BgNbdParams | undefined;
  horizonDays: number;
  /** Where the base stood at the cut: percentiles of recency, order days and net spend (see `baseQuantiles`). */
  quantiles?: BaseQuantiles | undefined;
}

/** 21 percentiles (0, 5, …, 100%) of each measure over the customers with an order at a cut. */
export interface BaseQuantiles {
  recency: number[];
  orderDays: number[];
  spend: number[];
}

/** The share of the base below `v` (0..1), by linear interpolation between the stored percentiles. */
export function rankIn(q: readonly number[], v: number): number {
  const k = q.length - 1;
  if (!(v > q[0]!)) return 0;
  if (v >= q[k]!) return 1;
  let lo = 0;
  let hi = k;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (q[mid]! <= v) lo = mid;
    else hi = mid;
  }
  const span = q[hi]! - q[lo]!;
  return (lo + (span > 0 ? (v - q[lo]!) / span : 0)) / k;
}

/** The base's percentiles at a cut day, over the given profiles. */
export function baseQuantiles(profiles: readonly CustomerProfile[], cutDay: number): BaseQuantiles {
  const rec: number[] = [];
  const days: number[] = [];
  const spend: number[] = [];
  for (const p of profiles) {
    let n = 0;
    let last = 0;
    let net = 0;
    for (const d of p.days) {
      if (d.day > cutDay) break;
      net += d.revenue - d.refunded;
      if (d.orders === 0) continue;
      n++;
      last = d.day;
    }
    if (n === 0) continue;
    rec.push(cutDay - last);
    days.push(n);
    spend.push(net);
  }
  const pct = (a: number[]): number[] => {
    a.sort((x, y) => x - y);
    return Array.from({ length: 21 }, (_, i) => (a.length ? a[Math.round(((a.length - 1) * i) / 20)]! : 0));
  };
  return { recency: pct(rec), orderDays: pct(days), spend: pct(spend) };
}

const lg = (v: number): number => Math.log1p(Math.max(0, v));

/**
 * Features at the end of `cutDay` (orders on the cut day count as before it), or undefined when the
 * customer had no order by then.
 */
export function churnFeatures(
  p: CustomerProfile,
  cutDay: number,
  ctx: FeatureContext,
  out?: FeatureRow,
): FeatureRow | undefined {
  let n = 0;
  let first = 0;
  let last = 0;
  let prevLast = 0;
  let net = 0;
  let o90 = 0;
  let o30 = 0;
  let o365 = 0;
  let oPrev90 = 0;
  let s90 = 0;
  let sPrev90 = 0;
  for (const d of p.days) {
    if (d.day > cutDay) break;
    const v = d.revenue - d.refunded;
    net += v;
    const age = cutDay - d.day;
    if (age < 90) s90 += v;
    else if (age < 180) sPrev90 += v;
    if (d.orders === 0) continue;
    if (n === 0) first = d.day;
    prevLast = last;
    last = d.day;
    n++;
    if (age < 30) o30++;
    if (age < 365) o365++;
    if (age < 90) o90++;
    else if (age < 180) oPrev90++;
  }
  if (n === 0) return undefined;
  const row = out ?? { x: new Float64Array(FEATURE_COUNT), raw: new Float64Array(FEATURE_COUNT) };
  const { x, raw } = row;
  const recency = cutDay - last;
  const tenure = cutDay - first;
  const aov = Math.max(0, net) / n;
  const meanGap = n >= 2 ? (last - first) / (n - 1) : NaN;
  // The last gap against the customer's earlier ones: > 0 when orders are slowing down.
  const earlierGap = n >= 3 ? (prevLast - first) / (n - 2) : NaN;
  const lastGap = n >= 3 ? last - prevLast : NaN;

  const cutMs = (cutDay + 1) * DAY_MS;
  let complaints = 0;
  for (let i = p.complaints.length - 1; i >= 0; i--) {
    const t = p.complaints[i]!;
    if (t >= cutMs) continue;
    if (t < cutMs - 90 * DAY_MS) break;
    complaints++;
  }
  let engagement = 0;
  for (const e of p.engagement.days) {
    if (e.day > cutDay) break;
    if (cutDay - e.day < 30) engagement += e.view + e.favourite + e.cart;
  }
  // Satisfaction on one scale (0 worst, 1 best), centred so "no answer" is neutral.
  const sat = p.satisfaction && p.satisfaction.at < cutMs ? p.satisfaction : null;
  const satNorm = sat ? (sat.scale === "nps" ? sat.score / 10 : (sat.score - 1) / 4) : NaN;

  let pAlive = 1;
  let expected = 0;
  if (ctx.bgnbd) {
    const s = { x: n - 1, tx: last - first, T: tenure };
    pAlive = bgnbdPAlive(ctx.bgnbd, s);
    expected = bgnbdConditionalExpected(ctx.bgnbd, ctx.horizonDays, s);
    if (!Number.isFinite(expected)) expected = 0;
  }

  // Recency and tenure enter as ranks in the base at the cut, not as days: a model trained 90 days ago
  // then reads today's customers on the same scale, even as a cohort ages (measured in docs/models.md).
  const q = ctx.quantiles;
  const recencyRank = q ? rankIn(q.recency, recency) : 0.5;
  const put = (j: number, v: number, plain: number): void => {
    x[j] = v;
    raw[j] = plain;
  };
  put(0, recencyRank, recency);
  put(1, Math.log(n), n);
  put(2, lg(aov), aov);
  put(3, n === 1 ? 1 : 0, n === 1 ? 1 : 0);
  put(4, n === 1 ? recencyRank : 0, n === 1 ? recency : NaN);
  put(5, n >= 2 ? recencyRank : 0, n >= 2 ? recency : NaN);
  put(6, n >= 2 ? Math.log((recency + 1) / (meanGap + 1)) : 0, n >= 2 ? recency / Math.max(meanGap, 1) : NaN);
  put(
    7,
    n >= 3 ? Math.log((lastGap + 1) / (earlierGap + 1)) : 0,
    n >= 3 ? lastGap / Math.max(earlierGap, 1) : NaN,
  );
  put(8, lg(o30), o30);
  put(9, lg(o90), o90);
  put(10, lg(oPrev90), oPrev90);
  put(11, lg(o365), o365);
  put(12, lg(s90) - lg(sPrev90), s90 - sPrev90);
  put(13, pAlive, pAlive);
  put(14, lg(expected), expected);
  put(15, lg(engagement), engagement);
  put(16, lg(complaints), complaints);
  put(17, Number.isNaN(satNorm) ? 0 : satNorm - 0.5, sat ? sat.score : NaN);
  put(18, lg(net), net);
  put(19, Math.log(n / (tenure + 30)), (n * 30) / (tenure + 30));
  put(20, q ? rankIn(q.orderDays, n) : 0.5, n);
  put(21, q ? rankIn(q.spend, net) : 0.5, net);
  return row;
}

/** Whether the customer ordered in (cutDay, cutDay + horizonDays]: the label's complement. */
export function orderedWithin(p: CustomerProfile, cutDay: number, horizonDays: number): boolean {
  for (const d of p.days) {
    if (d.day <= cutDay || d.orders === 0) continue;
    return d.day <= cutDay + horizonDays;
  }
  return false;
}
