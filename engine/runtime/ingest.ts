import type { InputEvent } from "../schema/events";
import type { CustomerRow, RunRow, StoredEvent } from "../store/types";
import type { Batch } from "./batch";
import type { CompiledJourney } from "./compiled";
import type { CompiledCondition } from "../conditions/compile";
import type { EngineDeps } from "./deps";
import { EntryBook } from "./entry";
import { factsFor } from "./facts";
import { GoalLedger } from "../results/goal-ledger";
import { applyTransition } from "./transitions/apply";

export type IngestStatus = "accepted" | "duplicate";

/** Live journeys, as entry points see them. */
export interface LiveJourneys {
  live(): readonly CompiledJourney[];
}

type EventFact = NonNullable<RunRow["ctx"]["event"]>;
const NO_TRIGGERS: readonly never[] = [];

export interface IngestOptions {
  /**
   * false for history (an import of past orders): events are stored and profiles, stages and signals
   * follow, but no run is entered, resumed or ended, so loading last year's orders sends nobody anything.
   */
  journeys?: boolean;
}

/**
 * Applies a batch of events in the given order: stores them (deduplicated by messageId), updates profiles,
 * ends runs on goal or exit events, resumes runs waiting for them, and enters customers into journeys.
 */
export async function ingest(
  events: readonly InputEvent[],
  batch: Batch,
  deps: EngineDeps,
  journeys: LiveJourneys,
  opts: IngestOptions = {},
): Promise<IngestStatus[]> {
  const { store } = deps;
  const now = batch.now;
  const seen = await store.knownMessageIds(events.flatMap((e) => (e.messageId ? [e.messageId] : [])));
  const customerIds = [...new Set(events.map((e) => String(e.userId)))];
  const loaded = await store.getCustomers(customerIds);
  for (const [id, c] of loaded) if (!batch.customers.has(id)) batch.customers.set(id, c);
  const touchJourneys = opts.journeys !== false;
  const live = touchJourneys ? journeys.live() : [];
  const runs = touchJourneys ? await store.activeRunsOf(customerIds) : [];
  const pairs = live.flatMap((j) =>
    customerIds.map((customerId) => ({ journeyId: j.journeyId, customerId })),
  );
  const book = new EntryBook(runs, await store.getEntries(pairs));
  const earliest = events.reduce((m, e) => Math.min(m, Date.parse(e.timestamp)), Infinity);
  const goals = await GoalLedger.load(batch, deps, customerIds, earliest);
  const runsByCustomer = new Map<string, RunRow[]>();
  for (const r of runs) {
    const l = runsByCustomer.get(r.customerId);
    if (l) l.push(r);
    else runsByCustomer.set(r.customerId, [r]);
  }

  const matches = async (
    cond: CompiledCondition | null,
    customer: () => Record<string, unknown>,
    run: RunRow | null,
    event: EventFact,
  ) => cond === null || cond.test(await factsFor(cond, store, customer(), run, event, now));

  const apply = async (stored: StoredEvent, customerRow: CustomerRow): Promise<void> => {
    batch.events.push(stored);
    let emitted: { name: string; properties: Record<string, unknown> }[] = [];
    if (stored.type === "identify") {
      customerRow.traits = { ...customerRow.traits, ...stored.properties };
    } else {
      const r = deps.model.apply(customerRow.state, stored, now);
      customerRow.state = r.state;
      emitted = r.emitted;
    }
    customerRow.updatedAt = now;
    batch.setCustomer(customerRow);
    if (stored.type === "track") await onTrack(stored, customerRow);
    for (const e of emitted) {
      await apply(
        {
          messageId: null,
          customerId: stored.customerId,
          type: "track",
          name: e.name,
          properties: e.properties,
          timestamp: stored.timestamp,
          receivedAt: now,
        },
        customerRow,
      );
    }
  };

  const onTrack = async (ev: StoredEvent, customerRow: CustomerRow): Promise<void> => {
    // Both facts cost time on every event (a date to format, a profile to evaluate), and most events meet no
    // run and no trigger: build them only when one needs them.
    let eventFactCache: EventFact | undefined;
    const eventFact = (): EventFact =>
      (eventFactCache ??= {
        name: ev.name,
        properties: ev.properties,
        timestamp: new Date(ev.timestamp).toISOString(),
      });
    let factCache: Record<string, unknown> | undefined;
    const customerFact = (): Record<string, unknown> => (factCache ??= deps.model.fact(customerRow, now));
    await goals.onTrack(ev, deps, customerFact, eventFact);
    for (const run of runsByCustomer.get(ev.customerId) ?? []) {
      if (run.status !== "ready" && run.status !== "waiting" && run.status !== "acting") continue;
      const cj = await deps.version(run.versionId);
      const goal = cj.goal;
      const base = {
        nodeId: run.nodeId,
        nodeType: cj.nodes.get(run.nodeId)?.node.type ?? "unknown",
        visit: run.visits[run.nodeId] ?? 1,
        at: now,
        dueAt: null,
        port: null,
      };
      if (
        goal &&
        goal.event === ev.name &&
        ev.timestamp >= run.enteredAt &&
        ev.timestamp < run.enteredAt + goal.withinMs &&
        (await matches(goal.where, customerFact, run, eventFact()))
      ) {
        const log = { ...base, outcome: "converted", reason: "goal", detail: { event: ev.name } } as const;
        applyTransition(run, { to: "end", outcome: "converted", log }, batch);
        continue;
      }
      const exits = cj.exitOn.get(ev.name);
      if (exits) {
        let hit = false;
        for (const where of exits) if (await matches(where, customerFact, run, eventFact())) hit = true;
        if (hit) {
          const log = {
            ...base,
            outcome: "exited",
            reason: "exit_event",
            detail: { event: ev.name },
          } as const;
          applyTransition(run, { to: "end", outcome: "exited", log }, batch);
          continue;
        }
      }
      if (
        run.status === "waiting" &&
        run.waitEvent === ev.name &&
        ev.timestamp >= run.waitSince! &&
        ev.timestamp < run.waitUntil!
      ) {
        const cn = cj.nodes.get(run.nodeId);
        if (!(await matches(cn?.condition ?? null, customerFact, run, eventFact()))) continue;
        const log = {
          ...base,
          port: "matched",
          outcome: "matched",
          reason: null,
          detail: { event: ev.name },
        } as const;
        applyTransition(run, { to: "ready", port: "matched", event: eventFact(), log }, batch);
      }
    }
    for (const cj of live) {
      let triggers = cj.eventTriggers.get(ev.name) ?? NO_TRIGGERS;
      if (ev.name === "lifecycle_stage_changed" && typeof ev.properties.to === "string") {
        triggers = [...triggers, ...(cj.stageTriggers.get(ev.properties.to) ?? [])];
      }
      for (const trigger of triggers) {
        if (book.activeRun(cj.journeyId, ev.customerId)) break;
        if (!(await matches(cj.nodes.get(trigger.id)?.condition ?? null, customerFact, null, eventFact())))
          continue;
        const run = await book.enter(cj, trigger, ev.customerId, eventFact(), batch, deps);
        if (run) {
          const l = runsByCustomer.get(ev.customerId);
          if (l) l.push(run);
          else runsByCustomer.set(ev.customerId, [run]);
        }
      }
    }
  };

  const statuses: IngestStatus[] = [];
  for (const e of events) {
    if (e.messageId !== undefined) {
      if (seen.has(e.messageId)) {
        statuses.push("duplicate");
        continue;
      }
      seen.add(e.messageId);
    }
    const id = String(e.userId);
    let customerRow = batch.customers.get(id);
    if (!customerRow) {
      customerRow = { id, traits: {}, state: {}, createdAt: now, updatedAt: now };
      batch.customers.set(id, customerRow);
    }
    await apply(
      {
        messageId: e.messageId ?? null,
        customerId: id,
        type: e.type,
        name: e.type === "identify" ? "identify" : e.event,
        properties: e.type === "identify" ? e.traits : e.properties,
        timestamp: Date.parse(e.timestamp),
        receivedAt: now,
      },
      customerRow,
    );
    statuses.push("accepted");
  }
  return statuses;
}
