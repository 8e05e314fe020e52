/**
 * Scenario-test harness: an engine on an in-memory SQLite store with a ManualClock, plus helpers to publish
 * documents, ingest events at the current virtual time, and move time forward the way `simulate` does
 * (to each next due time, draining ticks and deliveries at every instant).
 */
import { defaultRegistry } from "../../engine/actions/builtins";
import type { ActionRegistry } from "../../engine/actions/registry";
import type { RenderedContent } from "../../engine/actions/types";
import type { InputEvent } from "../../engine/schema/events";
import { SqliteStore } from "../../engine/store/sqlite/store";
import type { OutboxRow, RunRow, RunStatus, StepQuery, StepRow, Store } from "../../engine/store/types";
import { ManualClock } from "../../engine/runtime/clock";
import { Driver } from "../../engine/runtime/driver";
import { Engine } from "../../engine/runtime/engine";
import type { TemplateRenderer } from "../../engine/runtime/template-renderer";
import { lifecycleModel } from "../../engine/customer/engine-model";

export const SECOND = 1_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** 2026-03-02T00:00:00Z, a Monday. */
export const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);

/** A template library that knows every name and renders a small deterministic message. */
export const anyTemplate: TemplateRenderer = {
  has: () => true,
  render: (name, input): RenderedContent => ({
    channel: "email",
    subject: name,
    body: `${name} for ${String(input.customer.id)}`,
  }),
};

export interface HarnessOptions {
  start?: number;
  registry?: ActionRegistry;
  templates?: TemplateRenderer;
  lenientTemplates?: boolean;
}

export type Doc = Record<string, unknown>;

/** Where harnesses get their store: a private in-memory SQLite one, unless the contract suite swaps it. */
let openStore: () => Promise<Store> = () => Promise.resolve(SqliteStore.open(":memory:"));

/** Runs every harness opened from now on over stores from `open` (test/store-contract runs PostgreSQL). */
export function useHarnessStores(open: () => Promise<Store>): void {
  openStore = open;
}

export class Harness {
  private journeyCount = 0;
  /** The engine's one driver, in virtual time. */
  readonly driver: Driver;

  private constructor(
    readonly engine: Engine,
    readonly store: Store,
    readonly clock: ManualClock,
  ) {
    this.driver = new Driver(engine);
  }

  static async open(opts: HarnessOptions = {}): Promise<Harness> {
    const clock = new ManualClock(opts.start ?? T0);
    const store = await openStore();
    const engine = await Engine.open({
      model: lifecycleModel(),
      store,
      clock,
      registry: opts.registry ?? defaultRegistry(),
      templates: opts.templates ?? anyTemplate,
      ...(opts.lenientTemplates !== undefined ? { lenientTemplates: opts.lenientTemplates } : {}),
    });
    return new Harness(engine, store, clock);
  }

  get now(): number {
    return this.clock.now();
  }

  /** Creates a journey (or reuses `id`) and publishes `doc` as its next version; returns the journey id. */
  async publish(doc: Doc, id?: string): Promise<string> {
    const journeyId = id ?? `j${++this.journeyCount}`;
    if (!(await this.store.getJourney(journeyId))) await this.engine.createJourney(doc, journeyId);
    await this.engine.publish(journeyId, doc);
    return journeyId;
  }

  /** Ingests events as they are; returns their statuses. Does not drain. */
  ingest(events: readonly InputEvent[]) {
    return this.engine.ingest(events);
  }

  /** One track event stamped with `at` (default: now), then drains what is due now. */
  async track(
    userId: string,
    event: string,
    properties: Record<string, unknown> = {},
    opts: { at?: number; messageId?: string } = {},
  ) {
    const statuses = await this.engine.ingest([
      trackEvent(userId, event, properties, opts.at ?? this.now, opts),
    ]);
    await this.drain();
    return statuses;
  }

  async identify(userId: string, traits: Record<string, unknown>, at = this.now): Promise<void> {
    await this.engine.ingest([identifyEvent(userId, traits, at)]);
    await this.drain();
  }

  /** Ticks and dispatches at the current instant until nothing is left to do. */
  drain(): Promise<void> {
    return this.driver.drain();
  }

  /**
   * Moves the clock to `ms`, stopping at every due time on the way (like a scheduler that is never late)
   * and draining there. Runs due at `ms` itself are released.
   */
  async advanceTo(ms: number): Promise<void> {
    await this.drain();
    await this.driver.runUntil(this.clock, ms);
    if (ms > this.now) this.clock.set(ms);
    await this.drain();
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.now + ms);
  }

  /** Jumps the clock without running anything in between: the engine was down. */
  jumpTo(ms: number): void {
    this.clock.set(ms);
  }

  steps(q: StepQuery = {}): Promise<(StepRow & { id: number })[]> {
    return this.store.listSteps({ limit: 1_000_000, ...q });
  }

  runs(q: { journeyId?: string; customerId?: string; status?: RunStatus } = {}): Promise<RunRow[]> {
    return this.store.listRuns({ limit: 1_000_000, ...q });
  }

  async run(journeyId: string, customerId: string): Promise<RunRow> {
    const runs = await this.runs({ journeyId, customerId });
    if (runs.length !== 1) throw new Error(`expected one run of ${customerId}, found ${runs.length}`);
    return runs[0]!;
  }

  outbox(
    q: { customerId?: string; journeyId?: string; status?: OutboxRow["status"] } = {},
  ): Promise<OutboxRow[]> {
    return this.store.listOutbox({ limit: 1_000_000, ...q });
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

export function trackEvent(
  userId: string,
  event: string,
  properties: Record<string, unknown>,
  at: number,
  opts: { messageId?: string } = {},
): InputEvent {
  return {
    type: "track",
    userId,
    event,
    properties,
    timestamp: new Date(at).toISOString(),
    ...(opts.messageId !== undefined ? { messageId: opts.messageId } : {}),
  };
}

export function identifyEvent(userId: string, traits: Record<string, unknown>, at: number): InputEvent {
  return { type: "identify", userId, traits, timestamp: new Date(at).toISOString() };
}

// ---- document builders -------------------------------------------------------------------------

type NodeSpec = [id: string, type: string, data: Record<string, unknown>];
type EdgeSpec = [source: string, target: string, handle?: string];

/** A journey document from terse node and edge lists. */
export function journey(
  nodes: NodeSpec[],
  edges: EdgeSpec[],
  settings: Record<string, unknown> = {},
  name = "Test journey",
): Doc {
  return {
    schemaVersion: 1,
    name,
    settings,
    nodes: nodes.map(([id, type, data], i) => ({ id, type, position: { x: 0, y: i * 120 }, data })),
    edges: edges.map(([source, target, handle], i) => ({
      id: `e${i + 1}`,
      source,
      target,
      ...(handle !== undefined ? { sourceHandle: handle } : {}),
    })),
  };
}

export const eventTrigger = (event: string, where?: unknown): Record<string, unknown> => ({
  kind: "event",
  event,
  ...(where !== undefined ? { where } : {}),
});
export const manualTrigger = { kind: "manual" } as const;
/** An `add_tag` action's data. */
export const tag = (t: string): Record<string, unknown> => ({ action: "add_tag", params: { tag: t } });
export const waitFor = (duration: string): Record<string, unknown> => ({ kind: "duration", duration });
export const email = (template = "winback-coupon"): Record<string, unknown> => ({
  action: "email",
  template,
});
