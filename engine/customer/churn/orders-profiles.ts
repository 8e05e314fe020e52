/**
 * Profiles from a plain orders file (the `model score` and `model evaluate` input): one per customer with
 * an order on or before the cut, holding only what happened up to the cut. A negative value is a refund,
 * as in the engine's profiles. What happened after the cut is summed apart, for the backtest.
 */
import { emptyProfile } from "../profile";
import type { DatedOrder } from "../model/summary";
import { DAY_MS } from "../time";
import type { CustomerProfile, OrderDay } from "../types";

export interface Outcome {
  /** Whether the customer ordered in (cut, cut + horizon]. */
  ordered: boolean;
  /** Net spend in that window. */
  spend: number;
}

export interface ProfilesAtCut {
  ids: string[];
  profiles: CustomerProfile[];
  /** By position, when a horizon was asked for. */
  outcomes: Outcome[];
}

export function profilesAtCut(orders: readonly DatedOrder[], cutDay: number, horizonDays = 0): ProfilesAtCut {
  const before = new Map<string, Map<number, OrderDay>>();
  const after = new Map<string, Outcome>();
  for (const o of orders) {
    const v = o.revenue ?? 0;
    if (o.day > cutDay) {
      if (o.day > cutDay + horizonDays) continue;
      let out = after.get(o.customerId);
      if (!out) after.set(o.customerId, (out = { ordered: false, spend: 0 }));
      if (v >= 0) out.ordered = true;
      out.spend += v;
      continue;
    }
    let days = before.get(o.customerId);
    if (!days) before.set(o.customerId, (days = new Map<number, OrderDay>()));
    let d = days.get(o.day);
    if (!d) days.set(o.day, (d = { day: o.day, orders: 0, revenue: 0, refunded: 0 }));
    if (v < 0) d.refunded += -v;
    else {
      d.orders++;
      d.revenue += v;
    }
  }
  const ids: string[] = [];
  const profiles: CustomerProfile[] = [];
  const outcomes: Outcome[] = [];
  for (const [id, dayMap] of before) {
    const days = [...dayMap.values()].sort((a, b) => a.day - b.day);
    const orderDays = days.filter((d) => d.orders > 0);
    if (orderDays.length === 0) continue;
    const p = emptyProfile();
    p.days = days;
    for (const d of days) {
      p.ordersCount += d.orders;
      p.totalSpent += d.revenue - d.refunded;
      p.refundedTotal += d.refunded;
      if (d.refunded > 0) p.refundsCount++;
    }
    p.firstOrderAt = orderDays[0]!.day * DAY_MS;
    p.lastOrderAt = orderDays.at(-1)!.day * DAY_MS;
    p.lastEventAt = days.at(-1)!.day * DAY_MS;
    ids.push(id);
    profiles.push(p);
    outcomes.push(after.get(id) ?? { ordered: false, spend: 0 });
  }
  return { ids, profiles, outcomes };
}
