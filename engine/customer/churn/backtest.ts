/**
 * The backtest behind `rekindle model evaluate`: profiles cut at a date, everything fitted and scored with
 * data up to the cut only (scoreBase), then compared with what each customer did in the following horizon:
 * churn AUC beside recency and the RFM total, calibration by decile, the next-horizon return share of each
 * stage, and CLV's ranking of next-period spend beside past spend.
 */
import type { DatedOrder } from "../model/summary";
import type { Stage } from "../types";
import { DAY_MS } from "../time";
import { auc, calibrationByDecile, spearman, topCapture } from "./metrics";
import type { DecileRow } from "./metrics";
import { profilesAtCut } from "./orders-profiles";
import { scoreBase } from "./score-base";

export interface BacktestReport {
  cut: string;
  horizonDays: number;
  customers: number;
  /** Share of customers with no order in the horizon. */
  churnRate: number;
  model: { holdoutAuc: number | null; trainedAt: string | null; noDropout: boolean };
  churnAuc: { model: number; recency: number; rfmTotal: number; oneMinusPAlive: number };
  calibration: DecileRow[];
  /** Largest |predicted − observed| over the deciles. */
  calibrationMaxGap: number;
  stages: { stage: Stage; customers: number; returned: number }[];
  clv: {
    spearman: { clv: number; expectedSpend: number; pastSpend: number };
    top10Capture: { clv: number; expectedSpend: number; pastSpend: number; oracle: number };
    /** Σ expected spend in the horizon against Σ actual, and the mean absolute error per customer. */
    spend: { predicted: number; actual: number; relativeError: number; meanAbsoluteError: number };
  };
}

const STAGE_ORDER: Stage[] = ["new", "active", "dormant", "churned"];

export function backtest(orders: readonly DatedOrder[], cutDay: number, horizonDays = 90): BacktestReport {
  const { profiles, outcomes } = profilesAtCut(orders, cutDay, horizonDays);
  if (profiles.length === 0) throw new Error("no customer has an order on or before the cut");
  const nowMs = (cutDay + 1) * DAY_MS - 1;
  const s = scoreBase(profiles, nowMs, { horizonDays });
  if (!s.churn) throw new Error(`no churn model: ${s.churnSkipped ?? "too little history"}`);
  const y: number[] = outcomes.map((o) => (o.ordered ? 0 : 1));
  const risk = s.rows.map((r) => r.churnRisk ?? NaN);
  const calibration = calibrationByDecile(risk, y);
  const byStage = new Map<Stage, { customers: number; returned: number }>();
  s.rows.forEach((r, i) => {
    const c = byStage.get(r.stage) ?? { customers: 0, returned: 0 };
    c.customers++;
    if (outcomes[i]!.ordered) c.returned++;
    byStage.set(r.stage, c);
  });
  const spend = outcomes.map((o) => Math.max(0, o.spend));
  const clv = s.rows.map((r) => r.clv ?? 0);
  const expected = s.rows.map((r) => r.expectedSpend ?? 0);
  const past = s.rows.map((r) => r.pastSpend);
  let predicted = 0;
  let actual = 0;
  let absErr = 0;
  for (let i = 0; i < spend.length; i++) {
    predicted += expected[i]!;
    actual += spend[i]!;
    absErr += Math.abs(expected[i]! - spend[i]!);
  }
  return {
    cut: new Date(cutDay * DAY_MS).toISOString().slice(0, 10),
    horizonDays,
    customers: profiles.length,
    churnRate: y.reduce((a, b) => a + b, 0) / y.length,
    model: {
      holdoutAuc: s.churn.holdoutAuc,
      trainedAt: s.churn.trainedAt,
      noDropout: s.model?.nbdLimit === true,
    },
    churnAuc: {
      model: auc(risk, y),
      recency: auc(
        s.rows.map((r) => r.recencyDays),
        y,
      ),
      rfmTotal: auc(
        s.rows.map((r) => -(r.rfmTotal ?? 0)),
        y,
      ),
      oneMinusPAlive: auc(
        s.rows.map((r) => 1 - (r.pAlive ?? 1)),
        y,
      ),
    },
    calibration,
    calibrationMaxGap: Math.max(...calibration.map((d) => Math.abs(d.predicted - d.observed))),
    stages: STAGE_ORDER.filter((st) => byStage.has(st)).map((st) => ({ stage: st, ...byStage.get(st)! })),
    clv: {
      spearman: {
        clv: spearman(clv, spend),
        expectedSpend: spearman(expected, spend),
        pastSpend: spearman(past, spend),
      },
      top10Capture: {
        clv: topCapture(clv, spend),
        expectedSpend: topCapture(expected, spend),
        pastSpend: topCapture(past, spend),
        oracle: topCapture(spend, spend),
      },
      spend: {
        predicted,
        actual,
        relativeError: actual > 0 ? (predicted - actual) / actual : NaN,
        meanAbsoluteError: absErr / spend.length,
      },
    },
  };
}

const f3 = (v: number): string => v.toFixed(3);
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/** The report as the table `model evaluate` prints. */
export function formatBacktest(r: BacktestReport): string {
  const best = Math.max(r.churnAuc.recency, r.churnAuc.rfmTotal);
  const lines = [
    `cut ${r.cut}, horizon ${r.horizonDays} days: ${r.customers} customers, ${pct(r.churnRate)} without an order in the horizon`,
    `churn model trained at ${r.model.trainedAt ?? "-"}, hold-out AUC ${r.model.holdoutAuc === null ? "-" : f3(r.model.holdoutAuc)}${r.model.noDropout ? "; BG/NBD: no dropout, NBD limit" : ""}`,
    "",
    "churn AUC        | value",
    "---------------- | -----",
    `churnRisk        | ${f3(r.churnAuc.model)} (${r.churnAuc.model - best >= 0 ? "+" : ""}${f3(r.churnAuc.model - best)} vs the better baseline)`,
    `days since order | ${f3(r.churnAuc.recency)}`,
    `RFM total        | ${f3(r.churnAuc.rfmTotal)}`,
    `1 − P(alive)     | ${f3(r.churnAuc.oneMinusPAlive)}`,
    "",
    "decile | customers | predicted | observed | gap",
    "------ | --------- | --------- | -------- | ---",
    ...r.calibration.map(
      (d) =>
        `${String(d.decile).padStart(6)} | ${String(d.customers).padStart(9)} | ${pct(d.predicted).padStart(9)} | ${pct(d.observed).padStart(8)} | ${((d.predicted - d.observed) * 100).toFixed(1)} pts`,
    ),
    `largest gap ${(r.calibrationMaxGap * 100).toFixed(1)} points`,
    "",
    "stage   | customers | returned in the horizon",
    "------- | --------- | -----------------------",
    ...r.stages.map(
      (s) => `${s.stage.padEnd(7)} | ${String(s.customers).padStart(9)} | ${pct(s.returned / s.customers)}`,
    ),
    "",
    "next-period spend | Spearman | top-10% capture",
    "----------------- | -------- | ---------------",
    `CLV               | ${f3(r.clv.spearman.clv)}    | ${pct(r.clv.top10Capture.clv)}`,
    `expected spend    | ${f3(r.clv.spearman.expectedSpend)}    | ${pct(r.clv.top10Capture.expectedSpend)}`,
    `past spend        | ${f3(r.clv.spearman.pastSpend)}    | ${pct(r.clv.top10Capture.pastSpend)}`,
    `oracle            |          | ${pct(r.clv.top10Capture.oracle)}`,
    `expected spend in the horizon ${r.clv.spend.predicted.toFixed(0)} vs actual ${r.clv.spend.actual.toFixed(0)} (${(r.clv.spend.relativeError * 100).toFixed(1)}%), mean absolute error ${r.clv.spend.meanAbsoluteError.toFixed(2)} per customer`,
  ];
  return lines.join("\n") + "\n";
}
