import { createServer } from "node:http";
import type { Server } from "node:http";
import type { ServerContext } from "./context";

/**
 * An engine worker's only HTTP: `GET /healthz` (the database answers, the engine runs), for a load balancer
 * or orchestrator. Everything else is 404: a worker serves no API, no ingestion and no builder.
 */
export function workerHealthServer(ctx: ServerContext): Server {
  return createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" || path !== "/healthz") {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "an engine worker serves /healthz only" }));
      return;
    }
    ctx.read.ping().then(
      () => {
        const unrunnable = ctx.engine
          .unrunnable()
          .map((u) => ({ journeyId: u.journeyId, message: u.message }));
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: true, role: "worker", unrunnableJourneys: unrunnable }));
      },
      (err: unknown) => {
        ctx.log.warn({ err }, "health check failed");
        res.writeHead(503, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, role: "worker", error: "the database does not answer" }));
      },
    );
  });
}
