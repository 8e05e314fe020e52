import type { Server } from "node:http";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AudienceSchedules,
  hasRetention,
  loadRetentionConfig,
  localZone,
  NightlyRecompute,
  refitBase,
  restoreSnapshot,
  runRetention,
  Scheduler,
} from "../engine/index";
import { createApp } from "./app";
import { createContext } from "./context";
import type { ServerContext, ServerOptions } from "./context";
import { finishDemo, replayDemoInto, wantsDemo } from "./demo";
import type { DemoResult } from "./demo";
import { createUser } from "./routes/admin";

export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface StartOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** Load the demo on first start (default true). */
  demo?: boolean;
  demoCustomers?: number;
  /** Scheduler wake-up cap (ms). */
  maxSleepMs?: number;
  logLevel?: string;
  uiDir?: string;
  ingestRate?: ServerOptions["ingestRate"];
  corsOrigins?: ServerOptions["corsOrigins"];
  /** Where the banner goes (default stdout). */
  print?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  ctx: ServerContext;
  server: Server;
  /** Stops taking requests, finishes the batch in hand, closes the database. */
  close(): Promise<void>;
  admin?: { email: string; password: string };
  demo?: DemoResult;
}

/**
 * One process: the HTTP API and builder UI, the engine's scheduler (waits and the outbox), audience
 * schedules and a nightly model refit, over the embedded SQLite database in `dataDir`.
 */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const dbFile = join(resolve(opts.dataDir), "rekindle.db");
  // Checked before anything starts: a bad REKINDLE_RETENTION_* value is a start-up error naming it.
  const retention = loadRetentionConfig(process.env);
  const contextOptions: ServerOptions = {
    dbFile,
    logLevel: opts.logLevel ?? process.env.LOG_LEVEL ?? "info",
    uiDir: opts.uiDir ?? join(REPO_ROOT, "builder-ui", "dist"),
    ...(opts.ingestRate ? { ingestRate: opts.ingestRate } : {}),
    ...(opts.corsOrigins ? { corsOrigins: opts.corsOrigins } : {}),
    ...(process.env.REKINDLE_PUBLIC_URL ? { publicUrl: process.env.REKINDLE_PUBLIC_URL } : {}),
  };
  let ctx = await createContext(contextOptions);
  const { log } = ctx;

  let admin: RunningServer["admin"];
  if ((await ctx.srv.countUsers()) === 0) {
    const created = await createUser(ctx, { email: "admin@rekindle.local", name: "Admin", role: "admin" });
    await ctx.srv.audit(Date.now(), null, "user.create", created.user.id, {
      email: created.user.email,
      role: "admin",
      firstStart: true,
    });
    admin = { email: created.user.email, password: created.password! };
  }
  let demo: DemoResult | undefined;
  if ((opts.demo ?? true) && (await wantsDemo(ctx))) {
    const t0 = performance.now();
    // The replay runs its own engine in virtual time on this database, so the server's engine is closed
    // meanwhile and opened again afterwards on what the replay stored.
    const links = {
      templates: ctx.templates,
      unsubscribeSecret: ctx.unsubscribeSecret,
      surveySecret: ctx.surveySecret,
      publicUrl: process.env.REKINDLE_PUBLIC_URL ?? `http://localhost:${opts.port || 3000}`,
    };
    await ctx.close();
    const replay = await replayDemoInto(dbFile, links, {
      customers: opts.demoCustomers ?? 2000,
      now: Date.now(),
    });
    ctx = await createContext({ ...contextOptions, log });
    demo = await finishDemo(ctx, replay);
    log.info({ ...demo, writeKey: undefined, ms: Math.round(performance.now() - t0) }, "demo loaded");
  }
  // The stored base fit (P(alive), CLV, RFM) is installed at once; without one, fit now.
  if (!(await restoreSnapshot(ctx.store, ctx.model))) await refitBase(ctx.engine, ctx.model);

  const scheduler = new Scheduler(ctx.engine, {
    maxSleepMs: opts.maxSleepMs ?? 1000,
    onError: (err) => log.error({ err }, "scheduler error"),
  });
  const audience = new AudienceSchedules(ctx.engine, (err, where) =>
    log.error({ err, ...where }, "audience trigger failed"),
  );
  // Nightly: refit the base (stored, so the next start has it at once) and refresh every profile's stage
  // and signals as time passed, emitting stage changes and churn signals into journeys.
  const nightly = new NightlyRecompute(ctx.engine, ctx.model, {
    onDone: (r) =>
      log.info({ customers: r.customers, emitted: r.emitted, ms: r.totalMs }, "nightly recompute done"),
    onError: (err) => log.error({ err }, "nightly recompute failed"),
  });
  await nightly.start();
  // Housekeeping is a timer slot too: the scheduler, on the engine's clock, is the only owner of time.
  const stopHousekeeping = await ctx.engine.timers.every(
    "server.sessions",
    "17 * * * *",
    localZone(),
    async () => {
      await ctx.srv.purgeSessions(ctx.engine.clock.now());
    },
  );
  // Retention of events, run-log steps and deliveries: small batches every five minutes, so the cost of
  // every hot query stays that of recent history (engine/retention).
  const stopPruning = await ctx.engine.timers.every(
    "server.retention",
    "*/5 * * * *",
    localZone(),
    async () => {
      if (!hasRetention(ctx.store)) return;
      try {
        const pruned = await runRetention(ctx.store, ctx.engine.clock.now(), retention);
        if (pruned.events.deleted + pruned.steps.deleted + pruned.outbox.deleted + pruned.outbox.slimmed > 0)
          log.info({ pruned }, "retention");
      } catch (err) {
        log.error({ err }, "retention failed");
      }
    },
  );
  scheduler.start();

  const app = createApp(ctx);
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => ok());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  const url = `http://localhost:${port}`;
  if (!process.env.REKINDLE_PUBLIC_URL) ctx.publicUrl = url;

  print(`Rekindle is running at ${url}`);
  const plugins = ctx.registry.plugins;
  print(
    plugins.length === 0
      ? "Custom actions: none (list modules in rekindle.config.json or REKINDLE_ACTIONS)"
      : `Custom actions loaded: ${plugins.map((p) => `${p.type} v${p.version} (${p.module})`).join(", ")}`,
  );
  if (admin) {
    print(`First admin (shown once): email ${admin.email}  password ${admin.password}`);
  }
  if (demo) {
    print(
      `Demo loaded: ${demo.customers} customers, ${demo.events} events and ${demo.deliveries} deliveries over 90 days replayed in virtual time, ${demo.journeys.length} journeys live`,
    );
    print(`Demo write key (shown once; HTTP Basic user name for /v1/*): ${demo.writeKey}`);
  }

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      log.info("shutting down");
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 5000);
      force.unref();
      await closed;
      stopHousekeeping();
      stopPruning();
      await nightly.stop();
      audience.stop();
      await scheduler.stop();
      await ctx.close();
      log.info("stopped");
    })());
  return { url, port, ctx, server, close, ...(admin ? { admin } : {}), ...(demo ? { demo } : {}) };
}
