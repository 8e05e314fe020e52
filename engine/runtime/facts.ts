import type { CompiledCondition } from "../conditions/compile";
import type { FactContext } from "../conditions/facts";
import type { EventCountParams } from "../schema/conditions";
import { durationMs } from "../schema/duration";
import type { RunRow, Store } from "../store/types";

const HOUR = 3_600_000;
const countKey = (p: EventCountParams): string => `${p.event}\u0000${p.since ?? ""}\u0000${p.within ?? ""}`;

/**
 * The facts one condition needs for one run. `eventCount` lookups are fetched before evaluation, so the
 * compiled condition stays synchronous while the store stays async; with no `eventCount` (the common case)
 * the facts come back synchronously.
 */
export function factsFor(
  cond: CompiledCondition,
  store: Store,
  customer: Record<string, unknown>,
  run: Pick<RunRow, "customerId" | "enteredAt" | "ctx"> | null,
  event: FactContext["event"],
  now: number,
): FactContext | Promise<FactContext> {
  return cond.eventCountParams.length === 0
    ? factContext(customer, run, event, now, new Map())
    : factsWithCounts(cond, store, customer, run, event, now);
}

async function factsWithCounts(
  cond: CompiledCondition,
  store: Store,
  customer: Record<string, unknown>,
  run: Pick<RunRow, "customerId" | "enteredAt" | "ctx"> | null,
  event: FactContext["event"],
  now: number,
): Promise<FactContext> {
  const counts = new Map<string, number>();
  for (const p of cond.eventCountParams) {
    const from = p.within !== undefined ? now - durationMs(p.within) : (run?.enteredAt ?? now);
    counts.set(countKey(p), await store.countEvents(String(customer.id), p.event, from, now));
  }
  return factContext(customer, run, event, now, counts);
}

function factContext(
  customer: Record<string, unknown>,
  run: Pick<RunRow, "customerId" | "enteredAt" | "ctx"> | null,
  event: FactContext["event"],
  now: number,
  counts: Map<string, number>,
): FactContext {
  const enteredAt = run?.enteredAt ?? now;
  return {
    customer,
    event,
    journey: {
      // Formatted only when a condition reads it.
      get enteredAt() {
        return new Date(enteredAt).toISOString();
      },
      hoursInJourney: (now - enteredAt) / HOUR,
      branch: run?.ctx.branch,
    },
    eventCount: (p) => counts.get(countKey(p)) ?? 0,
  };
}
