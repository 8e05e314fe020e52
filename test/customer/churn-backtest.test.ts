/**
 * The backtest of `rekindle model evaluate` on the real data sets (../shared/data), horizon 90 days: the
 * churn model against recency and the RFM total, its calibration, the stages' return shares and CLV against
 * past spend. CDNOW runs on a fixed half of its customers (every other id) to stay fast; Online Retail whole.
 * The floors are what the model reaches today (docs/models.md has the full table), so a change that makes
 * any of them worse fails here. Two of the issue's targets are not met and are pinned at today's level instead:
 * the churn AUC's margin over the better baseline (0.01 asked; +0.006 and +0.001 here, and a regression fitted
 * on the evaluation window's own labels does no better: docs/models.md), and calibration on Online Retail
 * (5 points asked; 7.6 here, where the 90 days after the cut are the Christmas season and the 9 months of
 * history before it hold no Christmas to learn from).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backtest, formatBacktest } from "../../engine/customer/churn/backtest";
import type { BacktestReport } from "../../engine/customer/churn/backtest";
import { parseDay, readOrdersText } from "../../engine/customer/model/orders-file";

const DATA = join(import.meta.dirname, "..", "..", "..", "shared", "data");
const CDNOW = join(DATA, "cdnow", "CDNOW_master.txt");
const RETAIL = join(DATA, "online-retail", "online_retail_invoices.csv");

/** The return share falls from active to dormant to churned, over the stages the cut has (at least two). */
function ordered(r: BacktestReport, stages: string[]): void {
  const share = new Map(r.stages.map((s) => [s.stage as string, s.returned / s.customers]));
  expect([...share.keys()].filter((s) => s !== "new")).toEqual(stages);
  for (let i = 1; i < stages.length; i++)
    expect(share.get(stages[i - 1]!)!).toBeGreaterThan(share.get(stages[i]!)!);
}

describe.skipIf(!existsSync(CDNOW))("backtest on CDNOW master, cut 1997-09-30", () => {
  it("beats recency and RFM, is calibrated, orders the stages, and CLV beats past spend", () => {
    const all = readOrdersText(readFileSync(CDNOW, "utf8")).orders;
    const half = all.filter((o) => Number(o.customerId) % 2 === 0);
    const r = backtest(half, parseDay("1997-09-30")!, 90);
    process.stdout.write(formatBacktest(r));
    expect(r.customers).toBe(11_785);
    expect(r.churnAuc.model).toBeGreaterThan(Math.max(r.churnAuc.recency, r.churnAuc.rfmTotal) + 0.004);
    expect(r.churnAuc.oneMinusPAlive).toBeLessThan(0.5); // why churnRisk is no longer 1 − P(alive)
    expect(r.calibrationMaxGap).toBeLessThan(0.04);
    ordered(r, ["active", "dormant", "churned"]);
    expect(r.clv.spearman.clv).toBeGreaterThan(r.clv.spearman.pastSpend + 0.03);
    expect(r.clv.top10Capture.clv).toBeGreaterThan(r.clv.top10Capture.pastSpend + 0.015);
  });
});

describe.skipIf(!existsSync(RETAIL))("backtest on Online Retail, cut 2011-08-31", () => {
  it("beats recency and RFM, is calibrated within 10 points, orders the stages, and CLV beats past spend", () => {
    const orders = readOrdersText(readFileSync(RETAIL, "utf8"), {
      columns: { revenue: "amount_gbp" },
    }).orders;
    const r = backtest(orders, parseDay("2011-08-31")!, 90);
    process.stdout.write(formatBacktest(r));
    expect(r.customers).toBe(3317);
    // No dropout in this base: the BG/NBD fit falls back to the NBD limit.
    expect(r.model.noDropout).toBe(true);
    expect(r.churnAuc.model).toBeGreaterThan(Math.max(r.churnAuc.recency, r.churnAuc.rfmTotal));
    // Stacked cuts and cross-fitted calibration took the largest decile gap from 15.4 to 7.6 points; the
    // rest is the Christmas season after the cut (docs/models.md).
    expect(r.calibrationMaxGap).toBeLessThan(0.09);
    // No customer reaches the 85% risk that "churned" takes here: the stages present are in order.
    ordered(r, ["active", "dormant"]);
    expect(r.clv.spearman.clv).toBeGreaterThan(r.clv.spearman.pastSpend + 0.005);
    expect(r.clv.top10Capture.clv).toBeGreaterThan(r.clv.top10Capture.pastSpend);
  });
});
