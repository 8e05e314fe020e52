import type { OutboxRow, RunRow, StepRow, Store } from "../store/types";

export interface RunTrace {
  run: RunRow;
  steps: (StepRow & { id: number })[];
  deliveries: OutboxRow[];
}

/** A run with its run log and its deliveries: "where is this customer, and why". Undefined if unknown. */
export async function runTrace(store: Store, runId: number): Promise<RunTrace | undefined> {
  const run = await store.getRun(runId);
  if (!run) return undefined;
  const steps = await store.listSteps({ runId, limit: 10_000 });
  const deliveries = (
    await store.listOutbox({ customerId: run.customerId, journeyId: run.journeyId, limit: 10_000 })
  ).filter((o) => o.runId === runId);
  return { run, steps, deliveries };
}

/** Every run of a customer, newest first, each traced. */
export async function customerTrace(store: Store, customerId: string): Promise<RunTrace[]> {
  const runs = await store.listRuns({ customerId, limit: 1000 });
  const out: RunTrace[] = [];
  for (const r of runs.reverse()) {
    const t = await runTrace(store, r.id);
    if (t) out.push(t);
  }
  return out;
}
