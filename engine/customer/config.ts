/** Thresholds and names behind the computed customer state, with the defaults the product ships. */

export interface StageConfig {
  /** `new` while the first order is at most this many days old. */
  newDays: number;
  /** Dormant once the gap since the last order exceeds this many times the customer's own average gap… */
  dormantCycleFactor: number;
  /** …but never below this many days… */
  minDormantDays: number;
  /** …and always after this many days without an order (also the rule for one-order customers). */
  dormantAfterDays: number;
  /** Churned once the gap exceeds this many times the own cycle (never below minChurnDays)… */
  churnCycleFactor: number;
  minChurnDays: number;
  /** …or after this many days without an order in any case. */
  churnedAfterDays: number;
  /**
   * With a trained churn model the stage follows its calibrated risk of no order in the model's horizon
   * (once the gap is at least minDormantDays): dormant at or above `dormantRisk`, churned at or above
   * `churnedRisk`. The day thresholds above apply only until a model is trained.
   */
  dormantRisk: number;
  churnedRisk: number;
}

export interface SignalConfig {
  /** order_gap: the gap exceeds gapFactor × own average gap (at least minGapDays, at most the dormancy threshold). */
  gapFactor: number;
  minGapDays: number;
  /** order_gap for one-order customers after this many days; null: never. */
  oneOrderGapDays: number | null;
  /** falling_frequency / falling_spend compare the last windowDays with the windowDays before. */
  windowDays: number;
  /** Fires when last ≤ fallingRatio × previous… */
  fallingRatio: number;
  /** …and the previous window had at least this many order days. */
  minPrevOrders: number;
  /** rising_complaints: complaints in the last complaintWindowDays exceed the window before and reach minComplaints. */
  complaintWindowDays: number;
  minComplaints: number;
  /** falling_engagement: last engagementWindowDays ≤ fallingRatio × the window before, which had ≥ minPrevEngagement. */
  engagementWindowDays: number;
  minPrevEngagement: number;
  /** low_satisfaction: CSAT (1–5) at or below lowCsat, NPS (0–10) at or below lowNps, answered within satisfactionValidDays. */
  lowCsat: number;
  lowNps: number;
  satisfactionValidDays: number;
  /** A signal that clears and holds again within this many days continues its episode (no new churn_signal). */
  reemitCooldownDays: number;
}

export type EngagementKind = "view" | "favourite" | "cart";

export interface CustomerConfig {
  stages: StageConfig;
  signals: SignalConfig;
  orderEvent: string;
  complaintEvent: string;
  surveyEvent: string;
  /** Tracked event name → engagement kind. */
  engagementEvents: Record<string, EngagementKind>;
  /** Per-day engagement counts older than this are dropped (totals are kept). */
  engagementRetentionDays: number;
  /** Complaint timestamps kept (the most recent; the total count is kept apart). */
  complaintsKept: number;
  /** Entries kept in the stage and signal histories (the most recent). */
  historyLimit: number;
  clv: { horizonDays: number; annualDiscountRate: number };
}

export const DEFAULT_CONFIG: CustomerConfig = {
  stages: {
    newDays: 30,
    dormantCycleFactor: 2.5,
    minDormantDays: 30,
    dormantAfterDays: 120,
    churnCycleFactor: 5,
    minChurnDays: 90,
    churnedAfterDays: 365,
    dormantRisk: 0.6,
    churnedRisk: 0.85,
  },
  signals: {
    gapFactor: 2,
    minGapDays: 21,
    oneOrderGapDays: 60,
    windowDays: 90,
    fallingRatio: 0.5,
    minPrevOrders: 2,
    complaintWindowDays: 30,
    minComplaints: 1,
    engagementWindowDays: 30,
    minPrevEngagement: 5,
    lowCsat: 2,
    lowNps: 6,
    satisfactionValidDays: 90,
    reemitCooldownDays: 14,
  },
  orderEvent: "order_completed",
  complaintEvent: "complaint",
  surveyEvent: "survey_response",
  engagementEvents: {
    product_viewed: "view",
    browse: "view",
    page_viewed: "view",
    favourite: "favourite",
    favorite: "favourite",
    product_favourited: "favourite",
    product_favorited: "favourite",
    add_to_cart: "cart",
    product_added: "cart",
  },
  engagementRetentionDays: 120,
  complaintsKept: 100,
  historyLimit: 50,
  clv: { horizonDays: 365, annualDiscountRate: 0.1 },
};

export interface CustomerConfigInput {
  stages?: Partial<StageConfig>;
  signals?: Partial<SignalConfig>;
  orderEvent?: string;
  complaintEvent?: string;
  surveyEvent?: string;
  engagementEvents?: Record<string, EngagementKind>;
  engagementRetentionDays?: number;
  complaintsKept?: number;
  historyLimit?: number;
  clv?: Partial<CustomerConfig["clv"]>;
}

/** Fills a partial configuration with the defaults. */
export function resolveConfig(input: CustomerConfigInput = {}): CustomerConfig {
  return {
    ...DEFAULT_CONFIG,
    ...input,
    stages: { ...DEFAULT_CONFIG.stages, ...input.stages },
    signals: { ...DEFAULT_CONFIG.signals, ...input.signals },
    engagementEvents: input.engagementEvents ?? DEFAULT_CONFIG.engagementEvents,
    clv: { ...DEFAULT_CONFIG.clv, ...input.clv },
  };
}
