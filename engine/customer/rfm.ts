/**
 * RFM scores 1–5 by quintiles over the whole customer base, and named segments.
 *
 * Inputs per customer with at least one order: recency = days since the last order (lower is better),
 * frequency = ordersCount, monetary = totalSpent (net of refunds). Prospects have no RFM.
 *
 * Boundaries are the 20th/40th/60th/80th percentiles (linear interpolation between order statistics,
 * as numpy's default). Scores by value, so equal customers always get equal scores even with many ties:
 * F and M = 1 + the number of boundaries the value exceeds; R = 5 − the number of boundaries the
 * recency exceeds (the most recent fifth scores 5).
 *
 * Segments (the widely used R × FM grid, FM = round((F + M) / 2)):
 *
 * | R \ FM | 1 | 2 | 3 | 4 | 5 |
 * |---|---|---|---|---|---|
 * | 5 | New | Potential Loyalist | Potential Loyalist | Champions | Champions |
 * | 4 | Promising | Potential Loyalist | Potential Loyalist | Loyal | Loyal |
 * | 3 | About to Sleep | About to Sleep | Need Attention | Loyal | Loyal |
 * | 2 | Hibernating | Hibernating | At Risk | At Risk | Can't Lose Them |
 * | 1 | Lost | Hibernating | At Risk | At Risk | Can't Lose Them |
 */
import { DAY_MS, toMs } from "./time";
import type { Instant } from "./time";
import type { CustomerProfile } from "./types";

// The segment names are part of the contract (conditions test them): engine/schema/facts.ts.
export { RFM_SEGMENTS, type RfmSegment } from "../schema/facts";
import type { RfmSegment } from "../schema/facts";

/** RFM_GRID[r - 1][fm - 1]. */
export const RFM_GRID: readonly (readonly RfmSegment[])[] = [
  ["Lost", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"],
  ["Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"],
  ["About to Sleep", "About to Sleep", "Need Attention", "Loyal", "Loyal"],
  ["Promising", "Potential Loyalist", "Potential Loyalist", "Loyal", "Loyal"],
  ["New", "Potential Loyalist", "Potential Loyalist", "Champions", "Champions"],
];

export type Quartet = [number, number, number, number];

export interface RfmBoundaries {
  /** Days since the last order at `computedAt`. */
  recency: Quartet;
  frequency: Quartet;
  monetary: Quartet;
  computedAt: string;
  customers: number;
}

export interface RfmScore {
  r: number;
  f: number;
  m: number;
  /** The three digits, e.g. "545". */
  score: string;
  /** r + f + m (3–15). */
  total: number;
  fm: number;
  segment: RfmSegment;
  recencyDays: number;
  frequency: number;
  monetary: number;
}

export interface RfmInputs {
  recencyDays: number;
  frequency: number;
  monetary: number;
}

export function rfmInputs(p: CustomerProfile, nowMs: number): RfmInputs | undefined {
  if (p.ordersCount === 0 || p.lastOrderAt === null) return undefined;
  return {
    recencyDays: Math.max(0, (nowMs - p.lastOrderAt) / DAY_MS),
    frequency: p.ordersCount,
    monetary: p.totalSpent,
  };
}

/** Percentile by linear interpolation between order statistics of an ascending array. */
export function percentile(sorted: Float64Array | readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(n - 1, lo + 1)]!;
  return a + (h - lo) * (b - a);
}

function quartet(values: Float64Array): Quartet {
  values.sort();
  return [percentile(values, 0.2), percentile(values, 0.4), percentile(values, 0.6), percentile(values, 0.8)];
}

/** Quintile boundaries over every customer with at least one order (the schedule refreshes them). */
export function computeRfmBoundaries(profiles: Iterable<CustomerProfile>, now: Instant): RfmBoundaries {
  const nowMs = toMs(now);
  const r: number[] = [];
  const f: number[] = [];
  const m: number[] = [];
  for (const p of profiles) {
    const x = rfmInputs(p, nowMs);
    if (!x) continue;
    r.push(x.recencyDays);
    f.push(x.frequency);
    m.push(x.monetary);
  }
  return {
    recency: quartet(Float64Array.from(r)),
    frequency: quartet(Float64Array.from(f)),
    monetary: quartet(Float64Array.from(m)),
    computedAt: new Date(nowMs).toISOString(),
    customers: r.length,
  };
}

const above = (v: number, b: Quartet): number => b.reduce((n, x) => n + (v > x ? 1 : 0), 0);

export function rfmSegment(r: number, fm: number): RfmSegment {
  const row = RFM_GRID[Math.min(5, Math.max(1, r)) - 1]!;
  return row[Math.min(5, Math.max(1, fm)) - 1]!;
}

/** Scores from raw inputs and boundaries. */
export function scoreRfm(x: RfmInputs, b: RfmBoundaries): RfmScore {
  const r = 5 - above(x.recencyDays, b.recency);
  const f = 1 + above(x.frequency, b.frequency);
  const m = 1 + above(x.monetary, b.monetary);
  const fm = Math.round((f + m) / 2);
  return {
    r,
    f,
    m,
    score: `${r}${f}${m}`,
    total: r + f + m,
    fm,
    segment: rfmSegment(r, fm),
    recencyDays: x.recencyDays,
    frequency: x.frequency,
    monetary: x.monetary,
  };
}

/** A customer's RFM at `now` against the base's boundaries; undefined for a prospect. */
export function rfmFor(p: CustomerProfile, b: RfmBoundaries, now: Instant): RfmScore | undefined {
  const x = rfmInputs(p, toMs(now));
  return x ? scoreRfm(x, b) : undefined;
}
