import { z } from "zod";
import { LIFECYCLE_STAGES } from "./journey";
import { RFM_SEGMENTS } from "./facts";

/**
 * The customer list of the builder (`GET /api/customer-list`): filtered by stage, RFM segment, churn-risk band
 * and tag, sorted, paged, and exported as CSV. One schema for the query and one for the answer.
 */

/** Churn-risk bands over the calibrated probability: below 0.3 low, below 0.6 medium, else high. */
export const RISK_BANDS = ["low", "medium", "high"] as const;
export type RiskBand = (typeof RISK_BANDS)[number];
export function riskBand(churnRisk: unknown): RiskBand | null {
  if (typeof churnRisk !== "number" || !Number.isFinite(churnRisk)) return null;
  return churnRisk < 0.3 ? "low" : churnRisk < 0.6 ? "medium" : "high";
}

export const CUSTOMER_SORTS = ["id", "churnRisk", "clv", "pAlive", "totalSpent", "updatedAt"] as const;

export const customerListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  stage: z.enum(LIFECYCLE_STAGES).optional(),
  segment: z.enum(RFM_SEGMENTS).optional(),
  risk: z.enum(RISK_BANDS).optional(),
  /** An RFM recency × frequency cell, `r-f` (the overview's grid): customers with those two scores. */
  rfm: z
    .string()
    .regex(/^[1-5]-[1-5]$/, "rfm is a recency-frequency cell: two scores 1-5 joined by '-', e.g. 5-3")
    .optional(),
  tag: z.string().trim().min(1).max(100).optional(),
  sort: z.enum(CUSTOMER_SORTS).default("id"),
  dir: z.enum(["asc", "desc"]).default("asc"),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  format: z.enum(["json", "csv"]).default("json"),
});
export type CustomerListQuery = z.infer<typeof customerListQuerySchema>;

export const customerListRowSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  stage: z.string().nullable(),
  segment: z.string().nullable(),
  churnRisk: z.number().nullable(),
  risk: z.enum(RISK_BANDS).nullable(),
  pAlive: z.number().nullable(),
  clv: z.number().nullable(),
  totalSpent: z.number().nullable(),
  tags: z.array(z.string()),
  updatedAt: z.string(),
});
export type CustomerListRow = z.infer<typeof customerListRowSchema>;

export const customerListSchema = z.object({
  items: z.array(customerListRowSchema),
  /** Customers matching the filters (among those scanned). */
  total: z.number().int().nonnegative(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Customers examined; when the base is larger than the scan cap, `complete` is false. */
  scanned: z.number().int().nonnegative(),
  complete: z.boolean(),
});
export type CustomerList = z.infer<typeof customerListSchema>;
