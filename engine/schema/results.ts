import { z } from "zod";

/**
 * The results report of a journey (spec §4): served by `GET /api/journeys/:id/results`, written by
 * `rekindle simulate` under `results`, printed by `rekindle results`. The fields named in §4 keep their names;
 * the others (marked "addition") are extra detail the builder's results page draws.
 */

const interval = z.tuple([z.number(), z.number()]);

export const RESULTS_WARNING_CODES = [
  /** srmPValue < 0.001: arm sizes do not match the configured weights, so no winner is named. */
  "sample_ratio_mismatch",
  /** An arm has no members yet. */
  "empty_arm",
  /** The journey has no goal, so there are no conversions to compare. */
  "no_goal",
] as const;
export type ResultsWarningCode = (typeof RESULTS_WARNING_CODES)[number];

export const resultsWarningSchema = z.object({
  code: z.enum(RESULTS_WARNING_CODES),
  message: z.string(),
});
export type ResultsWarning = z.infer<typeof resultsWarningSchema>;

/** Cumulative counts per UTC day (addition): members by entry day, conversions by conversion day. */
export const armTimelinePointSchema = z.object({
  date: z.string(),
  members: z.number(),
  converted: z.number(),
});

export const armResultSchema = z.object({
  id: z.string(),
  members: z.number(),
  matured: z.number(),
  converted: z.number(),
  /** converted / members. */
  rate: z.number(),
  /** Wilson interval of `rate`. */
  ci95: interval,
  revenue: z.number(),
  /** Addition: conversions among matured members and their rate. */
  maturedConverted: z.number(),
  maturedRate: z.number(),
  /** Addition: revenue / members with a normal-approximation 95% interval. */
  revenuePerCustomer: z.number(),
  revenuePerCustomerCi95: interval,
  /** Addition: configured share of the split (0–1). */
  weight: z.number(),
  timeline: z.array(armTimelinePointSchema),
});
export type ArmResult = z.infer<typeof armResultSchema>;

export const comparisonSchema = z.object({
  arm: z.string(),
  vs: z.string(),
  absoluteLift: z.number(),
  relativeLift: z.number().nullable(),
  /** Unpooled Wald interval of `absoluteLift`. */
  ci95: interval,
  /** Fixed-horizon two-sided pooled two-proportion z-test. */
  pValue: z.number(),
  /** Mixture sequential probability ratio test (valid under continuous monitoring). */
  alwaysValidPValue: z.number(),
  /** Addition: `alwaysValidPValue` after Holm's correction over the split's comparisons. */
  adjustedPValue: z.number(),
  significant: z.boolean(),
  /**
   * Addition: members per arm a fixed-horizon test (α 0.05 two-sided, power 0.8) needs to detect the observed
   * lift; null when the lift is 0 or there is no data. `morePerArm` is what is still missing.
   */
  neededPerArm: z.number().nullable(),
  morePerArm: z.number().nullable(),
});
export type ArmComparison = z.infer<typeof comparisonSchema>;

export const experimentResultSchema = z.object({
  nodeId: z.string(),
  kind: z.enum(["random", "holdout"]),
  baseline: z.string(),
  arms: z.array(armResultSchema),
  comparisons: z.array(comparisonSchema),
  /** Chi-squared test of arm sizes against configured weights; 1 with fewer than two members. */
  srmPValue: z.number(),
  winner: z.string().nullable(),
  warnings: z.array(resultsWarningSchema),
  /** Addition: the arm new entries take because `promoteWinner` promoted it, else null. */
  promoted: z.string().nullable(),
});
export type ExperimentResult = z.infer<typeof experimentResultSchema>;

export const resultsTotalsSchema = z.object({
  entered: z.number(),
  matured: z.number(),
  converted: z.number(),
  conversionRate: z.number(),
  maturedConversionRate: z.number(),
  revenue: z.number(),
  delivered: z.number(),
  /** Addition: conversions among matured entries, runs ended by `exitOn`, entries still open. */
  maturedConverted: z.number(),
  exited: z.number(),
  open: z.number(),
});
export type ResultsTotals = z.infer<typeof resultsTotalsSchema>;

export const resultsReportSchema = z.object({
  journey: z.string(),
  journeyId: z.string(),
  asOf: z.string(),
  goal: z.object({ event: z.string(), within: z.string() }).nullable(),
  totals: resultsTotalsSchema,
  experiments: z.array(experimentResultSchema),
  /** Addition: the filter the report was computed over (entry time in [from, to); null = unbounded). */
  version: z.number().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type ResultsReport = z.infer<typeof resultsReportSchema>;
