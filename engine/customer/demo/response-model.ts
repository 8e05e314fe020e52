/**
 * How demo customers answer the messages the demo's journeys send them (docs/demo.md describes it for
 * marketers). It exists so the first screen of a fresh install shows experiments that behave like real
 * ones: an arm that truly wins, an arm that truly does not, holdouts that convert only organically.
 *
 * One delivery is one chance. The customer responds with probability
 *
 *     p = base(goal, stage) × channel(channel) × content(template) × sendTime(local hour)
 *
 * capped at 0.95, and the response is the journey's goal event (an `order_completed` with a revenue, or a
 * `survey_response` with a score), stored later like any other event after a delay drawn from an
 * exponential distribution (mean 18 hours, at least 10 minutes). Customers who got nothing (a holdout)
 * respond only through their own, organic purchases, which the base generator draws from BG/NBD.
 *
 * Each draw uses its own generator seeded with the demo seed and the delivery's idempotency key, so a
 * replay with the same seed and clock stores the same responses whatever order deliveries come in.
 */
import { createRng, exponential, gamma } from "../model/random";

export interface DemoDelivery {
  idempotencyKey: string;
  customerId: string;
  journeyId: string;
  nodeId: string;
  /** The action: email, sms, push, wechat. */
  channel: string;
  template: string | null;
  /** The customer's lifecycle stage when the message went out. */
  stage: string;
  /** IANA zone of the customer (for the send-time effect). */
  timezone: string | undefined;
  /** The currency the customer buys in. */
  currency: string | undefined;
  /** When it was delivered (epoch ms). */
  at: number;
  /** The journey's goal event: what responding means here. */
  goalEvent: string | undefined;
}

export interface DemoResponse {
  customerId: string;
  event: string;
  at: number;
  properties: Record<string, unknown>;
  messageId: string;
}

/** Base probability that a message is answered with a purchase, by the customer's lifecycle stage. */
export const PURCHASE_BASE: Record<string, number> = {
  prospect: 0.04,
  new: 0.16,
  active: 0.2,
  dormant: 0.2,
  churned: 0.14,
};
/** Base probability that a survey invitation is answered (any stage): most buyers answer once asked well. */
export const SURVEY_BASE = 0.42;

/**
 * Channel multipliers. SMS is read within minutes: 1.8 times email's answers, on every play that sends one
 * (the win-back's last chance, the survey reminder, the wake-up's coupon).
 */
export const CHANNEL_EFFECT: Record<string, number> = { email: 1, sms: 1.8, push: 0.85, wechat: 1.25 };

/**
 * Content multipliers by template; absent means 1. The two wake-up email offers differ a little (a 10%
 * relative effect, too small to call at the demo's size). The wake-up's SMS coupon carries its code to
 * redeem in one tap, 1.35 on top of the channel: the SMS arm answers 1.8 × 1.35 ≈ 2.4 times as often as the
 * email arm's coupon, about +17 to +23 points in the data (organic orders dilute it), so the channel split's
 * always-valid p-value stays far below 0.05 whatever day the replay ends (about 1e-7 or less at 2,000
 * customers; with the channel alone it was about 0.03, and not significant on some end days).
 */
export const CONTENT_EFFECT: Record<string, number> = {
  "limited-discount": 1.1,
  "winback-coupon": 1,
  "winback-coupon-sms": 1.35,
  "last-chance-72h": 1.15,
  "vip-perks": 1.05,
};

/**
 * Send-time multiplier by the customer's local hour. Flat on purpose: mornings and evenings answer alike,
 * so the wake-up play's send-time test has no winner to find (and must not name one).
 */
export function sendTimeEffect(_localHour: number): number {
  return 1;
}

/** Mean delay between a delivery and the response, and the shortest one. */
export const MEAN_DELAY_MS = 18 * 3_600_000;
export const MIN_DELAY_MS = 10 * 60_000;

const PURCHASE_EVENT = "order_completed";
const SURVEY_EVENT = "survey_response";

const hourFormats = new Map<string, Intl.DateTimeFormat>();

function localHour(at: number, timezone: string | undefined): number {
  const zone = timezone ?? "UTC";
  let f = hourFormats.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", hourCycle: "h23", timeZone: zone });
    } catch {
      return new Date(at).getUTCHours();
    }
    hourFormats.set(zone, f);
  }
  return Number(f.format(at));
}

/** The probability that this delivery is answered. */
export function responseProbability(d: DemoDelivery): number {
  const base = d.goalEvent === SURVEY_EVENT ? SURVEY_BASE : (PURCHASE_BASE[d.stage] ?? 0.1);
  const p =
    base *
    (CHANNEL_EFFECT[d.channel] ?? 1) *
    (d.template ? (CONTENT_EFFECT[d.template] ?? 1) : 1) *
    sendTimeEffect(localHour(d.at, d.timezone));
  return Math.min(0.95, p);
}

/** The customer's answer to one delivery, or null. Deterministic in the seed and the delivery's key. */
export function respond(seed: string | number, d: DemoDelivery): DemoResponse | null {
  // Only journeys that measure a purchase or a survey answer get answers the results page can count.
  if (d.goalEvent !== PURCHASE_EVENT && d.goalEvent !== SURVEY_EVENT) return null;
  const rng = createRng(`${String(seed)}:response:${d.idempotencyKey}`);
  if (rng.next() >= responseProbability(d)) return null;
  const at = d.at + Math.max(MIN_DELAY_MS, Math.round(exponential(rng, 1 / MEAN_DELAY_MS)));
  const messageId = `demo-${String(seed)}-response-${d.idempotencyKey}`;
  if (d.goalEvent === SURVEY_EVENT) {
    const score = Math.max(1, Math.min(5, Math.round(3.6 + (rng.next() - 0.4) * 3)));
    return {
      customerId: d.customerId,
      event: SURVEY_EVENT,
      at,
      properties: { score, scale: "csat", journeyId: d.journeyId, demo: true },
      messageId,
    };
  }
  // Gamma(4, 1/45): about 180 in the customer's currency units, like the base's own orders.
  const revenue = Math.round(gamma(rng, 4, 1 / 45) * 100) / 100;
  return {
    customerId: d.customerId,
    event: PURCHASE_EVENT,
    at,
    properties: {
      orderId: `o-${messageId}`,
      revenue,
      ...(d.currency ? { currency: d.currency } : {}),
      items: 1,
      demo: true,
    },
    messageId,
  };
}
