// Longer than the house limit on purpose: the flow bench and its floor must share one receiver, one load
// generator and one report so the two are measured alike in the same run.
// The peer flow of a win-back team (`npm run bench` part): one tracked event per customer over HTTP, a
// condition on the event, a signed webhook to a local receiver, at 20 and 50 concurrent clients, beside
// its floor measured in the same run: a bare express handler that receives the call and POSTs one JSON
// body to the same receiver. Then the same flow through a wait (70 s by default; BENCH_FLOW_WAIT_S for a
// quick run) released while the server is saturated: lateness p50/p99. The server and the floor run in
// child processes; this process drives the load and is the receiver. CPU is the child's, from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SELF = fileURLToPath(import.meta.url);
const CUSTOMERS = Number(process.env.BENCH_FLOW_CUSTOMERS ?? 3000);
const WAIT_S = Number(process.env.BENCH_FLOW_WAIT_S ?? 70);
const WAITERS = Number(process.env.BENCH_FLOW_WAITERS ?? 500);
const SECRET = "bench-flow-secret";
const CLK_TCK = 100; // Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks.

/** The receiver: counts webhooks per customer with their arrival time, checks each is signed. */
class Receiver {
  readonly arrivals = new Map<string, number>();
  unsigned = 0;
  private waiting: { n: number; prefix: string; done: () => void } | null = null;
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const at = performance.now();
        if (!req.headers["rekindle-signature"] && !req.headers["x-floor"]) this.unsigned++;
        // Rekindle's webhook envelope names the customer as customerId; the floor sends customer.
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          customer?: string;
          customerId?: string;
        };
        const customer = body.customerId ?? body.customer ?? "";
        if (!this.arrivals.has(customer)) this.arrivals.set(customer, at);
        res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
        const w = this.waiting;
        if (w && this.count(w.prefix) >= w.n) {
          this.waiting = null;
          w.done();
        }
      });
    });
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as AddressInfo).port;
  }
  count(prefix: string): number {
    let n = 0;
    for (const k of this.arrivals.keys()) if (k.startsWith(prefix)) n++;
    return n;
  }
  until(prefix: string, n: number, timeoutMs: number): Promise<void> {
    if (this.count(prefix) >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`receiver got ${this.count(prefix)} of ${n} ${prefix}* webhooks`)),
        timeoutMs,
      );
      this.waiting = {
        n,
        prefix,
        done: () => {
          clearTimeout(t);
          resolve();
        },
      };
    });
  }
  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

interface Child {
  proc: ChildProcess;
  port: number;
  key?: string;
}

function startChild(mode: "floor" | "rekindle", dir: string, receiverPort: number): Promise<Child> {
  const proc = spawn(
    process.execPath,
    ["--max-semi-space-size=32", "--import", "tsx", SELF, "--child", mode, dir, String(receiverPort)],
    {
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...process.env,
        REKINDLE_WEBHOOK_ALLOW: "127.0.0.1",
        REKINDLE_WEBHOOK_SECRET: SECRET,
        REKINDLE_MAX_IN_FLIGHT: "100000",
      },
    },
  );
  return new Promise((resolve, reject) => {
    let buf = "";
    proc.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      const line = buf.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve({ proc, ...(JSON.parse(line) as { port: number; key?: string }) });
    });
    proc.on("exit", (code, signal) => {
      // After start-up too: a child that dies mid-run is named, not left as a refused connection.
      process.stderr.write(`bench flow: the ${mode} child exited (code ${code}, signal ${signal})\n`);
      reject(new Error(`bench child ${mode} exited ${code ?? signal}`));
    });
  });
}

async function stopChild(c: Child): Promise<void> {
  c.proc.removeAllListeners("exit");
  const exited = new Promise((r) => c.proc.once("exit", r));
  c.proc.kill("SIGTERM");
  await exited;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/** Closed loop: `concurrency` clients each sending the next customer's event until `ids` are all sent. */
async function drive(
  port: number,
  headers: Record<string, string>,
  ids: readonly string[],
  event: string,
  concurrency: number,
  onSent?: (id: string, at: number) => void,
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  // A keep-alive socket the server closes as a request goes out fails with ECONNRESET: send it again (the
  // event's messageId makes a repeat harmless), a few times at most.
  const post = async (id: string): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await postOnce(id);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (attempt >= 3 || (code !== "ECONNRESET" && code !== "EPIPE")) throw e;
      }
    }
  };
  const postOnce = (id: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ userId: id, event, properties: { plan: "pro" }, messageId: `m-${id}` });
      const at = performance.now();
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/v1/track",
          method: "POST",
          agent,
          headers: {
            ...headers,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            if ((res.statusCode ?? 0) >= 300) return reject(new Error(`track answered ${res.statusCode}`));
            onSent?.(id, at);
            resolve();
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) await post(ids[next++]!);
    }),
  );
  agent.destroy();
}

/** Customers per second from the first event sent to the last webhook received, and the child's CPU. */
async function flowRun(
  child: Child,
  receiver: Receiver,
  headers: Record<string, string>,
  prefix: string,
  concurrency: number,
): Promise<{ perSecond: number; cores: number }> {
  const ids = Array.from({ length: CUSTOMERS }, (_, i) => `${prefix}${i}`);
  const cpu0 = cpuSeconds(child.proc.pid!);
  const t0 = performance.now();
  const arrived = receiver.until(prefix, CUSTOMERS, 300_000);
  await drive(child.port, headers, ids, "signup", concurrency);
  await arrived;
  const seconds = (performance.now() - t0) / 1000;
  const cores = (cpuSeconds(child.proc.pid!) - cpu0) / seconds;
  return { perSecond: Math.round(CUSTOMERS / seconds), cores: Math.round(cores * 100) / 100 };
}

const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 10) / 10;
};

export async function benchFlow(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "rekindle-bench-flow-"));
  const receiver = new Receiver();
  await receiver.start();
  const out: Record<string, number> = { flow_customers: CUSTOMERS };
  try {
    const floor = await startChild("floor", dir, receiver.port);
    try {
      await flowRun(floor, receiver, {}, "fw-", 20); // warm-up
      for (const c of [20, 50]) {
        const r = await flowRun(floor, receiver, {}, `f${c}-`, c);
        out[`flow_floor_c${c}_customers_per_s`] = r.perSecond;
        out[`flow_floor_c${c}_cores`] = r.cores;
      }
    } finally {
      await stopChild(floor);
    }

    const srv = await startChild("rekindle", dir, receiver.port);
    try {
      const headers = { authorization: `Basic ${Buffer.from(`${srv.key}:`).toString("base64")}` };
      await flowRun(srv, receiver, headers, "rw-", 20); // warm-up
      for (const c of [20, 50]) {
        const r = await flowRun(srv, receiver, headers, `r${c}-`, c);
        out[`flow_c${c}_customers_per_s`] = r.perSecond;
        out[`flow_c${c}_cores`] = r.cores;
        out[`flow_c${c}_vs_floor`] =
          Math.round((r.perSecond / (out[`flow_floor_c${c}_customers_per_s`] || 1)) * 100) / 100;
      }
      out.flow_unsigned_webhooks = receiver.unsigned;

      // The wait variant: waiters enter, then the flow saturates the server until every wait is released.
      const sentAt = new Map<string, number>();
      const waiters = Array.from({ length: WAITERS }, (_, i) => `w-${i}`);
      await drive(srv.port, headers, waiters, "signup_wait", 20, (id, at) => sentAt.set(id, at));
      const released = receiver.until("w-", WAITERS, (WAIT_S + 120) * 1000);
      let saturating = true;
      let round = 0;
      const load = (async () => {
        while (saturating) {
          const ids = Array.from({ length: 500 }, (_, i) => `s${round}-${i}`);
          round++;
          await drive(srv.port, headers, ids, "signup", 50);
        }
      })();
      // Waits still queued behind the saturating flow's deliveries after the deadline are reported as such
      // (flow_wait_released below WAITERS), not as a crash of the load still running.
      await released.catch(() => undefined);
      saturating = false;
      await load;
      const got = waiters.filter((id) => receiver.arrivals.has(id));
      out.flow_wait_released = got.length;
      const lateness = got.map((id) => receiver.arrivals.get(id)! - sentAt.get(id)! - WAIT_S * 1000);
      out.flow_wait_s = WAIT_S;
      out.flow_wait_customers = WAITERS;
      if (lateness.length) {
        out.flow_wait_lateness_p50_ms = pct(lateness, 0.5);
        out.flow_wait_lateness_p99_ms = pct(lateness, 0.99);
      }
      out.flow_wait_saturating_customers = round * 500;
    } finally {
      await stopChild(srv);
    }
  } finally {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function child(mode: string, dir: string, receiverPort: number): Promise<void> {
  const receiverUrl = `http://127.0.0.1:${receiverPort}/hook`;
  const express = (await import("express")).default;
  if (mode === "floor") {
    // The floor: what any server must do for this flow — take the call, check the condition, POST a body.
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const app = express();
    app.post("/v1/track", express.json({ limit: 32 * 1024 }), (req, res) => {
      const b = req.body as { userId: string; properties?: { plan?: string } };
      if (b.properties?.plan !== "pro") return void res.json({ success: true });
      const body = JSON.stringify({ customer: b.userId, event: "signup" });
      const out = request(
        receiverUrl,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "x-floor": "1",
            "content-length": Buffer.byteLength(body),
          },
        },
        (r) => {
          r.resume();
          r.on("end", () => res.json({ success: true }));
        },
      );
      out.on("error", () => res.status(502).end());
      out.end(body);
    });
    const server = app.listen(0, "127.0.0.1", () => {
      process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
    });
    process.on("SIGTERM", () => server.close(() => process.exit(0)));
    return;
  }
  const { startServer } = await import("../server/main");
  const { newWriteKey, sha256 } = await import("../server/auth");
  const running = await startServer({
    dataDir: dir,
    port: 0,
    demo: false,
    logLevel: "warn",
    ingestRate: { rate: 1e9, burst: 1e9 },
    print: () => {},
  });
  const key = newWriteKey();
  await running.ctx.srv.insertKey({
    id: "bench",
    name: "bench",
    secretHash: sha256(key),
    prefix: key.slice(0, 7),
    createdBy: null,
    createdAt: Date.now(),
    revokedAt: null,
  });
  const hook = (id: string) => ({
    id,
    type: "action" as const,
    position: { x: 0, y: 200 },
    data: { action: "webhook", params: { url: receiverUrl } },
  });
  const journeys = [
    {
      schemaVersion: 1,
      name: "Flow: signup → condition → webhook",
      settings: { reentry: { mode: "once" } },
      nodes: [
        { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event: "signup" } },
        {
          id: "c1",
          type: "condition",
          position: { x: 0, y: 100 },
          data: {
            conditions: {
              all: [{ fact: "event", path: "$.properties.plan", operator: "equal", value: "pro" }],
            },
          },
        },
        hook("a1"),
        { id: "x1", type: "exit", position: { x: 200, y: 200 }, data: {} },
      ],
      edges: [
        { id: "e1", source: "t1", target: "c1" },
        { id: "e2", source: "c1", sourceHandle: "yes", target: "a1" },
        { id: "e3", source: "c1", sourceHandle: "no", target: "x1" },
      ],
    },
    {
      schemaVersion: 1,
      name: "Flow: signup → wait → webhook",
      settings: { reentry: { mode: "once" } },
      nodes: [
        {
          id: "t1",
          type: "trigger",
          position: { x: 0, y: 0 },
          data: { kind: "event", event: "signup_wait" },
        },
        {
          id: "w1",
          type: "wait",
          position: { x: 0, y: 100 },
          data: { kind: "duration", duration: `${WAIT_S}s` },
        },
        hook("a1"),
      ],
      edges: [
        { id: "e1", source: "t1", target: "w1" },
        { id: "e2", source: "w1", target: "a1" },
      ],
    },
  ];
  for (const [i, doc] of journeys.entries()) {
    const j = await running.ctx.engine.createJourney(doc, `bench-flow-${i}`);
    await running.ctx.engine.publish(j.id);
  }
  process.stdout.write(`${JSON.stringify({ port: running.port, key })}\n`);
  process.on("SIGTERM", () => void running.close().then(() => process.exit(0)));
}

const at = process.argv.indexOf("--child");
if (at !== -1) await child(process.argv[at + 1]!, process.argv[at + 2]!, Number(process.argv[at + 3]));
