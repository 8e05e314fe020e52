import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultRegistry } from "../../engine/actions/builtins";
import {
  BaseFitCollector,
  computeRfmBoundariesFromColumns,
  fitBaseFromProfiles,
} from "../../engine/customer/base-fit";
import { DEFAULT_CONFIG } from "../../engine/customer/config";
import { demoCustomers, DEMO_DEFAULTS } from "../../engine/customer/demo/generate";
import { lifecycleModel } from "../../engine/customer/engine-model";
import { toCustomerEvent } from "../../engine/customer/events";
import { bgnbdLogLik } from "../../engine/customer/model/bgnbd";
import { fitModelFromProfiles, profileSummary } from "../../engine/customer/model/predict";
import { recompute } from "../../engine/customer/profile";
import {
  loadSnapshot,
  NightlyRecompute,
  recomputeAll,
  restoreSnapshot,
  SNAPSHOT_META_KEY,
} from "../../engine/customer/recompute-job";
import { computeRfmBoundaries } from "../../engine/customer/rfm";
import type { CustomerEvent, CustomerProfile } from "../../engine/customer/types";
import { ManualClock } from "../../engine/runtime/clock";
import { Driver } from "../../engine/runtime/driver";
import { Engine } from "../../engine/runtime/engine";
import { nextCronTime } from "../../engine/schema/cron";
import type { InputEvent } from "../../engine/schema/events";
import { SqliteStore } from "../../engine/store/sqlite/store";

const NOW = Date.parse(DEMO_DEFAULTS.now);
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), "rekindle-recompute-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Demo profiles built directly (as the engine's model would), for the fit tests. */
function demoProfiles(n: number, seed = 3): CustomerProfile[] {
  const out: CustomerProfile[] = [];
  for (const c of demoCustomers({ customers: n, seed })) {
    const evs: CustomerEvent[] = [];
    for (const e of c.events) {
      const ce = toCustomerEvent(e);
      if (ce) evs.push(ce);
    }
    out.push(recompute(evs, DEFAULT_CONFIG, NOW).profile);
  }
  return out;
}

describe("the base fit from summaries", () => {
  const profiles = demoProfiles(1500);

  it("equals fitModelFromProfiles and computeRfmBoundaries when every buyer is fitted", () => {
    const { snapshot, stats } = fitBaseFromProfiles(profiles, NOW);
    const ref = fitModelFromProfiles(profiles, NOW);
    const m = snapshot.model!;
    // The nightly stopping rule is a little looser than the CLI's: the same optimum to ~5 digits.
    const rel = (x: number, y: number) => Math.abs(x / y - 1);
    for (const k of ["r", "alpha", "a", "b"] as const)
      expect(rel(m.bgnbd[k], ref.bgnbd[k])).toBeLessThan(1e-5);
    for (const k of ["p", "q", "gamma"] as const)
      expect(rel(m.gammaGamma![k], ref.gammaGamma![k])).toBeLessThan(1e-3);
    expect(m.logLik!.bgnbd).toBeCloseTo(ref.logLik!.bgnbd, 5);
    expect(m.logLik!.gammaGamma!).toBeCloseTo(ref.logLik!.gammaGamma!, 5);
    expect(m.customers).toBe(ref.customers);
    expect(snapshot.rfm).toEqual(computeRfmBoundaries(profiles, NOW));
    expect(stats).toMatchObject({
      customers: 1500,
      buyers: ref.customers,
      fitCustomers: { bgnbd: ref.customers },
    });
  });

  it("fits on a seeded subsample beyond maxFitCustomers and reports the log-likelihood of the whole base", () => {
    const a = fitBaseFromProfiles(profiles, NOW, { maxFitCustomers: 600, seed: 7 });
    const b = fitBaseFromProfiles(profiles, NOW, { maxFitCustomers: 600, seed: 7 });
    expect(a.snapshot.model).toEqual(b.snapshot.model);
    expect(a.stats.fitCustomers).toEqual({ bgnbd: 600, gammaGamma: 600 });
    const all = profiles.flatMap((p) => {
      const s = profileSummary(p, NOW);
      return s ? [{ x: s.x, tx: s.tx, T: Math.max(s.tx, Math.floor(s.T)) }] : [];
    });
    expect(a.snapshot.model!.logLik!.bgnbd).toBeCloseTo(bgnbdLogLik(a.snapshot.model!.bgnbd, all), 6);
    // The subsample's estimate loses little likelihood on the whole base (under 0.01 nats per customer;
    // BG/NBD's a and b are weakly identified on small bases, so the parameters themselves may move more).
    const full = fitBaseFromProfiles(profiles, NOW).snapshot.model!;
    const lost = (full.logLik!.bgnbd - a.snapshot.model!.logLik!.bgnbd) / all.length;
    expect(lost).toBeGreaterThanOrEqual(-1e-9);
    expect(lost).toBeLessThan(0.01);
    // RFM boundaries stay exact over every buyer.
    expect(a.snapshot.rfm).toEqual(computeRfmBoundaries(profiles, NOW));
  });

  it("a warm start from yesterday's model lands on the same optimum", () => {
    const cold = fitBaseFromProfiles(profiles, NOW).snapshot.model!;
    const warm = fitBaseFromProfiles(profiles, NOW, { previous: cold }).snapshot.model!;
    expect(warm.logLik!.bgnbd).toBeCloseTo(cold.logLik!.bgnbd, 4);
    expect(warm.bgnbd.r).toBeCloseTo(cold.bgnbd.r, 3);
  });

  it("no model with too few repeat buyers; RFM over the buyers; nothing for prospects only", () => {
    const c = new BaseFitCollector(NOW);
    for (const p of profiles.slice(0, 10)) c.add(p);
    const r = c.finish();
    expect(r.snapshot.model).toBeUndefined();
    expect(r.stats.modelSkipped).toMatch(/repeat purchase/);
    expect(r.snapshot.rfm?.customers).toBe(r.stats.buyers);
    const empty = new BaseFitCollector(NOW).finish();
    expect(empty.snapshot).toEqual({});
  });

  it("computeRfmBoundariesFromColumns matches the profile-based boundaries", () => {
    const f = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const b = computeRfmBoundariesFromColumns(f.slice(), f.slice(), f.slice(), NOW);
    [2.8, 4.6, 6.4, 8.2].forEach((v, i) => expect(b.frequency[i]).toBeCloseTo(v, 12));
    expect(b.customers).toBe(10);
  });
});

async function openEngine(file: string, now: number) {
  const store = SqliteStore.open(file);
  const model = lifecycleModel();
  const clock = new ManualClock(now);
  const engine = await Engine.open({ store, clock, registry: defaultRegistry(), model });
  return { store, model, clock, engine };
}

describe("recomputeAll", () => {
  it("streams the base, stores the fit in meta, installs it, refreshes profiles; the fit survives a restart", async () => {
    const file = join(dir, "base.db");
    const { store, model, clock, engine } = await openEngine(file, NOW);
    const events: InputEvent[] = [];
    for (const c of demoCustomers({ customers: 400, seed: 5 })) {
      for (const e of c.events) {
        events.push(
          e.type === "identify"
            ? { type: "identify", userId: c.id, traits: e.traits, timestamp: e.timestamp }
            : {
                type: "track",
                userId: c.id,
                event: e.event,
                properties: e.properties,
                timestamp: e.timestamp,
              },
        );
      }
    }
    for (let i = 0; i < events.length; i += 5000) await engine.ingest(events.slice(i, i + 5000));
    expect(model.snapshot()).toEqual({});

    clock.set(NOW + 30 * DAY);
    const progress: string[] = [];
    const r = await recomputeAll(engine, model, {
      pageSize: 64,
      onProgress: (p) => progress.push(p.phase),
    });
    expect(r.customers).toBe(400);
    expect(r.refreshed).toBe(400);
    expect(r.emitted).toBeGreaterThan(0); // 30 days on: stage changes and signals
    expect(progress.filter((p) => p === "fit")).toHaveLength(Math.ceil(400 / 64));
    const snap = r.snapshot;
    expect(snap.fittedAt).toBe(new Date(NOW + 30 * DAY).toISOString());
    expect(snap.model?.unit).toBe("day");
    expect(snap.logLik?.bgnbd).toBeLessThan(0);
    expect(snap.model?.fittedAt).toBe(snap.fittedAt);
    expect(model.snapshot().model).toEqual(snap.model);
    expect(model.snapshot().rfm).toEqual(snap.rfm);
    expect(JSON.parse((await store.getMeta(SNAPSHOT_META_KEY))!)).toEqual(snap);

    // Facts now carry predictions and RFM.
    const [row] = await store.scanCustomers(null, 1);
    const fact = model.fact(row!, clock.now()) as { rfm?: unknown; pAlive?: unknown };
    expect(fact.rfm).toBeDefined();

    // A second night: no new events for what already changed.
    clock.set(NOW + 31 * DAY);
    const again = await recomputeAll(engine, model);
    expect(again.emitted).toBeLessThan(r.emitted);
    await engine.close();

    // Restart: the stored fit is installed before any nightly run.
    const reopened = await openEngine(file, NOW + 32 * DAY);
    expect(reopened.model.snapshot()).toEqual({});
    const restored = await restoreSnapshot(reopened.store, reopened.model);
    expect(restored?.fittedAt).toBe(new Date(NOW + 31 * DAY).toISOString());
    expect(reopened.model.snapshot().model).toEqual(restored!.model);
    expect(reopened.model.snapshot().rfm).toEqual(restored!.rfm);
    await reopened.engine.close();
  });

  it("keeps the model in use when a fit is impossible, and tolerates a missing or corrupt stored fit", async () => {
    const { store, model, engine } = await openEngine(":memory:", NOW);
    expect(await restoreSnapshot(store, model)).toBeUndefined();
    await store.setMeta(SNAPSHOT_META_KEY, "{not json");
    expect(await loadSnapshot(store)).toBeUndefined();
    const prior = {
      unit: "day" as const,
      bgnbd: DEMO_DEFAULTS.bgnbd,
      gammaGamma: DEMO_DEFAULTS.gammaGamma,
    };
    model.setSnapshot({ model: prior });
    await engine.ingest([
      {
        type: "track",
        userId: "a",
        event: "order_completed",
        properties: { revenue: 5 },
        timestamp: new Date(NOW - DAY).toISOString(),
      },
    ]);
    const r = await recomputeAll(engine, model);
    expect(r.snapshot.stats.modelSkipped).toMatch(/repeat purchase/);
    expect(r.snapshot.model).toEqual(prior);
    expect(r.snapshot.rfm?.customers).toBe(1);
    await engine.close();
  });
});

describe("NightlyRecompute", () => {
  it("validates the schedule, runs on demand, joins a run in progress, reports through onDone", async () => {
    const { model, engine } = await openEngine(":memory:", NOW);
    expect(() => new NightlyRecompute(engine, model, { schedule: "not cron" })).toThrow(/invalid cron/);
    const done: number[] = [];
    const job = new NightlyRecompute(engine, model, {
      timezone: "Asia/Shanghai",
      onDone: (r) => done.push(r.customers),
    });
    expect(job.schedule).toBe("0 3 * * *");
    await job.start();
    const a = job.runNow();
    const b = job.runNow();
    expect(job.running).toBe(true);
    expect(a).toBe(b);
    await a;
    expect(job.running).toBe(false);
    expect(done).toEqual([0]);
    await job.stop();
    await engine.close();
  });

  it("fires once per night at its slot, as a timer row the driver claims in virtual time", async () => {
    const file = join(dir, "nightly.db");
    const { model, clock, engine } = await openEngine(file, NOW);
    const fired: number[] = [];
    const job = new NightlyRecompute(engine, model, {
      schedule: "0 3 * * *",
      timezone: "UTC",
      onDone: () => fired.push(clock.now()),
    });
    await job.start();
    const driver = new Driver(engine);
    const night = nextCronTime("0 3 * * *", "UTC", new Date(NOW)).getTime();
    await driver.runUntil(clock, night - 1);
    expect(fired).toEqual([]);
    await driver.runUntil(clock, night + 3_600_000);
    expect(fired).toEqual([night]);
    // Restarted after the night: the slot is done and is not fired again; the next night is.
    await job.stop();
    await engine.close();
    const again = await openEngine(file, clock.now());
    const job2 = new NightlyRecompute(again.engine, again.model, {
      schedule: "0 3 * * *",
      timezone: "UTC",
      onDone: () => fired.push(again.clock.now()),
    });
    await job2.start();
    const driver2 = new Driver(again.engine);
    await driver2.runUntil(again.clock, night + 86_400_000 - 1);
    expect(fired).toEqual([night]);
    await driver2.runUntil(again.clock, night + 86_400_000);
    expect(fired).toEqual([night, night + 86_400_000]);
    await job2.stop();
    await again.engine.close();
  });
});
