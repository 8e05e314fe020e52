/**
 * Lifecycle stages. In order of precedence:
 * - prospect: known, never ordered;
 * - with a trained churn model (the nightly job trains one on the base's own history), once the gap since
 *   the last order is at least `minDormantDays`: churned when the calibrated risk of no order in the
 *   model's horizon is at least `churnedRisk`, dormant when it is at least `dormantRisk`. One-time buyers
 *   are judged by the same model, so their thresholds come from how the base's one-time buyers behaved;
 *   and since the risk is calibrated, the share of customers who come back falls from active to dormant to
 *   churned by construction. The reason names the risk and its strongest drivers.
 * - without a model (a new install, too little history): churned / dormant after day thresholds that
 *   follow the customer's own repurchase cycle (average days between distinct order days) where there are
 *   two order days or more, bounded below and above by absolute day counts;
 * - new: the first order is at most `newDays` old;
 * - active: otherwise.
 */
import type { ChurnScore } from "./churn/model";
import { describeDrivers } from "./churn/model";
import type { StageConfig } from "./config";
import { avgDaysBetweenOrders, daysSince } from "./metrics";
import type { CustomerProfile, Stage } from "./types";

export interface StageThresholds {
  /** The customer's own average days between orders, when known. */
  cycleDays: number | undefined;
  dormantAfterDays: number;
  churnedAfterDays: number;
}

export function stageThresholds(p: CustomerProfile, cfg: StageConfig): StageThresholds {
  const cycle = avgDaysBetweenOrders(p);
  if (cycle === undefined) {
    return {
      cycleDays: undefined,
      dormantAfterDays: cfg.dormantAfterDays,
      churnedAfterDays: Math.max(cfg.churnedAfterDays, cfg.dormantAfterDays),
    };
  }
  const dormant = Math.min(
    cfg.dormantAfterDays,
    Math.max(cfg.minDormantDays, cfg.dormantCycleFactor * cycle),
  );
  const churned = Math.max(
    dormant,
    Math.min(cfg.churnedAfterDays, Math.max(cfg.minChurnDays, cfg.churnCycleFactor * cycle)),
  );
  return { cycleDays: cycle, dormantAfterDays: dormant, churnedAfterDays: churned };
}

export interface StageResult {
  stage: Stage;
  /** Why, in words a marketer can read in the customer's history. */
  reason: string;
}

const r1 = (n: number): string => String(Math.round(n * 10) / 10);
const pct = (p: number): string => `${Math.round(p * 100)}%`;

export function computeStage(
  p: CustomerProfile,
  cfg: StageConfig,
  nowMs: number,
  churn?: ChurnScore & { horizonDays?: number },
): StageResult {
  if (p.ordersCount === 0 || p.lastOrderAt === null || p.firstOrderAt === null) {
    return { stage: "prospect", reason: "no order yet" };
  }
  const gap = daysSince(p.lastOrderAt, nowMs) ?? 0;
  if (churn !== undefined) {
    if (gap >= cfg.minDormantDays) {
      const horizon = churn.horizonDays ?? 90;
      const why = churn.drivers.length > 0 ? ` (${describeDrivers(churn.drivers)})` : "";
      const chance = `${pct(1 - churn.risk)} chance of an order in the next ${horizon} days`;
      if (churn.risk >= cfg.churnedRisk) {
        return {
          stage: "churned",
          reason: `${chance}: churn risk ${pct(churn.risk)} ≥ ${pct(cfg.churnedRisk)}${why}`,
        };
      }
      if (churn.risk >= cfg.dormantRisk) {
        return {
          stage: "dormant",
          reason: `${chance}: churn risk ${pct(churn.risk)} ≥ ${pct(cfg.dormantRisk)}${why}`,
        };
      }
    }
  } else {
    const th = stageThresholds(p, cfg);
    const cycle = th.cycleDays === undefined ? "" : ` (own cycle ${r1(th.cycleDays)} days)`;
    if (gap > th.churnedAfterDays) {
      return {
        stage: "churned",
        reason: `no order for ${r1(gap)} days > ${r1(th.churnedAfterDays)}${cycle}`,
      };
    }
    if (gap > th.dormantAfterDays) {
      return {
        stage: "dormant",
        reason: `no order for ${r1(gap)} days > ${r1(th.dormantAfterDays)}${cycle}`,
      };
    }
  }
  const age = daysSince(p.firstOrderAt, nowMs) ?? 0;
  if (age <= cfg.newDays) return { stage: "new", reason: `first order ${r1(age)} days ago` };
  const risk = churn === undefined ? "" : `, churn risk ${pct(churn.risk)}`;
  return { stage: "active", reason: `last order ${r1(gap)} days ago${risk}` };
}
