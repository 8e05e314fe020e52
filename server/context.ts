import pino from "pino";
import type { Logger } from "pino";
import { defaultRegistry } from "../engine/actions/builtins/index";
import type { ActionRegistry } from "../engine/actions/registry";
import type { Clock } from "../engine/runtime/clock";
import { systemClock } from "../engine/runtime/clock";
import { Engine } from "../engine/runtime/engine";
import { SqliteStore } from "../engine/store/sqlite/store";
import { loadTemplateLibrary } from "../engine/templates/index";
import type { TemplateLibrary } from "../engine/templates/index";
import { RateLimiter, WriteKeyCache } from "./auth";
import { lifecycleModel } from "../engine/customer/engine-model";
import type { LifecycleModel } from "../engine/customer/engine-model";
import { libraryRenderer } from "../engine/templates/engine-renderer";
import { Ingester } from "./ingester";
import { Metrics } from "./metrics";
import { ServerStore } from "./store/server-store";

export interface ServerOptions {
  /** SQLite file, or ":memory:". */
  dbFile: string;
  clock?: Clock;
  log?: Logger;
  logLevel?: string;
  registry?: ActionRegistry;
  templates?: TemplateLibrary;
  /** Ingestion rate limit per write key (events per second, burst). */
  ingestRate?: { rate: number; burst: number };
  /** Allowed CORS origins ("*" for any); default: same origin only plus localhost dev servers. */
  corsOrigins?: readonly string[] | "*";
  /** scrypt cost for new password hashes (tests lower it). */
  kdfCost?: number;
  /** Directory of the built builder UI, served with an SPA fallback when it exists. */
  uiDir?: string;
  /** Events per engine transaction for ingestion. */
  ingestGroup?: number;
}

/** Everything a request handler needs. One per process (one engine per database). */
export interface ServerContext {
  engine: Engine;
  store: SqliteStore;
  srv: ServerStore;
  templates: TemplateLibrary;
  registry: ActionRegistry;
  /** The customer-state model; its base fit is refreshed at start and nightly. */
  model: LifecycleModel;
  ingester: Ingester;
  metrics: Metrics;
  log: Logger;
  keys: WriteKeyCache;
  ingestLimiter: RateLimiter;
  loginLimiter: RateLimiter;
  options: ServerOptions;
  close(): Promise<void>;
}

export async function createContext(options: ServerOptions): Promise<ServerContext> {
  const log = options.log ?? pino({ level: options.logLevel ?? "info", base: { app: "rekindle" } });
  const store = SqliteStore.open(options.dbFile);
  const srv = new ServerStore(store.db);
  const templates = options.templates ?? loadTemplateLibrary();
  const registry = options.registry ?? defaultRegistry();
  const model = lifecycleModel();
  const engine = await Engine.open({
    store,
    clock: options.clock ?? systemClock,
    registry,
    templates: libraryRenderer(templates),
    model,
    log: log.child({ component: "engine" }),
  });
  const ingester = new Ingester(engine, { maxGroup: options.ingestGroup ?? 1000 });
  const rate = options.ingestRate ?? { rate: 20_000, burst: 40_000 };
  let closed = false;
  return {
    engine,
    store,
    srv,
    templates,
    registry,
    model,
    ingester,
    metrics: new Metrics(store.db),
    log,
    keys: new WriteKeyCache(srv),
    ingestLimiter: new RateLimiter(rate.rate, rate.burst),
    loginLimiter: new RateLimiter(10 / 60, 10),
    options,
    async close() {
      if (closed) return;
      closed = true;
      await ingester.drain();
      await engine.close();
    },
  };
}
