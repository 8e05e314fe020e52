/**
 * The demo in motion: the generated customer base's last `days` days replayed through the engine in
 * virtual time with the demo's journeys live, so a fresh install opens on journeys that have entries,
 * deliveries, conversions and experiments with a verdict.
 *
 * Nothing here writes a result: history before the window is ingested as history (it enters no journey),
 * the journeys are published at the window's start, and from then on the engine does everything itself —
 * triggers, waits, splits, sends (recorded, never sent: the demo's addresses are made up) — driven by a
 * virtual clock by the engine's one `Driver` (runtime/driver.ts), as `rekindle simulate` is: due runs and the outbox at their exact times, the
 * audience schedules and the nightly refresh at theirs, the base's own events at theirs. The customers'
 * answers to what was sent come from the documented response model (response-model.ts) and go in as
 * ordinary events.
 */
import { defaultRegistry } from "../../actions/builtins";
import type { Delivery } from "../../actions/builtins";
import type { InputEvent } from "../../schema/events";
import type { Journey } from "../../schema/journey";
import { AudienceSchedules } from "../../runtime/audience-schedules";
import { ManualClock } from "../../runtime/clock";
import { Driver } from "../../runtime/driver";
import { Engine } from "../../runtime/engine";
import type { TemplateRenderer } from "../../runtime/template-renderer";
import type { Store } from "../../store/types";
import type { LifecycleModel } from "../engine-model";
import { RECOMPUTE_KIND, refitBase, refreshAll } from "../recompute-job";
import { SNAPSHOT_KIND, SNAPSHOT_SCHEDULE } from "../overview/daily-job";
import { takeSnapshot } from "../overview/snapshot";
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
  for (const j of opts.journeys) {
    await engine.createJourney(structuredClone(j.doc), j.id);
    await engine.publish(j.id);
    goals.set(j.id, (j.doc as Journey).settings?.goal?.event);
  }
  // Audience slots and the nightly job are timer rows, as in the live server, and the driver claims them. The
  // replay's nights are the nightly job's own slots doing its refresh (the refit runs once, at the end), so
  // the live server's job takes over from the next night's pending slot.
  const audience = new AudienceSchedules(engine);
  await audience.ready();
  const nightly = opts.nightly ?? { schedule: "0 3 * * *", timezone: "Asia/Shanghai" };
  const stopNights = await engine.timers.every(
    RECOMPUTE_KIND,
    nightly.schedule,
    nightly.timezone,
    async () => {
      await refreshAll(engine, opts.model);
    },
  );
  // The overview's daily snapshot is a timer kind too: each virtual day of the window stores its snapshot,
  // so the overview has the window's months of history on first start (the live job takes over after).
  const stopSnapshots = await engine.timers.every(
    SNAPSHOT_KIND,
    SNAPSHOT_SCHEDULE,
    nightly.timezone,
    async () => {
      await takeSnapshot(opts.store, opts.model, clock.now(), nightly.timezone);
    },
  );

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
  // Every drain round's sends are answered before the next round, so a response can start more work.
  const driver = new Driver(engine, { onWork: answer });

  for (;;) {
    const next = Math.min((await driver.nextDue()) ?? Infinity, queue.peekTime());
    if (next > opts.now) break;
    // Exactly the work due at `next` (and what it starts there): a response drawn now may fall before
    // anything later, so the loop looks again after each instant.
    await driver.runUntil(clock, next);
    if (next > clock.now()) clock.set(next);
    await driver.drain();
    // Events close together go in at once, at the last one's time (never past other work that is due).
    const limit = Math.min(clock.now() + GROUP_MS, (await driver.nextDue()) ?? Infinity);
    const group = queue.takeUntil(Math.max(clock.now(), limit), INGEST_CHUNK);
    if (group.length > 0) {
      const last = Date.parse(group[group.length - 1]!.timestamp);
      if (last > clock.now()) clock.set(last);
      await engine.ingest(group);
      await driver.drain();
    }
  }
  if (opts.now > clock.now()) clock.set(opts.now);
  await driver.drain();
  audience.stop();
  stopNights();
  stopSnapshots();
  await refitBase(engine, opts.model);
  return { customers: opts.customers, events: all.length, responses, deliveries, from, to: opts.now };
}
