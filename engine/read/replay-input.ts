import type { InputEvent } from "../schema/events";
import type { Store } from "../store/types";

export class ReplayTooLargeError extends Error {
  constructor(readonly maxEvents: number) {
    super(`more than ${maxEvents} events in range; narrow it or lower limitCustomers`);
    this.name = "ReplayTooLargeError";
  }
}

/**
 * Stored events of the first `limitCustomers` customers active in [from, to), as input events, each
 * customer's traits first (as an identify at `from`): the input of a dry run over history.
 */
export async function storedEventsForReplay(
  store: Store,
  q: { from: number; to: number; limitCustomers: number; maxEvents: number },
): Promise<InputEvent[]> {
  const ids = await store.customersActiveIn(q.from, q.to, q.limitCustomers);
  if (ids.length === 0) return [];
  const rows = await store.eventsOf(ids, q.from, q.to, q.maxEvents);
  if (rows.length >= q.maxEvents) throw new ReplayTooLargeError(q.maxEvents);
  const start = new Date(q.from).toISOString();
  const out: InputEvent[] = [];
  const customers = await store.getCustomers(ids);
  for (const id of ids) {
    const c = customers.get(id);
    // A copy: the profile may be the store's cached one, and the replay must not share it.
    if (c) out.push({ type: "identify", userId: c.id, traits: structuredClone(c.traits), timestamp: start });
  }
  for (const r of rows) {
    const timestamp = new Date(r.timestamp).toISOString();
    if (r.type === "identify")
      out.push({ type: "identify", userId: r.customerId, traits: r.properties, timestamp });
    else
      out.push({ type: "track", userId: r.customerId, event: r.name, properties: r.properties, timestamp });
  }
  return out;
}
