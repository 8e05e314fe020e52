/** The `customer` fact that journey conditions read (spec §1 "Facts available to conditions"). */
import { DEFAULT_CONFIG } from "./config";
import type { CustomerConfig } from "./config";
import {
  avgDaysBetweenOrders,
  countWindows,
  daysSince,
  engagementWindows,
  orderDaysCount,
  orderWindows,
} from "./metrics";
import { scoreChurn } from "./churn/model";
import type { ChurnDriver } from "./churn/model";
import { ownValue, withChurn } from "./churn/score-base";
import { predict } from "./model/predict";
import type { CustomerModel } from "./model/predict";
import { rfmFor } from "./rfm";
import type { RfmBoundaries, RfmSegment } from "./rfm";
import { stageThresholds } from "./stages";
import { iso, toMs } from "./time";
import type { Instant } from "./time";
import type { CustomerProfile, SignalReason, Stage } from "./types";

export interface FactContext {
  model?: CustomerModel | undefined;
  rfm?: RfmBoundaries | undefined;
  config?: CustomerConfig | undefined;
}

/**
 * Plain JSON. A value that cannot be computed (no order yet, no model, no RFM boundaries) is left out,
 * so a condition sees `undefined` (never `null`, which numeric operators would read as 0).
 */
export interface CustomerFact {
  id: string;
  traits: Record<string, unknown>;
  stage: Stage;
  stageSince?: string;
  stageReason: string;
  rfm?: { r: number; f: number; m: number; score: string; total: number; segment: RfmSegment };
  ordersCount: number;
  orderDaysCount: number;
  totalSpent: number;
  avgOrderValue?: number;
  refundsCount: number;
  refundedTotal: number;
  firstOrderAt?: string;
  lastOrderAt?: string;
  daysSinceFirstOrder?: number;
  daysSinceLastOrder?: number;
  avgDaysBetweenOrders?: number;
  dormantAfterDays?: number;
  orders90d: number;
  ordersPrev90d: number;
  spend90d: number;
  spendPrev90d: number;
  complaintsCount: number;
  complaints30d: number;
  views30d: number;
  favourites30d: number;
  addToCart30d: number;
  engagement30d: number;
  engagementPrev30d: number;
  lastSatisfactionScore?: number;
  lastSatisfactionScale?: "csat" | "nps";
  lastSatisfactionAt?: string;
  churnSignals: SignalReason[];
  lastChurnSignalAt?: string;
  pAlive?: number;
  /** Calibrated probability of no order within the churn model's horizon (90 days by default). */
  churnRisk?: number;
  /** The features that moved churnRisk most, strongest first. */
  churnDrivers?: ChurnDriver[];
  expectedOrders90d?: number;
  expectedOrderValue?: number;
  clv?: number;
}

const r2 = (n: number): number => Math.round(n * 100) / 100;
const r4 = (n: number): number => Math.round(n * 10_000) / 10_000;

export function customerFact(
  profile: CustomerProfile,
  traits: Record<string, unknown>,
  id: string,
  now: Instant,
  ctx: FactContext = {},
): CustomerFact {
  const nowMs = toMs(now);
  const cfg = ctx.config ?? DEFAULT_CONFIG;
  const w = orderWindows(profile, nowMs, 90);
  const e = engagementWindows(profile.engagement.days, nowMs, 30);
  const fact: CustomerFact = {
    id,
    traits,
    stage: profile.stage,
    stageReason: profile.stageReason,
    ordersCount: profile.ordersCount,
    orderDaysCount: orderDaysCount(profile),
    totalSpent: r2(profile.totalSpent),
    refundsCount: profile.refundsCount,
    refundedTotal: r2(profile.refundedTotal),
    orders90d: w.orders,
    ordersPrev90d: w.prevOrders,
    spend90d: r2(w.spend),
    spendPrev90d: r2(w.prevSpend),
    complaintsCount: profile.complaintsCount,
    complaints30d: countWindows(profile.complaints, nowMs, 30).last,
    views30d: e.view,
    favourites30d: e.favourite,
    addToCart30d: e.cart,
    engagement30d: e.total,
    engagementPrev30d: e.prevTotal,
    churnSignals: profile.signals.map((s) => s.reason),
  };
  if (profile.stageSince !== null) fact.stageSince = iso(profile.stageSince);
  if (profile.ordersCount > 0) fact.avgOrderValue = r2(profile.totalSpent / profile.ordersCount);
  if (profile.firstOrderAt !== null) {
    fact.firstOrderAt = iso(profile.firstOrderAt);
    fact.daysSinceFirstOrder = Math.floor(daysSince(profile.firstOrderAt, nowMs) ?? 0);
  }
  if (profile.lastOrderAt !== null) {
    fact.lastOrderAt = iso(profile.lastOrderAt);
    fact.daysSinceLastOrder = Math.floor(daysSince(profile.lastOrderAt, nowMs) ?? 0);
    fact.dormantAfterDays = r2(stageThresholds(profile, cfg.stages).dormantAfterDays);
  }
  const cycle = avgDaysBetweenOrders(profile);
  if (cycle !== undefined) fact.avgDaysBetweenOrders = r2(cycle);
  if (profile.satisfaction) {
    fact.lastSatisfactionScore = profile.satisfaction.score;
    fact.lastSatisfactionScale = profile.satisfaction.scale;
    fact.lastSatisfactionAt = iso(profile.satisfaction.at);
  }
  const lastSignal = profile.signalHistory.at(-1);
  if (lastSignal) fact.lastChurnSignalAt = iso(lastSignal.at);
  if (ctx.rfm) {
    const s = rfmFor(profile, ctx.rfm, nowMs);
    if (s) fact.rfm = { r: s.r, f: s.f, m: s.m, score: s.score, total: s.total, segment: s.segment };
  }
  if (ctx.model) {
    const pr = predict(profile, ctx.model, nowMs, cfg.clv);
    if (pr) {
      fact.pAlive = r4(pr.pAlive);
      const churn = ctx.model.churn ? scoreChurn(ctx.model.churn, profile, nowMs) : undefined;
      if (churn) {
        fact.churnRisk = r4(churn.risk);
        fact.churnDrivers = churn.drivers;
      }
      if (pr.clv !== undefined)
        pr.clv = withChurn(pr.clv, churn?.risk, ownValue(profile, nowMs, cfg.clv.horizonDays));
      fact.expectedOrders90d = r4(pr.expectedOrders90d);
      if (pr.expectedOrderValue !== undefined) fact.expectedOrderValue = r2(pr.expectedOrderValue);
      if (pr.clv !== undefined && Number.isFinite(pr.clv)) fact.clv = r2(pr.clv);
    }
  }
  return fact;
}
