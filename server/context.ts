import { linkLifetimes, type LinkLifetimes } from "./link-lifetimes";
import type { Logger } from "pino";
import { createLogger } from "./logger";
import { createHmac, randomBytes } from "node:crypto";
import {
  budgetFrom,
  channelDeliver,
  DRY_RUN_BUDGET,
  createChannelProviders,
  Engine,
  libraryRenderer,
  lifecycleModel,
  loadActionRegistry,
  loadChannelConfig,
  loadTemplateLibrary,
  openPostgresStore,
  openSqliteStore,
  Queries,
  storeCouponIssuer,
  surveyLink,
  systemClock,
  unsubscribeLinks,
} from "../engine/index";
import type {
  ActionRegistry,
  AdminStore,
  ChannelProviders,
  Clock,
  LifecycleModel,
  SimulationBudget,
  Store,
  TemplateLibrary,
} from "../engine/index";
import { RateLimiter, WriteKeyCache } from "./auth";
import { Ingester } from "./ingester";
import { Metrics } from "./metrics";

export interface ServerOptions {
  /** SQLite file, or ":memory:" (the embedded store; ignored when `database` is set). */
  dbFile: string;
  /** A PostgreSQL URL: the shared store of several API servers and engine workers (already migrated). */
  database?: string;
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
  /** Requests in progress beyond which the server answers 503 (default REKINDLE_MAX_IN_FLIGHT or 256). */
  maxInFlight?: number;
  /** Directory of the built builder UI, served with an SPA fallback when it exists. */
  uiDir?: string;
  /** Events per engine transaction for ingestion (default: the ingester's, 2000). */
  ingestGroup?: number;
  /** Message channels; default from the REKINDLE_* environment (dev providers unless configured). */
  channels?: ChannelProviders;
  /** The public base URL, for unsubscribe links (default the listening URL, set by startServer). */
  publicUrl?: string;
  /** HMAC secret of unsubscribe links (default REKINDLE_UNSUBSCRIBE_SECRET, else one generated and stored). */
  unsubscribeSecret?: string;
  /** How long unsubscribe and survey links work (default from REKINDLE_*_LINK_DAYS). */
  linkLifetimes?: LinkLifetimes;
  /** Step, time and output budgets of one dry run (default `DRY_RUN_BUDGET`). */
  dryRunBudget?: Partial<SimulationBudget>;
  /** How long a claimed batch of runs is leased before another worker may take it (default 60 s). */
  runLeaseMs?: number;
}

/** Everything a request handler needs. One per process (one engine per database). */
export interface ServerContext {
  engine: Engine;
  /** Storage, through its interface only: the server never sees SQL. */
  store: Store;
  /** Users, sessions, write keys, the audit log and settings (`store.admin`). */
  srv: AdminStore;
  /** The read side: run log, stats, traces, the outbox and summaries. */
  read: Queries;
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
  channels: ChannelProviders;
  unsubscribeSecret: string;
  /** The key survey links are signed with (derived from the unsubscribe secret). */
  surveySecret: string;
  linkLifetimes: LinkLifetimes;
  dryRunBudget: SimulationBudget;
  /** The base URL in links sent to customers (mutable: startServer sets it once listening). */
  publicUrl: string;
  close(): Promise<void>;
}

export async function createContext(options: ServerOptions): Promise<ServerContext> {
  const log = options.log ?? createLogger(options.logLevel ?? "info");
  const store = options.database
    ? await openPostgresStore(options.database)
    : openSqliteStore(options.dbFile, {
        checkpointer: {
          onError: (err) =>
            log.warn({ err }, "background WAL checkpointing stopped; the database checkpoints inline"),
        },
      });
  const srv = store.admin;
  const templates = options.templates ?? loadTemplateLibrary();
  const clock = options.clock ?? systemClock;
  const channels =
    options.channels ??
    createChannelProviders(loadChannelConfig(process.env), {
      devSink: (d) =>
        log.info(
          {
            channel: d.channel,
            to: d.to,
            subject: (d.content as { subject?: string }).subject,
            key: d.idempotencyKey,
          },
          "dev delivery (not sent: no provider configured)",
        ),
    });
  let unsubscribeSecret =
    options.unsubscribeSecret ??
    process.env.REKINDLE_UNSUBSCRIBE_SECRET ??
    (await srv.getMeta("unsubscribe_secret"));
  if (!unsubscribeSecret) {
    unsubscribeSecret = randomBytes(32).toString("base64url");
    await srv.setMeta("unsubscribe_secret", unsubscribeSecret);
  }
  const secret = unsubscribeSecret;
  // Survey links are signed with a key derived from the same secret, so one kind of token is never the other.
  const surveySecret = createHmac("sha256", secret).update("rekindle:survey-links").digest("base64url");
  const ref: { ctx?: ServerContext } = {};
  const lifetimes = options.linkLifetimes ?? linkLifetimes();
  const links = (customerId: string, channel: string): string =>
    unsubscribeLinks(secret, ref.ctx?.publicUrl ?? "http://localhost:3000", {
      now: () => clock.now(),
    })(customerId, channel);
  // Built-in actions plus the modules listed in rekindle.config.json / REKINDLE_ACTIONS. Offers without an
  // imported pool get codes derived per delivery; an imported pool that runs dry fails the step.
  const registry =
    options.registry ??
    (await loadActionRegistry({
      deps: {
        deliver: channelDeliver(channels, { unsubscribeUrl: links }),
        coupons: { issuer: storeCouponIssuer(store), missingPool: "derive" },
      },
    }));
  const model = lifecycleModel();
  const engine = await Engine.open({
    store,
    clock,
    registry,
    templates: libraryRenderer(templates, {
      unsubscribeUrl: links,
      surveyUrl: (invite) =>
        surveyLink(`${ref.ctx?.publicUrl ?? "http://localhost:3000"}/s`, surveySecret, {
          ...invite,
          expiresAt: clock.now() + lifetimes.surveyDays * 86_400_000,
        }),
    }),
    model,
    log: log.child({ component: "engine" }),
    ...(options.runLeaseMs ? { leaseMs: options.runLeaseMs } : {}),
  });
  const ingester = new Ingester(engine, { maxGroup: options.ingestGroup });
  const rate = options.ingestRate ?? { rate: 20_000, burst: 40_000 };
  const read = new Queries(store);
  let closed = false;
  const ctx: ServerContext = {
    engine,
    store,
    srv,
    read,
    templates,
    registry,
    model,
    ingester,
    metrics: await Metrics.open(read),
    log,
    keys: new WriteKeyCache(srv),
    ingestLimiter: new RateLimiter(rate.rate, rate.burst),
    // 30 attempts per address (1 more every 2 s) across accounts; an account's attempts cost 3, so 10 per
    // account across addresses.
    loginLimiter: new RateLimiter(30 / 60, 30),
    options,
    channels,
    unsubscribeSecret: secret,
    linkLifetimes: lifetimes,
    dryRunBudget: budgetFrom(DRY_RUN_BUDGET, options.dryRunBudget),
    surveySecret,
    publicUrl: options.publicUrl ?? "http://localhost:3000",
    async close() {
      if (closed) return;
      closed = true;
      await ingester.drain();
      await engine.close();
      await channels.close();
    },
  };
  ref.ctx = ctx;
  return ctx;
}
