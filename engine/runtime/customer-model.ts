import type { CustomerRow, StoredEvent } from "../store/types";

/** An event a model emits when state changes (`lifecycle_stage_changed`, `churn_signal`). */
export interface EmittedEvent {
  name: string;
  properties: Record<string, unknown>;
}

/**
 * How a customer's computed state follows its events, and what the `customer` fact shows. The engine calls
 * `apply` for every ingested track event, in the same transaction that stores the event.
 */
export interface CustomerModel {
  apply(
    state: Record<string, unknown>,
    event: StoredEvent,
    now: number,
  ): { state: Record<string, unknown>; emitted: EmittedEvent[] };
  fact(customer: CustomerRow, now: number): Record<string, unknown>;
}

const DAY = 86_400_000;

/** Order counts and spend only: enough for journeys until the full customer-state model is plugged in. */
export const basicCustomerModel: CustomerModel = {
  apply(state, event) {
    if (event.type !== "track" || event.name !== "order_completed") return { state, emitted: [] };
    const revenue = Number(event.properties.revenue);
    const s = { ...state };
    s.ordersCount = Number(s.ordersCount ?? 0) + 1;
    s.totalSpent = Number(s.totalSpent ?? 0) + (Number.isFinite(revenue) ? revenue : 0);
    if (typeof s.firstOrderAt !== "number" || event.timestamp < s.firstOrderAt)
      s.firstOrderAt = event.timestamp;
    if (typeof s.lastOrderAt !== "number" || event.timestamp > s.lastOrderAt) s.lastOrderAt = event.timestamp;
    return { state: s, emitted: [] };
  },
  fact(c, now) {
    const s = c.state;
    const last = typeof s.lastOrderAt === "number" ? s.lastOrderAt : undefined;
    const first = typeof s.firstOrderAt === "number" ? s.firstOrderAt : undefined;
    const orders = Number(s.ordersCount ?? 0);
    return {
      ...s,
      id: c.id,
      traits: c.traits,
      ordersCount: orders,
      totalSpent: Number(s.totalSpent ?? 0),
      lastOrderAt: last === undefined ? undefined : new Date(last).toISOString(),
      daysSinceLastOrder: last === undefined ? undefined : Math.floor((now - last) / DAY),
      avgDaysBetweenOrders:
        orders > 1 && first !== undefined && last !== undefined
          ? (last - first) / DAY / (orders - 1)
          : undefined,
    };
  },
};
