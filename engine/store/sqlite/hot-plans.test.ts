import { describe, expect, it } from "vitest";
import { HOT_STATEMENTS, isTableScan, type HotStatement } from "./statements/hot";
import { SqliteStore } from "./store";

const from = (h: HotStatement) => (h.from === "results" || h.from === "timers" ? h.from : undefined);

describe("every hot-path statement stays on an index", () => {
  const store = SqliteStore.open(":memory:");

  it.each(HOT_STATEMENTS.map((h) => [`${h.from}.${h.name}`, h] as const))(
    "%s: no table scan",
    (_label, h) => {
      const plan = store.queryPlan(h.name, from(h));
      expect(plan.length, "a plan").toBeGreaterThan(0);
      expect(plan.filter(isTableScan), `${h.why}:\n${plan.join("\n")}`).toEqual([]);
    },
  );
});

describe("the plan check", () => {
  it.each([
    ["outbox_due", "outbox", "claimOutbox"],
    ["runs_due", "runs", "claimRuns"],
    ["events_customer_name_ts", "events", "countEvents"],
    ["runs_customer", "runs", "activeRuns"],
  ] as const)("fails when %s is dropped", (index, table, name) => {
    const store = SqliteStore.open(":memory:");
    const h = HOT_STATEMENTS.find((x) => x.name === name)!;
    expect(store.queryPlan(h.name, from(h)).filter(isTableScan)).toEqual([]);
    store.db.exec(`DROP INDEX ${index}`);
    expect(store.queryPlan(h.name, from(h)).filter(isTableScan).join("\n")).toMatch(
      new RegExp(`^SCAN ${table}\\b`),
    );
  });
});
