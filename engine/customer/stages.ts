/**
 * Lifecycle stages. In order of precedence:
 * - prospect: known, never ordered;
 * - churned: no order for longer than the churn threshold, or P(alive) below `churnPAlive`
 *   (only once the gap is at least `minDormantDays`);
 * - dormant: no order for longer than the dormancy threshold;
 * - new: the first order is at most `newDays` old;
 * - active: otherwise.
 * Thresholds follow the customer's own repurchase cycle (average days between distinct order days)
 * where there are two order days or more, bounded below and above by absolute day counts; a
 * one-order customer uses the absolute ones.
 */
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

export function computeStage(
  p: CustomerProfile,
  cfg: StageConfig,
  nowMs: number,
  pAlive?: number,
): StageResult {
  if (p.ordersCount === 0 || p.lastOrderAt === null || p.firstOrderAt === null) {
    return { stage: "prospect", reason: "no order yet" };
  }
  const gap = daysSince(p.lastOrderAt, nowMs) ?? 0;
  const th = stageThresholds(p, cfg);
  const cycle = th.cycleDays === undefined ? "" : ` (own cycle ${r1(th.cycleDays)} days)`;
  if (gap > th.churnedAfterDays) {
    return { stage: "churned", reason: `no order for ${r1(gap)} days > ${r1(th.churnedAfterDays)}${cycle}` };
  }
  if (pAlive !== undefined && pAlive < cfg.churnPAlive && gap >= cfg.minDormantDays) {
    return { stage: "churned", reason: `P(alive) ${pAlive.toFixed(3)} < ${cfg.churnPAlive}` };
  }
  if (gap > th.dormantAfterDays) {
    return { stage: "dormant", reason: `no order for ${r1(gap)} days > ${r1(th.dormantAfterDays)}${cycle}` };
  }
  const age = daysSince(p.firstOrderAt, nowMs) ?? 0;
  if (age <= cfg.newDays) return { stage: "new", reason: `first order ${r1(age)} days ago` };
  return {
    stage: "active",
    reason: `last order ${r1(gap)} days ago, within ${r1(th.dormantAfterDays)}${cycle}`,
  };
}
