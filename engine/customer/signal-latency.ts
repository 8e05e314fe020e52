/**
 * Signal-to-message latency: how fast journeys answer churn signals.
 *
 * For every stored `churn_signal` event, the delay is the time from the signal to the first message any
 * journey delivered to that customer at or after it (a sent outbox row on a message channel). The signal
 * is then attributed to that message's journey.
 *
 * - `handledWithin72h`: the share of signals answered within 72 hours, over the signals whose 72 hours
 *   have passed or that were answered already (a signal 10 hours old with no message yet is `pending`
 *   and left out of the share, so a fresh signal does not count as a miss).
 * - `medianDelayHours`: the median delay over the answered signals (null when none).
 * - Per journey: the signals each journey answered first, the share of those within 72 hours (by
 *   construction over answered signals only), and their median delay.
 *
 * Served by the API as `GET /api/metrics/churn-response` (the server mounts it).
 */
import type { Store } from "../store/types";

export const CHURN_RESPONSE_WINDOW_MS = 72 * 3_600_000;

export interface LatencyStats {
  /** Signals counted. */
  signals: number;
  /** Signals followed by a delivered message (at any time after). */
  answered: number;
  /** Answered within the window. */
  withinWindow: number;
  /** Not answered and younger than the window: not yet decided. */
  pending: number;
  /** withinWindow / (signals − pending); null when that is 0. */
  handledWithin72h: number | null;
  medianDelayHours: number | null;
  /** 90th percentile of the delay over answered signals. */
  p90DelayHours: number | null;
}

export interface ChurnResponseReport {
  windowHours: number;
  from: string | null;
  to: string | null;
  overall: LatencyStats;
  /** By the journey whose message came first, sorted by journey id. */
  byJourney: ({ journeyId: string } & LatencyStats)[];
  /** By the signal's reason (order_gap, falling_spend…). */
  byReason: ({ reason: string } & LatencyStats)[];
}

export interface ChurnResponseQuery {
  /** Signals at or after this instant (ms). */
  from?: number | undefined;
  /** Signals before this instant (ms). */
  to?: number | undefined;
  /** The instant the report is made at (for pending signals); default Date.now(). */
  now?: number | undefined;
  windowMs?: number | undefined;
  /** The signal event's name (default `churn_signal`). */
  signalEvent?: string | undefined;
}

/** The q-quantile of an ascending array by linear interpolation. */
function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(sorted.length - 1, lo + 1)]!;
  return a + (h - lo) * (b - a);
}

const hours = (ms: number | null): number | null =>
  ms === null ? null : Math.round((ms / 3_600_000) * 100) / 100;

class Tally {
  signals = 0;
  within = 0;
  pending = 0;
  delays: number[] = [];
  add(delay: number | null, decided: boolean, windowMs: number): void {
    this.signals++;
    if (delay === null) {
      if (!decided) this.pending++;
      return;
    }
    this.delays.push(delay);
    if (delay <= windowMs) this.within++;
  }
  stats(): LatencyStats {
    const sorted = this.delays.sort((a, b) => a - b);
    const decided = this.signals - this.pending;
    return {
      signals: this.signals,
      answered: sorted.length,
      withinWindow: this.within,
      pending: this.pending,
      handledWithin72h: decided > 0 ? this.within / decided : null,
      medianDelayHours: hours(quantile(sorted, 0.5)),
      p90DelayHours: hours(quantile(sorted, 0.9)),
    };
  }
}

/** The churn-signal response report from the store. */
export async function churnResponse(store: Store, q: ChurnResponseQuery = {}): Promise<ChurnResponseReport> {
  const windowMs = q.windowMs ?? CHURN_RESPONSE_WINDOW_MS;
  const now = q.now ?? Date.now();
  const rows = await store.signalResponses({
    name: q.signalEvent ?? "churn_signal",
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
  });
  const overall = new Tally();
  const journeys = new Map<string, Tally>();
  const reasons = new Map<string, Tally>();
  const tally = (m: Map<string, Tally>, k: string): Tally => {
    let t = m.get(k);
    if (!t) m.set(k, (t = new Tally()));
    return t;
  };
  for (const r of rows) {
    // A message delivered before the report's instant only (the store may hold later ones in tests).
    const delay = r.deliveredAt !== null && r.deliveredAt <= now ? r.deliveredAt - r.at : null;
    const decided = now - r.at >= windowMs;
    overall.add(delay, decided, windowMs);
    tally(reasons, r.reason ?? "unknown").add(delay, decided, windowMs);
    if (delay !== null && r.journeyId !== null) tally(journeys, r.journeyId).add(delay, true, windowMs);
  }
  const sortedEntries = (m: Map<string, Tally>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    windowHours: windowMs / 3_600_000,
    from: q.from !== undefined ? new Date(q.from).toISOString() : null,
    to: q.to !== undefined ? new Date(q.to).toISOString() : null,
    overall: overall.stats(),
    byJourney: sortedEntries(journeys).map(([journeyId, t]) => ({ journeyId, ...t.stats() })),
    byReason: sortedEntries(reasons).map(([reason, t]) => ({ reason, ...t.stats() })),
  };
}
