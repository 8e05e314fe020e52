// Over 300 lines: the front door, one short delegating method per command and query of the engine; the work
// itself lives in the *-commands.ts modules beside it.
import { randomUUID } from "node:crypto";
import { basename } from "node:path";
import type { ActionRegistry } from "../actions/registry";
import type { ActionLogger } from "../actions/types";
import type { InputEvent } from "../schema/events";
import type {
  ClaimLanes,
  CustomerRow,
  JourneyRow,
  JourneyVersionRow,
  OutboxRow,
  RunRow,
  Store,
} from "../store/types";
import { entryKey } from "../store/types";
import { advanceRun } from "./advance";
import type { Clock } from "./clock";
import type { CompiledJourney } from "./compiled";
import { Committer } from "./commit";
import type { EngineCore } from "./core";
import { DeliveryRecorder } from "./delivery-recorder";
import type { CustomerStateModel } from "./customer-state-model";
import * as deliveries from "./delivery-commands";
import type { DeliveryResult } from "./dispatch";
import * as entries from "./entry-commands";
import type { EntryAnswer, Refresh } from "./entry-commands";
import { ingest } from "./ingest";
import type { IngestOptions, IngestStatus } from "./ingest";
import * as journeys from "./journey-commands";
import { LiveJourneys } from "./live-journeys";
import type { UnrunnableJourney } from "./live-journeys";
import * as ops from "./ops-commands";
import { publishCheck } from "./publish-check";
import type { PublishCheckOptions } from "./publish-check";
import { testSend } from "./test-send";
import type { PublishCheck, TestSendRequest, TestSendResult } from "../schema/publish-check";
import type { DeliveryRetryResult } from "./ops-commands";
import { Promotions } from "./promotions";
import { Timers } from "./recurring/timers";
import type { TemplateRenderer } from "./template-renderer";
import { noTemplates } from "./template-renderer";

export interface EngineOptions {
  store: Store;
  clock: Clock;
  registry: ActionRegistry;
  /** How customer state follows events and what the `customer` fact shows (engine/customer's lifecycle model). */
  model: CustomerStateModel;
  templates?: TemplateRenderer;
  log?: ActionLogger;
  /** Simulation: unknown templates record `rendered: null` instead of failing. */
  lenientTemplates?: boolean;
  /** Who holds the database while this engine runs, shown to a second one that is refused. */
  lockOwner?: string;
  /** How long a claimed batch is leased before another worker may take it over. */
  leaseMs?: number;
}

export { JourneyValidationError, NotFoundError } from "../errors";
export type { UnrunnableJourney } from "./live-journeys";
export type { DeliveryRetryResult } from "./ops-commands";

const defaultLockOwner = (): string =>
  [basename(process.argv[1] ?? "node"), ...process.argv.slice(2)].join(" ").slice(0, 200);

const silent: ActionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The journey engine's front: entry points (ingest, enter, audience) create and resume runs; `tick` advances
 * due runs in leased batches; the delivery methods serve the outbox's loop. Every transition commits its
 * steps, run changes and outbox rows in one transaction (commit.ts); the commands live one concern per file
 * (journey-, entry-, delivery-, ops-commands.ts). Time comes only from the injected clock.
 */
export class Engine {
  readonly store: Store;
  readonly clock: Clock;
  readonly registry: ActionRegistry;
  /** Recurring work (audience slots, the nightly recompute, housekeeping) as due rows; see recurring/timers.ts. */
  readonly timers: Timers;
  private readonly core: EngineCore;
  private readonly recorder: DeliveryRecorder;
  private readonly owner = randomUUID();
  private readonly leaseMs: number;
  private readonly lenient: boolean;

  private constructor(opts: EngineOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.registry = opts.registry;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.lenient = opts.lenientTemplates ?? false;
    const log = opts.log ?? silent;
    const live = new LiveJourneys(opts.store, log);
    this.core = {
      store: opts.store,
      clock: opts.clock,
      journeys: live,
      committer: new Committer(opts.store, opts.clock),
      deps: {
        store: opts.store,
        clock: opts.clock,
        registry: opts.registry,
        templates: opts.templates ?? noTemplates,
        model: opts.model,
        log,
        version: (id) => live.version(id),
        messageChannels: opts.registry.messageChannels(),
        lenientTemplates: this.lenient,
        promotions: new Promotions(opts.store),
      },
    };
    this.recorder = new DeliveryRecorder(this.core);
    this.timers = new Timers(this.core, (err, slot) =>
      log.error({ err, kind: slot.kind, key: slot.key, slot: slot.slot }, "recurring work failed"),
    );
  }

  /**
   * Opens the engine on a store, one engine per database: a store held by another live engine is refused
   * (`DatabaseLockedError`, and the store is closed); only then are leases left by a crashed process released.
   */
  static async open(opts: EngineOptions): Promise<Engine> {
    const engine = new Engine(opts);
    try {
      opts.store.lockForEngine?.(opts.lockOwner ?? defaultLockOwner());
    } catch (e) {
      await opts.store.close();
      throw e;
    }
    await opts.store.releaseAllLeases();
    // Work committed by other processes (API servers, other workers) wakes this one's loops too.
    await opts.store.watchDue?.((at) => engine.core.committer.emitDue(at));
    // A journey published, paused or resumed by another process changes this one's live set too.
    await opts.store.watchLive?.(() => {
      engine.core.journeys
        .reload()
        .catch((err: unknown) => (opts.log ?? silent).error({ err }, "reloading live journeys failed"));
    });
    await engine.core.journeys.reload();
    return engine;
  }

  get templates(): TemplateRenderer {
    return this.core.deps.templates;
  }
  get model(): CustomerStateModel {
    return this.core.deps.model;
  }

  /** Called with the due time whenever a commit schedules work, so a sleeping scheduler can wake early. */
  onDue(listener: (dueAt: number) => void): () => void {
    return this.core.committer.onDue(listener);
  }

  // ---- journeys (journey-commands.ts) ---------------------------------------------------------

  /** Checks a document as publishing would; an engine made for simulation only warns on unknown templates. */
  validate(doc: unknown, mode: "publish" | "simulate" = this.lenient ? "simulate" : "publish") {
    return journeys.validate(this.core, doc, mode);
  }
  createJourney(doc: unknown, id?: string): Promise<JourneyRow> {
    return journeys.createJourney(this.core, doc, id);
  }
  /** Saves a journey's draft (autosave: drafts may be invalid); the draft's name, when it has one, names the journey. */
  saveDraft(journeyId: string, doc: Record<string, unknown>): Promise<JourneyRow> {
    return journeys.saveDraft(this.core, journeyId, doc);
  }
  /** Publishes the draft (or the given document) as a new immutable version and makes it live. */
  publish(journeyId: string, doc?: unknown, pins: Record<string, unknown> = {}): Promise<JourneyVersionRow> {
    return journeys.publish(this.core, this.lenient ? "simulate" : "publish", journeyId, doc, pins);
  }
  pause(journeyId: string): Promise<void> {
    return journeys.setStatus(this.core, journeyId, "paused", ["live"]);
  }
  async resume(journeyId: string): Promise<void> {
    await journeys.setStatus(this.core, journeyId, "live", ["paused"]);
    const next = await this.store.nextDueAt();
    if (next !== null) this.core.committer.emitDue(next);
  }
  archive(journeyId: string): Promise<void> {
    return journeys.setStatus(this.core, journeyId, "archived", ["draft", "live", "paused"]);
  }

  /**
   * Before publishing the draft: each trigger's audience now (or its stated proxy), next fire times, live
   * journeys sharing a trigger, and the diff against the live version (publish-check.ts). Reads only.
   */
  publishCheck(journeyId: string, opts?: PublishCheckOptions): Promise<PublishCheck> {
    return publishCheck(this.core, journeyId, opts);
  }
  /** Sends one message step of the draft to one customer or address now, outside any run (test-send.ts). */
  testSend(journeyId: string, req: TestSendRequest): Promise<TestSendResult> {
    return testSend(this.core, journeyId, req);
  }

  /** The compiled journey version a run is pinned to (cached; versions are immutable). */
  version(versionId: number): Promise<CompiledJourney> {
    return this.core.journeys.version(versionId);
  }
  /** Called whenever the set of live journey versions changes (publish, pause, resume, archive). */
  onLiveChanged(listener: (live: readonly CompiledJourney[]) => void): () => void {
    return this.core.journeys.onChanged(listener);
  }
  live(): readonly CompiledJourney[] {
    return this.core.journeys.live();
  }
  /** Live journeys skipped because their version cannot be compiled (shown by the API and the health check). */
  unrunnable(): readonly UnrunnableJourney[] {
    return this.core.journeys.unrunnable();
  }

  // ---- entry points (ingest.ts, entry-commands.ts) ------------------------------------------

  /** Applies events in order; each is `accepted` or a `duplicate` of an earlier messageId. */
  ingest(events: readonly InputEvent[], opts: IngestOptions = {}): Promise<IngestStatus[]> {
    if (events.length === 0) return Promise.resolve([]);
    return this.core.committer.transition(async (batch) => {
      // Several API servers may ingest one customer's events at once: each batch holds its customers' locks
      // from its first read to its commit, so their events apply one batch after the other, never interleaved.
      await this.core.committer.lockCustomers([...new Set(events.map((e) => String(e.userId)))]);
      return ingest(events, batch, this.core.deps, this.core.journeys, opts);
    });
  }
  /** Manual entry: enters known customers through the journey's manual (or first) trigger. */
  enter(journeyId: string, customerIds: readonly string[]): Promise<EntryAnswer[]> {
    return entries.enter(this.core, journeyId, customerIds);
  }
  /** An audience trigger's schedule fired: enters every customer matching its conditions. */
  fireAudience(journeyId: string, nodeId: string): Promise<number> {
    return entries.fireAudience(this.core, journeyId, nodeId);
  }
  /**
   * "Run now": queues a slot of a live journey's audience trigger due at once; the scheduler fires it (the
   * process's `AudienceSchedules`), as it fires scheduled slots.
   */
  queueAudienceRun(journeyId: string, nodeId: string): Promise<{ nodeId: string; dueAt: number }> {
    return entries.queueAudienceRun(this.core, journeyId, nodeId);
  }
  /** The nightly refresh of one page of customers (see entry-commands.ts). */
  refreshCustomers(page: readonly CustomerRow[], refresh: Refresh): Promise<number> {
    return entries.refreshCustomers(this.core, page, refresh);
  }

  // ---- scheduler work ------------------------------------------------------------------------

  /** Claims up to `limit` due runs and advances each until it waits, acts or ends. Returns how many. */
  tick(limit = 500): Promise<number> {
    return this.core.committer.transition(async (batch) => {
      let runs = await this.store.claimDueRuns(batch.now, limit, batch.now + this.leaseMs, this.owner);
      if (runs.length === 0) return 0;
      if (this.store.heldRuns) {
        // Another process may have ingested for these customers between the claim and now: lock them, then
        // advance only the runs no commit touched since the claim (a touched one is due again, re-read).
        await this.core.committer.lockCustomers([...new Set(runs.map((r) => r.customerId))]);
        runs = await this.store.heldRuns(
          runs.map((r) => r.id),
          this.owner,
        );
      }
      const ids = [...new Set(runs.map((r) => r.customerId))];
      const customers = await this.store.getCustomers(ids);
      // One read for the batch's consent instead of one per message step (a round trip each on PostgreSQL).
      if (this.store.suppressedChannelsOf) batch.suppressions = await this.store.suppressedChannelsOf(ids);
      for (const [id, c] of customers) if (!batch.customers.has(id)) batch.customers.set(id, c);
      for (const run of runs) {
        let c = batch.customers.get(run.customerId);
        if (!c) {
          c = { id: run.customerId, traits: {}, state: {}, createdAt: batch.now, updatedAt: batch.now };
          batch.customers.set(c.id, c);
        }
        await advanceRun(run, c, batch, this.core.deps);
      }
      return runs.length;
    });
  }
  /** The next instant a run is due (timer slots: `timers.nextAt()`). */
  nextDueAt(): Promise<number | null> {
    return this.store.nextDueAt();
  }

  // ---- the outbox (delivery-commands.ts) -----------------------------------------------------

  /** Delivers up to `limit` due outbox rows, `concurrency` at a time (see delivery-commands.ts). */
  dispatch(limit = 200, concurrency = 16, timeoutMs = 30_000): Promise<number> {
    return deliveries.dispatch(this.core, limit, concurrency, timeoutMs);
  }
  claimDeliveries(limit: number, timeoutMs: number, lanes?: ClaimLanes): Promise<OutboxRow[]> {
    return deliveries.claimDeliveries(this.core, limit, timeoutMs, lanes);
  }
  sendDelivery(row: OutboxRow, timeoutMs: number): Promise<DeliveryResult> {
    return deliveries.sendDelivery(this.core, row, timeoutMs);
  }
  /** Commits a send's result; results returning together are committed together (delivery-recorder.ts). */
  recordDelivery(row: OutboxRow, result: DeliveryResult): Promise<void> {
    return this.recorder.record(row, result);
  }
  deferDeliveries(rows: readonly OutboxRow[], until: number): Promise<void> {
    return deliveries.deferDeliveries(this.core, rows, until);
  }
  nextDeliveryAt(): Promise<number | null> {
    return this.store.nextOutboxDueAt();
  }

  // ---- ops (ops-commands.ts) -----------------------------------------------------------------

  /** Ops: puts a failed run back on the node where it failed (same visit, so the same idempotency key). */
  retryRun(runId: number): Promise<RunRow> {
    return ops.retryRun(this.core, runId);
  }
  /** Ops: sends a failed delivery again with the same idempotency key. */
  retryDelivery(key: string): Promise<OutboxRow> {
    return ops.retryDelivery(this.core, key);
  }
  /** Ops: retries many failed deliveries, answering for each whether it was requeued or why not. */
  retryDeliveries(keys: readonly string[]): Promise<DeliveryRetryResult[]> {
    return ops.retryDeliveries(this.core, keys);
  }

  async close(): Promise<void> {
    await this.core.committer.mutex.run(() => this.store.close());
  }
}

export { entryKey };
