/**
 * From a list of orders to the per-customer sufficient statistics of the models, following the
 * literature: orders on the same day are one transaction (their values summed); x counts the distinct
 * purchase days after the first up to the end of calibration; tx and T run from the first purchase day.
 */
import type { RepeatSummary } from "./bgnbd";

/** A day is an integer count of days since 1970-01-01 (the calendar date as written, no zone shift). */
export interface DatedOrder {
  customerId: string;
  day: number;
  /** Undefined when the file has no value for this order. */
  revenue?: number | undefined;
}

export interface CustomerSummary extends RepeatSummary {
  customerId: string;
  firstDay: number;
  /** Mean value of the repeat transactions in calibration (same-day orders summed); NaN when x = 0 or unknown. */
  m: number;
  /** Repeat transactions after the calibration end, up to the last day of the data (holdout). */
  xHoldout: number;
}

export type TimeUnit = "day" | "week";
export const UNIT_DAYS: Record<TimeUnit, number> = { day: 1, week: 7 };

/**
 * Builds one summary per customer whose first purchase is on or before `calibrationEndDay` (inclusive).
 * Times are in `unit`. Customers first seen after the calibration end are left out.
 */
export function summarize(
  orders: Iterable<DatedOrder>,
  calibrationEndDay: number,
  unit: TimeUnit = "day",
): CustomerSummary[] {
  const perCustomer = new Map<string, Map<number, { v: number; known: boolean }>>();
  for (const o of orders) {
    let days = perCustomer.get(o.customerId);
    if (!days) perCustomer.set(o.customerId, (days = new Map<number, { v: number; known: boolean }>()));
    const cell = days.get(o.day);
    const known = o.revenue !== undefined && Number.isFinite(o.revenue);
    if (cell) {
      cell.v += known ? (o.revenue as number) : 0;
      cell.known &&= known;
    } else days.set(o.day, { v: known ? (o.revenue as number) : 0, known });
  }
  const k = UNIT_DAYS[unit];
  const out: CustomerSummary[] = [];
  for (const [customerId, days] of perCustomer) {
    const sorted = [...days.keys()].sort((p, q) => p - q);
    const first = sorted[0] as number;
    if (first > calibrationEndDay) continue;
    let x = 0;
    let last = first;
    let sum = 0;
    let known = true;
    let xh = 0;
    for (const d of sorted) {
      if (d === first) continue;
      if (d <= calibrationEndDay) {
        x++;
        last = d;
        const c = days.get(d) as { v: number; known: boolean };
        sum += c.v;
        known &&= c.known;
      } else xh++;
    }
    out.push({
      customerId,
      firstDay: first,
      x,
      tx: (last - first) / k,
      T: (calibrationEndDay - first) / k,
      m: x > 0 && known ? sum / x : NaN,
      xHoldout: xh,
    });
  }
  return out;
}
