import { describe, expect, it } from "vitest";
import type { InputEvent } from "../../engine/schema/events";
import { resultsReportSchema } from "../../engine/schema/results";
import { pickBranch, unitHash } from "../../engine/runtime/split-hash";
import { simulate } from "../../engine/simulate/simulate";
import { DAY, eventTrigger, HOUR, journey, T0, trackEvent } from "./harness";

const branches = [
  { id: "email", weight: 1 },
  { id: "sms", weight: 1 },
];
const doc = (name: string) =>
  journey(
    [
      ["t1", "trigger", eventTrigger("churn_signal")],
      ["s1", "split", { kind: "random", branches }],
    ],
    [["t1", "s1"]],
    { goal: { event: "order_completed", within: "3d" } },
    name,
  );

describe("simulate writes the results report (spec §4) under `results`", () => {
  it("one report per --journey, in order, with the public assignment for journey ids j1, j2", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `c-${i}`);
    const events: InputEvent[] = ids.map((id) => trackEvent(id, "churn_signal", {}, T0));
    // Every third customer orders: inside the window, except c-0, whose order comes after it closed.
    for (const [i, id] of ids.entries())
      if (i % 3 === 0)
        events.push(trackEvent(id, "order_completed", { revenue: 50 }, i === 0 ? T0 + 4 * DAY : T0 + HOUR));

    const report = await simulate({
      journeys: [
        { source: "a.json", doc: doc("First") },
        { source: "b.json", doc: doc("Second") },
      ],
      events,
    });
    expect(report.results.map((r) => [r.journey, r.journeyId])).toEqual([
      ["First", "j1"],
      ["Second", "j2"],
    ]);
    for (const [n, r] of report.results.entries()) {
      expect(resultsReportSchema.safeParse(r).success).toBe(true);
      expect(r.asOf).toBe(new Date(T0 + 4 * DAY).toISOString());
      expect(r.totals).toMatchObject({ entered: 40, matured: 40, converted: 13, revenue: 650 });
      const exp = r.experiments[0]!;
      for (const arm of ["email", "sms"]) {
        const want = ids.filter(
          (id) => pickBranch(branches, unitHash(`j${n + 1}\u0000${id}\u0000s1`)) === arm,
        );
        expect(exp.arms.find((a) => a.id === arm)!.members).toBe(want.length);
      }
    }
  });
});
