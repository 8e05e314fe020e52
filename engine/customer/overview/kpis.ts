/**
 * The lifecycle KPIs of the overview, each over the period [from, to) and judged at `now` (definitions in
 * docs/overview.md). Goal windows follow the results engine's rule (engine/results, docs/results.md): an
 * outcome counts at or after its start and strictly before start + window, and a figure only counts the
 * windows that have closed by `now` (matured), so a fresh contact is not yet a miss.
 */
import type { OverviewKpi, OverviewKpiName } from "../../schema/overview";
import type { Store } from "../../store/types";
import { churnResponse, CHURN_RESPONSE_WINDOW_MS } from "../signal-latency";
import { DAY_MS } from "../time";
import type { OrderDay, StageChange } from "../types";

/** The dormant wake-up play's goal: an order within 14 days of the contact. */
export const WAKE_UP_WINDOW_MS = 14 * DAY_MS;
/** The golden-72-hours play's goal: an order within 72 hours of the churn signal. */
export const WIN_BACK_WINDOW_MS = CHURN_RESPONSE_WINDOW_MS;

/** The playbook's industry bands (server/plays): the same figures the results page shows. */
export const KPI_BANDS: Record<OverviewKpiName, { low: number; high: number } | null> = {
  wakeUp: { low: 0.2, high: 0.3 },
  winBack72h: { low: 0.3, high: 0.4 },
  signalsAnswered72h: null,
  surveyResponse: { low: 0.5, high: 0.6 },
  repurchase: null,
  retention: null,
};

export interface KpiWindow {
  from: number;
  to: number;
  now: number;
}

const kpi = (
  name: OverviewKpiName,
  numerator: number,
  denominator: number,
  journeys: Map<string, number> = new Map(),
): OverviewKpi => ({
  name,
  rate: denominator > 0 ? numerator / denominator : null,
  numerator,
  denominator,
  band: KPI_BANDS[name],
  journeys: [...journeys]
    .map(([id, count]) => ({ id, count }))
    .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)),
});

const bump = (m: Map<string, number>, k: string | null) => {
  if (k) m.set(k, (m.get(k) ?? 0) + 1);
};

/** A stretch of time a customer spent dormant: [since, until). */
export interface DormantEpisode {
  customerId: string;
  since: number;
  until: number;
}

/**
 * What one pass over the base's profiles gives: repurchase and retention counts, and the dormant episodes
 * that overlap the period (whose contacts the wake-up rate then looks up).
 */
export class KpiCollector {
  buyers = 0;
  repeatBuyers = 0;
  previousBuyers = 0;
  retained = 0;
  readonly episodes: DormantEpisode[] = [];
  private readonly prevFrom: number;

  constructor(private readonly w: KpiWindow) {
    this.prevFrom = w.from - (w.to - w.from);
  }

  add(customerId: string, p: { days: readonly OrderDay[]; stageHistory: readonly StageChange[] }): void {
    const { from, to } = this.w;
    // Order days (a day with refunds only is no order); a day counts at its start (UTC day number × 1 day).
    let before = 0;
    let inPrev = false;
    let inPeriod = false;
    for (const d of p.days) {
      if (d.orders <= 0) continue;
      const at = d.day * DAY_MS;
      if (at < to) before++;
      if (at >= this.prevFrom && at < from) inPrev = true;
      if (at >= from && at < to) inPeriod = true;
    }
    if (before >= 1) this.buyers++;
    if (before >= 2) this.repeatBuyers++;
    if (inPrev) {
      this.previousBuyers++;
      if (inPeriod) this.retained++;
    }
    const h = p.stageHistory;
    for (let i = 0; i < h.length; i++) {
      if (h[i]!.to !== "dormant") continue;
      const since = h[i]!.at;
      const until = h[i + 1]?.at ?? Infinity;
      if (since < to && until > from) this.episodes.push({ customerId, since, until });
    }
  }
}

/**
 * Wake-up rate: of the dormant episodes in which a journey's message (a sent delivery on a channel) first
 * reached the customer within the period and whose 14 days have passed by `now`, the share with an order
 * within 14 days of that message.
 */
export async function wakeUpRate(
  store: Store,
  episodes: readonly DormantEpisode[],
  w: KpiWindow,
  orderEvent: string,
): Promise<OverviewKpi> {
  let contacted = 0;
  let woke = 0;
  const journeys = new Map<string, number>();
  for (const e of episodes) {
    const start = Math.max(e.since, w.from);
    const end = Math.min(e.until, w.to);
    const sent = await store.listOutbox({ customerId: e.customerId, status: "sent", limit: 1000 });
    const first = sent
      .filter(
        (o) => o.channel !== null && o.deliveredAt !== null && o.deliveredAt >= start && o.deliveredAt < end,
      )
      .sort((a, b) => a.deliveredAt! - b.deliveredAt!)[0];
    if (!first || first.deliveredAt! + WAKE_UP_WINDOW_MS > w.now) continue;
    contacted++;
    bump(journeys, first.journeyId);
    // countEvents counts [from, to] inclusive: the window is [contact, contact + 14 days).
    const c = first.deliveredAt!;
    if ((await store.countEvents(e.customerId, orderEvent, c, c + WAKE_UP_WINDOW_MS - 1)) > 0) woke++;
  }
  return kpi("wakeUp", woke, contacted, journeys);
}

/**
 * The churn-signal KPIs over the signals raised in the period whose 72 hours have passed by `now`:
 * win-back, the share of the signals a journey's message answered within 72 hours (the message at most
 * 72 hours after the signal) that were followed by an order in [signal, signal + 72 hours); and answered, the share of the signals answered within 72 hours
 * (the churn-response report's `handledWithin72h`, engine/customer/signal-latency.ts).
 */
export async function churnSignalKpis(
  store: Store,
  w: KpiWindow,
  orderEvent: string,
): Promise<{ winBack: OverviewKpi; answered: OverviewKpi }> {
  const signals = await store.signalResponses({ name: "churn_signal", from: w.from, to: w.to });
  let answered = 0;
  let won = 0;
  const journeys = new Map<string, number>();
  for (const s of signals) {
    const end = s.at + WIN_BACK_WINDOW_MS;
    // Answered as the churn-response report counts it: a message at most 72 hours after the signal.
    if (end > w.now || s.deliveredAt === null || s.deliveredAt > end) continue;
    answered++;
    bump(journeys, s.journeyId);
    if ((await store.countEvents(s.customerId, orderEvent, s.at, end - 1)) > 0) won++;
  }
  const report = await churnResponse(store, { from: w.from, to: w.to, now: w.now });
  const o = report.overall;
  const byJourney = new Map(
    report.byJourney.filter((j) => j.withinWindow > 0).map((j) => [j.journeyId, j.withinWindow]),
  );
  return {
    winBack: kpi("winBack72h", won, answered, journeys),
    answered: kpi("signalsAnswered72h", o.withinWindow, o.signals - o.pending, byJourney),
  };
}

/** Survey response rate: survey answers naming a journey over the invitations it delivered, every journey. */
export async function surveyResponseKpi(store: Store, surveyEvent: string): Promise<OverviewKpi> {
  let invitations = 0;
  let responses = 0;
  const journeys = new Map<string, number>();
  for (const j of await store.listJourneys()) {
    const c = await store.surveyCounts(j.id, surveyEvent);
    if (c.invitations === 0) continue;
    invitations += c.invitations;
    responses += c.responses;
    journeys.set(j.id, c.invitations);
  }
  return kpi("surveyResponse", responses, invitations, journeys);
}

/** Repurchase and retention from the collector's counts. */
export function baseKpis(c: KpiCollector): { repurchase: OverviewKpi; retention: OverviewKpi } {
  return {
    repurchase: kpi("repurchase", c.repeatBuyers, c.buyers),
    retention: kpi("retention", c.retained, c.previousBuyers),
  };
}
