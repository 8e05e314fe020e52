import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeResults, resultsCsv } from "../../engine/results";
import { resultsReportSchema } from "../../engine/schema/results";
import { DAY, email, eventTrigger, Harness, HOUR, journey, MINUTE, T0, trackEvent } from "./harness";

let h: Harness;
beforeEach(async () => {
  h = await Harness.open();
});
afterEach(async () => {
  await h.close();
});

const goal = { event: "order_completed", within: "7d" };

/** Holdout 50% with no edge out of `holdout`: those runs end at once, and still convert. */
const holdoutDoc = (settings: Record<string, unknown> = { goal }) =>
  journey(
    [
      ["t1", "trigger", eventTrigger("churn_signal")],
      ["h1", "split", { kind: "holdout", percent: 50 }],
      ["a1", "action", email()],
      ["x1", "exit", {}],
    ],
    [
      ["t1", "h1"],
      ["h1", "a1", "continue"],
      ["a1", "x1"],
    ],
    settings,
  );

const report = async (j: string, opts: Partial<Parameters<typeof computeResults>[2]> = {}) => {
  const r = await computeResults(h.store, j, { asOf: h.now, ...opts });
  return resultsReportSchema.parse(r);
};

describe("who converted", () => {
  it("counts conversions from events for runs that already ended (holdout without an edge, exit node)", async () => {
    const j = await h.publish(holdoutDoc());
    for (let i = 0; i < 40; i++) {
      await h.identify(`c${i}`, { email: `c${i}@example.com` });
      await h.track(`c${i}`, "churn_signal");
    }
    const runs = await h.runs({ journeyId: j });
    expect(runs.every((r) => r.status === "completed")).toBe(true);
    await h.advanceBy(HOUR);
    // Every even customer orders; the odd ones do not.
    for (let i = 0; i < 40; i += 2) await h.track(`c${i}`, "order_completed", { revenue: 10 + i });
    const r = await report(j);
    expect(r.totals).toMatchObject({ entered: 40, converted: 20, matured: 0, open: 40 });
    expect(r.totals.revenue).toBe(
      Array.from({ length: 20 }, (_, k) => 10 + 2 * k).reduce((s, v) => s + v, 0),
    );
    const e = r.experiments[0]!;
    expect(e).toMatchObject({ nodeId: "h1", kind: "holdout", baseline: "holdout" });
    const members = Object.fromEntries(e.arms.map((a) => [a.id, a]));
    expect(members.holdout!.members + members.continue!.members).toBe(40);
    const steps = await h.steps({ journeyId: j, nodeId: "h1" });
    const held = new Set(steps.filter((s) => s.port === "holdout").map((s) => s.customerId));
    const heldConverted = [...held].filter((c) => Number(c.slice(1)) % 2 === 0).length;
    expect(members.holdout!.members).toBe(held.size);
    expect(members.holdout!.converted).toBe(heldConverted);
    expect(members.continue!.converted).toBe(20 - heldConverted);
    // Runs that ended by the exit node (continue) and by having no edge (holdout) both count.
    expect(heldConverted).toBeGreaterThan(0);
    expect(20 - heldConverted).toBeGreaterThan(0);
    expect(r.totals.delivered).toBe(members.continue!.members);
  });

  it("window edges: before entry no, at entry yes, just before entry + within yes, at entry + within no", async () => {
    const j = await h.publish(holdoutDoc());
    const enter = async (c: string) => {
      await h.identify(c, {});
      await h.track(c, "churn_signal");
    };
    const entry = h.now;
    for (const c of ["before", "at", "justBefore", "atEnd"]) await enter(c);
    await h.ingest([trackEvent("before", "order_completed", {}, entry - 1)]);
    await h.ingest([trackEvent("at", "order_completed", {}, entry)]);
    await h.advanceTo(entry + 7 * DAY);
    await h.ingest([trackEvent("justBefore", "order_completed", {}, entry + 7 * DAY - 1)]);
    await h.ingest([trackEvent("atEnd", "order_completed", {}, entry + 7 * DAY)]);
    const rows = await h.store.resultRows({ journeyId: j, asOf: h.now + 1, limit: 100 });
    const converted = Object.fromEntries(rows.map((r) => [r.customerId, r.convertedAt]));
    expect(converted).toEqual({
      before: null,
      at: entry,
      justBefore: entry + 7 * DAY - 1,
      atEnd: null,
    });
  });

  it("counts an entry once however many goal events arrive, and honours the goal's where", async () => {
    const where = { all: [{ fact: "event", path: "$.properties.channel", operator: "equal", value: "web" }] };
    const j = await h.publish(holdoutDoc({ goal: { ...goal, where } }));
    await h.track("c1", "churn_signal");
    await h.track("c1", "order_completed", { channel: "store", revenue: 5 });
    expect((await report(j)).totals.converted).toBe(0);
    await h.track("c1", "order_completed", { channel: "web", revenue: 7 });
    await h.track("c1", "order_completed", { channel: "web", revenue: 100 });
    const r = await report(j);
    expect(r.totals).toMatchObject({ converted: 1, revenue: 7 });
  });

  it("a journey without a goal has entries and no conversions", async () => {
    const j = await h.publish(holdoutDoc({}));
    await h.track("c1", "churn_signal");
    await h.track("c1", "order_completed");
    const r = await report(j);
    expect(r.goal).toBeNull();
    expect(r.totals).toMatchObject({ entered: 1, converted: 0, matured: 1 });
  });
});

describe("matured entries and the report's moment", () => {
  it("an entry matures when entry + within ≤ asOf; asOf hides later entries and conversions", async () => {
    const j = await h.publish(holdoutDoc());
    await h.track("early", "churn_signal");
    await h.advanceBy(3 * DAY);
    await h.track("late", "churn_signal");
    await h.advanceBy(HOUR);
    await h.track("early", "order_completed", { revenue: 3 });
    await h.track("late", "order_completed", { revenue: 4 });
    const at = (ms: number) => report(j, { asOf: ms });
    expect((await at(T0 + 7 * DAY - 1)).totals).toMatchObject({ entered: 2, matured: 0, converted: 2 });
    const week = await at(T0 + 7 * DAY);
    expect(week.totals).toMatchObject({ matured: 1, maturedConverted: 1, maturedConversionRate: 1, open: 1 });
    expect((await at(T0 + 10 * DAY)).totals).toMatchObject({ matured: 2 });
    // Before the late entry, and before either order: one entry, no conversion.
    expect((await at(T0 + 2 * DAY)).totals).toMatchObject({ entered: 1, converted: 0, revenue: 0 });
    // An entry-time range.
    const range = await report(j, { from: T0 + DAY, to: T0 + 5 * DAY, asOf: T0 + 20 * DAY });
    expect(range.totals).toMatchObject({ entered: 1, converted: 1, revenue: 4 });
    expect(range.from).toBe(new Date(T0 + DAY).toISOString());
  });

  it("one version or all versions", async () => {
    const j = await h.publish(holdoutDoc());
    await h.track("a", "churn_signal");
    await h.publish(holdoutDoc(), j);
    await h.track("b", "churn_signal");
    await h.track("c", "churn_signal");
    expect((await report(j)).totals.entered).toBe(3);
    expect((await report(j, { version: 1 })).totals.entered).toBe(1);
    expect((await report(j, { version: 2 })).totals.entered).toBe(2);
    await expect(report(j, { version: 3 })).rejects.toThrow(/version 3/);
    await expect(report("nope")).rejects.toThrow(/not found/);
  });
});

describe("CSV export", () => {
  it("one row per entry with its arm and conversion, UTF-8 with a BOM", async () => {
    const j = await h.publish(holdoutDoc());
    await h.track("李娜", "churn_signal");
    await h.track("=cmd", "churn_signal");
    await h.advanceBy(MINUTE);
    await h.track("李娜", "order_completed", { revenue: 129.5 });
    let text = "";
    for await (const chunk of resultsCsv(h.store, j, { asOf: h.now })) text += chunk;
    const lines = text.split("\r\n");
    expect(lines[0]).toBe(
      "\uFEFFrun_id,customer_id,version,entered_at,window_end,matured,converted,converted_at,revenue,arm_h1",
    );
    expect(lines[1]).toMatch(
      /^\d+,李娜,1,2026-03-02T00:00:00.000Z,2026-03-09T00:00:00.000Z,0,1,2026-03-02T00:01:00.000Z,129.5,(holdout|continue)$/,
    );
    expect(lines[2]).toMatch(/^\d+,'=cmd,1,.*,0,0,,0,(holdout|continue)$/);
    expect(lines[3]).toBe("");
  });
});
