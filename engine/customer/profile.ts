// Over 300 lines: applyEvent and recompute must compute every profile field the same way, so they stay together.
/**
 * The computed customer profile: updated incrementally by `applyEvent` as each event is ingested, and
 * rebuilt in full by `recompute` on the schedule. Both are pure: the caller passes `now`.
 *
 * Order independence: every event fact is kept in a form that does not depend on arrival order (per-day
 * order buckets, sorted complaint times, per-day engagement buckets, the satisfaction answer with the
 * latest timestamp), so any permutation of the same events gives the same profile facts.
 */
import { DEFAULT_CONFIG } from "./config";
import type { CustomerConfig } from "./config";
import { scoreChurn } from "./churn/model";
import type { CustomerModel } from "./model/predict";
import { detectSignals } from "./signals";
import { computeStage } from "./stages";
import { DAY_MS, dayOf, iso, toMs } from "./time";
import type { Instant } from "./time";
import type {
  ActiveSignal,
  CustomerEvent,
  CustomerProfile,
  EngagementDay,
  InternalEvent,
  OrderDay,
} from "./types";

export function emptyProfile(): CustomerProfile {
  return {
    version: 1,
    ordersCount: 0,
    totalSpent: 0,
    refundsCount: 0,
    refundedTotal: 0,
    firstOrderAt: null,
    lastOrderAt: null,
    days: [],
    complaintsCount: 0,
    complaints: [],
    engagement: { view: 0, favourite: 0, cart: 0, days: [] },
    surveysCount: 0,
    satisfaction: null,
    lastEventAt: null,
    eventsApplied: 0,
    stage: "prospect",
    stageSince: null,
    stageReason: "no order yet",
    stageHistory: [],
    signals: [],
    signalHistory: [],
    signalClearedAt: {},
  };
}

type Shared = "days" | "complaints" | "engagementDays" | "stageHistory" | "signalHistory" | "signalClearedAt";

/**
 * A profile being updated. `applyEvent` runs for every ingested event and most events change one array or
 * none, so the arrays and maps it shares with the stored profile are copied on first write, not up front.
 */
class Draft {
  private readonly copied: Set<Shared> | null;

  /** `ownsAll`: the profile's arrays are already private to the caller (a fresh profile). */
  constructor(
    readonly p: CustomerProfile,
    ownsAll: boolean,
  ) {
    this.copied = ownsAll ? null : new Set();
  }

  private mustCopy(k: Shared): boolean {
    if (this.copied === null || this.copied.has(k)) return false;
    this.copied.add(k);
    return true;
  }

  days(): OrderDay[] {
    if (this.mustCopy("days")) this.p.days = this.p.days.slice();
    return this.p.days;
  }
  complaints(): number[] {
    if (this.mustCopy("complaints")) this.p.complaints = this.p.complaints.slice();
    return this.p.complaints;
  }
  engagementDays(): EngagementDay[] {
    if (this.mustCopy("engagementDays"))
      this.p.engagement = { ...this.p.engagement, days: this.p.engagement.days.slice() };
    return this.p.engagement.days;
  }
  stageHistory(): CustomerProfile["stageHistory"] {
    if (this.mustCopy("stageHistory")) this.p.stageHistory = this.p.stageHistory.slice();
    return this.p.stageHistory;
  }
  signalHistory(): CustomerProfile["signalHistory"] {
    if (this.mustCopy("signalHistory")) this.p.signalHistory = this.p.signalHistory.slice();
    return this.p.signalHistory;
  }
  signalClearedAt(): CustomerProfile["signalClearedAt"] {
    if (this.mustCopy("signalClearedAt")) this.p.signalClearedAt = { ...this.p.signalClearedAt };
    return this.p.signalClearedAt;
  }
}

/** Index of `day` in an ascending array of `{day}` (binary search), or where to insert it (as ~index). */
function findDay(arr: readonly { day: number }[], day: number): number {
  let lo = 0;
  let hi = arr.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = arr[mid]!.day;
    if (d === day) return mid;
    if (d < day) lo = mid + 1;
    else hi = mid - 1;
  }
  return ~lo;
}

function insertSorted(arr: number[], v: number): void {
  let i = arr.length;
  while (i > 0 && arr[i - 1]! > v) i--;
  arr.splice(i, 0, v);
}

/** A number from a property (numbers and numeric strings); undefined otherwise. */
function num(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Adds one event's facts to a profile being updated. Unknown events only update lastEventAt. */
function ingest(draft: Draft, e: CustomerEvent, cfg: CustomerConfig, nowMs: number): void {
  const p = draft.p;
  const at = toMs(e.timestamp);
  const props = e.properties ?? {};
  p.eventsApplied++;
  p.lastEventAt = p.lastEventAt === null ? at : Math.max(p.lastEventAt, at);
  const day = dayOf(at);

  if (e.name === cfg.orderEvent) {
    const revenue = num(props.revenue) ?? 0;
    const days = draft.days();
    let i = findDay(days, day);
    if (i < 0) {
      i = ~i;
      days.splice(i, 0, { day, orders: 0, revenue: 0, refunded: 0 });
    }
    const d = { ...days[i]! } satisfies OrderDay;
    if (revenue < 0) {
      // A refund: lowers spend on its own day, is not an order.
      d.refunded += -revenue;
      p.refundsCount++;
      p.refundedTotal += -revenue;
    } else {
      d.orders++;
      d.revenue += revenue;
      p.ordersCount++;
      p.firstOrderAt = p.firstOrderAt === null ? at : Math.min(p.firstOrderAt, at);
      p.lastOrderAt = p.lastOrderAt === null ? at : Math.max(p.lastOrderAt, at);
    }
    days[i] = d;
    p.totalSpent += revenue;
    return;
  }
  if (e.name === cfg.complaintEvent) {
    p.complaintsCount++;
    const complaints = draft.complaints();
    insertSorted(complaints, at);
    if (complaints.length > cfg.complaintsKept) complaints.splice(0, complaints.length - cfg.complaintsKept);
    return;
  }
  if (e.name === cfg.surveyEvent) {
    const score = num(props.score);
    if (score === undefined) return;
    p.surveysCount++;
    const scaleProp = props.scale ?? props.type;
    const scale =
      scaleProp === "nps" || scaleProp === "NPS"
        ? "nps"
        : scaleProp === "csat" || scaleProp === "CSAT"
          ? "csat"
          : score > 5 || score === 0
            ? "nps"
            : "csat";
    if (p.satisfaction === null || at >= p.satisfaction.at) p.satisfaction = { score, scale, at };
    return;
  }
  const kind = Object.hasOwn(cfg.engagementEvents, e.name) ? cfg.engagementEvents[e.name] : undefined;
  if (kind) {
    p.engagement = { ...p.engagement, [kind]: p.engagement[kind] + 1 };
    const oldest = dayOf(nowMs) - cfg.engagementRetentionDays;
    if (day > oldest) {
      const days = draft.engagementDays();
      let i = findDay(days, day);
      if (i < 0) {
        i = ~i;
        days.splice(i, 0, { day, view: 0, favourite: 0, cart: 0 });
      }
      const d = { ...days[i]! } satisfies EngagementDay;
      d[kind]++;
      days[i] = d;
    }
    const seen = p.engagement.days;
    let drop = 0;
    while (drop < seen.length && seen[drop]!.day <= oldest) drop++;
    if (drop > 0) draft.engagementDays().splice(0, drop);
  }
}

function pushCapped<T>(arr: T[], v: T, limit: number): void {
  arr.push(v);
  if (arr.length > limit) arr.splice(0, arr.length - limit);
}

/** Re-evaluates stage and signals of a profile being updated at `nowMs`, returning what to emit. */
function evaluate(draft: Draft, cfg: CustomerConfig, nowMs: number, model?: CustomerModel): InternalEvent[] {
  const p = draft.p;
  const emitted: InternalEvent[] = [];
  // Formatting a date is costly on the ingest path; only emitted events need it.
  let tsText: string | undefined;
  const ts = (): string => (tsText ??= iso(nowMs));
  const churn = model?.churn;
  const score = churn ? scoreChurn(churn, p, nowMs) : undefined;
  const st = computeStage(
    p,
    cfg.stages,
    nowMs,
    score && churn ? { ...score, horizonDays: churn.horizonDays } : undefined,
  );
  p.stageReason = st.reason;
  if (st.stage !== p.stage) {
    pushCapped(
      draft.stageHistory(),
      { from: p.stage, to: st.stage, at: nowMs, reason: st.reason },
      cfg.historyLimit,
    );
    emitted.push({
      name: "lifecycle_stage_changed",
      properties: { from: p.stage, to: st.stage, reason: st.reason },
      timestamp: ts(),
    });
    p.stage = st.stage;
    p.stageSince = nowMs;
  }

  const detected = detectSignals(p, cfg, nowMs);
  const holding = new Set(detected.map((d) => d.reason));
  const next: ActiveSignal[] = [];
  for (const a of p.signals) {
    if (holding.has(a.reason)) continue;
    draft.signalClearedAt()[a.reason] = nowMs;
    for (let i = p.signalHistory.length - 1; i >= 0; i--) {
      const h = p.signalHistory[i]!;
      if (h.reason === a.reason && h.clearedAt === null) {
        draft.signalHistory()[i] = { ...h, clearedAt: nowMs };
        break;
      }
    }
  }
  for (const d of detected) {
    const prev = p.signals.find((a) => a.reason === d.reason);
    if (prev) {
      // Same episode: the onset follows the data where it can (e.g. an older order arrived late).
      next.push({ ...prev, since: d.since ?? prev.since, details: d.details });
      continue;
    }
    const cleared = p.signalClearedAt[d.reason];
    const resumed = cleared !== undefined && nowMs - cleared < cfg.signals.reemitCooldownDays * DAY_MS;
    if (resumed) {
      // Continues the episode that cleared moments ago: reopen it, emit nothing.
      for (let i = p.signalHistory.length - 1; i >= 0; i--) {
        const h = p.signalHistory[i]!;
        if (h.reason === d.reason) {
          draft.signalHistory()[i] = { ...h, clearedAt: null };
          next.push({ reason: d.reason, since: d.since ?? h.since, at: h.at, details: d.details });
          break;
        }
      }
      if (next.at(-1)?.reason === d.reason) continue;
    }
    const since = d.since ?? nowMs;
    next.push({ reason: d.reason, since, at: nowMs, details: d.details });
    pushCapped(
      draft.signalHistory(),
      { reason: d.reason, since, at: nowMs, clearedAt: null },
      cfg.historyLimit,
    );
    emitted.push({
      name: "churn_signal",
      properties: { reason: d.reason, since: iso(since), ...d.details },
      timestamp: ts(),
    });
  }
  p.signals = next;
  return emitted;
}

export interface ApplyResult {
  profile: CustomerProfile;
  emitted: InternalEvent[];
}

/** Folds one tracked event into the profile and re-evaluates stage and signals at `now`. */
export function applyEvent(
  profile: CustomerProfile,
  event: CustomerEvent,
  config: CustomerConfig = DEFAULT_CONFIG,
  now: Instant = event.timestamp,
  model?: CustomerModel,
): ApplyResult {
  const nowMs = toMs(now);
  const draft = new Draft({ ...profile }, false);
  ingest(draft, event, config, nowMs);
  const emitted = evaluate(draft, config, nowMs, model);
  return { profile: draft.p, emitted };
}

/** Re-evaluates stage and signals as time passes (the schedule calls this; no event needed). */
export function refresh(
  profile: CustomerProfile,
  config: CustomerConfig = DEFAULT_CONFIG,
  now: Instant,
  model?: CustomerModel,
): ApplyResult {
  const draft = new Draft({ ...profile }, false);
  const emitted = evaluate(draft, config, toMs(now), model);
  return { profile: draft.p, emitted };
}

/**
 * Full recomputation from a customer's events (any order). The event facts, stage and active signals
 * equal folding `applyEvent` over the same events at the same `now`; the histories (stage changes,
 * signal episodes) are carried over from `previous`, and changes against it are emitted, so the
 * nightly job can replace a stored profile with the recomputed one.
 */
export function recompute(
  events: Iterable<CustomerEvent>,
  config: CustomerConfig = DEFAULT_CONFIG,
  now: Instant,
  opts: { previous?: CustomerProfile; model?: CustomerModel } = {},
): ApplyResult {
  const nowMs = toMs(now);
  const list = [...events];
  const keyed = list.map((e, i) => ({ e, t: toMs(e.timestamp), i }));
  keyed.sort((x, y) => x.t - y.t || x.i - y.i);
  const base = emptyProfile();
  if (opts.previous) {
    const prev = opts.previous;
    base.stage = prev.stage;
    base.stageSince = prev.stageSince;
    base.stageReason = prev.stageReason;
    base.stageHistory = prev.stageHistory.slice();
    base.signals = prev.signals.slice();
    base.signalHistory = prev.signalHistory.slice();
    base.signalClearedAt = { ...prev.signalClearedAt };
  }
  const draft = new Draft(base, true);
  for (const k of keyed) ingest(draft, k.e, config, nowMs);
  const emitted = evaluate(draft, config, nowMs, opts.model);
  return { profile: base, emitted };
}

/** The event-derived part of a profile (no histories): equal for any order of the same events. */
export function profileFacts(p: CustomerProfile): Omit<
  CustomerProfile,
  "stageHistory" | "signalHistory" | "signalClearedAt" | "stageSince" | "signals"
> & {
  signals: string[];
} {
  const { stageHistory: _h, signalHistory: _s, signalClearedAt: _c, stageSince: _ss, signals, ...rest } = p;
  return { ...rest, signals: signals.map((s) => s.reason).sort() };
}
