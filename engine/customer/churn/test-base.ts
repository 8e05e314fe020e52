/** A simulated customer base for the tests: BG/NBD purchase histories in days, ending at a given day. */
import { simulateCustomer } from "../model/simulate";
import { createRng } from "../model/random";
import { emptyProfile } from "../profile";
import { DAY_MS, dayOf } from "../time";
import type { CustomerProfile, OrderDay } from "../types";

export const SIM_BGNBD = { r: 0.25, alpha: 30, a: 0.8, b: 2.4 };
export const SIM_SPEND = { p: 6, q: 4, gamma: 15 };

export function simulatedBase(n: number, nowMs: number, seed = 7): CustomerProfile[] {
  const rng = createRng(seed);
  const today = dayOf(nowMs);
  const out: CustomerProfile[] = [];
  for (let i = 0; i < n; i++) {
    const first = today - 60 - Math.floor(rng.next() * 500);
    const c = simulateCustomer(rng, SIM_BGNBD, today - first, SIM_SPEND);
    const byDay = new Map<number, OrderDay>();
    [0, ...c.times].forEach((t, k) => {
      const day = first + Math.floor(t);
      const d = byDay.get(day) ?? { day, orders: 0, revenue: 0, refunded: 0 };
      d.orders++;
      d.revenue += Math.round(c.values[k]! * 100) / 100;
      byDay.set(day, d);
    });
    const p = emptyProfile();
    p.days = [...byDay.values()].sort((a, b) => a.day - b.day);
    for (const d of p.days) {
      p.ordersCount += d.orders;
      p.totalSpent += d.revenue;
    }
    p.firstOrderAt = p.days[0]!.day * DAY_MS;
    p.lastOrderAt = p.days.at(-1)!.day * DAY_MS;
    out.push(p);
  }
  return out;
}
