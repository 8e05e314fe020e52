// The engine in a child process on a database file, delivering a webhook to a local server.
// Usage: node --import tsx test/channels/crash-send-worker.ts DB URL (start|resume)
// `start` publishes the journey, enters one customer and dispatches (the test SIGKILLs it mid-send);
// `resume` only dispatches what is left, as a restarted engine would, and prints "done".
import { channelDeliver, defaultRegistry } from "../../engine/actions/builtins";
import { createChannelProviders, loadChannelConfig } from "../../engine/channels";
import { systemClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { lifecycleModel } from "../../engine/customer/engine-model";

const [file, url, mode] = process.argv.slice(2);
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const providers = createChannelProviders(
  loadChannelConfig({
    REKINDLE_WEBHOOK_SECRET: "whsec_crash_0123456789abcdef",
    REKINDLE_WEBHOOK_TIMEOUT_MS: "60000",
    REKINDLE_WEBHOOK_ALLOW: "127.0.0.1",
  }),
);
const engine = await Engine.open({
  model: lifecycleModel(),
  store: SqliteStore.open(file!),
  clock: systemClock,
  registry: defaultRegistry({ deliver: channelDeliver(providers) }),
});
if (mode === "start") {
  const doc = {
    schemaVersion: 1,
    name: "Crash between send and commit",
    settings: {},
    nodes: [
      { id: "t1", type: "trigger", position: { x: 0, y: 0 }, data: { kind: "event", event: "churn_signal" } },
      { id: "w1", type: "action", position: { x: 0, y: 100 }, data: { action: "webhook", params: { url } } },
    ],
    edges: [{ id: "e1", source: "t1", target: "w1" }],
  };
  await engine.createJourney(doc, "j");
  await engine.publish("j", doc);
  const timestamp = new Date().toISOString();
  await engine.ingest([{ type: "track", userId: "c-1", event: "churn_signal", properties: {}, timestamp }]);
  await engine.tick(100);
  say("dispatching");
  await engine.dispatch(10, 1, 60_000);
  say("unexpected: dispatch returned");
} else {
  say("resumed");
  for (let i = 0; i < 100 && (await engine.dispatch(10, 1, 10_000)) === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await engine.close();
  say("done");
}
