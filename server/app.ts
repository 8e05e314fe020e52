import express from "express";
import type { NextFunction, Request, Response } from "express";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ServerContext } from "./context";
import { EngineError } from "../engine/index";
import { HttpError, httpErrorOf } from "./errors";
import { openApiDocument } from "./openapi";
import { ADMIN, PUBLIC, mount, route } from "./route";
import type { RouteDef } from "./route";
import { adminRoutes } from "./routes/admin";
import { catalogRoutes } from "./routes/catalog";
import { customerRoutes } from "./routes/customers";
import { outboxRoutes } from "./routes/outbox";
import { runLogRoutes } from "./routes/run-log";
import { runRoutes } from "./routes/runs";
import { consentRoutes } from "./routes/consent";
import { ingestRoutes } from "./routes/ingest";
import { journeyRoutes } from "./routes/journeys";
import { journeyHistoryRoutes } from "./routes/journey-history";
import { journeyRunRoutes } from "./routes/journey-runs";
import { resultsRoutes } from "./routes/results";
import { metricRoutes } from "./routes/metrics";
import { overviewRoutes } from "./routes/overview";
import { couponRoutes } from "./routes/coupons";
import { surveyRouter } from "./routes/survey";

export const VERSION = "0.1.0";

const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/** Every route of the API, as data: mounted by the app, documented by OpenAPI, walked by the role tests. */
export function apiRoutes(): RouteDef[] {
  // Ingestion first: express tries routes in order, and these take the bulk of the traffic.
  const routes: RouteDef[] = [
    ...ingestRoutes(),
    ...adminRoutes(),
    ...journeyRoutes(),
    ...journeyHistoryRoutes(),
    ...journeyRunRoutes(),
    ...resultsRoutes(),
    ...catalogRoutes(),
    ...customerRoutes(),
    ...runLogRoutes(),
    ...runRoutes(),
    ...outboxRoutes(),
    ...consentRoutes(),
    ...metricRoutes(),
    ...overviewRoutes(),
    ...couponRoutes(),
  ];
  routes.push(
    route({
      method: "get",
      path: "/api/openapi.json",
      access: PUBLIC,
      tag: "meta",
      summary: "This document",
      handler: () => openApiDocument(routes, VERSION),
    }),
    route({
      method: "get",
      path: "/healthz",
      access: PUBLIC,
      tag: "meta",
      summary: "Liveness and database check",
      handler: async ({ ctx }) => {
        await ctx.read.ping();
        // Live journeys skipped at start-up because they cannot compile: the server runs, they do not.
        const unrunnable = ctx.engine
          .unrunnable()
          .map((u) => ({ journeyId: u.journeyId, message: u.message }));
        return { ok: true, version: VERSION, unrunnableJourneys: unrunnable };
      },
    }),
    route({
      method: "get",
      path: "/metrics",
      // Not public by default: admins, or a scraper with REKINDLE_METRICS_TOKEN as its bearer token;
      // REKINDLE_METRICS_PUBLIC=true opens it for a scraper on a private network.
      access: process.env.REKINDLE_METRICS_PUBLIC === "true" ? PUBLIC : ADMIN,
      scrapeToken: () => process.env.REKINDLE_METRICS_TOKEN || undefined,
      tag: "meta",
      summary: "Prometheus metrics (admin, or the REKINDLE_METRICS_TOKEN bearer token)",
      produces: ["text/plain"],
      handler: async ({ ctx, res }) => {
        const body = await ctx.metrics.registry.metrics();
        res.type(ctx.metrics.registry.contentType).send(body);
      },
    }),
  );
  return routes;
}

/** The HTTP app over a server context (no listening, no background work: supertest-friendly). */
export function createApp(ctx: ServerContext): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.set("etag", false);

  // Load shedding: past this many requests in progress, answer 503 + Retry-After at once instead of
  // queueing (a queued request holds a socket and memory and answers too late to be useful anyway).
  // Health checks are exempt, so an orchestrator does not restart a server that is merely busy.
  const maxInFlight = ctx.options.maxInFlight ?? (Number(process.env.REKINDLE_MAX_IN_FLIGHT) || 256);
  let inFlight = 0;
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === "/healthz") return next();
    if (inFlight >= maxInFlight) {
      res.setHeader("Retry-After", "1");
      res.status(503).json(new HttpError("unavailable", "the server is busy; try again shortly").body());
      return;
    }
    inFlight++;
    res.once("close", () => inFlight--);
    next();
  });

  const origins = ctx.options.corsOrigins;
  app.use((req: Request, res: Response, next: NextFunction) => {
    const start = performance.now();
    const isApi =
      req.path.startsWith("/api/") ||
      req.path.startsWith("/v1/") ||
      req.path === "/metrics" ||
      req.path === "/healthz";
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Content-Security-Policy", isApi ? API_CSP : UI_CSP);
    if (isApi) res.setHeader("Cache-Control", "no-store");
    const origin = req.headers.origin;
    if (origin) {
      const ingestion = req.path.startsWith("/v1/");
      const allowed =
        ingestion || origins === "*" || (origins ? origins.includes(origin) : LOCAL_ORIGIN.test(origin));
      if (allowed) {
        res.setHeader("Access-Control-Allow-Origin", ingestion ? "*" : origin);
        if (!ingestion) res.setHeader("Vary", "Origin");
        res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type");
        res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
        res.setHeader("Access-Control-Expose-Headers", "Retry-After, Content-Disposition");
        res.setHeader("Access-Control-Max-Age", "600");
      }
      if (req.method === "OPTIONS") {
        res.status(allowed ? 204 : 403).end();
        return;
      }
    }
    res.on("finish", () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? (isApi ? "unmatched" : "static");
      const seconds = (performance.now() - start) / 1000;
      ctx.metrics.http.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      if (res.statusCode >= 500)
        ctx.log.error(
          {
            method: req.method,
            url: req.originalUrl,
            status: res.statusCode,
            ms: Math.round(seconds * 1000),
          },
          "request failed",
        );
      // Every API request at debug: at the default level the terminal shows what happened, not each poll.
      else if (req.path.startsWith("/api/"))
        ctx.log.debug(
          {
            method: req.method,
            route,
            status: res.statusCode,
            ms: Math.round(seconds * 1000),
            user: (res.locals as { user?: { id: string } }).user?.id,
          },
          "request",
        );
      else ctx.log.debug({ method: req.method, route, status: res.statusCode }, "request");
    });
    next();
  });

  const router = express.Router();
  mount(router, ctx, apiRoutes());
  app.use(router);
  // The hosted one-question survey that satisfaction-survey invitations link to.
  app.use("/s", surveyRouter({ engine: ctx.engine, secret: ctx.surveySecret }));

  app.use(["/api", "/v1"], (req: Request) => {
    throw new HttpError("not_found", `no route ${req.method} ${req.originalUrl.split("?")[0]}`);
  });

  const ui = ctx.options.uiDir;
  if (ui && existsSync(join(ui, "index.html"))) {
    app.use(express.static(ui, { index: "index.html", maxAge: "1h" }));
    app.get("/{*splat}", (_req: Request, res: Response) => {
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(join(ui, "index.html"));
    });
  } else {
    app.get("/", (_req: Request, res: Response) => {
      res
        .type("text/plain")
        .send(
          "Rekindle API is running. The builder UI is not built (npm run build in builder-ui/). API: /api/openapi.json\n",
        );
    });
  }

  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    let e: HttpError;
    const t = (err as { type?: unknown }).type;
    if (err instanceof HttpError) e = err;
    else if (err instanceof EngineError) e = httpErrorOf(err);
    else if (t === "entity.too.large")
      e = new HttpError(
        "too_large",
        `the body is larger than ${(err as { limit?: number }).limit ?? "the limit"} bytes`,
      );
    else if (err instanceof URIError || (t === undefined && (err as { status?: number }).status === 400))
      // The router's decodeURIComponent of a malformed %-escape in the path.
      e = new HttpError("bad_request", "the path has a malformed percent-encoding", [
        { path: "", message: "malformed percent-encoding" },
      ]);
    else if (t === "entity.parse.failed")
      e = new HttpError("bad_request", `the body is not valid JSON: ${(err as Error).message}`, [
        { path: "", message: "invalid JSON" },
      ]);
    else if (typeof t === "string" && (err as { status?: number }).status === 415)
      e = new HttpError("bad_request", (err as Error).message);
    else if (
      typeof t === "string" &&
      (err as { status?: number }).status !== undefined &&
      (err as { status: number }).status < 500
    )
      e = new HttpError("bad_request", (err as Error).message);
    else {
      ctx.log.error({ err, method: req.method, url: req.originalUrl }, "unhandled error");
      e = new HttpError("internal", "internal error");
    }
    if (e.headers) for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    res.status(e.status).json(e.body());
  });
  return app;
}
