import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { defaultRegistry } from "../../engine/actions/builtins";
import { parseEventLines } from "../../engine/simulate/events-file";
import { simulate, SimulationInputError } from "../../engine/simulate/simulate";
import type { SimulationReport } from "../../engine/simulate/report";
import { anyTemplate } from "./harness";

const file = (rel: string): string => fileURLToPath(new URL(rel, import.meta.url));
const winback = JSON.parse(readFileSync(file("../fixtures/winback-72h.json"), "utf8")) as unknown;
const events = parseEventLines(readFileSync(file("../fixtures/winback-events.ndjson"), "utf8"));

const run = (extra: Partial<Parameters<typeof simulate>[0]> = {}): Promise<SimulationReport> =>
  simulate({ journeys: [{ source: "winback-72h.json", doc: winback }], events, ...extra });

describe("simulate (spec §3) on the spec's example journey", () => {
  it("reports journeys[].counts, runs, deliveries and steps with the expected outcomes", async () => {
    const report = await run({ templates: anyTemplate });
    const name = "Win-back within 72 hours";
    expect(Object.keys(report)).toEqual(expect.arrayContaining(["journeys", "runs", "deliveries", "steps"]));

    expect(report.journeys).toHaveLength(1);
    expect(report.journeys[0]!.name).toBe(name);
    const counts = report.journeys[0]!.counts;
    expect(counts.t1).toMatchObject({ entered: 5 });
    expect(counts.w1).toMatchObject({ entered: 5 });
    expect(counts.c1).toMatchObject({ entered: 4, ports: { yes: 4 } });
    expect(counts.a1).toMatchObject({ entered: 4, executed: 3, skipped: { no_address: 1 }, deferred: 1 });

    // c-1005's second churn_signal is ignored (re-entry once); the replayed s-1001 is a duplicate.
    const outcome = Object.fromEntries(report.runs.map((r) => [r.customerId, r.outcome]));
    expect(outcome).toEqual({
      "c-1001": "completed",
      "c-1002": "converted",
      "c-1003": "completed",
      "c-1004": "completed",
      "c-1005": "completed",
    });
    const r1002 = report.runs.find((r) => r.customerId === "c-1002")!;
    expect(r1002).toEqual({
      journey: name,
      customerId: "c-1002",
      enteredAt: "2026-03-02T03:00:00.000Z",
      endedAt: "2026-03-03T10:30:00.000Z",
      outcome: "converted",
    });

    // Deliveries: once each, at the moment delivered; c-1003 (New York) waits out quiet hours to 09:00 local.
    expect(report.deliveries.map((d) => [d.customerId, d.nodeId, d.action, d.template, d.at])).toEqual([
      ["c-1001", "a1", "email", "winback-coupon", "2026-03-05T02:00:00.000Z"],
      ["c-1005", "a1", "email", "winback-coupon", "2026-03-05T05:00:00.000Z"],
      ["c-1003", "a1", "email", "winback-coupon", "2026-03-05T14:00:00.000Z"],
    ]);
    for (const d of report.deliveries) {
      expect(d.journey).toBe(name);
      expect(d.rendered).toMatchObject({ subject: "winback-coupon", body: expect.any(String) as unknown });
    }

    // Steps: every one has the spec's fields; a condition step explains each leaf.
    for (const s of report.steps) {
      expect(s).toMatchObject({
        journey: name,
        customerId: expect.any(String) as unknown,
        nodeId: expect.any(String) as unknown,
        type: expect.any(String) as unknown,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      });
      expect(Array.isArray(s.explain)).toBe(true);
    }
    const cond = report.steps.find((s) => s.customerId === "c-1001" && s.nodeId === "c1")!;
    expect(cond).toMatchObject({ type: "condition", port: "yes", at: "2026-03-05T02:00:00.000Z" });
    expect(cond.explain).toEqual([
      {
        fact: "eventCount",
        params: { event: "order_completed", since: "entry" },
        value: 0,
        operator: "equal",
        expected: 0,
        result: true,
      },
    ]);
    const deferred = report.steps.find((s) => s.customerId === "c-1003" && s.outcome === "deferred")!;
    expect(deferred).toMatchObject({ nodeId: "a1", reason: "quiet_hours", at: "2026-03-05T12:00:00.000Z" });
    const skipped = report.steps.find((s) => s.customerId === "c-1004" && s.nodeId === "a1")!;
    expect(skipped).toMatchObject({ outcome: "skipped", reason: "no_address", port: "next" });
  });

  it("an unknown template is a warning and its deliveries are recorded with rendered: null", async () => {
    const report = await run();
    expect(report.warnings).toEqual([
      expect.objectContaining({
        nodeId: "a1",
        message: expect.stringContaining("winback-coupon") as unknown,
      }),
    ]);
    expect(report.deliveries).toHaveLength(3);
    for (const d of report.deliveries) expect(d.rendered).toBeNull();
  });

  it("is deterministic: the same input gives the same report", async () => {
    expect(await run({ templates: anyTemplate })).toEqual(await run({ templates: anyTemplate }));
  });

  it("--until cuts the simulation: runs still in the wait are reported waiting", async () => {
    const report = await run({ until: Date.parse("2026-03-04T00:00:00Z") });
    expect(report.deliveries).toEqual([]);
    expect(
      report.runs
        .filter((r) => r.outcome === "waiting")
        .map((r) => r.customerId)
        .sort(),
    ).toEqual(["c-1001", "c-1003", "c-1004", "c-1005"]);
    expect(report.journeys[0]!.counts.w1).toMatchObject({ waiting: 4 });
  });

  it("rejects an invalid journey with its issues", async () => {
    const bad = JSON.parse(readFileSync(file("../fixtures/bad-duration.json"), "utf8")) as unknown;
    const err = await simulate({ journeys: [{ source: "bad.json", doc: bad }], events }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SimulationInputError);
    expect((err as SimulationInputError).issues).toContainEqual(
      expect.objectContaining({ nodeId: "w1", path: "nodes[1].data.duration" }),
    );
  });
});

describe("simulate input order", () => {
  it("applies events in timestamp order (file order on ties) even when handed unsorted", async () => {
    const shuffled = [...events].reverse();
    const a = await run({ templates: anyTemplate });
    const b = await simulate({
      journeys: [{ source: "winback-72h.json", doc: winback }],
      events: shuffled,
      templates: anyTemplate,
    });
    expect(b.runs).toEqual(a.runs);
    expect(b.deliveries).toEqual(a.deliveries);
  });
});

describe("simulate sends nothing", () => {
  it("records deliveries without calling the registry's providers, even a live registry's", async () => {
    const calls: string[] = [];
    const registry = defaultRegistry({
      deliver: (d) => {
        calls.push(d.channel);
        return Promise.resolve({ status: "done" });
      },
    });
    const report = await run({ templates: anyTemplate, registry });
    expect(calls).toEqual([]);
    expect(report.deliveries).toHaveLength(3);
  });
});
