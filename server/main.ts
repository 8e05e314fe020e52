import type { Server } from "node:http";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { followSnapshots, loadRetentionConfig, refitBase, restoreSnapshot } from "../engine/index";
import { deliveryBackpressure } from "./backpressure";
import { startEngineWork } from "./background";
import type { EngineWork } from "./background";
import { createApp } from "./app";
import { createContext } from "./context";
import type { ServerContext, ServerOptions } from "./context";
import { finishDemo, replayDemoInto, wantsDemo } from "./demo";
import type { DemoResult } from "./demo";
import { createUser } from "./routes/admin";
import { loadTakeoverSettings, TakeoverSettingsError } from "./takeover-env";
import { workerHealthServer } from "./worker-health";

/**
 * What a process runs: `all` (API, ingestion, builder and the engine's loops: the only role the embedded
 * store allows), `api` (HTTP only: it never advances runs nor dispatches) or `worker` (the engine's loops and
 * `/healthz` only). Several of each share one PostgreSQL database.
 */
export type ProcessRole = "all" | "api" | "worker";
export const PROCESS_ROLES: readonly ProcessRole[] = ["all", "api", "worker"];

export class StartOptionsError extends Error {
  override readonly name = "StartOptionsError";
}

export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface StartOptions {
  dataDir: string;
  /** PostgreSQL URL; without it the embedded SQLite database in `dataDir`. */
  database?: string;
  /** Default `all`; `api` and `worker` need `database`. */
  role?: ProcessRole;
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
 * One process: by default (`all`) the HTTP API and builder UI, the engine's scheduler (waits and the outbox),
 * audience schedules and a nightly model refit, over the embedded SQLite database in `dataDir` or a
 * PostgreSQL `database`. On PostgreSQL a process may take one role (`api` or `worker`) and run beside others.
 */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const role = opts.role ?? "all";
  if (!PROCESS_ROLES.includes(role))
    throw new StartOptionsError(`--role must be one of ${PROCESS_ROLES.join(", ")} (got "${String(role)}")`);
  if (role !== "all" && !opts.database)
    throw new StartOptionsError(
      `--role ${role} needs --database postgres://…: the embedded SQLite database serves one process, which runs everything (--role all)`,
    );
  const dbFile = join(resolve(opts.dataDir), "rekindle.db");
  // Checked before anything starts: a bad REKINDLE_RETENTION_* value is a start-up error naming it.
  const retention = loadRetentionConfig(process.env);
  const takeover = (() => {
    try {
      return loadTakeoverSettings(process.env);
    } catch (e) {
      throw e instanceof TakeoverSettingsError ? new StartOptionsError(e.message) : e;
    }
  })();
  const contextOptions: ServerOptions = {
    dbFile,
    ...(opts.database ? { database: opts.database } : {}),
    runLeaseMs: takeover.runLeaseMs,
    logLevel: opts.logLevel ?? process.env.LOG_LEVEL ?? "info",
    uiDir: opts.uiDir ?? join(REPO_ROOT, "builder-ui", "dist"),
    ...(opts.ingestRate ? { ingestRate: opts.ingestRate } : {}),
    ...(opts.corsOrigins ? { corsOrigins: opts.corsOrigins } : {}),
    ...(process.env.REKINDLE_PUBLIC_URL ? { publicUrl: process.env.REKINDLE_PUBLIC_URL } : {}),
  };
  let ctx = await createContext(contextOptions);
  const { log } = ctx;

  let admin: RunningServer["admin"];
  if (role !== "worker" && (await ctx.srv.countUsers()) === 0) {
    try {
      const created = await createUser(ctx, { email: "admin@rekindle.local", name: "Admin", role: "admin" });
      await ctx.srv.audit(Date.now(), null, "user.create", created.user.id, {
        email: created.user.email,
        role: "admin",
        firstStart: true,
      });
      admin = { email: created.user.email, password: created.password! };
    } catch (e) {
      // Another API server on the same database created the first admin at the same moment: it shows it.
      if ((await ctx.srv.countUsers()) === 0) throw e;
    }
  }
  let demo: DemoResult | undefined;
  // The demo is replayed into the embedded database file; a PostgreSQL installation starts empty.
  if (!opts.database && (opts.demo ?? true) && (await wantsDemo(ctx))) {
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
  // A fit another process stores later (a worker's nightly refit) is installed here too.
  const unfollow = await followSnapshots(ctx.store, ctx.model, (err) =>
    log.error({ err }, "installing a stored model fit failed"),
  );

  // An API server never advances runs nor dispatches: the workers' loops do, woken by its commits.
  const work: EngineWork | null =
    role === "api"
      ? null
      : await startEngineWork(ctx, {
          maxSleepMs: opts.maxSleepMs ?? 1000,
          retention,
          deliveryTimeoutMs: takeover.deliveryTimeoutMs,
        });
  // With the engine's work in this process, ingestion yields to delivery when the loop is the bottleneck.
  const backpressure = work ? deliveryBackpressure(work.scheduler.dispatcher) : null;
  if (backpressure) ctx.ingester.setGate(backpressure.gate);

  const server = role === "worker" ? workerHealthServer(ctx) : createServer(createApp(ctx));
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => ok());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  const url = `http://localhost:${port}`;
  if (!process.env.REKINDLE_PUBLIC_URL && role !== "worker") ctx.publicUrl = url;

  if (role === "worker") print(`Rekindle engine worker is running (health: ${url}/healthz)`);
  else print(`Rekindle is running at ${url}${role === "api" ? " (API server: no engine loops)" : ""}`);
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
      await work?.stop();
      backpressure?.stop();
      unfollow();
      await ctx.close();
      log.info("stopped");
    })());
  return { url, port, ctx, server, close, ...(admin ? { admin } : {}), ...(demo ? { demo } : {}) };
}
