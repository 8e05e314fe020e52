/** Numbers derived from a profile at a given moment (pure; no model). */
import { DAY_MS, dayOf } from "./time";
import type { CustomerProfile, EngagementDay } from "./types";

/** Distinct days with at least one order. */
export function orderDaysCount(p: CustomerProfile): number {
  let n = 0;
  for (const d of p.days) if (d.orders > 0) n++;
  return n;
}

/** Average days between distinct order days (first to last over n − 1 gaps); undefined below two order days. */
export function avgDaysBetweenOrders(p: CustomerProfile): number | undefined {
  let first: number | undefined;
  let last: number | undefined;
  let n = 0;
  for (const d of p.days) {
    if (d.orders === 0) continue;
    first ??= d.day;
    last = d.day;
    n++;
  }
  if (n < 2 || first === undefined || last === undefined) return undefined;
  return (last - first) / (n - 1);
}

export function daysSince(ms: number | null, nowMs: number): number | undefined {
  return ms === null ? undefined : Math.max(0, (nowMs - ms) / DAY_MS);
}

export interface WindowStats {
  /** Order days in the last `days` days (today included) and in the `days` before. */
  orders: number;
  prevOrders: number;
  /** Net spend (orders − refunds) in the same windows. */
  spend: number;
  prevSpend: number;
}

/** Orders and spend in (today − days, today] against (today − 2·days, today − days]. */
export function orderWindows(p: CustomerProfile, nowMs: number, days: number): WindowStats {
  const today = dayOf(nowMs);
  const s: WindowStats = { orders: 0, prevOrders: 0, spend: 0, prevSpend: 0 };
  for (let i = p.days.length - 1; i >= 0; i--) {
    const d = p.days[i]!;
    const age = today - d.day;
    if (age < 0) continue;
    if (age >= 2 * days) break;
    const net = d.revenue - d.refunded;
    if (age < days) {
      if (d.orders > 0) s.orders++;
      s.spend += net;
    } else {
      if (d.orders > 0) s.prevOrders++;
      s.prevSpend += net;
    }
  }
  return s;
}

/** Counts of instants (ascending) in the last `days` days and the `days` before, relative to now. */
export function countWindows(
  times: readonly number[],
  nowMs: number,
  days: number,
): { last: number; prev: number } {
  let last = 0;
  let prev = 0;
  for (let i = times.length - 1; i >= 0; i--) {
    const age = nowMs - times[i]!;
    if (age < 0) continue;
    if (age >= 2 * days * DAY_MS) break;
    if (age < days * DAY_MS) last++;
    else prev++;
  }
  return { last, prev };
}

export interface EngagementWindows {
  view: number;
  favourite: number;
  cart: number;
  total: number;
  prevTotal: number;
}

export function engagementWindows(
  days: readonly EngagementDay[],
  nowMs: number,
  window: number,
): EngagementWindows {
  const today = dayOf(nowMs);
  const w: EngagementWindows = { view: 0, favourite: 0, cart: 0, total: 0, prevTotal: 0 };
  for (let i = days.length - 1; i >= 0; i--) {
    const d = days[i]!;
    const age = today - d.day;
    if (age < 0) continue;
    if (age >= 2 * window) break;
    const n = d.view + d.favourite + d.cart;
    if (age < window) {
      w.view += d.view;
      w.favourite += d.favourite;
      w.cart += d.cart;
      w.total += n;
    } else w.prevTotal += n;
  }
  return w;
}
