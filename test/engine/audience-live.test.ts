/**
 * Live audience triggers: a published journey's cron slot is a timer row the driver claims at its due time
 * in virtual time, enters its audience once, and is not fired again after a restart, which plans the slots
 * again. After downtime the pending slot fires once, late, and the next one is the first after the restart.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultRegistry } from "../../engine/actions/builtins";
import { lifecycleModel } from "../../engine/customer/engine-model";
import { AudienceSchedules } from "../../engine/runtime/audience-schedules";
import { ManualClock } from "../../engine/runtime/clock";
import { Driver } from "../../engine/runtime/driver";
import { Engine } from "../../engine/runtime/engine";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { DAY, HOUR, T0, identifyEvent, journey } from "./harness";

const dir = mkdtempSync(join(tmpdir(), "rekindle-audience-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 09:00 in Shanghai is 01:00 UTC: the first slot after T0 (a Monday, 00:00 UTC). */
const SLOT1 = T0 + HOUR;

const doc = journey(
  [
    [
      "t1",
      "trigger",
      {
        kind: "audience",
        schedule: "0 9 * * *",
        timezone: "Asia/Shanghai",
        conditions: { all: [{ fact: "customer", path: "$.traits.plan", operator: "equal", value: "gold" }] },
      },
    ],
    ["x1", "exit", {}],
  ],
  [["t1", "x1"]],
  { reentry: { mode: "always" } },
  "Daily gold audience",
);

/** One engine incarnation on the data file: the engine, its audience schedules and its driver. */
async function start(file: string, now: number) {
  const clock = new ManualClock(now);
  const store = SqliteStore.open(file, { checkpoint: "inline" });
  const engine = await Engine.open({ store, clock, registry: defaultRegistry(), model: lifecycleModel() });
  const audience = new AudienceSchedules(engine, (err) => {
    throw err;
  });
  await audience.ready();
  const driver = new Driver(engine);
  const entries = async (): Promise<number[]> =>
    (await store.listSteps({ journeyId: "gold", limit: 1000 }))
      .filter((s) => s.outcome === "entered")
      .map((s) => s.at)
      .sort((a, b) => a - b);
  const stop = async (): Promise<void> => {
    audience.stop();
    await engine.close();
  };
  return { clock, engine, audience, driver, entries, stop };
}

describe("a live audience trigger", () => {
  it("enters its audience once per slot at the slot's time, across restarts and downtime", async () => {
    const file = join(dir, "audience.db");
    const a = await start(file, T0);
    await a.engine.ingest([
      identifyEvent("g1", { plan: "gold" }, T0),
      identifyEvent("g2", { plan: "gold" }, T0),
      identifyEvent("s1", { plan: "silver" }, T0),
    ]);
    await a.engine.createJourney(doc, "gold");
    await a.engine.publish("gold");
    await a.audience.ready();

    await a.driver.runUntil(a.clock, SLOT1 - 1);
    expect(await a.entries()).toEqual([]);
    await a.driver.runUntil(a.clock, SLOT1 + 6 * HOUR);
    // g1 and g2 at 09:00 Shanghai exactly; s1 does not match; the slot fired once.
    expect(await a.entries()).toEqual([SLOT1, SLOT1]);
    expect(a.clock.now()).toBe(SLOT1);
    a.clock.set(SLOT1 + 6 * HOUR);
    await a.stop();

    // Restarted the same day: the schedule is planned again, and the fired slot is not fired again.
    const b = await start(file, SLOT1 + 6 * HOUR);
    await b.driver.runUntil(b.clock, SLOT1 + DAY - 1);
    expect(await b.entries()).toEqual([SLOT1, SLOT1]);
    await b.driver.runUntil(b.clock, SLOT1 + DAY);
    expect(await b.entries()).toEqual([SLOT1, SLOT1, SLOT1 + DAY, SLOT1 + DAY]);
    await b.stop();

    // Down across the third slot: it fires once when the engine is back (late), then the fourth on time.
    const late = SLOT1 + 2 * DAY + 5 * HOUR;
    const c = await start(file, late);
    await c.driver.runUntil(c.clock, SLOT1 + 3 * DAY - 1);
    expect((await c.entries()).slice(4)).toEqual([late, late]);
    await c.driver.runUntil(c.clock, SLOT1 + 3 * DAY);
    expect((await c.entries()).slice(4)).toEqual([late, late, SLOT1 + 3 * DAY, SLOT1 + 3 * DAY]);

    // Paused: its slot passes without entering anyone; resumed, the next slot enters again.
    await c.engine.pause("gold");
    await c.driver.runUntil(c.clock, SLOT1 + 4 * DAY);
    expect(await c.entries()).toHaveLength(8);
    await c.engine.resume("gold");
    await c.audience.ready();
    await c.driver.runUntil(c.clock, SLOT1 + 5 * DAY);
    expect((await c.entries()).slice(8)).toEqual([SLOT1 + 5 * DAY, SLOT1 + 5 * DAY]);
    await c.stop();
  });
});
