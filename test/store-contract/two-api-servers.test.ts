/**
 * Per-customer order across API servers: the same customers' events sent at once to two `rekindle start
 * --role api` processes on one PostgreSQL (and advanced by one worker) leave the same profiles, runs and run
 * log as one API server receiving them all. Without per-customer locks two servers read one profile at once
 * and the later commit overwrites the earlier one's update, both match one wait, or both enter one journey.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratePostgresDatabase } from "../../engine/index";
import { PostgresStore } from "../../engine/store/postgres/store";
import { testPostgres } from "../support/postgres";
import type { TestPostgres } from "../support/postgres";
import { killHard, seedDatabase, sendBatch, startRekindle } from "../support/rekindle-processes";
import type { RekindleProcess } from "../support/rekindle-processes";

const CUSTOMERS = 120;
const ROUNDS = 3;
/** Events per customer per round, half to each server when there are two. */
const PER_ROUND = 6;

let pg: TestPostgres | undefined;
const started: RekindleProcess[] = [];
beforeAll(async () => {
  pg = await testPostgres();
}, 120_000);
afterAll(async () => {
  await Promise.all(started.map(killHard));
  await pg?.stop();
}, 60_000);

const node = (id: string, type: string, data: Record<string, unknown>) => ({
  id,
  type,
  position: { x: 0, y: 0 },
  data,
});
/** Signed up → wait for a first order (matched once) → tag; order-independent by construction. */
const FIRST_ORDER = {
  schemaVersion: 1,
  name: "First order",
  settings: {},
  nodes: [
    node("t1", "trigger", { kind: "event", event: "signed_up" }),
    node("w1", "wait", { kind: "event", event: "order_completed", timeout: "1d" }),
    node("tag", "action", { action: "add_tag", params: { tag: "buyer" } }),
  ],
  edges: [
    { id: "e1", source: "t1", target: "w1" },
    { id: "e2", source: "w1", sourceHandle: "matched", target: "tag" },
  ],
};
/** Entered by any order and then waiting a day: one active run per customer, however many orders. */
const POST_PURCHASE = {
  schemaVersion: 1,
  name: "Post purchase",
  settings: {},
  nodes: [
    node("t1", "trigger", { kind: "event", event: "order_completed" }),
    node("w1", "wait", { kind: "duration", duration: "1d" }),
  ],
  edges: [{ id: "e1", source: "t1", target: "w1" }],
};

const ids = Array.from({ length: CUSTOMERS }, (_, i) => `cust-${i}`);
const ts = new Date(Date.now() - 60_000).toISOString();

/** One round's calls for every customer: orders and identifies each adding a trait of their own. */
function roundCalls(round: number): Record<string, unknown>[][] {
  // After the waits began (a wait matches events from its start on).
  const at = new Date().toISOString();
  return ids.map((id) =>
    Array.from({ length: PER_ROUND }, (_, k) =>
      k % 2 === 0
        ? {
            type: "track",
            userId: id,
            event: "order_completed",
            properties: { revenue: 10 + k },
            timestamp: at,
            messageId: `${id}-r${round}-${k}`,
          }
        : {
            type: "identify",
            userId: id,
            traits: { [`r${round}k${k}`]: k },
            timestamp: at,
            messageId: `${id}-r${round}-${k}`,
          },
    ),
  );
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Profile counters of a state, wherever the model keeps them: order-independent sums. */
function counters(state: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (["eventsApplied", "ordersCount", "totalSpent"].includes(k) && typeof x === "number") out[k] = x;
      else walk(x);
    }
  };
  walk(state);
  return out;
}

/** Sends every round through `servers` (a customer's calls alternate between them) and reads the outcome. */
async function scenario(servers: 1 | 2) {
  const database = await pg!.database();
  await migratePostgresDatabase(database);
  const { writeKey } = await seedDatabase(database, {
    "first-order": FIRST_ORDER,
    "post-purchase": POST_PURCHASE,
  });
  const apis = Array.from({ length: servers }, () => startRekindle(database, "api"));
  const worker = startRekindle(database, "worker");
  started.push(...apis, worker);
  const urls = await Promise.all(apis.map((a) => a.ready));
  await worker.ready;
  const store = await PostgresStore.open(database, { migrate: false, poolSize: 2 });
  try {
    const signup = await sendBatch(
      urls[0]!,
      writeKey,
      ids.map((id) => ({
        type: "track",
        userId: id,
        event: "signed_up",
        timestamp: ts,
        messageId: `${id}-s`,
      })),
    );
    expect(signup.body).toMatchObject({ accepted: CUSTOMERS });
    // Every customer waits for its first order before the orders arrive.
    await waitFor(
      async () =>
        (await store.listRuns({ journeyId: "first-order", status: "waiting", limit: 10_000 })).length ===
        CUSTOMERS,
      "the first-order runs to wait",
    );
    for (let round = 0; round < ROUNDS; round++) {
      const calls = roundCalls(round);
      // Each server gets its half of every customer's calls in requests of 20 customers, all at once.
      const requests: Promise<{ status: number; body: unknown }>[] = [];
      for (let s = 0; s < 2; s++) {
        for (let i = 0; i < CUSTOMERS; i += 20) {
          const batch = calls.slice(i, i + 20).flatMap((c) => c.filter((_, k) => k % 2 === s));
          requests.push(sendBatch(urls[s % servers]!, writeKey, batch));
        }
      }
      for (const r of await Promise.all(requests)) {
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ duplicates: 0, rejected: 0 });
      }
    }
    await waitFor(
      async () => (await store.listRuns({ status: "ready", limit: 1 })).length === 0,
      "the worker to advance every run",
    );
    const customers = await store.getCustomers(ids);
    const runs = await store.listRuns({ limit: 10_000 });
    const steps = await store.listSteps({ limit: 100_000 });
    const perCustomer = (customerId: string) => ({
      traits: customers.get(customerId)?.traits,
      counters: counters(customers.get(customerId)?.state),
      runs: runs
        .filter((r) => r.customerId === customerId)
        .map((r) => `${r.journeyId} ${r.status} ${r.nodeId}`)
        .sort(),
      steps: steps
        .filter((s) => s.customerId === customerId)
        .map((s) => `${s.journeyId} ${s.nodeId} ${s.outcome} ${s.port ?? "-"} ${s.reason ?? "-"}`)
        .sort(),
    });
    return Object.fromEntries(ids.map((id) => [id, perCustomer(id)]));
  } finally {
    await store.close();
    await Promise.all([...apis, worker].map(killHard));
  }
}

describe("two API servers on one PostgreSQL", () => {
  it("keep each customer's events in order: the same profiles, runs and steps as one server", async () => {
    const one = await scenario(1);
    const two = await scenario(2);
    // The baseline itself is what the journeys promise: every order counted, every trait kept, one match.
    const sample = one[ids[0]!]!;
    expect(sample.counters).toMatchObject({ ordersCount: (ROUNDS * PER_ROUND) / 2 });
    expect(Object.keys(sample.traits ?? {}).filter((k) => /^r\dk\d$/.test(k))).toHaveLength(
      (ROUNDS * PER_ROUND) / 2,
    );
    expect(sample.runs).toEqual(["first-order completed tag", "post-purchase waiting w1"]);
    expect(sample.steps.filter((s) => s.includes(" matched "))).toHaveLength(1);
    for (const id of ids) expect(two[id], id).toEqual(one[id]);
  }, 300_000);
});
