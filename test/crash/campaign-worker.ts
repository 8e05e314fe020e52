// A live engine (scheduler + dispatcher) on a database file, delivering a webhook and an email per customer
// to real local receivers, ingesting customers sent on stdin and acknowledging each batch once committed.
// Usage: node --import tsx test/crash/campaign-worker.ts DB HOOK_URL SMTP_PORT CONCURRENCY (live|drain)
import { createInterface } from "node:readline";
import { channelDeliver, defaultRegistry } from "../../engine/actions/builtins";
import { createChannelProviders, loadChannelConfig } from "../../engine/channels";
import { unsubscribeLinks } from "../../engine/consent";
import { systemClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import { Scheduler } from "../../engine/runtime/scheduler";
import type { InputEvent } from "../../engine/schema/events";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { libraryRenderer } from "../../engine/templates/engine-renderer";
import { loadTemplateLibrary } from "../../engine/templates/load";
import { lifecycleModel } from "../../engine/customer/engine-model";

const [file, hookUrl, smtpPort, concurrencyArg, mode] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const links = unsubscribeLinks("campaign-unsubscribe-secret-0123", "https://shop.example.com/");
const providers = createChannelProviders(
  loadChannelConfig({
    REKINDLE_WEBHOOK_ALLOW: "127.0.0.1",
    REKINDLE_WEBHOOK_TIMEOUT_MS: "5000",
    REKINDLE_EMAIL_PROVIDER: "smtp",
    REKINDLE_SMTP_HOST: "127.0.0.1",
    REKINDLE_SMTP_PORT: smtpPort!,
    REKINDLE_EMAIL_FROM: '"Rekindle Shop" <hello@shop.example.com>',
  }),
);
const engine = await Engine.open({
  model: lifecycleModel(),
  store: SqliteStore.open(file!),
  clock: systemClock,
  registry: defaultRegistry({ deliver: channelDeliver(providers, { unsubscribeUrl: links }) }),
  templates: libraryRenderer(loadTemplateLibrary(), { unsubscribeUrl: links }),
});
if (!(await engine.store.getJourney("campaign"))) {
  const doc = {
    schemaVersion: 1,
    name: "Crash campaign",
    settings: {},
    nodes: [
      { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event: "churn_signal" } },
      {
        id: "hook",
        type: "action",
        position: { x: 0, y: 100 },
        data: { action: "webhook", params: { url: hookUrl } },
      },
      {
        id: "mail",
        type: "action",
        position: { x: 0, y: 200 },
        data: { action: "email", template: "winback-coupon" },
      },
    ],
    edges: [
      { id: "e1", source: "t1", target: "hook" },
      { id: "e2", source: "hook", target: "mail" },
    ],
  };
  await engine.createJourney(doc, "campaign");
  await engine.publish("campaign", doc);
}

if (mode === "drain") {
  // After the campaign: deliver what is left, as a restarted engine would, then stop cleanly.
  for (let i = 0; i < 400; i++) {
    const moved = (await engine.tick(500)) + (await engine.dispatch(200, concurrency, 5000));
    if (moved > 0) continue;
    const next = await engine.nextDeliveryAt();
    if (next === null && (await engine.nextDueAt()) === null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await engine.close();
  await providers.close();
  say("drained");
} else {
  const scheduler = new Scheduler(engine, {
    maxSleepMs: 20,
    dispatcher: { concurrency, perReceiver: concurrency / 2, timeoutMs: 5000, maxSleepMs: 20 },
  });
  scheduler.start();
  say("ready");
  const timestamp = new Date().toISOString();
  createInterface({ input: process.stdin }).on("line", (line) => {
    const ids = JSON.parse(line) as string[];
    const events: InputEvent[] = ids.flatMap((id) => [
      {
        type: "identify",
        userId: id,
        traits: { email: `${id}@example.com`, name: id, locale: "en" },
        timestamp,
      },
      { type: "track", userId: id, event: "churn_signal", properties: {}, timestamp, messageId: `m-${id}` },
    ]);
    void engine.ingest(events).then(() => say(`ack ${ids.join(",")}`));
  });
}
