/**
 * The lifecycle overview's contract: the daily snapshot's dimensions and bands, and `GET /api/overview`'s
 * response. No I/O; the engine computes it (engine/customer/overview), the builder draws it.
 */
import { RISK_BANDS, riskBand } from "./customer-list";
import type { LifecycleStage } from "./journey";

/**
 * What a snapshot row counts. `stage`, `rfm` (segment), `risk` (churn-risk band): every customer once per
 * dimension. `rfm_cell`: buyers by RFM recency × frequency score (bucket `r-f`, e.g. `5-3`). `transition`:
 * stage changes since the previous snapshot (bucket `from>to`; a customer who moved twice counts twice).
 * `risk_stage` and `clv_stage`: the risk band and the CLV band within each stage (bucket `stage|band`).
 */
export const SNAPSHOT_DIMENSIONS = [
  "stage",
  "rfm",
  "rfm_cell",
  "risk",
  "transition",
  "risk_stage",
  "clv_stage",
] as const;
export type SnapshotDimension = (typeof SNAPSHOT_DIMENSIONS)[number];

/**
 * Churn-risk bands of a snapshot: the customer list's bands (customer-list.ts: [0, 0.3) low, [0.3, 0.6)
 * medium, [0.6, 1] high), plus `unscored` when no model scores the customer (prospects, or no churn model).
 */
export const SNAPSHOT_RISK_BANDS = [...RISK_BANDS, "unscored"] as const;
export type SnapshotRiskBand = (typeof SNAPSHOT_RISK_BANDS)[number];
export const snapshotRiskBand = (risk: number | undefined): SnapshotRiskBand => riskBand(risk) ?? "unscored";

/**
 * Predicted lifetime value bands (in the shop's currency): `0-100` is [0, 100), and so on; `unscored` when
 * no model predicts it.
 */
export const CLV_BANDS = ["0-100", "100-500", "500-2000", "2000+", "unscored"] as const;
export type ClvBand = (typeof CLV_BANDS)[number];

export function clvBand(clv: number | undefined): ClvBand {
  if (clv === undefined || !Number.isFinite(clv)) return "unscored";
  return clv >= 2000 ? "2000+" : clv >= 500 ? "500-2000" : clv >= 100 ? "100-500" : "0-100";
}

/** One stored snapshot row, as the API serves it. `day` is the snapshot's calendar date (YYYY-MM-DD). */
export interface OverviewBucket {
  bucket: string;
  /** Customers in the bucket (for `transition`: stage changes). */
  customers: number;
  /** Their net spend to date (order values minus refunds). */
  value: number;
  /** Their summed predicted lifetime value (customers without a prediction add 0). */
  clv: number;
}

export interface OverviewDay {
  day: string;
  /** Customers per stage that day. */
  stages: Record<LifecycleStage, number>;
}

/** The lifecycle KPIs the overview shows beside their industry band (definitions in docs/overview.md). */
export const OVERVIEW_KPIS = [
  "wakeUp",
  "winBack72h",
  "signalsAnswered72h",
  "surveyResponse",
  "repurchase",
  "retention",
] as const;
export type OverviewKpiName = (typeof OVERVIEW_KPIS)[number];

export interface OverviewKpi {
  name: OverviewKpiName;
  /** numerator / denominator; null when the denominator is 0. */
  rate: number | null;
  numerator: number;
  denominator: number;
  /** The playbook's industry band, where it gives one. */
  band: { low: number; high: number } | null;
  /** The journeys behind the figure (that sent the contact, the answer or the invitation), most first. */
  journeys: { id: string; count: number }[];
}

export interface OverviewResponse {
  /** The period the flows and KPIs cover: [from, to). ISO 8601. */
  from: string;
  to: string;
  /** The newest snapshot's date, or null before the first snapshot. */
  asOf: string | null;
  /** Stage counts per snapshot day over the period, oldest first (the stacked area). */
  days: OverviewDay[];
  /** The newest snapshot's buckets, by dimension (transition: summed over the period's snapshots). */
  latest: Record<SnapshotDimension, OverviewBucket[]>;
  kpis: OverviewKpi[];
}
