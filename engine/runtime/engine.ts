import { randomUUID } from "node:crypto";
import { basename } from "node:path";
import type { ActionRegistry } from "../actions/registry";
import type { ActionLogger } from "../actions/types";
import type { InputEvent } from "../schema/events";
import type { Journey } from "../schema/journey";
import type { ValidationIssue } from "../schema/issues";
import { validateJourney } from "../schema/validate";
import { ConflictError, JourneyValidationError, NotFoundError } from "../errors";
import type {
  CustomerRow,
  JourneyRow,
  JourneyVersionRow,
  OutboxRow,
  RunRow,
  Store,
  WriteSet,
} from "../store/types";
import { entryKey } from "../store/types";
import { advanceRun } from "./advance";
import { Batch } from "./batch";
import type { Clock } from "./clock";
import { compileJourney } from "./compiled";
import type { CompiledJourney } from "./compiled";
import type { CustomerModel } from "./customer-model";
import { lifecycleModel } from "../customer/engine-model";
import type { EngineDeps } from "./deps";
import { executeDelivery, recordDeliveries } from "./dispatch";
import type { DeliveryResult } from "./dispatch";
import { EntryBook } from "./entry";
import { factsFor } from "./facts";
import { ingest } from "./ingest";
import type { IngestOptions, IngestStatus } from "./ingest";
import { Mutex } from "./mutex";
import { Promotions } from "./promotions";
import type { TemplateRenderer } from "./template-renderer";
import { noTemplates } from "./template-renderer";

export interface EngineOptions {
  store: Store;
  clock: Clock;
  registry: ActionRegistry;
  templates?: TemplateRenderer;
  model?: CustomerModel;
  log?: ActionLogger;
  /** Simulation: unknown templates record `rendered: null` instead of failing. */
  lenientTemplates?: boolean;
  /** Who holds the database while this engine runs, shown to a second one that is refused. */
  lockOwner?: string;
  /** How long a claimed batch is leased before another worker may take it over. */
  leaseMs?: number;
}

export { JourneyValidationError, NotFoundError } from "../errors";

/** A live journey whose stored version cannot be compiled, so it is not running. */
/** One delivery of a bulk retry: requeued (with its status now), or why it was not. */
export type DeliveryRetryResult =
  { key: string; ok: true; status: OutboxRow["status"] } | { key: string; ok: false; error: string };

export interface UnrunnableJourney {
  journeyId: string;
  versionId: number;
  message: string;
}

const errorMessage = (e: unknown): string =>
  e instanceof RangeError
    ? "the journey is nested too deeply to compile"
    : e instanceof Error
      ? e.message
      : String(e);

function compileProblemOf(
  journey: Journey,
  journeyId: string,
  pins: Record<string, unknown>,
): ValidationIssue | null {
  try {
    compileJourney(journey, { journeyId, versionId: 0, version: 0, pins });
    return null;
  } catch (e) {
    return {
      path: "",
      code: "journey.uncompilable",
      params: { reason: errorMessage(e) },
      message: `the journey cannot be compiled: ${errorMessage(e)}`,
    };
  }
}

const defaultLockOwner = (): string =>
  [basename(process.argv[1] ?? "node"), ...process.argv.slice(2)].join(" ").slice(0, 200);

const silent: ActionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The journey engine. Entry points (ingest, enter, audience) create and resume runs; `tick` advances due runs
 * in leased batches; `dispatch` delivers the outbox. Every transition commits its steps, run changes and
 * outbox rows in one transaction. Time comes only from the injected clock.
 */
export class Engine {
  readonly store: Store;
  readonly clock: Clock;
  readonly registry: ActionRegistry;
  private readonly deps: EngineDeps;
  private readonly mutex = new Mutex();
  private readonly versions = new Map<number, Promise<CompiledJourney>>();
  private liveJourneys: CompiledJourney[] = [];
  private unrunnableJourneys: UnrunnableJourney[] = [];
  private readonly owner = randomUUID();
  private readonly leaseMs: number;
  private readonly dueListeners = new Set<(dueAt: number) => void>();
  private readonly liveListeners = new Set<(live: readonly CompiledJourney[]) => void>();

  private constructor(opts: EngineOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.registry = opts.registry;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.deps = {
      store: opts.store,
      clock: opts.clock,
      registry: opts.registry,
      templates: opts.templates ?? noTemplates,
      model: opts.model ?? lifecycleModel(),
      log: opts.log ?? silent,
      version: (id) => this.version(id),
      messageChannels: opts.registry.messageChannels(),
      lenientTemplates: opts.lenientTemplates ?? false,
      promotions: new Promotions(opts.store),
    };
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
    await engine.reloadLive();
    return engine;
  }

  get templates(): TemplateRenderer {
    return this.deps.templates;
  }
  get model(): CustomerModel {
    return this.deps.model;
  }

  /** Called with the due time whenever a commit schedules work, so a sleeping scheduler can wake early. */
  onDue(listener: (dueAt: number) => void): () => void {
    this.dueListeners.add(listener);
    return () => this.dueListeners.delete(listener);
  }

  // ---- journeys ------------------------------------------------------------------------------

  /** Checks a document as publishing would; an engine made for simulation only warns on unknown templates. */
  validate(doc: unknown, mode: "publish" | "simulate" = this.deps.lenientTemplates ? "simulate" : "publish") {
    return validateJourney(doc, {
      actions: this.registry.info,
      templates: this.deps.templates,
      unknownTemplates: mode === "simulate" ? "warning" : "error",
    });
  }

  async createJourney(doc: unknown, id: string = randomUUID()): Promise<JourneyRow> {
    const name =
      typeof doc === "object" && doc !== null && typeof (doc as { name?: unknown }).name === "string"
        ? (doc as { name: string }).name
        : "Untitled journey";
    const now = this.clock.now();
    const row: JourneyRow = {
      id,
      name,
      status: "draft",
      draft: doc,
      liveVersionId: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.createJourney(row);
    return row;
  }

  /** Saves a journey's draft (autosave: drafts may be invalid); the draft's name, when it has one, names the journey. */
  async saveDraft(journeyId: string, doc: Record<string, unknown>): Promise<JourneyRow> {
    const j = await this.store.getJourney(journeyId);
    if (!j) throw new NotFoundError(`journey ${journeyId}`);
    if (j.status === "archived") throw new ConflictError("an archived journey cannot be edited");
    const name = typeof doc.name === "string" && doc.name.trim() !== "" ? doc.name : j.name;
    const row: JourneyRow = { ...j, draft: doc, name, updatedAt: this.clock.now() };
    await this.store.updateJourney(row);
    return row;
  }

  /** Publishes the draft (or the given document) as a new immutable version and makes it live. */
  async publish(
    journeyId: string,
    doc?: unknown,
    pins: Record<string, unknown> = {},
  ): Promise<JourneyVersionRow> {
    return this.mutex.run(async () => {
      const row = await this.store.getJourney(journeyId);
      if (!row) throw new NotFoundError(`journey ${journeyId}`);
      const source = doc ?? row.draft;
      const result = this.validate(source);
      if (!result.ok) throw new JourneyValidationError(result.issues);
      // Compiled before anything is stored: a version that cannot run must never become live.
      const compileProblem = compileProblemOf(result.journey, journeyId, pins);
      if (compileProblem) throw new JourneyValidationError([compileProblem]);
      const now = this.clock.now();
      if (doc !== undefined)
        await this.store.updateJourney({ ...row, draft: doc, name: result.journey.name, updatedAt: now });
      const version = await this.store.publishVersion(journeyId, result.journey, pins, now);
      await this.reloadLive();
      return version;
    });
  }

  async pause(journeyId: string): Promise<void> {
    await this.setStatus(journeyId, "paused", ["live"]);
  }
  async resume(journeyId: string): Promise<void> {
    await this.setStatus(journeyId, "live", ["paused"]);
    const next = await this.store.nextDueAt();
    if (next !== null) this.emitDue(next);
  }
  async archive(journeyId: string): Promise<void> {
    await this.setStatus(journeyId, "archived", ["draft", "live", "paused"]);
  }
  private async setStatus(
    journeyId: string,
    status: JourneyRow["status"],
    from: JourneyRow["status"][],
  ): Promise<void> {
    await this.mutex.run(async () => {
      const row = await this.store.getJourney(journeyId);
      if (!row) throw new NotFoundError(`journey ${journeyId}`);
      if (!from.includes(row.status))
        throw new ConflictError(`cannot make a ${row.status} journey ${status}`);
      await this.store.setJourneyStatus(journeyId, status, this.clock.now());
      await this.reloadLive();
    });
  }

  /** The compiled journey version a run is pinned to (cached; versions are immutable). */
  version(versionId: number): Promise<CompiledJourney> {
    let p = this.versions.get(versionId);
    if (!p) {
      p = this.store.getVersion(versionId).then((v) => {
        if (!v) throw new NotFoundError(`journey version ${versionId}`);
        return compileJourney(v.doc as Journey, {
          journeyId: v.journeyId,
          versionId: v.id,
          version: v.version,
          pins: v.pins,
        });
      });
      p.catch(() => this.versions.delete(versionId));
      this.versions.set(versionId, p);
    }
    return p;
  }

  /**
   * Compiles every live journey. One that cannot compile (stored before publishing compiled first, or by
   * hand) is skipped and reported rather than stopping the engine: the others keep running.
   */
  private async reloadLive(): Promise<void> {
    const rows = await this.store.listJourneys();
    const live: CompiledJourney[] = [];
    const unrunnable: UnrunnableJourney[] = [];
    for (const r of rows) {
      if (r.status !== "live" || r.liveVersionId === null) continue;
      try {
        live.push(await this.version(r.liveVersionId));
      } catch (e) {
        const problem = { journeyId: r.id, versionId: r.liveVersionId, message: errorMessage(e) };
        this.deps.log.error(problem, "a live journey cannot be compiled; it is not running");
        unrunnable.push(problem);
      }
    }
    this.liveJourneys = live;
    this.unrunnableJourneys = unrunnable;
    for (const l of this.liveListeners) l(live);
  }

  /** Called whenever the set of live journey versions changes (publish, pause, resume, archive). */
  onLiveChanged(listener: (live: readonly CompiledJourney[]) => void): () => void {
    this.liveListeners.add(listener);
    return () => this.liveListeners.delete(listener);
  }

  live(): readonly CompiledJourney[] {
    return this.liveJourneys;
  }

  /** Live journeys skipped because their version cannot be compiled (shown by the API and the health check). */
  unrunnable(): readonly UnrunnableJourney[] {
    return this.unrunnableJourneys;
  }

  // ---- entry points --------------------------------------------------------------------------

  /** Applies events in order; each is `accepted` or a `duplicate` of an earlier messageId. */
  ingest(events: readonly InputEvent[], opts: IngestOptions = {}): Promise<IngestStatus[]> {
    if (events.length === 0) return Promise.resolve([]);
    return this.transition(async (batch) => ingest(events, batch, this.deps, this, opts));
  }

  /** Manual entry: enters known customers through the journey's manual (or first) trigger. */
  enter(
    journeyId: string,
    customerIds: readonly string[],
  ): Promise<{ customerId: string; runId: number | null; reason: string | null }[]> {
    return this.transition(async (batch) => {
      const cj = this.liveJourneys.find((j) => j.journeyId === journeyId);
      if (!cj) throw new NotFoundError(`live journey ${journeyId}`);
      const trigger = cj.manualTriggers[0] ?? cj.doc.nodes.find((n) => n.type === "trigger");
      if (!trigger || trigger.type !== "trigger")
        throw new ConflictError(`journey ${journeyId} has no trigger`);
      const ids = [...new Set(customerIds)];
      const customers = await this.store.getCustomers(ids);
      const book = new EntryBook(
        await this.store.activeRunsOf(ids),
        await this.store.getEntries(ids.map((customerId) => ({ journeyId, customerId }))),
      );
      const out: { customerId: string; runId: number | null; reason: string | null }[] = [];
      for (const id of customerIds) {
        if (!customers.has(id)) {
          out.push({ customerId: id, runId: null, reason: "unknown_customer" });
          continue;
        }
        const refusal = book.refusal(cj, id, batch.now, batch);
        const run = refusal === null ? await book.enter(cj, trigger, id, undefined, batch, this.deps) : null;
        out.push({ customerId: id, runId: run?.id ?? null, reason: refusal });
      }
      return out;
    });
  }

  /** An audience trigger's schedule fired: enters every customer matching its conditions. */
  async fireAudience(journeyId: string, nodeId: string): Promise<number> {
    const cj = this.liveJourneys.find((j) => j.journeyId === journeyId);
    const cn = cj?.nodes.get(nodeId);
    if (!cj || !cn || cn.node.type !== "trigger" || cn.node.data.kind !== "audience") {
      throw new NotFoundError(`audience trigger ${nodeId} of live journey ${journeyId}`);
    }
    const trigger = cn.node;
    let entered = 0;
    let after: string | null = null;
    for (;;) {
      const page = await this.store.scanCustomers(after, 1000);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      entered += await this.transition(async (batch) => {
        const ids = page.map((c) => c.id);
        const book = new EntryBook(
          await this.store.activeRunsOf(ids),
          await this.store.getEntries(ids.map((customerId) => ({ journeyId, customerId }))),
        );
        let n = 0;
        for (const c of page) {
          if (book.refusal(cj, c.id, batch.now, batch) !== null) continue;
          const customer = this.deps.model.fact(c, batch.now);
          const facts = await factsFor(cn.condition!, this.store, customer, null, undefined, batch.now);
          if (!cn.condition!.test(facts)) continue;
          if (await book.enter(cj, trigger, c.id, undefined, batch, this.deps)) n++;
        }
        return n;
      });
    }
    return entered;
  }

  /**
   * Re-evaluates computed state as time passes for one page of customers (the nightly refresh): stores each
   * new state and sends what the model emits (stage changes, churn signals) through ingestion, at once.
   */
  refreshCustomers(
    page: readonly CustomerRow[],
    refresh: (
      state: Record<string, unknown>,
      now: number,
    ) => { state: Record<string, unknown>; emitted: { name: string; properties: Record<string, unknown> }[] },
  ): Promise<number> {
    return this.transition(async (batch) => {
      const emitted: InputEvent[] = [];
      const fresh = await this.store.getCustomers(page.map((c) => c.id));
      for (const c of fresh.values()) {
        const r = refresh(c.state, batch.now);
        c.state = r.state;
        c.updatedAt = batch.now;
        batch.setCustomer(c);
        const timestamp = new Date(batch.now).toISOString();
        for (const e of r.emitted)
          emitted.push({ type: "track", userId: c.id, event: e.name, properties: e.properties, timestamp });
      }
      if (emitted.length > 0) await ingest(emitted, batch, this.deps, this);
      return emitted.length;
    });
  }

  // ---- scheduler work ------------------------------------------------------------------------

  /** Claims up to `limit` due runs and advances each until it waits, acts or ends. Returns how many. */
  tick(limit = 500): Promise<number> {
    return this.transition(async (batch) => {
      const runs = await this.store.claimDueRuns(batch.now, limit, batch.now + this.leaseMs, this.owner);
      if (runs.length === 0) return 0;
      const customers = await this.store.getCustomers([...new Set(runs.map((r) => r.customerId))]);
      for (const [id, c] of customers) if (!batch.customers.has(id)) batch.customers.set(id, c);
      for (const run of runs) {
        let c = batch.customers.get(run.customerId);
        if (!c) {
          c = { id: run.customerId, traits: {}, state: {}, createdAt: batch.now, updatedAt: batch.now };
          batch.customers.set(c.id, c);
        }
        await advanceRun(run, c, batch, this.deps);
      }
      return runs.length;
    });
  }

  /**
   * Delivers up to `limit` due outbox rows, `concurrency` at a time, committing each result as soon as its
   * send returns: a crash repeats at most the `concurrency` sends in flight, never finished ones. Returns how
   * many were attempted. The live server uses the `Dispatcher` loop instead, which never blocks the scheduler.
   */
  async dispatch(limit = 200, concurrency = 16, timeoutMs = 30_000): Promise<number> {
    const rows = await this.claimDeliveries(limit, timeoutMs);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < rows.length) {
        const row = rows[next++]!;
        await this.recordDelivery(row, await executeDelivery(row, this.deps, timeoutMs));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
    return rows.length;
  }

  /** Leases up to `limit` due deliveries for long enough that a send bounded by `timeoutMs` finishes first. */
  claimDeliveries(limit: number, timeoutMs: number): Promise<OutboxRow[]> {
    if (limit <= 0) return Promise.resolve([]);
    return this.mutex.run(() => {
      const now = this.clock.now();
      return this.store.claimOutbox(now, limit, now + timeoutMs * 2);
    });
  }

  /** Sends one claimed delivery (never throws; the send is bounded by `timeoutMs`). */
  sendDelivery(row: OutboxRow, timeoutMs: number): Promise<DeliveryResult> {
    return executeDelivery(row, this.deps, timeoutMs);
  }

  /** Commits one delivery's result in its own small transaction, moving a run that waited on it. */
  recordDelivery(row: OutboxRow, result: DeliveryResult): Promise<void> {
    return this.transition<void>(async (batch) => {
      const updates = await recordDeliveries([{ row, result }], batch, this.deps);
      return { extra: { outboxUpdates: updates } };
    });
  }

  /** Hands claimed but unsent deliveries back, due again at `until`, as if never claimed. */
  deferDeliveries(rows: readonly OutboxRow[], until: number): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.mutex.run(() =>
      this.store.commit({
        outboxUpdates: rows.map((r) => ({
          idempotencyKey: r.idempotencyKey,
          status: r.attempts > 1 ? "retry" : "pending",
          attempts: r.attempts - 1,
          nextAttemptAt: until,
          deliveredAt: null,
          response: r.response,
          error: r.error,
        })),
      }),
    );
  }

  nextDeliveryAt(): Promise<number | null> {
    return this.store.nextOutboxDueAt();
  }

  /** Ops: puts a failed run back on the node where it failed (same visit, so the same idempotency key). */
  retryRun(runId: number): Promise<RunRow> {
    return this.transition(async (batch) => {
      const run = await this.store.getRun(runId);
      if (!run) throw new NotFoundError(`run ${runId}`);
      if (run.status !== "failed") throw new ConflictError(`run ${runId} is ${run.status}, not failed`);
      const others = await this.store.activeRunsOf([run.customerId]);
      if (others.some((r) => r.journeyId === run.journeyId))
        throw new ConflictError(`customer ${run.customerId} already has an active run in this journey`);
      const delivery = (
        await this.store.listOutbox({ customerId: run.customerId, journeyId: run.journeyId })
      ).find(
        (o) =>
          o.runId === run.id &&
          o.nodeId === run.nodeId &&
          o.visit === (run.visits[run.nodeId] ?? 1) &&
          o.status === "failed",
      );
      run.status = delivery ? "acting" : "ready";
      run.outcome = null;
      run.endedAt = null;
      run.port = null;
      run.dueAt = delivery ? null : batch.now;
      batch.log(run, {
        nodeId: run.nodeId,
        nodeType: "action",
        visit: run.visits[run.nodeId] ?? 1,
        at: batch.now,
        dueAt: null,
        port: null,
        outcome: "retried",
        reason: "ops",
        detail: null,
      });
      batch.touchRun(run);
      if (delivery) {
        return {
          value: run,
          extra: {
            outboxUpdates: [
              {
                idempotencyKey: delivery.idempotencyKey,
                status: "pending",
                attempts: 0,
                nextAttemptAt: batch.now,
                deliveredAt: null,
                response: null,
                error: null,
              },
            ],
          },
        };
      }
      return run;
    });
  }

  /**
   * Ops: sends a failed delivery again with the same idempotency key. When its run failed on it, the run is
   * retried (which requeues the delivery); when the run already went on through its failed port, nothing.
   */
  async retryDelivery(key: string): Promise<OutboxRow> {
    const o = await this.store.getOutbox(key);
    if (!o) throw new NotFoundError(`delivery ${key}`);
    if (o.status !== "failed") throw new ConflictError(`delivery ${key} is ${o.status}, not failed`);
    const run = await this.store.getRun(o.runId);
    if (run && run.status === "failed" && run.nodeId === o.nodeId) await this.retryRun(run.id);
    else if (o.resumesRun)
      throw new ConflictError(
        `run ${o.runId} already went on through its failed port; retry the run instead`,
      );
    else
      await this.transition(async () => {
        const now = await this.store.getOutbox(key);
        // Re-read under the lock: the delivery may have been retried since.
        if (now?.status !== "failed") return undefined;
        return {
          extra: {
            outboxUpdates: [
              {
                idempotencyKey: key,
                status: "pending" as const,
                attempts: 0,
                nextAttemptAt: this.clock.now(),
                deliveredAt: now.deliveredAt,
                response: now.response,
                error: null,
              },
            ],
          },
        };
      });
    return (await this.store.getOutbox(key))!;
  }

  /**
   * Ops: retries many failed deliveries, one at a time (each as `retryDelivery`). One that cannot be retried
   * (not found, not failed, its run went on) is answered with why; the others are retried all the same.
   */
  async retryDeliveries(keys: readonly string[]): Promise<DeliveryRetryResult[]> {
    const results: DeliveryRetryResult[] = [];
    for (const key of new Set(keys)) {
      try {
        const row = await this.retryDelivery(key);
        results.push({ key, ok: true, status: row.status });
      } catch (e) {
        if (!(e instanceof NotFoundError || e instanceof ConflictError)) throw e;
        results.push({ key, ok: false, error: e.message });
      }
    }
    return results;
  }

  nextDueAt(): Promise<number | null> {
    return this.store.nextDueAt();
  }

  async close(): Promise<void> {
    await this.mutex.run(() => this.store.close());
  }

  // ---- internals -----------------------------------------------------------------------------

  /**
   * Runs `fn` under the engine's lock with a fresh batch, then commits the batch in one transaction.
   * `fn` may return `{ value, extra }` to add writes that are not in the batch.
   */
  private transition<T>(
    fn: (batch: Batch) => Promise<T | { value?: T; extra: Partial<WriteSet> }>,
  ): Promise<T> {
    return this.mutex.run(async () => {
      const batch = new Batch(this.clock.now());
      const out = await fn(batch);
      const wrapped = typeof out === "object" && out !== null && "extra" in out;
      const writes = { ...batch.writes(), ...(wrapped ? (out as { extra: object }).extra : {}) };
      await this.store.commit(writes);
      let earliest = Infinity;
      for (const r of batch.newRuns) if (r.dueAt !== null && r.dueAt < earliest) earliest = r.dueAt;
      for (const r of batch.updatedRuns.values())
        if (r.dueAt !== null && r.dueAt < earliest) earliest = r.dueAt;
      if (batch.outbox.length > 0) earliest = Math.min(earliest, batch.now);
      if (earliest !== Infinity) this.emitDue(earliest);
      return (wrapped ? (out as { value?: T }).value : out) as T;
    });
  }

  private emitDue(at: number): void {
    for (const l of this.dueListeners) l(at);
  }
}

export { entryKey };
