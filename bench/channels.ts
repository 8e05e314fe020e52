// Channel figures for `npm run bench`: template renders per second (cached win-back email) and outbox
// dispatch rate through Engine.dispatch to a local webhook sink, each beside a floor measured in the
// same run (raw Handlebars for templates, a raw fetch loop to the same sink for dispatch).
import Handlebars from "handlebars";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { channelDeliver, defaultRegistry } from "../engine/actions/builtins";
import { createChannelProviders, loadChannelConfig } from "../engine/channels";
import { ManualClock } from "../engine/runtime/clock";
import { Driver } from "../engine/runtime/driver";
import { Engine } from "../engine/runtime/engine";
import { SqliteStore } from "../engine/store/sqlite/store";
import { benchTemplates } from "../engine/templates/bench";
import { lifecycleModel } from "../engine/customer/engine-model";

function perSecond(n: number, ms: number): number {
  return Math.round((n / ms) * 1000);
}

/** Raw Handlebars (isolated instance, one compiled template, no library around it): 5 fields + a helper. */
function rawHandlebarsFloor(durationMs: number): number {
  const hb = Handlebars.create();
  hb.registerHelper("default", (v: unknown, d: unknown) =>
    v === undefined || v === null || v === "" ? d : v,
  );
  const t = hb.compile(
    '<p>Hi {{default customer.traits.name "there"}}, use {{coupon}} before {{now}}. Orders: {{customer.ordersCount}}. <a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
  );
  const ctx = {
    customer: { traits: { name: "Alex" }, ordersCount: 6 },
    coupon: "BACK-8K2F",
    now: "2026-03-05",
    unsubscribeUrl: "https://x.example/u/t",
  };
  for (let i = 0; i < 2_000; i++) t(ctx);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    for (let i = 0; i < 500; i++) t(ctx);
    n += 500;
  }
  return perSecond(n, performance.now() - start);
}

async function startSink() {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received: () => received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Deliveries per second through Engine.dispatch (outbox claim, signed webhook POST, commit) on a file DB. */
async function dispatchRate(url: string, count: number, concurrency: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "rk-bench-channels-"));
  try {
    const providers = createChannelProviders(
      loadChannelConfig({
        REKINDLE_WEBHOOK_SECRET: "whsec_bench_0123456789abcdef",
        // The receiver is on loopback, which webhooks reach only when allow-listed.
        REKINDLE_WEBHOOK_ALLOW: "127.0.0.1",
      }),
    );
    const clock = new ManualClock(Date.parse("2026-03-01T00:00:00Z"));
    const engine = await Engine.open({
      model: lifecycleModel(),
      store: SqliteStore.open(join(dir, "bench.sqlite")),
      clock,
      registry: defaultRegistry({ deliver: channelDeliver(providers) }),
    });
    const doc = {
      schemaVersion: 1,
      name: "Bench: webhook",
      settings: { reentry: { mode: "always" } },
      nodes: [
        { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event: "ping" } },
        {
          id: "w1",
          type: "action",
          position: { x: 0, y: 100 },
          data: { action: "webhook", params: { url } },
        },
      ],
      edges: [{ id: "e1", source: "t1", target: "w1" }],
    };
    await engine.createJourney(doc, "bench");
    await engine.publish("bench", doc);
    const timestamp = new Date(clock.now()).toISOString();
    for (let i = 0; i < count; i += 1000) {
      const events = [];
      for (let j = i; j < Math.min(count, i + 1000); j++)
        events.push({ type: "track" as const, userId: `c-${j}`, event: "ping", properties: {}, timestamp });
      await engine.ingest(events);
    }
    const driver = new Driver(engine, {
      batchSize: 1000,
      dispatchLimit: 500,
      dispatchConcurrency: concurrency,
    });
    await driver.advanceDue();
    const start = performance.now();
    const sent = await driver.deliverDue();
    const ms = performance.now() - start;
    const delivered = (await engine.store.listOutbox({ status: "sent", limit: count + 1 })).length;
    await engine.close();
    if (delivered !== count) throw new Error(`dispatch bench: ${delivered} of ${count} sent`);
    return perSecond(sent, ms);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor: the same number of POSTs with `fetch`, `concurrency` at a time, nothing else. */
async function fetchFloor(url: string, count: number, concurrency: number): Promise<number> {
  const body = JSON.stringify({
    id: "1:w1:1",
    type: "rekindle.message",
    customerId: "c-1",
    message: { body: "" },
  });
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": String(next) },
          body,
        });
        await res.text();
      }
    }),
  );
  return perSecond(count, performance.now() - start);
}

export async function benchChannels(
  options: { durationMs?: number; deliveries?: number; concurrency?: number } = {},
): Promise<Record<string, number>> {
  const durationMs = options.durationMs ?? 2_000;
  const count = options.deliveries ?? 3_000;
  const concurrency = options.concurrency ?? 32;
  const t = benchTemplates({ durationMs });
  const floor = rawHandlebarsFloor(durationMs);
  const sink = await startSink();
  try {
    await fetchFloor(sink.url, 200, concurrency); // warm-up: connections, JIT
    const fetchPerSecond = await fetchFloor(sink.url, count, concurrency);
    const dispatchPerSecond = await dispatchRate(sink.url, count, concurrency);
    return {
      templates_email_renders_per_s: t.rendersPerSecond,
      templates_small_email_renders_per_s: t.small.rendersPerSecond,
      templates_floor_raw_handlebars_renders_per_s: floor,
      dispatch_webhook_deliveries_per_s: dispatchPerSecond,
      dispatch_floor_raw_fetch_per_s: fetchPerSecond,
    };
  } finally {
    await sink.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(await benchChannels())}\n`);
}
