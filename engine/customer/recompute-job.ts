/**
 * The nightly full recomputation, streaming over the customer base in pages so memory stays bounded:
 *
 * 1. Fit: pages through every customer keeping only small summaries (base-fit.ts), refits BG/NBD and
 *    Gamma-Gamma and the RFM quintile boundaries, stores them in the `meta` table with their fit date and
 *    log-likelihoods, and installs them in the engine's customer model.
 * 2. Refresh: re-evaluates every profile at the engine's time through `engine.refreshCustomers`, which
 *    stores the new states and sends stage changes and churn signals through ingestion (so `stage`
 *    triggers and `churn_signal` event triggers start their journeys), one page per transaction.
 *
 * `restoreSnapshot` installs the stored fit when the engine opens, so facts that need the model (P(alive),
 * CLV, RFM scores) are right from the first request instead of after the first night.
 * `NightlyRecompute` schedules the job as a timer slot the engine's scheduler claims (03:00 every day by
 * default, in a configurable zone), so the engine's clock is its only clock and a night runs once.
 */
import { cronProblem } from "../schema/cron";
import { localZone } from "../runtime/recurring/timers";
import type { Engine } from "../runtime/engine";
import type { Store } from "../store/types";
import { BaseFitCollector } from "./base-fit";
import type { BaseFitOptions, BaseFitStats } from "./base-fit";
import type { BaseSnapshot, LifecycleModel } from "./engine-model";
import { emptyProfile } from "./profile";
import type { CustomerModel } from "./model/predict";
import type { RfmBoundaries } from "./rfm";
import type { CustomerProfile } from "./types";

/** The `meta` key the fit is stored under. */
export const SNAPSHOT_META_KEY = "customer.base_fit";

/** What the job stores: the fit, when it was made, and how. */
export interface StoredSnapshot {
  version: 1;
  /** The instant the fit describes (the job's `now`), ISO 8601. */
  fittedAt: string;
  model: CustomerModel | null;
  rfm: RfmBoundaries | null;
  /** The model's log-likelihoods over the whole base (null without a model). */
  logLik: { bgnbd: number; gammaGamma: number | null } | null;
  stats: BaseFitStats;
}

export interface RecomputeOptions extends Omit<BaseFitOptions, "previous"> {
  /** The instant the fit describes; default the engine's clock. The refresh always runs at the engine's clock. */
  now?: number;
  /** Customers per page (and per refresh transaction). Default 1000. */
  pageSize?: number;
  /** Start the optimiser from the installed model (default true). */
  warmStart?: boolean;
  /** Skip pass 2 (fit only). */
  fitOnly?: boolean;
  /** Called after each page of each pass. */
  onProgress?: (p: { phase: "fit" | "refresh"; customers: number }) => void;
}

export interface RecomputeResult {
  snapshot: StoredSnapshot;
  customers: number;
  /** Customers refreshed in pass 2. */
  refreshed: number;
  /** Events pass 2 emitted (stage changes and churn signals). */
  emitted: number;
  fitMs: number;
  refreshMs: number;
  totalMs: number;
}

const profileOf = (state: Record<string, unknown>): CustomerProfile =>
  state.version === 1 ? (state as unknown as CustomerProfile) : emptyProfile();

/** Lets timers and I/O run between pages, so the server keeps answering during the job. */
const breathe = (): Promise<void> => new Promise((ok) => setImmediate(ok));

export async function saveSnapshot(store: Store, snap: StoredSnapshot): Promise<void> {
  await store.setMeta(SNAPSHOT_META_KEY, JSON.stringify(snap));
}

export async function loadSnapshot(store: Store): Promise<StoredSnapshot | undefined> {
  const text = await store.getMeta(SNAPSHOT_META_KEY);
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as Partial<StoredSnapshot>;
    return v.version === 1 ? (v as StoredSnapshot) : undefined;
  } catch {
    return undefined;
  }
}

const toBase = (s: StoredSnapshot): BaseSnapshot => ({
  ...(s.model ? { model: s.model } : {}),
  ...(s.rfm ? { rfm: s.rfm } : {}),
});

/**
 * Installs the stored fit in the model (the server calls this when the engine opens). Returns the stored
 * snapshot, or undefined when no fit was stored yet (the model is left as it is).
 */
export async function restoreSnapshot(
  store: Store,
  model: LifecycleModel,
): Promise<StoredSnapshot | undefined> {
  const s = await loadSnapshot(store);
  if (s) model.setSnapshot(toBase(s));
  return s;
}

/**
 * Installs every fit another process stores from now on (a worker's nightly refit, on a multi-process
 * store), so API servers and the other workers evaluate the `customer` fact on the same fit. Returns the
 * unsubscribe function; on a store with one process there is nothing to follow.
 */
export async function followSnapshots(
  store: Store,
  model: LifecycleModel,
  onError: (err: unknown) => void = () => undefined,
): Promise<() => void> {
  if (!store.watchMeta) return () => undefined;
  return store.watchMeta((key) => {
    if (key === SNAPSHOT_META_KEY) restoreSnapshot(store, model).catch(onError);
  });
}

/** Pass 1 alone: pages through the base, fits, stores and installs the fit. */
export async function refitBase(
  engine: Engine,
  model: LifecycleModel,
  opts: RecomputeOptions = {},
): Promise<StoredSnapshot> {
  const now = opts.now ?? engine.clock.now();
  const pageSize = opts.pageSize ?? 1000;
  const previous = opts.warmStart === false ? undefined : model.snapshot().model;
  const collector = new BaseFitCollector(now, { ...opts, previous });
  for (let after: string | null = null; ;) {
    const page = await engine.store.scanCustomerStates(after, pageSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    for (const c of page) collector.add(profileOf(c.state));
    opts.onProgress?.({ phase: "fit", customers: collector.customers });
    await breathe();
  }
  const { snapshot, stats } = collector.finish();
  // A failed or impossible fit keeps the model in use rather than dropping it.
  const modelInUse = snapshot.model ?? (stats.buyers > 0 ? model.snapshot().model : undefined);
  const stored: StoredSnapshot = {
    version: 1,
    fittedAt: new Date(now).toISOString(),
    model: modelInUse ?? null,
    rfm: snapshot.rfm ?? null,
    logLik: modelInUse?.logLik ?? null,
    stats,
  };
  await saveSnapshot(engine.store, stored);
  model.setSnapshot(toBase(stored));
  return stored;
}

/** Pass 2 alone: re-evaluates every stored profile at the engine's time, emitting what changed. */
export async function refreshAll(
  engine: Engine,
  model: LifecycleModel,
  opts: Pick<RecomputeOptions, "pageSize" | "onProgress"> = {},
): Promise<{ refreshed: number; emitted: number }> {
  const pageSize = opts.pageSize ?? 1000;
  let refreshed = 0;
  let emitted = 0;
  for (let after: string | null = null; ;) {
    const ids = await engine.store.scanCustomerIds(after, pageSize);
    if (ids.length === 0) break;
    after = ids[ids.length - 1]!;
    // refreshCustomers reads each customer afresh inside its transaction; it needs the ids only.
    const page = ids.map((id) => ({ id, traits: {}, state: {}, createdAt: 0, updatedAt: 0 }));
    emitted += await engine.refreshCustomers(page, (state, now) => model.refresh(state, now));
    refreshed += page.length;
    opts.onProgress?.({ phase: "refresh", customers: refreshed });
    await breathe();
  }
  return { refreshed, emitted };
}

/** The full nightly recomputation: refit over the whole base, then refresh every profile. */
export async function recomputeAll(
  engine: Engine,
  model: LifecycleModel,
  opts: RecomputeOptions = {},
): Promise<RecomputeResult> {
  const t0 = performance.now();
  const snapshot = await refitBase(engine, model, opts);
  const t1 = performance.now();
  const r = opts.fitOnly ? { refreshed: 0, emitted: 0 } : await refreshAll(engine, model, opts);
  const t2 = performance.now();
  return {
    snapshot,
    customers: snapshot.stats.customers,
    refreshed: r.refreshed,
    emitted: r.emitted,
    fitMs: Math.round(t1 - t0),
    refreshMs: Math.round(t2 - t1),
    totalMs: Math.round(t2 - t0),
  };
}

export interface NightlyRecomputeOptions {
  /** A cron expression (node-cron syntax). Default "0 3 * * *": 03:00 every day. */
  schedule?: string;
  /** IANA time zone the schedule is read in (default: the process's zone). */
  timezone?: string;
  recompute?: RecomputeOptions;
  onDone?: (r: RecomputeResult) => void;
  onError?: (err: unknown) => void;
}

/** The timer kind of the nightly recompute. */
export const RECOMPUTE_KIND = "customer.recompute";

/** The nightly schedule of `recomputeAll`. Runs never overlap: a run still going when the next is due skips it. */
export class NightlyRecompute {
  readonly schedule: string;
  readonly timezone: string | undefined;
  private unregister: (() => void) | null = null;
  private current: Promise<RecomputeResult> | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly model: LifecycleModel,
    private readonly opts: NightlyRecomputeOptions = {},
  ) {
    this.schedule = opts.schedule ?? "0 3 * * *";
    this.timezone = opts.timezone;
    if (cronProblem(this.schedule, this.timezone) !== null)
      throw new Error(`invalid cron schedule ${JSON.stringify(this.schedule)}`);
  }

  /** Stores the next night's slot for the engine's scheduler (resolves once it is stored). */
  async start(): Promise<void> {
    if (this.unregister) return;
    this.unregister = await this.engine.timers.every(
      RECOMPUTE_KIND,
      this.schedule,
      this.timezone ?? localZone(),
      async () => {
        // A night still running when the next falls due skips it (reported through onError by runNow).
        if (this.current) return;
        await this.runNow().catch(() => undefined);
      },
    );
  }

  /** Runs the recomputation now (or joins the one in progress). */
  runNow(): Promise<RecomputeResult> {
    this.current ??= recomputeAll(this.engine, this.model, this.opts.recompute)
      .then(
        (r) => {
          this.opts.onDone?.(r);
          return r;
        },
        (err: unknown) => {
          this.opts.onError?.(err);
          throw err;
        },
      )
      .finally(() => {
        this.current = null;
      });
    return this.current;
  }

  get running(): boolean {
    return this.current !== null;
  }

  /** Stops scheduling and waits for a run in progress. */
  async stop(): Promise<void> {
    this.unregister?.();
    this.unregister = null;
    if (this.current) await this.current.catch(() => undefined);
  }
}
