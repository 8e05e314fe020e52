/**
 * The backtest of `rekindle model evaluate` on the real data sets (../shared/data), horizon 90 days: the
 * churn model against recency and the RFM total, its calibration, the stages' return shares and CLV against
 * past spend. CDNOW runs on a fixed half of its customers (every other id) to stay fast; Online Retail whole.
 * The floors are what the model reaches today (docs/models.md has the full table), so a change that makes
 * any of them worse fails here.
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

function ordered(r: BacktestReport): void {
  const share = new Map(r.stages.map((s) => [s.stage, s.returned / s.customers]));
  expect(share.get("active")!).toBeGreaterThan(share.get("dormant")!);
  expect(share.get("dormant")!).toBeGreaterThan(share.get("churned")!);
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
    expect(r.calibrationMaxGap).toBeLessThan(0.05);
    ordered(r);
    expect(r.clv.spearman.clv).toBeGreaterThan(r.clv.spearman.pastSpend + 0.02);
    expect(r.clv.top10Capture.clv).toBeGreaterThan(r.clv.top10Capture.pastSpend);
  });
});

describe.skipIf(!existsSync(RETAIL))("backtest on Online Retail, cut 2011-08-31", () => {
  it("beats recency and RFM, orders the stages, CLV ranks next-period spend at least as well as past spend", () => {
    const orders = readOrdersText(readFileSync(RETAIL, "utf8"), {
      columns: { revenue: "amount_gbp" },
    }).orders;
    const r = backtest(orders, parseDay("2011-08-31")!, 90);
    process.stdout.write(formatBacktest(r));
    expect(r.customers).toBe(3317);
    // No dropout in this base: the BG/NBD fit falls back to the NBD limit.
    expect(r.model.noDropout).toBe(true);
    expect(r.churnAuc.model).toBeGreaterThan(Math.max(r.churnAuc.recency, r.churnAuc.rfmTotal));
    // The horizon after the cut is the Christmas season a model trained on the summer cannot know:
    // calibration is off by up to 15 points here (the target is 5; docs/models.md).
    expect(r.calibrationMaxGap).toBeLessThan(0.2);
    ordered(r);
    expect(r.clv.spearman.clv).toBeGreaterThan(r.clv.spearman.pastSpend);
  });
});
