/**
 * Fits everything on a base as of `now` and scores every customer: what `rekindle model score` writes and
 * `model evaluate` compares with what happened next. Only the profiles (data up to `now`) are read.
 */
import { fitBaseFromProfiles } from "../base-fit";
import type { CustomerConfig } from "../config";
import { DEFAULT_CONFIG } from "../config";
import { bgnbdConditionalExpected, bgnbdPAlive, rescaleBgNbd } from "../model/bgnbd";
import { gammaGammaExpectedValue } from "../model/gamma-gamma";
import { discountedClv, profileSummary } from "../model/predict";
import type { CustomerModel } from "../model/predict";
import { UNIT_DAYS } from "../model/summary";
import { rfmFor } from "../rfm";
import type { RfmBoundaries } from "../rfm";
import { computeStage } from "../stages";
import type { CustomerProfile, Stage } from "../types";
import type { ChurnModel, ChurnScore } from "./model";
import { scoreChurn } from "./model";
import { trainChurnModel } from "./train";

export interface ScoredCustomer {
  churnRisk: number | undefined;
  drivers: ChurnScore["drivers"];
  pAlive: number | undefined;
  /** Expected orders (distinct order days) in the horizon. */
  expectedOrders: number | undefined;
  /** Expected value of one order (Gamma-Gamma, or the customer's own average). */
  expectedValue: number | undefined;
  /** Expected spend in the horizon: expected orders × expected value. */
  expectedSpend: number | undefined;
  clv: number | undefined;
  stage: Stage;
  stageReason: string;
  rfmSegment: string | undefined;
  rfmTotal: number | undefined;
  recencyDays: number;
  pastSpend: number;
}

export interface ScoredBase {
  model: CustomerModel | undefined;
  churn: ChurnModel | undefined;
  churnSkipped?: string;
  rfm: RfmBoundaries | undefined;
  rows: ScoredCustomer[];
}

export interface ScoreBaseOptions {
  horizonDays?: number;
  config?: CustomerConfig;
  seed?: number;
}

/** Expected value of one order: Gamma-Gamma where fitted, else the customer's own average order value. */
export function orderValue(
  p: CustomerProfile,
  model: CustomerModel | undefined,
  x: number,
  m: number,
): number {
  if (model?.gammaGamma && x > 0 && m > 0) {
    const v = gammaGammaExpectedValue(model.gammaGamma, x, m);
    if (Number.isFinite(v)) return v;
  }
  return p.ordersCount > 0 ? Math.max(0, p.totalSpent / p.ordersCount) : 0;
}

/**
 * What the customer's own record says the CLV horizon is worth: their net spend, scaled down to the horizon's
 * length once they have been a customer for longer than it (so a ten-year customer is not worth ten years).
 */
export function ownValue(p: CustomerProfile, nowMs: number, horizonDays: number): number {
  if (p.firstOrderAt === null) return 0;
  const tenureDays = Math.max(1, (nowMs - p.firstOrderAt) / 86_400_000);
  return Math.max(0, p.totalSpent) * Math.min(1, horizonDays / tenureDays);
}

/**
 * CLV with the churn model: the geometric mean of the BG/NBD × Gamma-Gamma CLV and the customer's own value,
 * weighted by the calibrated chance of an order in the horizon (1 − churnRisk). BG/NBD alone calls every
 * one-time buyer alive for sure (and, where the base shows no dropout, ignores recency altogether), so its
 * CLV ranks a long-gone buyer like a fresh one; the customer's own spending record is the strongest single
 * predictor of what they spend next. Measured against past spend in docs/models.md. Without a churn model
 * (undefined risk) it is the BG/NBD CLV.
 */
export function withChurn(clv: number, churnRisk: number | undefined, own?: number): number {
  if (churnRisk === undefined) return clv;
  const blended = own === undefined ? clv : Math.sqrt(Math.max(0, clv) * Math.max(0, own));
  return blended * (1 - churnRisk);
}

export function scoreBase(
  profiles: readonly CustomerProfile[],
  nowMs: number,
  opts: ScoreBaseOptions = {},
): ScoredBase {
  const horizon = opts.horizonDays ?? 90;
  const cfg = opts.config ?? DEFAULT_CONFIG;
  const base = fitBaseFromProfiles(profiles, nowMs, { seed: opts.seed ?? 1 });
  const model = base.snapshot.model;
  const rfm = base.snapshot.rfm;
  const trained = trainChurnModel(profiles, nowMs, { horizonDays: horizon, seed: opts.seed ?? 1 });
  const churn = trained.model;
  const bg = model ? rescaleBgNbd(model.bgnbd, UNIT_DAYS[model.unit]) : undefined;
  const rows = profiles.map((p): ScoredCustomer => {
    const s = profileSummary(p, nowMs);
    const sc = churn ? scoreChurn(churn, p, nowMs) : undefined;
    const pAlive = bg && s ? bgnbdPAlive(bg, s) : undefined;
    const expectedOrders = bg && s ? bgnbdConditionalExpected(bg, horizon, s) : undefined;
    const value = s ? orderValue(p, model, s.x, s.m) : undefined;
    const bgClv =
      bg && s && value !== undefined
        ? discountedClv(bg, s, value, cfg.clv.horizonDays, cfg.clv.annualDiscountRate)
        : undefined;
    const clv =
      bgClv === undefined ? undefined : withChurn(bgClv, sc?.risk, ownValue(p, nowMs, cfg.clv.horizonDays));
    const st = computeStage(p, cfg.stages, nowMs, sc);
    const r = rfm ? rfmFor(p, rfm, nowMs) : undefined;
    return {
      churnRisk: sc?.risk,
      drivers: sc?.drivers ?? [],
      pAlive,
      expectedOrders,
      expectedValue: value,
      expectedSpend: expectedOrders !== undefined && value !== undefined ? expectedOrders * value : undefined,
      clv,
      stage: st.stage,
      stageReason: st.reason,
      rfmSegment: r?.segment,
      rfmTotal: r?.total,
      recencyDays: p.lastOrderAt === null ? NaN : Math.max(0, (nowMs - p.lastOrderAt) / 86_400_000),
      pastSpend: p.totalSpent,
    };
  });
  return {
    model,
    churn,
    ...(trained.skipped !== undefined ? { churnSkipped: trained.skipped } : {}),
    rfm,
    rows,
  };
}
