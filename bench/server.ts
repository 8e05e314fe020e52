// Ingestion throughput of the server (`npm run bench` part): single-event /v1/track requests per second and
// p99 at 100 connections beside a bare express handler measured in the same run, and /v1/batch events per
// second. Loopback only; each measurement runs ~5 s. Server and bare handler run in their own child
// processes so autocannon (in this process) does not share their event loop.
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SELF = fileURLToPath(import.meta.url);
const DURATION_S = 5;
const BATCH_SIZE = 500;
/**
 * Offered load for the latency-at-rate figure: requests sent on a steady schedule over 100 keep-alive
 * connections, well under either server's capacity, so the p99 shows the time to serve a request rather than
 * the queue a saturating closed loop builds (there, 100 connections / throughput is the mean latency).
 * autocannon's own rate option releases each second's requests in one burst, so this uses its own loop.
 */
const OFFERED_RPS = 2500;
// The server child runs with the same V8 flags as `npm start`.
const SERVER_FLAGS = ["--max-semi-space-size=32"];

interface Child {
  proc: ChildProcess;
  port: number;
  key?: string;
}

function startChild(mode: "bare" | "rekindle", dir: string): Promise<Child> {
  const proc = spawn(process.execPath, [...SERVER_FLAGS, "--import", "tsx", SELF, "--child", mode, dir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let buf = "";
    proc.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      const line = buf.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve({ proc, ...(JSON.parse(line) as { port: number; key?: string }) });
    });
    proc.on("exit", (code) => reject(new Error(`bench child ${mode} exited ${code}`)));
  });
}

async function stopChild(c: Child): Promise<void> {
  c.proc.removeAllListeners("exit");
  const exited = new Promise((r) => c.proc.once("exit", r));
  c.proc.kill("SIGTERM");
  await exited;
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err: unknown, res) =>
      err ? reject(err instanceof Error ? err : new Error("autocannon failed")) : resolve(res),
    );
  });
}

const trackBody = JSON.stringify({
  userId: "bench-[<id>]",
  event: "product_viewed",
  properties: { sku: "SKU-1", price: 129.5 },
  messageId: "[<id>]",
});

function batchBody(): string {
  const now = new Date().toISOString();
  const batch = Array.from({ length: BATCH_SIZE }, (_, i) => ({
    type: "track",
    userId: `bench-b-${i % 200}`,
    event: i % 10 === 0 ? "order_completed" : "product_viewed",
    properties: i % 10 === 0 ? { revenue: 99 + i, currency: "CNY" } : { sku: `SKU-${i}` },
    timestamp: now,
    messageId: `[<id>]-${i}`,
  }));
  return JSON.stringify({ batch });
}

/**
 * Open-loop load: `rps` requests per second on a fixed schedule over `connections` keep-alive sockets, each
 * timed from when it was due to be sent (so a stalled server cannot hide its backlog). Returns latencies in ms.
 */
async function openLoop(
  url: string,
  headers: Record<string, string>,
  makeBody: (i: number) => string,
  rps: number,
  seconds: number,
  connections: number,
): Promise<{ p50: number; p99: number; max: number; non2xx: number; errors: number; sent: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rps * seconds);
  const latencies = new Float64Array(total);
  let non2xx = 0;
  let errors = 0;
  let done = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let sent = 0;
    const send = (i: number, due: number) => {
      const body = makeBody(i);
      const req = request(
        url,
        { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on("end", () => {
            latencies[i] = performance.now() - due;
            if ((res.statusCode ?? 0) >= 300) non2xx++;
            if (++done === total) resolve();
          });
        },
      );
      req.on("error", () => {
        errors++;
        latencies[i] = performance.now() - due;
        if (++done === total) resolve();
      });
      req.end(body);
    };
    const tick = () => {
      const elapsed = performance.now() - start;
      const upTo = Math.min(total, Math.floor((elapsed / 1000) * rps));
      while (sent < upTo) send(sent, start + (sent++ * 1000) / rps);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
  return { p50: at(0.5), p99: at(0.99), max: at(1), non2xx, errors, sent: total };
}

/** A warm-up, then 100 connections flat out (throughput, p99 at saturation), then at the offered rate. */
async function measureTrack(
  url: string,
  headers: Record<string, string>,
): Promise<{ saturated: autocannon.Result; offered: Awaited<ReturnType<typeof openLoop>> }> {
  const base = {
    url,
    method: "POST" as const,
    connections: 100,
    headers,
    body: trackBody,
    idReplacement: true,
  };
  await cannon({ ...base, duration: 1 });
  const saturated = await cannon({ ...base, duration: DURATION_S });
  const offered = await openLoop(
    url,
    headers,
    (i) => trackBody.replaceAll("[<id>]", `open-${i}-${randomUUID()}`),
    OFFERED_RPS,
    DURATION_S,
    100,
  );
  return { saturated, offered };
}

export async function benchServer(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "rekindle-bench-server-"));
  const out: Record<string, number> = {};
  try {
    // Bare express handler: JSON parse + answer, nothing else.
    const bare = await startChild("bare", dir);
    try {
      const url = `http://127.0.0.1:${bare.port}/v1/track`;
      const headers = { "content-type": "application/json" };
      const r = await measureTrack(url, headers);
      out.server_bare_express_req_per_s = Math.round(r.saturated.requests.average);
      out.server_bare_express_p99_ms = r.saturated.latency.p99;
      out.server_bare_express_p99_ms_at_offered = r.offered.p99;
    } finally {
      await stopChild(bare);
    }

    const srv = await startChild("rekindle", dir);
    try {
      const auth = `Basic ${Buffer.from(`${srv.key}:`).toString("base64")}`;
      const headers = { "content-type": "application/json", authorization: auth };
      const t = await measureTrack(`http://127.0.0.1:${srv.port}/v1/track`, headers);
      out.server_track_req_per_s = Math.round(t.saturated.requests.average);
      out.server_track_p99_ms = t.saturated.latency.p99;
      out.server_track_non2xx = t.saturated.non2xx + t.offered.non2xx + t.offered.errors;
      out.server_track_vs_bare =
        Math.round((t.saturated.requests.average / (out.server_bare_express_req_per_s || 1)) * 100) / 100;
      out.server_track_p50_ms_at_offered = t.offered.p50;
      out.server_track_p99_ms_at_offered = t.offered.p99;
      out.server_offered_req_per_s = OFFERED_RPS;

      const b = await cannon({
        url: `http://127.0.0.1:${srv.port}/v1/batch`,
        method: "POST",
        connections: 8,
        duration: DURATION_S,
        headers,
        body: batchBody(),
        idReplacement: true,
      });
      out.server_batch_events_per_s = Math.round(b.requests.average * BATCH_SIZE);
      out.server_batch_p99_ms = b.latency.p99;
      out.server_batch_non2xx = b.non2xx;
      out.server_batch_size = BATCH_SIZE;
    } finally {
      await stopChild(srv);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function child(mode: string, dir: string): Promise<void> {
  const express = (await import("express")).default;
  if (mode === "bare") {
    const app = express();
    app.post("/v1/track", express.json({ limit: 32 * 1024 }), (req, res) => {
      res.json({
        success: true,
        status: "accepted",
        messageId: (req.body as { messageId?: string }).messageId ?? null,
      });
    });
    const server = app.listen(0, "127.0.0.1", () => {
      const a = server.address();
      process.stdout.write(`${JSON.stringify({ port: typeof a === "object" && a ? a.port : 0 })}\n`);
    });
    process.on("SIGTERM", () => server.close(() => process.exit(0)));
    return;
  }
  const { createContext } = await import("../server/context");
  const { createApp } = await import("../server/app");
  const { newWriteKey, sha256 } = await import("../server/auth");
  const { Scheduler } = await import("../engine/runtime/scheduler");
  const ctx = await createContext({
    dbFile: join(dir, `bench-${randomUUID()}.db`),
    logLevel: "warn",
    ingestRate: { rate: 1e9, burst: 1e9 },
  });
  const key = newWriteKey();
  await ctx.srv.insertKey({
    id: "bench",
    name: "bench",
    secretHash: sha256(key),
    prefix: key.slice(0, 7),
    createdBy: null,
    createdAt: Date.now(),
    revokedAt: null,
  });
  // One live journey with an event trigger the traffic does not hit, as in production.
  const j = await ctx.engine.createJourney(
    {
      schemaVersion: 1,
      name: "Bench",
      settings: {},
      nodes: [
        { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event: "signed_up" } },
        { id: "w1", type: "wait", position: { x: 0, y: 100 }, data: { kind: "duration", duration: "1d" } },
      ],
      edges: [{ id: "e1", source: "t1", target: "w1" }],
    },
    "bench",
  );
  await ctx.engine.publish(j.id);
  const scheduler = new Scheduler(ctx.engine);
  scheduler.start();
  const app = createApp(ctx);
  const server = app.listen(0, "127.0.0.1", () => {
    const a = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof a === "object" && a ? a.port : 0, key })}\n`);
  });
  process.on("SIGTERM", () => {
    server.close(() => {
      void scheduler
        .stop()
        .then(() => ctx.close())
        .then(() => process.exit(0));
    });
    server.closeAllConnections();
  });
}

const args = process.argv.slice(2);
if (args[0] === "--child") await child(args[1]!, args[2]!);
else if (process.argv[1] === SELF) process.stdout.write(`${JSON.stringify(await benchServer())}\n`);
