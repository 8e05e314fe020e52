/**
 * The demo in motion: the generated customer base's last `days` days replayed through the engine in
 * virtual time with the demo's journeys live, so a fresh install opens on journeys that have entries,
 * deliveries, conversions and experiments with a verdict.
 *
 * Nothing here writes a result: history before the window is ingested as history (it enters no journey),
 * the journeys are published at the window's start, and from then on the engine does everything itself —
 * triggers, waits, splits, sends (recorded, never sent: the demo's addresses are made up) — driven by a
 * virtual clock the way `rekindle simulate` drives it: due runs and the outbox at their exact times, the
 * audience schedules and the nightly refresh at theirs, the base's own events at theirs. The customers'
 * answers to what was sent come from the documented response model (response-model.ts) and go in as
 * ordinary events.
 */
import { defaultRegistry } from "../../actions/builtins";
import type { Delivery } from "../../actions/builtins";
import { cronTimesBetween } from "../../schema/cron";
import type { InputEvent } from "../../schema/events";
import type { Journey } from "../../schema/journey";
import { ManualClock } from "../../runtime/clock";
import { Engine } from "../../runtime/engine";
import type { TemplateRenderer } from "../../runtime/template-renderer";
import type { Store } from "../../store/types";
import type { LifecycleModel } from "../engine-model";
import { refitBase, refreshAll } from "../recompute-job";
import { DAY_MS } from "../time";
import { EventQueue } from "./event-queue";
import { generateDemo } from "./generate";
import type { DemoEvent } from "./generate";
import { respond } from "./response-model";

export interface DemoReplayOptions {
  store: Store;
  model: LifecycleModel;
  templates?: TemplateRenderer;
  /** The journeys to publish at the window's start (id and document). */
  journeys: readonly { id: string; doc: unknown }[];
  customers: number;
  seed: string | number;
  /** The end of the replay (the real time the demo is loaded at). */
  now: number;
  /** Days replayed with the journeys live. Default 90. */
  days?: number;
  /** The nightly refresh schedule (stage changes, churn signals), as the live server runs it. */
  nightly?: { schedule: string; timezone: string };
}

export interface DemoReplayResult {
  customers: number;
  /** Events of the generated base stored (history and window). */
  events: number;
  /** Responses the model drew and stored as events. */
  responses: number;
  deliveries: number;
  from: number;
  to: number;
}

/** Events that arrive within this span of each other are ingested in one transaction at the last one's time. */
const GROUP_MS = 60 * 60_000;
const INGEST_CHUNK = 2000;

const toInput = (e: DemoEvent): InputEvent =>
  e.type === "identify"
    ? { type: "identify", userId: e.userId, traits: e.traits, timestamp: e.timestamp, messageId: e.messageId }
    : {
        type: "track",
        userId: e.userId,
        event: e.event,
        properties: e.properties,
        timestamp: e.timestamp,
        messageId: e.messageId,
      };

/** Replays the demo into `store` (left open: the caller owns it and must not run another engine on it meanwhile). */
export async function replayDemo(opts: DemoReplayOptions): Promise<DemoReplayResult> {
  const days = opts.days ?? 90;
  const from = opts.now - days * DAY_MS;
  const clock = new ManualClock(from);
  const sent: { delivery: Delivery; key: string }[] = [];
  const registry = defaultRegistry({
    deliver: (delivery, o) => {
      sent.push({ delivery, key: o.idempotencyKey });
      return Promise.resolve({ status: "done", response: { provider: "demo" } });
    },
  });
  const engine = await Engine.open({
    store: opts.store,
    clock,
    registry,
    model: opts.model,
    ...(opts.templates ? { templates: opts.templates } : {}),
  });

  const all = generateDemo({ customers: opts.customers, seed: opts.seed, now: opts.now }).map(toInput);
  const queue = new EventQueue(all);
  // History: stored with profiles, stages and signals, entering nothing.
  const history = queue.takeBefore(from);
  for (let i = 0; i < history.length; i += INGEST_CHUNK)
    await engine.ingest(history.slice(i, i + INGEST_CHUNK), { journeys: false });
  await refitBase(engine, opts.model);
  await refreshAll(engine, opts.model);

  const goals = new Map<string, string | undefined>();
  const audience: { journeyId: string; nodeId: string; times: number[] }[] = [];
  const window = (expr: string, zone: string): number[] =>
    cronTimesBetween(expr, zone, new Date(from), new Date(opts.now)).map((d) => d.getTime());
  for (const j of opts.journeys) {
    await engine.createJourney(structuredClone(j.doc), j.id);
    await engine.publish(j.id);
    const doc = j.doc as Journey;
    goals.set(j.id, doc.settings?.goal?.event);
    for (const n of doc.nodes) {
      if (n.type === "trigger" && n.data.kind === "audience")
        audience.push({
          journeyId: j.id,
          nodeId: n.id,
          times: window(n.data.schedule, n.data.timezone ?? doc.settings?.timezone ?? "UTC"),
        });
    }
  }
  const nightly = opts.nightly ?? { schedule: "0 3 * * *", timezone: "Asia/Shanghai" };
  const nights = window(nightly.schedule, nightly.timezone);

  let responses = 0;
  let deliveries = 0;
  const answer = async (): Promise<void> => {
    if (sent.length === 0) return;
    const batch = sent.splice(0, sent.length);
    deliveries += batch.length;
    const customers = await opts.store.getCustomers([...new Set(batch.map((s) => s.delivery.customerId))]);
    for (const { delivery, key } of batch) {
      const row = customers.get(delivery.customerId);
      const fact = row ? opts.model.fact(row, clock.now()) : { traits: {} };
      const traits = (fact.traits ?? {}) as Record<string, unknown>;
      const journeyId = delivery.meta?.journey ?? "";
      const r = respond(opts.seed, {
        idempotencyKey: key,
        customerId: delivery.customerId,
        journeyId,
        nodeId: delivery.meta?.nodeId ?? "",
        channel: delivery.channel,
        template: delivery.template,
        stage: typeof fact.stage === "string" ? fact.stage : "active",
        timezone: typeof traits.timezone === "string" ? traits.timezone : undefined,
        currency: typeof traits.currency === "string" ? traits.currency : undefined,
        at: clock.now(),
        goalEvent: goals.get(journeyId),
      });
      if (!r || r.at > opts.now) continue;
      responses++;
      queue.push({
        type: "track",
        userId: r.customerId,
        event: r.event,
        properties: r.properties,
        timestamp: new Date(r.at).toISOString(),
        messageId: r.messageId,
      });
    }
  };
  // Outbox rows come only from advancing runs, and every demo delivery succeeds at once: the outbox needs a
  // look only after a tick did something (or a full batch left more).
  let outboxWaiting = false;
  const drain = async (): Promise<void> => {
    for (;;) {
      const due = await engine.nextDueAt();
      const advanced = due !== null && due <= clock.now() ? await engine.tick(1000) : 0;
      const dispatched = advanced > 0 || outboxWaiting ? await engine.dispatch(1000, 64) : 0;
      outboxWaiting = dispatched === 1000;
      await answer();
      if (advanced === 0 && dispatched === 0) return;
    }
  };
  const nextTimed = (): number =>
    Math.min(nights[0] ?? Infinity, ...audience.map((a) => a.times[0] ?? Infinity));

  for (;;) {
    const due = (await engine.nextDueAt()) ?? Infinity;
    const next = Math.min(due, nextTimed(), queue.peekTime());
    if (next > opts.now) break;
    if (next > clock.now()) clock.set(next);
    await drain();
    if (nights[0] !== undefined && nights[0] <= clock.now()) {
      nights.shift();
      await refreshAll(engine, opts.model);
    }
    for (const a of audience) {
      while (a.times[0] !== undefined && a.times[0] <= clock.now()) {
        a.times.shift();
        await engine.fireAudience(a.journeyId, a.nodeId);
      }
    }
    await drain();
    // Events close together go in at once, at the last one's time (never past other work that is due).
    const limit = Math.min(clock.now() + GROUP_MS, nextTimed(), (await engine.nextDueAt()) ?? Infinity);
    const group = queue.takeUntil(Math.max(clock.now(), limit), INGEST_CHUNK);
    if (group.length > 0) {
      const last = Date.parse(group[group.length - 1]!.timestamp);
      if (last > clock.now()) clock.set(last);
      await engine.ingest(group);
      await drain();
    }
  }
  if (opts.now > clock.now()) clock.set(opts.now);
  await drain();
  await refitBase(engine, opts.model);
  return { customers: opts.customers, events: all.length, responses, deliveries, from, to: opts.now };
}
