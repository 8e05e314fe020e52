import { afterEach, describe, expect, it } from "vitest";
import { defaultRegistry } from "../actions/builtins";
import type { DeliverFn } from "../actions/builtins";
import { email, eventTrigger, Harness, identifyEvent, journey, trackEvent } from "../../test/engine/harness";
import type { Store } from "../store/types";
import { Dispatcher } from "./dispatcher";

let h: Harness | undefined;
let dispatcher: Dispatcher | undefined;
afterEach(async () => {
  await dispatcher?.stop();
  await h?.close();
  h = dispatcher = undefined;
});

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe("the dispatcher under load", () => {
  it("claims a busy receiver's deliveries only as its lane frees: none claimed just to be handed back", async () => {
    // One provider (one lane), answering on the next turn of the loop; how many calls it holds at once.
    let open = 0;
    let most = 0;
    const deliver: DeliverFn = async () => {
      most = Math.max(most, ++open);
      await new Promise((r) => setTimeout(r, 2));
      open--;
      return { status: "done" };
    };
    h = await Harness.open({ registry: defaultRegistry({ deliver }) });
    await h.publish(
      journey(
        [
          ["t1", "trigger", eventTrigger("go")],
          ["a1", "action", email()],
        ],
        [["t1", "a1"]],
      ),
    );
    const ids = Array.from({ length: 24 }, (_, i) => `c${i}`);
    await h.ingest(ids.map((id) => identifyEvent(id, { email: `${id}@example.com` }, h!.now)));
    await h.ingest(ids.map((id) => trackEvent(id, "go", {}, h!.now)));
    await h.driver.advanceDue();
    expect(await h.store.listOutbox({ status: "pending" })).toHaveLength(24);

    // Count every row a claim hands out: a row claimed, handed back unsent and claimed again counts twice.
    const store: Store = h.store;
    const claim = store.claimOutbox.bind(store);
    let claimed = 0;
    store.claimOutbox = async (...args) => {
      const rows = await claim(...args);
      claimed += rows.length;
      return rows;
    };
    dispatcher = new Dispatcher(h.engine, { concurrency: 8, perReceiver: 2, maxSleepMs: 20 });
    // The deliveries were due 5 s ago: the first claim reports that lag (what ingestion backpressure reads).
    h.jumpTo(h.now + 5_000);
    dispatcher.start();
    await until("the first claim", () => Promise.resolve(dispatcher!.inFlight > 0));
    expect(dispatcher.lagMs).toBe(5_000);
    await until(
      "every delivery sent",
      async () => (await h!.store.listOutbox({ status: "sent" })).length === 24,
    );
    await until("a claim that finds nothing", () => Promise.resolve(dispatcher!.lagMs === 0));

    expect(claimed).toBe(24);
    expect(most).toBe(2);
    expect((await h.store.listOutbox({})).every((r) => r.attempts === 1)).toBe(true);
  });
});
