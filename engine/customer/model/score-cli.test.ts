import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runModelEvaluate } from "./evaluate-cli";
import { createRng } from "./random";
import { parseHorizon, runModelScore } from "./score-cli";
import { simulateCustomer } from "./simulate";

const dir = mkdtempSync(join(tmpdir(), "rekindle-score-"));
const sink = () => {
  let buf = "";
  return { write: (s: string) => ((buf += s), true), text: () => buf };
};

/** 2,000 simulated customers from 2024-01-01 to 2025-06-30, plus one whose first order is after the cut. */
const orders = join(dir, "orders.csv");
{
  const rng = createRng(9);
  const start = Date.UTC(2024, 0, 1);
  const lines = ["customer_id,date,revenue"];
  for (let i = 0; i < 2000; i++) {
    const first = Math.floor(rng.next() * 300);
    const c = simulateCustomer(rng, { r: 0.5, alpha: 20, a: 0.8, b: 3 }, 545 - first, {
      p: 5,
      q: 4,
      gamma: 60,
    });
    for (const [k, t] of [0, ...c.times].entries()) {
      const date = new Date(start + (first + Math.floor(t)) * 86_400_000).toISOString().slice(0, 10);
      lines.push(`u${i},${date},${c.values[k]!.toFixed(2)}`);
    }
  }
  lines.push("late,2025-05-01,10.00");
  writeFileSync(orders, lines.join("\n") + "\n");
}

describe("rekindle model score", () => {
  it("parses horizons", () => {
    expect(parseHorizon("90d")).toBe(90);
    expect(parseHorizon("12w")).toBe(84);
    expect(parseHorizon("30")).toBe(30);
    expect(() => parseHorizon("3 months")).toThrow(/bad --horizon "3 months"/);
  });

  it("trains on the orders up to the cut and writes one row per customer with the exact header", async () => {
    const out = join(dir, "scores.csv");
    const err = sink();
    const s = await runModelScore({ ordersFile: orders, asOf: "2025-03-31", horizonDays: 90, out }, err);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(
      lines[0]!.startsWith(
        "customer_id,churn_risk,p_alive,expected_orders,expected_value,clv,stage,rfm_segment",
      ),
    ).toBe(true);
    expect(lines.length - 1).toBe(s.customers);
    expect(lines.some((l) => l.startsWith("late,"))).toBe(false);
    expect(s.churnModel).toMatchObject({ trainedAt: "2024-12-31" });
    const row = lines[1]!.split(",");
    expect(Number(row[1])).toBeGreaterThanOrEqual(0);
    expect(Number(row[1])).toBeLessThanOrEqual(1);
    expect(["new", "active", "dormant", "churned"]).toContain(row[6]);
    expect(err.text()).toMatch(/scoring \d+ customers as of 2025-03-31T23:59:59.999Z/);
  });

  it("evaluates the cut against the next horizon", async () => {
    const r = await runModelEvaluate({ ordersFile: orders, asOf: "2025-03-31", horizonDays: 90 }, sink());
    expect(r.customers).toBeGreaterThan(1500);
    expect(r.churnAuc.model).toBeGreaterThan(0.7);
    expect(r.calibration).toHaveLength(10);
    expect(r.clv.top10Capture.oracle).toBeGreaterThan(r.clv.top10Capture.clv);
  });
});
