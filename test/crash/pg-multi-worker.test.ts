/**
 * The multi-process crash test: one API server and three engine workers (`rekindle start --role …`) on one
 * PostgreSQL under continuous ingestion; 20 SIGKILLs of workers and of the API server at random moments,
 * each restarted at once. Then, against an uncrashed run of the same journey: no acknowledged event lost,
 * no run lost or stuck, every wait released once, every delivery received at a real HTTP sink (counted by
 * idempotency key), and a key received twice only when a worker was killed between the two receipts.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratePostgresDatabase } from "../../engine/index";
import { PostgresStore } from "../../engine/store/postgres/store";
import { testPostgres } from "../support/postgres";
import type { TestPostgres } from "../support/postgres";
import { killHard, seedDatabase, sendBatch, startRekindle } from "../support/rekindle-processes";
import type { RekindleProcess } from "../support/rekindle-processes";

const KILLS = 20;
const WORKERS = 3;
/** The dispatcher's default concurrency (dispatcher.ts): the most sends one killed worker can have in flight. */
const CONCURRENCY = 64;
/** Fast takeover after a kill: leases run out in seconds, not the production minute. */
const ENV = {
  REKINDLE_RUN_LEASE_MS: "2000",
  // Room for a sink answer on a loaded machine (one attempt: a timeout would fail the delivery).
  REKINDLE_DELIVERY_TIMEOUT_MS: "3000",
  REKINDLE_WEBHOOK_TIMEOUT_MS: "2500",
  REKINDLE_WEBHOOK_MAX_ATTEMPTS: "1",
};

let pg: TestPostgres | undefined;
const live = new Set<RekindleProcess>();
beforeAll(async () => {
  pg = await testPostgres();
}, 120_000);
afterAll(async () => {
  await Promise.all([...live].map(killHard));
  await pg?.stop();
}, 60_000);

const node = (id: string, type: string, data: Record<string, unknown>) => ({
  id,
  type,
  position: { x: 0, y: 0 },
  data,
});
/** Churned → webhook → a 1 s wait (released by a worker) → wait for the customer to come back (released by
 * ingestion on the API server) → webhook. */
const journey = (hookUrl: string) => ({
  schemaVersion: 1,
  name: "Crash: win back",
  settings: {},
  nodes: [
    node("t1", "trigger", { kind: "event", event: "churned" }),
    node("hook1", "action", { action: "webhook", params: { url: hookUrl } }),
    node("w1", "wait", { kind: "duration", duration: "1s" }),
    node("w2", "wait", { kind: "event", event: "came_back", timeout: "1d" }),
    node("hook2", "action", { action: "webhook", params: { url: hookUrl } }),
  ],
  edges: [
    { id: "e1", source: "t1", target: "hook1" },
    { id: "e2", source: "hook1", target: "w1" },
    { id: "e3", source: "w1", target: "w2" },
    { id: "e4", source: "w2", sourceHandle: "matched", target: "hook2" },
  ],
});

/** A real HTTP sink: receipts by idempotency key, with their times; answers after a short delay. */
async function startSink() {
  const receipts = new Map<string, number[]>();
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const key = String(req.headers["idempotency-key"]);
      const list = receipts.get(key);
      if (list) list.push(Date.now());
      else receipts.set(key, [Date.now()]);
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end("{}"), 10);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    receipts,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const start = (database: string, role: "api" | "worker"): RekindleProcess => {
  const p = startRekindle(database, role, ENV);
  live.add(p);
  void p.exited.then(() => live.delete(p));
  return p;
};

/**
 * Runs the campaign on a fresh database: `kills` SIGKILLs while customers churn (and come back once their
 * run waits for it), then lets everything finish. Returns what the store and the sink hold.
 */
async function campaign(kills: number, customers: number) {
  const sink = await startSink();
  const database = await pg!.database();
  await migratePostgresDatabase(database);
  const { writeKey } = await seedDatabase(database, { winback: journey(sink.url) });
  let api = start(database, "api");
  const workers = Array.from({ length: WORKERS }, () => start(database, "worker"));
  let apiUrl = await api.ready;
  await Promise.all(workers.map((w) => w.ready));
  const store = await PostgresStore.open(database, { migrate: false, poolSize: 2 });
  const acked = new Set<string>();
  const startedAt = Date.now();
  const workerKills: number[] = [];
  let apiKills = 0;

  /** Sends until the API server (whichever incarnation) acknowledges every call; the ids make resends safe. */
  const deliver = async (batch: Record<string, unknown>[]): Promise<void> => {
    for (;;) {
      const url = apiUrl;
      const r = await sendBatch(url, writeKey, batch).catch(() => null);
      const results = (r?.body as { results?: { status: string; messageId: string }[] } | null)?.results;
      if (r?.status === 200 && results?.every((x) => x.status === "accepted" || x.status === "duplicate")) {
        for (const x of results) acked.add(x.messageId);
        return;
      }
      await new Promise((res) => setTimeout(res, 100));
      if (url === apiUrl) await api.ready.catch(() => undefined);
    }
  };

  // Customers churn, four every 50 ms, until `customers`; each comes back once its run waits for it.
  let next = 0;
  const sends: Promise<void>[] = [];
  const churning = setInterval(() => {
    if (next >= customers) return;
    const ids = Array.from({ length: Math.min(4, customers - next) }, () => `c${next++}`);
    const at = new Date().toISOString();
    sends.push(
      deliver(
        ids.flatMap((id) => [
          {
            type: "identify",
            userId: id,
            traits: { email: `${id}@example.com` },
            timestamp: at,
            messageId: `i-${id}`,
          },
          { type: "track", userId: id, event: "churned", timestamp: at, messageId: `m-${id}` },
        ]),
      ),
    );
  }, 50);
  const cameBack = new Set<string>();
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const waiting = await store
        .listRuns({ journeyId: "winback", status: "waiting", limit: 10_000 })
        .catch(() => []);
      const due = waiting.filter((r) => r.nodeId === "w2" && !cameBack.has(r.customerId));
      if (due.length > 0) {
        for (const r of due) cameBack.add(r.customerId);
        const at = new Date().toISOString();
        sends.push(
          deliver(
            due.map((r) => ({
              type: "track",
              userId: r.customerId,
              event: "came_back",
              timestamp: at,
              messageId: `b-${r.customerId}`,
            })),
          ),
        );
      }
      await new Promise((res) => setTimeout(res, 150));
    }
  })();

  // The kills: a random process each time (the API server about one time in four), restarted at once.
  for (let k = 0; k < kills; k++) {
    await new Promise((res) => setTimeout(res, 300 + Math.random() * 700));
    const victim = k % 4 === 3 || Math.random() < 0.1 ? -1 : Math.floor(Math.random() * WORKERS);
    if (victim === -1) {
      // Killed once it serves; the next incarnation's address is taken up by the senders when it listens.
      await api.ready.catch(() => undefined);
      await killHard(api);
      apiKills++;
      api = start(database, "api");
      void api.ready.then((u) => (apiUrl = u)).catch(() => undefined);
    } else {
      await killHard(workers[victim]!);
      workerKills.push(Date.now());
      workers[victim] = start(database, "worker");
    }
  }

  const killedAt = Date.now();
  // Then: everyone churned and came back, and every run finished.
  const settled = async (): Promise<boolean> => {
    if (next < customers || cameBack.size < customers) return false;
    const open = await store.listRuns({ journeyId: "winback", limit: 10_000 });
    return open.length === customers && open.every((r) => r.status === "completed");
  };
  const deadline = Date.now() + 120_000;
  while (!(await settled()) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 200));
  clearInterval(churning);
  polling = false;
  await poller;
  await Promise.all(sends);
  // Sends recorded just now may still be answering.
  const outboxDeadline = Date.now() + 30_000;
  while (
    (await store.listOutbox({ limit: 100_000 })).some((o) => o.status !== "sent") &&
    Date.now() < outboxDeadline
  )
    await new Promise((res) => setTimeout(res, 200));

  console.log(
    `campaign (${kills} kills): kill phase ${killedAt - startedAt} ms, settling ${Date.now() - killedAt} ms`,
  );
  const runs = await store.listRuns({ journeyId: "winback", limit: 10_000 });
  const steps = await store.listSteps({ journeyId: "winback", limit: 100_000 });
  const outbox = await store.listOutbox({ limit: 100_000 });
  const events = new Set(
    (
      await store.eventsOf(
        [...Array(customers).keys()].map((i) => `c${i}`),
        0,
        Date.now() + 86_400_000,
        100_000,
      )
    )
      .map((e) => e.messageId)
      .filter((m): m is string => m !== null),
  );
  await store.close();
  await Promise.all([api, ...workers].map(killHard));
  await sink.close();
  return { acked, runs, steps, outbox, events, receipts: sink.receipts, workerKills, apiKills };
}

const signature = (
  steps: { nodeId: string; outcome: string; port: string | null; reason: string | null }[],
) => steps.map((s) => `${s.nodeId} ${s.outcome} ${s.port ?? "-"} ${s.reason ?? "-"}`).sort();

describe("crash test on PostgreSQL: one API server, three workers, SIGKILLs under ingestion", () => {
  it("loses no acknowledged event, run, wait release or delivery, and repeats only sends a kill caught", async () => {
    // The uncrashed run: what each customer's run log must be.
    const calm = await campaign(0, 12);
    expect(calm.runs.every((r) => r.status === "completed")).toBe(true);
    const expected = signature(calm.steps.filter((s) => s.customerId === "c0"));
    for (let i = 0; i < 12; i++)
      expect(signature(calm.steps.filter((s) => s.customerId === `c${i}`))).toEqual(expected);
    expect(expected.filter((s) => s.startsWith("w2 matched"))).toHaveLength(1);

    const CUSTOMERS = 240;
    const crashed = await campaign(KILLS, CUSTOMERS);
    expect(crashed.workerKills.length + crashed.apiKills).toBe(KILLS);
    expect(crashed.apiKills).toBeGreaterThanOrEqual(4);

    // No acknowledged event lost.
    expect(crashed.acked.size).toBe(CUSTOMERS * 3);
    for (const id of crashed.acked) expect(crashed.events.has(id), id).toBe(true);
    // No run lost or stuck; each customer's run log is the uncrashed one: every wait released once.
    expect(crashed.runs).toHaveLength(CUSTOMERS);
    expect(crashed.runs.filter((r) => r.status !== "completed")).toEqual([]);
    const byCustomer = new Map<string, typeof crashed.steps>();
    for (const s of crashed.steps) byCustomer.set(s.customerId, [...(byCustomer.get(s.customerId) ?? []), s]);
    for (let i = 0; i < CUSTOMERS; i++)
      expect(signature(byCustomer.get(`c${i}`) ?? []), `c${i}`).toEqual(expected);
    // Every delivery sent and received; a repeat only across a worker's kill, and at most its sends in flight.
    expect(crashed.outbox).toHaveLength(CUSTOMERS * 2);
    expect(crashed.outbox.filter((o) => o.status !== "sent")).toEqual([]);
    for (const o of crashed.outbox)
      expect(crashed.receipts.has(o.idempotencyKey), o.idempotencyKey).toBe(true);
    expect(crashed.receipts.size).toBe(CUSTOMERS * 2);
    let repeats = 0;
    for (const [key, times] of crashed.receipts) {
      for (let i = 1; i < times.length; i++) {
        repeats++;
        const killed = crashed.workerKills.some((t) => t > times[i - 1]! && t < times[i]!);
        expect(killed, `${key} received again with no worker killed in between`).toBe(true);
      }
    }
    console.log(
      `pg crash test: ${KILLS} SIGKILLs (${crashed.workerKills.length} workers, ${crashed.apiKills} API server), ` +
        `${CUSTOMERS} customers, ${crashed.acked.size} acknowledged events, ${crashed.outbox.length} deliveries, ` +
        `${repeats} repeated at the sink (bound ${CONCURRENCY} per worker kill)`,
    );
    expect(repeats).toBeLessThanOrEqual(CONCURRENCY * crashed.workerKills.length);
  }, 400_000);
});
