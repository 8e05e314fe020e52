import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultRegistry } from "../../engine/actions/builtins";
import { builtinTemplates } from "../../cli/templates";
import { nextCronTime } from "../../engine/schema/cron";
import { durationMs } from "../../engine/schema/duration";
import type { InputEvent } from "../../engine/schema/events";
import { validateJourney } from "../../engine/schema/validate";
import { ManualClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import { simulate } from "../../engine/simulate/simulate";
import type { SimulationReport } from "../../engine/simulate/report";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { lifecycleModel } from "../../engine/customer/engine-model";
import { JOURNEY_LIBRARY, SEED_PLAYS } from "../../server/journey-library";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse("2026-01-05T04:00:00Z"); // 12:00 in Shanghai
const iso = (ms: number): string => new Date(ms).toISOString();
const ids = Array.from({ length: 120 }, (_, i) => `c-${String(i).padStart(3, "0")}`);
let seq = 0;
const track = (userId: string, at: number, event: string, properties: Record<string, unknown> = {}) =>
  ({ type: "track", userId, event, properties, timestamp: iso(at), messageId: `m${seq++}` }) as InputEvent;
const identify = (userId: string, at: number): InputEvent => ({
  type: "identify",
  userId,
  traits: { email: `${userId}@example.com`, phone: "+44 7700 900123", timezone: "Asia/Shanghai" },
  timestamp: iso(at),
  messageId: `m${seq++}`,
});
const order = (userId: string, at: number): InputEvent =>
  track(userId, at, "order_completed", { orderId: `o${seq}`, revenue: 120 });
const play = (id: string) => SEED_PLAYS.find((p) => p.id === id)!;

async function run(id: string, events: InputEvent[]): Promise<SimulationReport> {
  return simulate({
    journeys: [{ source: id, doc: play(id).doc }],
    events,
    templates: builtinTemplates(),
  });
}

/** Per split node and port: members, and members whose goal event came inside the window (spec §4). */
function arms(report: SimulationReport, events: InputEvent[], id: string) {
  const goal = (play(id).doc as { settings: { goal: { event: string; within: string } } }).settings.goal;
  const within = durationMs(goal.within);
  const entered = new Map(report.runs.map((r) => [r.customerId, Date.parse(r.enteredAt)]));
  const converted = (c: string): boolean =>
    events.some((e) => {
      const at = Date.parse(e.timestamp);
      return (
        e.userId === c &&
        e.type === "track" &&
        e.event === goal.event &&
        at >= entered.get(c)! &&
        at < entered.get(c)! + within
      );
    });
  const out: Record<string, Record<string, { members: number; converted: number }>> = {};
  for (const s of report.steps) {
    if (s.type !== "split" || s.port === null) continue;
    const a = ((out[s.nodeId] ??= {})[s.port] ??= { members: 0, converted: 0 });
    a.members++;
    if (converted(s.customerId)) a.converted++;
  }
  return out;
}

describe("seed plays", () => {
  it("validate and publish with the built-in templates and actions, and carry their playbook band", async () => {
    const store = SqliteStore.open(":memory:");
    const engine = await Engine.open({
      model: lifecycleModel(),
      store,
      clock: new ManualClock(T0),
      registry: defaultRegistry(),
      templates: builtinTemplates(),
    });
    for (const p of SEED_PLAYS) {
      const r = validateJourney(p.doc, { actions: engine.registry.info, templates: builtinTemplates() });
      expect(r.ok ? [] : r.issues).toEqual([]);
      await engine.createJourney(p.doc, p.id);
      expect((await engine.publish(p.id)).version).toBe(1);
      expect(p.playbook!.band.low).toBeLessThan(p.playbook!.band.high);
      expect(p.playbook!.goal).toEqual((p.doc as { settings: { goal: unknown } }).settings.goal);
      expect(JOURNEY_LIBRARY).toContain(p);
    }
    await engine.close();
  });

  it("are the documents of their fixture files", () => {
    for (const p of SEED_PLAYS) {
      const file = new URL(`../fixtures/journeys/${p.id}.json`, import.meta.url);
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(p.doc);
    }
  });

  it("golden 72 hours: acts within hours of the signal, holds out 20%, measures orders inside 72 hours", async () => {
    const events: InputEvent[] = [];
    for (const [i, c] of ids.entries()) {
      events.push(identify(c, T0), order(c, T0 + HOUR));
      events.push(track(c, T0 + 10 * DAY, "churn_signal", { reasons: ["order_gap"] }));
      if (i % 2 === 0) events.push(order(c, T0 + 10 * DAY + 30 * HOUR));
    }
    const report = await run("winback-golden-72h", events);
    const h1 = arms(report, events, "winback-golden-72h").h1!;
    expect(h1.holdout!.members).toBeGreaterThan(10);
    expect(h1.continue!.members).toBeGreaterThan(60);
    expect(h1.holdout!.converted).toBeGreaterThan(0);
    expect(h1.continue!.converted).toBeGreaterThan(0);
    const first = report.deliveries.filter((d) => d.nodeId === "a1");
    expect(first.length).toBe(h1.continue!.members);
    // The first touch goes out at the signal (12:00 local, outside quiet hours), not at hour 72.
    for (const d of first) expect(Date.parse(d.at)).toBe(T0 + 10 * DAY);
    // Every touch of a customer who did not order lands inside the 72-hour window.
    for (const d of report.deliveries) expect(Date.parse(d.at)).toBeLessThan(T0 + 10 * DAY + 72 * HOUR);
  });

  it("satisfaction survey: invites through the hosted survey, follows up non-responders, measures answers", async () => {
    const events: InputEvent[] = [];
    for (const [i, c] of ids.entries()) {
      events.push(identify(c, T0), order(c, T0 + HOUR));
      if (i % 3 === 0) events.push(track(c, T0 + 3 * DAY, "survey_response", { scale: "csat", score: 4 }));
      if (i % 3 === 1) events.push(track(c, T0 + 6 * DAY, "survey_response", { scale: "csat", score: 5 }));
    }
    const report = await run("satisfaction-survey", events);
    expect(report.deliveries.filter((d) => d.nodeId === "a1")).toHaveLength(ids.length);
    // No outside survey URL in the document: the engine's signed hosted link fills {{surveyUrl}}.
    expect(JSON.stringify(play("satisfaction-survey").doc)).not.toContain("http");
    const h1 = arms(report, events, "satisfaction-survey").h1!;
    expect(h1.holdout!.members + h1.continue!.members).toBe(ids.length - 40);
    expect(h1.holdout!.members).toBeGreaterThan(20);
    expect(h1.continue!.converted).toBeGreaterThan(0);
    expect(h1.holdout!.converted).toBeGreaterThan(0);
    expect(report.deliveries.filter((d) => d.nodeId === "a2")).toHaveLength(h1.continue!.members);
  });

  it("dormant wake-up: holdout, send time, channel and content all assign and convert", async () => {
    const events: InputEvent[] = [];
    for (const c of ids) events.push(identify(c, T0), order(c, T0 + HOUR), order(c, T0 + 10 * DAY));
    // Forty days later a visit recomputes the stage: dormant (gap 35 days > 2.5 × the 10-day cycle).
    for (const c of ids) events.push(track(c, T0 + 45 * DAY, "product_viewed", { productId: "p-1" }));
    const entry = nextCronTime("0 10 * * 1,4", "Asia/Shanghai", new Date(T0 + 45 * DAY)).getTime();
    for (const [i, c] of ids.entries()) if (i % 2 === 0) events.push(order(c, entry + 3 * DAY + i * 60_000));
    const report = await run("dormant-wake-up", events);
    const a = arms(report, events, "dormant-wake-up");
    expect(report.runs.length).toBeGreaterThanOrEqual(ids.length);
    for (const [node, ports] of [
      ["h1", ["holdout", "continue"]],
      ["s1", ["morning", "evening"]],
      ["s2", ["email", "sms"]],
      ["s3", ["coupon", "discount"]],
    ] as const) {
      for (const port of ports) {
        expect(a[node]?.[port]?.members, `${node}.${port}`).toBeGreaterThan(0);
        expect(a[node]?.[port]?.converted, `${node}.${port}`).toBeGreaterThan(0);
      }
    }
    const sends = new Set(report.deliveries.map((d) => d.nodeId));
    expect([...sends].sort()).toEqual(["a1", "a2", "a3"]);
  });
});
