/** The shapes of the computed customer state. Instants are epoch milliseconds; days are UTC day numbers. */
import { LIFECYCLE_STAGES, type LifecycleStage } from "../schema/journey";
import type { Instant } from "./time";

// Stages and signal reasons are part of the contract (conditions test them): engine/schema.
export type Stage = LifecycleStage;
export const STAGES: readonly Stage[] = LIFECYCLE_STAGES;
export { SIGNAL_REASONS, type SignalReason } from "../schema/facts";
import type { SignalReason } from "../schema/facts";

/** The orders of one UTC day: several orders on a day are one transaction for the models. */
export interface OrderDay {
  day: number;
  /** Orders (revenue >= 0) on this day; 0 for a day with refunds only. */
  orders: number;
  /** Sum of the order values (>= 0). */
  revenue: number;
  /** Sum of the refunds on this day, as a positive number. */
  refunded: number;
}

export interface EngagementDay {
  day: number;
  view: number;
  favourite: number;
  cart: number;
}

export interface StageChange {
  from: Stage;
  to: Stage;
  at: number;
  reason: string;
}

export interface ActiveSignal {
  reason: SignalReason;
  /** When the condition began to hold, where that is known (e.g. last order + threshold); else `at`. */
  since: number;
  /** When it was detected (and the churn_signal emitted). */
  at: number;
  details: Record<string, number | string | null>;
}

export interface SignalEpisode {
  reason: SignalReason;
  since: number;
  at: number;
  clearedAt: number | null;
}

export interface Satisfaction {
  score: number;
  scale: "csat" | "nps";
  at: number;
}

export interface CustomerProfile {
  version: 1;
  /** Order events with revenue >= 0 (several on a day count separately here). */
  ordersCount: number;
  /** Order values minus refunds. */
  totalSpent: number;
  refundsCount: number;
  refundedTotal: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  /** Every day with an order or a refund, ascending: the compact history the windows are computed from. */
  days: OrderDay[];
  complaintsCount: number;
  /** Most recent complaint times, ascending (at most config.complaintsKept). */
  complaints: number[];
  engagement: { view: number; favourite: number; cart: number; days: EngagementDay[] };
  surveysCount: number;
  satisfaction: Satisfaction | null;
  lastEventAt: number | null;
  eventsApplied: number;
  stage: Stage;
  stageSince: number | null;
  stageReason: string;
  stageHistory: StageChange[];
  signals: ActiveSignal[];
  signalHistory: SignalEpisode[];
  /** Last time each reason's episode cleared (for the re-emit cooldown). */
  signalClearedAt: Partial<Record<SignalReason, number>>;
}

/** An event as the customer state consumes it (a tracked event; identify calls do not change it). */
export interface CustomerEvent {
  name: string;
  properties?: Record<string, unknown> | undefined;
  timestamp: Instant;
}

/** What the state emits for the engine: `lifecycle_stage_changed` and `churn_signal`. */
export interface InternalEvent {
  name: "lifecycle_stage_changed" | "churn_signal";
  properties: Record<string, unknown>;
  /** ISO 8601 UTC: the moment of detection (`now`). */
  timestamp: string;
}
