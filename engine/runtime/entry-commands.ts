import type { InputEvent } from "../schema/events";
import { ConflictError, NotFoundError } from "../errors";
import type { CustomerRow } from "../store/types";
import type { EngineCore } from "./core";
import { EntryBook } from "./entry";
import { factsFor } from "./facts";
import { ingest } from "./ingest";

/** Entry points besides ingestion: manual entry, an audience slot firing, the nightly refresh. */

export interface EntryAnswer {
  customerId: string;
  runId: number | null;
  reason: string | null;
}

/** Manual entry: enters known customers through the journey's manual (or first) trigger. */
export function enter(
  core: EngineCore,
  journeyId: string,
  customerIds: readonly string[],
): Promise<EntryAnswer[]> {
  const { store, deps } = core;
  return core.committer.transition(async (batch) => {
    const cj = core.journeys.live().find((j) => j.journeyId === journeyId);
    if (!cj) throw new NotFoundError(`live journey ${journeyId}`);
    const trigger = cj.manualTriggers[0] ?? cj.doc.nodes.find((n) => n.type === "trigger");
    if (!trigger || trigger.type !== "trigger")
      throw new ConflictError(`journey ${journeyId} has no trigger`);
    const ids = [...new Set(customerIds)];
    await core.committer.lockCustomers(ids);
    const customers = await store.getCustomers(ids);
    const book = new EntryBook(
      await store.activeRunsOf(ids),
      await store.getEntries(ids.map((customerId) => ({ journeyId, customerId }))),
    );
    const out: EntryAnswer[] = [];
    for (const id of customerIds) {
      if (!customers.has(id)) {
        out.push({ customerId: id, runId: null, reason: "unknown_customer" });
        continue;
      }
      const refusal = book.refusal(cj, id, batch.now, batch);
      const run = refusal === null ? await book.enter(cj, trigger, id, undefined, batch, deps) : null;
      out.push({ customerId: id, runId: run?.id ?? null, reason: refusal });
    }
    return out;
  });
}

/** An audience trigger's slot fell due: enters every customer matching its conditions, a page at a time. */
export async function fireAudience(core: EngineCore, journeyId: string, nodeId: string): Promise<number> {
  const { store, deps } = core;
  const cj = core.journeys.live().find((j) => j.journeyId === journeyId);
  const cn = cj?.nodes.get(nodeId);
  if (!cj || !cn || cn.node.type !== "trigger" || cn.node.data.kind !== "audience") {
    throw new NotFoundError(`audience trigger ${nodeId} of live journey ${journeyId}`);
  }
  const trigger = cn.node;
  let entered = 0;
  let after: string | null = null;
  for (;;) {
    const page = await store.scanCustomers(after, 1000);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    entered += await core.committer.transition(async (batch) => {
      const ids = page.map((c) => c.id);
      await core.committer.lockCustomers(ids);
      const book = new EntryBook(
        await store.activeRunsOf(ids),
        await store.getEntries(ids.map((customerId) => ({ journeyId, customerId }))),
      );
      let n = 0;
      for (const c of page) {
        if (book.refusal(cj, c.id, batch.now, batch) !== null) continue;
        const customer = deps.model.fact(c, batch.now);
        const facts = await factsFor(cn.condition!, store, customer, null, undefined, batch.now);
        if (!cn.condition!.test(facts)) continue;
        if (await book.enter(cj, trigger, c.id, undefined, batch, deps)) n++;
      }
      return n;
    });
  }
  return entered;
}

/** The timer kind of an audience run asked for by hand; keys are the JSON `[journeyId, nodeId]`, the slot is when it was asked. */
export const AUDIENCE_NOW_KIND = "audience.now";

/**
 * "Run now": stores a slot of the audience trigger due at once, which the scheduler claims and fires like a
 * scheduled one (`AudienceSchedules`), so the request returns at once and the fire happens once even when
 * several processes run. Two requests in the same millisecond store one slot.
 */
export async function queueAudienceRun(
  core: EngineCore,
  journeyId: string,
  nodeId: string,
): Promise<{ nodeId: string; dueAt: number }> {
  const cj = core.journeys.live().find((j) => j.journeyId === journeyId);
  if (!cj) throw new ConflictError(`journey ${journeyId} is not live; only a live journey takes entries`);
  const node = cj.nodes.get(nodeId)?.node;
  if (!node || node.type !== "trigger" || node.data.kind !== "audience")
    throw new NotFoundError(`audience trigger ${nodeId} of live journey ${journeyId}`);
  const key = JSON.stringify([journeyId, nodeId]);
  return core.committer.transition((batch) =>
    Promise.resolve({
      value: { nodeId, dueAt: batch.now },
      extra: { timers: [{ kind: AUDIENCE_NOW_KIND, key, slot: batch.now, dueAt: batch.now, doneAt: null }] },
    }),
  );
}

export type Refresh = (
  state: Record<string, unknown>,
  now: number,
) => { state: Record<string, unknown>; emitted: { name: string; properties: Record<string, unknown> }[] };

/**
 * Re-evaluates computed state as time passes for one page of customers (the nightly refresh): stores each
 * new state and sends what the model emits (stage changes, churn signals) through ingestion, at once.
 */
export function refreshCustomers(
  core: EngineCore,
  page: readonly CustomerRow[],
  refresh: Refresh,
): Promise<number> {
  return core.committer.transition(async (batch) => {
    const emitted: InputEvent[] = [];
    await core.committer.lockCustomers(page.map((c) => c.id));
    const fresh = await core.store.getCustomers(page.map((c) => c.id));
    for (const c of fresh.values()) {
      const r = refresh(c.state, batch.now);
      c.state = r.state;
      c.updatedAt = batch.now;
      batch.setCustomer(c);
      const timestamp = new Date(batch.now).toISOString();
      for (const e of r.emitted)
        emitted.push({ type: "track", userId: c.id, event: e.name, properties: e.properties, timestamp });
    }
    if (emitted.length > 0) await ingest(emitted, batch, core.deps, core.journeys);
    return emitted.length;
  });
}
