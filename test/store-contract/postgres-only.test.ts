/**
 * What only the PostgreSQL store has: wake-ups across processes (LISTEN/NOTIFY), a schema check that
 * refuses an old database, connection errors that name the host and the cause, and the batched reads a
 * worker uses to save round trips.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultRegistry } from "../../engine/actions/builtins";
import { lifecycleModel } from "../../engine/customer/engine-model";
import { followSnapshots, refitBase } from "../../engine/customer/recompute-job";
import { ManualClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import { PostgresConnectError } from "../../engine/store/postgres/connect";
import { SchemaOutdatedError } from "../../engine/store/postgres/migrate";
import { PostgresStore } from "../../engine/store/postgres/store";
import { postgresStores } from "./postgres";
import type { PostgresStores } from "./postgres";

let pg: PostgresStores | undefined;
beforeAll(async () => {
  pg = await postgresStores();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
}, 120_000);

describe("the PostgreSQL store", () => {
  it("installs a model fit another process stored in every process that follows the fits", async () => {
    const url = await pg!.database(true);
    const workerModel = lifecycleModel();
    const worker = await Engine.open({
      store: await pg!.openUrl(url),
      clock: new ManualClock(Date.UTC(2026, 2, 1)),
      registry: defaultRegistry(),
      model: workerModel,
    });
    const events = Array.from({ length: 60 }, (_, i) =>
      Array.from({ length: 1 + (i % 4) }, (_, k) => ({
        type: "track" as const,
        userId: `c${i}`,
        event: "order_completed",
        properties: { revenue: 20 + i + k },
        timestamp: new Date(Date.UTC(2025, 6 + k, 1 + (i % 27))).toISOString(),
        messageId: `o-${i}-${k}`,
      })),
    ).flat();
    await worker.ingest(events);
    const apiStore = await pg!.openUrl(url);
    const apiModel = lifecycleModel();
    const unfollow = await followSnapshots(apiStore, apiModel);
    expect(apiModel.snapshot()).toEqual({});
    await refitBase(worker, workerModel);
    const fitted = workerModel.snapshot();
    expect(fitted.rfm).toBeDefined();
    for (let i = 0; i < 200 && apiModel.snapshot().rfm === undefined; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(apiModel.snapshot()).toEqual(fitted);
    unfollow();
    await worker.close();
  });

  it("reads many customers' suppressions in one call, an entry for each, as the per-customer read does", async () => {
    const store = await pg!.open();
    const at = 1_000;
    await store.addSuppression({
      customerId: "c1",
      channel: "email",
      reason: "unsubscribed",
      source: "link",
      createdAt: at,
    });
    await store.addSuppression({
      customerId: "c1",
      channel: "sms",
      reason: "unsubscribed",
      source: "api",
      createdAt: at,
    });
    await store.addSuppression({
      customerId: "c2",
      channel: "*",
      reason: "complaint",
      source: null,
      createdAt: at,
    });
    const many = await store.suppressedChannelsOf(["c1", "c2", "c3"]);
    expect([...many.keys()]).toEqual(["c1", "c2", "c3"]);
    for (const id of ["c1", "c2", "c3"]) expect(many.get(id)).toEqual(await store.suppressedChannels(id));
    expect(many.get("c1")).toEqual(new Set(["email", "sms"]));
    expect(many.get("c3")).toEqual(new Set());
  });

  it("wakes a sleeping worker in another process when sooner work is committed", async () => {
    const url = await pg!.database(true);
    const worker = await pg!.openUrl(url);
    const api = await pg!.openUrl(url);
    const woken: number[] = [];
    const unsubscribe = await worker.watchDue((at) => woken.push(at));
    const run = {
      id: 1,
      journeyId: "j",
      versionId: 1,
      customerId: "c",
      status: "waiting" as const,
      nodeId: "w",
      port: null,
      dueAt: 7_000,
      held: false,
      waitEvent: null,
      waitSince: null,
      waitUntil: null,
      visits: {},
      ctx: {},
      enteredAt: 0,
      endedAt: null,
      outcome: null,
      stepSeq: 0,
    };
    await api.commit({ newRuns: [run] });
    // A commit that schedules nothing sends nothing.
    await api.setMeta("k", "v");
    await api.commit({ steps: [] });
    await expect.poll(() => woken, { timeout: 10_000 }).toEqual([7_000]);
    unsubscribe();
  });

  it("refuses a database whose schema is older than this version, naming the command that migrates it", async () => {
    const url = await pg!.database(false);
    const err = await PostgresStore.open(url, { migrate: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaOutdatedError);
    expect((err as Error).message).toMatch(/no Rekindle schema yet; run: rekindle migrate --database/);
    // Migrating brings it up to date, and then it opens without migrating.
    await (await PostgresStore.open(url)).close();
    const store = await PostgresStore.open(url, { migrate: false });
    await store.ping();
    await store.close();
  });

  it("names the host and the cause when it cannot connect", async () => {
    const err = await PostgresStore.open("postgres://rekindle@127.0.0.1:1/nowhere").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PostgresConnectError);
    expect((err as Error).message).toMatch(
      /^cannot connect to PostgreSQL at 127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/,
    );
  });
});
