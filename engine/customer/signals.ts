/**
 * Churn signals. Each reason holds or not at a moment, as a function of the profile; the profile keeps
 * the active ones, and a churn_signal is emitted when a reason starts to hold (one episode), not while
 * it keeps holding. An episode ends when the reason no longer holds; one that holds again within
 * `reemitCooldownDays` of clearing continues the old episode silently (no flapping).
 *
 * - order_gap: no order for longer than gapFactor × own cycle (≥ minGapDays, ≤ the dormancy
 *   threshold); for one-order customers after oneOrderGapDays.
 * - falling_frequency: order days in the last windowDays ≤ fallingRatio × the window before (which had
 *   at least minPrevOrders).
 * - falling_spend: net spend likewise (the previous window with at least minPrevOrders order days and
 *   positive spend).
 * - rising_complaints: complaints in the last complaintWindowDays > the window before, and ≥ minComplaints.
 * - falling_engagement: browse/favourite/add-to-cart events in the last engagementWindowDays ≤
 *   fallingRatio × the window before (which had at least minPrevEngagement).
 * - low_satisfaction: the last survey score is CSAT ≤ lowCsat or NPS ≤ lowNps, answered within
 *   satisfactionValidDays.
 */
import type { CustomerConfig } from "./config";
import { avgDaysBetweenOrders, countWindows, daysSince, engagementWindows, orderWindows } from "./metrics";
import { stageThresholds } from "./stages";
import { DAY_MS } from "./time";
import type { CustomerProfile, SignalReason } from "./types";

export interface DetectedSignal {
  reason: SignalReason;
  /** The onset where it follows from the data (last order + threshold, first complaint in the window,
   * the survey answer); undefined for window comparisons, whose onset is the moment of detection. */
  since: number | undefined;
  details: Record<string, number | string | null>;
}

const round = (n: number, k = 2): number => Math.round(n * 10 ** k) / 10 ** k;

/** Every reason that holds at `nowMs`. */
export function detectSignals(p: CustomerProfile, cfg: CustomerConfig, nowMs: number): DetectedSignal[] {
  const s = cfg.signals;
  const out: DetectedSignal[] = [];

  if (p.lastOrderAt !== null) {
    const cycle = avgDaysBetweenOrders(p);
    const dormant = stageThresholds(p, cfg.stages).dormantAfterDays;
    const threshold =
      cycle === undefined
        ? s.oneOrderGapDays === null
          ? undefined
          : Math.min(dormant, s.oneOrderGapDays)
        : Math.min(dormant, Math.max(s.minGapDays, s.gapFactor * cycle));
    const gap = daysSince(p.lastOrderAt, nowMs) ?? 0;
    if (threshold !== undefined && gap > threshold) {
      out.push({
        reason: "order_gap",
        since: p.lastOrderAt + threshold * DAY_MS,
        details: {
          daysSinceLastOrder: round(gap, 1),
          thresholdDays: round(threshold, 1),
          cycleDays: cycle === undefined ? null : round(cycle, 1),
        },
      });
    }
  }

  const w = orderWindows(p, nowMs, s.windowDays);
  if (w.prevOrders >= s.minPrevOrders && w.orders <= s.fallingRatio * w.prevOrders) {
    out.push({
      reason: "falling_frequency",
      since: undefined,
      details: { orders: w.orders, prevOrders: w.prevOrders, windowDays: s.windowDays },
    });
  }
  if (w.prevOrders >= s.minPrevOrders && w.prevSpend > 0 && w.spend <= s.fallingRatio * w.prevSpend) {
    out.push({
      reason: "falling_spend",
      since: undefined,
      details: { spend: round(w.spend), prevSpend: round(w.prevSpend), windowDays: s.windowDays },
    });
  }

  const c = countWindows(p.complaints, nowMs, s.complaintWindowDays);
  if (c.last >= s.minComplaints && c.last > c.prev) {
    const from = nowMs - s.complaintWindowDays * DAY_MS;
    const first = p.complaints.find((t) => t > from && t <= nowMs);
    out.push({
      reason: "rising_complaints",
      since: first,
      details: { complaints: c.last, prevComplaints: c.prev, windowDays: s.complaintWindowDays },
    });
  }

  const e = engagementWindows(p.engagement.days, nowMs, s.engagementWindowDays);
  if (e.prevTotal >= s.minPrevEngagement && e.total <= s.fallingRatio * e.prevTotal) {
    out.push({
      reason: "falling_engagement",
      since: undefined,
      details: { engagement: e.total, prevEngagement: e.prevTotal, windowDays: s.engagementWindowDays },
    });
  }

  const sat = p.satisfaction;
  if (sat && sat.at <= nowMs && nowMs - sat.at <= s.satisfactionValidDays * DAY_MS) {
    const low = sat.scale === "nps" ? sat.score <= s.lowNps : sat.score <= s.lowCsat;
    if (low)
      out.push({
        reason: "low_satisfaction",
        since: sat.at,
        details: { score: sat.score, scale: sat.scale },
      });
  }
  return out;
}
