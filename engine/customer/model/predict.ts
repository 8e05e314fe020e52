/** Per-customer predictions from a fitted model: P(alive), expected orders, expected order value, CLV. */
import { bgnbdConditionalExpected, bgnbdPAlive, fitBgNbd, rescaleBgNbd } from "./bgnbd";
import type { BgNbdParams, RepeatSummary } from "./bgnbd";
import { fitGammaGamma, gammaGammaExpectedValue } from "./gamma-gamma";
import type { GammaGammaParams } from "./gamma-gamma";
import { UNIT_DAYS } from "./summary";
import type { TimeUnit } from "./summary";
import { toMs } from "../time";
import type { Instant } from "../time";
import type { CustomerProfile } from "../types";
import type { ChurnModel } from "../churn/model";

/** A fitted model as stored: parameters in `unit`, with the fit date and log-likelihoods. */
export interface CustomerModel {
  unit: TimeUnit;
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams | null;
  fittedAt?: string;
  customers?: number;
  logLik?: { bgnbd: number; gammaGamma: number | null };
  /** The churn model trained with this fit (its own fit date, horizon and hold-out AUC inside). */
  churn?: ChurnModel | undefined;
  /** True when the BG/NBD optimum had no dropout and the NBD limit (a = 0) is used. */
  nbdLimit?: boolean | undefined;
}

/** The model's inputs for one customer, in days: x, tx, T and the mean repeat-transaction value m. */
export interface ProfileSummary extends RepeatSummary {
  m: number;
}

/** Summary in days from a profile (same-day orders are one transaction); undefined for a prospect. */
export function profileSummary(p: CustomerProfile, nowMs: number): ProfileSummary | undefined {
  let first: number | undefined;
  let last = 0;
  let x = -1;
  let repeatValue = 0;
  for (const d of p.days) {
    if (d.orders === 0) {
      if (first !== undefined) repeatValue -= d.refunded;
      continue;
    }
    if (first === undefined) first = d.day;
    else repeatValue += d.revenue - d.refunded;
    last = d.day;
    x++;
  }
  if (first === undefined) return undefined;
  const tx = last - first;
  const T = Math.max(tx, nowMs / 86_400_000 - first);
  return { x, tx, T, m: x > 0 ? repeatValue / x : NaN };
}

export interface Predictions {
  pAlive: number;
  expectedOrders90d: number;
  expectedOrderValue: number | undefined;
  clv: number | undefined;
}

/** Expected discounted value over `horizonDays`, summed in 30-day steps, discounting each step at its end. */
export function discountedClv(
  bg: BgNbdParams,
  s: RepeatSummary,
  orderValue: number,
  horizonDays: number,
  annualDiscountRate: number,
): number {
  let clv = 0;
  let prev = 0;
  for (let t = 0; t < horizonDays;) {
    const next = Math.min(horizonDays, t + 30);
    const cum = bgnbdConditionalExpected(bg, next, s);
    clv += ((cum - prev) * orderValue) / Math.pow(1 + annualDiscountRate, next / 365);
    prev = cum;
    t = next;
  }
  return clv;
}

/** P(alive) alone (what the stage rule needs): no expected orders or CLV computed. */
export function pAliveFor(p: CustomerProfile, model: CustomerModel, nowMs: number): number | undefined {
  const s = profileSummary(p, nowMs);
  return s ? bgnbdPAlive(rescaleBgNbd(model.bgnbd, UNIT_DAYS[model.unit]), s) : undefined;
}

export function predict(
  p: CustomerProfile,
  model: CustomerModel,
  nowMs: number,
  clv: { horizonDays: number; annualDiscountRate: number },
): Predictions | undefined {
  const s = profileSummary(p, nowMs);
  if (!s) return undefined;
  const bg = rescaleBgNbd(model.bgnbd, UNIT_DAYS[model.unit]);
  const pAlive = bgnbdPAlive(bg, s);
  const expectedOrders90d = bgnbdConditionalExpected(bg, 90, s);
  let expectedOrderValue: number | undefined;
  if (model.gammaGamma) {
    const v = gammaGammaExpectedValue(model.gammaGamma, s.x, s.m);
    if (Number.isFinite(v)) expectedOrderValue = v;
  }
  if (expectedOrderValue === undefined && p.ordersCount > 0) {
    // No spend model: the customer's own average order value.
    expectedOrderValue = Math.max(0, p.totalSpent / p.ordersCount);
  }
  const value =
    expectedOrderValue === undefined
      ? undefined
      : discountedClv(bg, s, expectedOrderValue, clv.horizonDays, clv.annualDiscountRate);
  return { pAlive, expectedOrders90d, expectedOrderValue, clv: value };
}

/** Refits both models from the current profiles (the nightly schedule's job); time in days. */
export function fitModelFromProfiles(profiles: Iterable<CustomerProfile>, now: Instant): CustomerModel {
  const nowMs = toMs(now);
  const bgData: RepeatSummary[] = [];
  const spend: { x: number; m: number }[] = [];
  for (const p of profiles) {
    const s = profileSummary(p, nowMs);
    if (!s) continue;
    // Whole days, as the CLI fit does.
    bgData.push({ x: s.x, tx: s.tx, T: Math.max(s.tx, Math.floor(s.T)) });
    if (s.x > 0 && s.m > 0) spend.push({ x: s.x, m: s.m });
  }
  const bg = fitBgNbd(bgData);
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of spend) {
    lo = Math.min(lo, d.m);
    hi = Math.max(hi, d.m);
  }
  const varies = spend.length >= 2 && hi > lo;
  const gg = varies ? fitGammaGamma(spend) : null;
  return {
    unit: "day",
    bgnbd: { r: bg.r, alpha: bg.alpha, a: bg.a, b: bg.b },
    gammaGamma: gg ? { p: gg.p, q: gg.q, gamma: gg.gamma } : null,
    fittedAt: new Date(nowMs).toISOString(),
    customers: bg.customers,
    logLik: { bgnbd: bg.logLik, gammaGamma: gg ? gg.logLik : null },
  };
}
