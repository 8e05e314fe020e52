/**
 * A deterministic, realistic demo customer base as Segment-style events (spec §2): identify calls with
 * names (Chinese and English), cities, IANA time zones, emails and phones, then tracked purchases drawn
 * from BG/NBD (timing) and Gamma-Gamma (value), refunds, complaints, browsing, favourites, add-to-cart
 * and survey answers. Same seed and options, same events, byte for byte.
 */
import type { BgNbdParams } from "../model/bgnbd";
import type { GammaGammaParams } from "../model/gamma-gamma";
import { createRng, gamma, pick, poisson } from "../model/random";
import type { Rng } from "../model/random";
import { simulateCustomer } from "../model/simulate";
import { DAY_MS, toMs } from "../time";
import type { Instant } from "../time";
import { CITIES, EN_FIRST, EN_LAST, ZH_GIVEN, ZH_SURNAMES } from "./places";
import type { City } from "./places";

export interface DemoIdentify {
  type: "identify";
  userId: string;
  traits: Record<string, unknown>;
  timestamp: string;
  messageId: string;
}
export interface DemoTrack {
  type: "track";
  userId: string;
  event: string;
  properties: Record<string, unknown>;
  timestamp: string;
  messageId: string;
}
export type DemoEvent = DemoIdentify | DemoTrack;

export interface DemoOptions {
  customers: number;
  seed?: number | string;
  /** The end of the history; nothing is generated after it. Default 2026-03-01T00:00:00Z. */
  now?: Instant;
  /** First orders are spread over this many days before `now`. Default 730. */
  historyDays?: number;
  /** Share of customers who never order. Default 0.12. */
  prospectShare?: number;
  /** Purchase timing, per day. Default r 0.55, α 55, a 0.7, b 3.5 (≈ 3.6 orders a year while alive). */
  bgnbd?: BgNbdParams;
  /** Order value in CNY (converted to the customer's currency). Default p 4, q 3.5, γ 120 (mean ≈ 190 CNY). */
  gammaGamma?: GammaGammaParams;
  /** Id prefix. Default "c-". */
  idPrefix?: string;
}

export const DEMO_DEFAULTS = {
  now: "2026-03-01T00:00:00Z",
  historyDays: 730,
  prospectShare: 0.12,
  bgnbd: { r: 0.55, alpha: 55, a: 0.7, b: 3.5 },
  gammaGamma: { p: 4, q: 3.5, gamma: 120 },
} as const;

export interface DemoCustomer {
  id: string;
  traits: Record<string, unknown>;
  /** This customer's events in timestamp order. */
  events: DemoEvent[];
}

const CITY_WEIGHT = CITIES.reduce((s, c) => s + c.weight, 0);

function pickCity(rng: Rng): City {
  let u = rng.next() * CITY_WEIGHT;
  for (const c of CITIES) {
    u -= c.weight;
    if (u < 0) return c;
  }
  return CITIES[0] as City;
}

const digits = (rng: Rng, n: number): string => {
  let s = "";
  for (let i = 0; i < n; i++) s += String(Math.floor(rng.next() * 10));
  return s;
};

function person(rng: Rng, city: City, i: number): Record<string, unknown> {
  const domain = pick(rng, ["example.com", "example.org", "example.net"]);
  const tag = String(i % 1000).padStart(3, "0");
  if (city.zh) {
    const [sz, sp] = pick(rng, ZH_SURNAMES);
    const [gz, gp] = pick(rng, ZH_GIVEN);
    const phone =
      city.country === "CN"
        ? `+86 1${pick(rng, ["35", "38", "39", "50", "58", "86", "88"])}${digits(rng, 8)}`
        : city.country === "HK"
          ? `+852 ${digits(rng, 8)}`
          : `+886 9${digits(rng, 8)}`;
    return {
      name: `${sz}${gz}`,
      firstName: gz,
      lastName: sz,
      email: `${gp}.${sp}${tag}@${domain}`,
      phone,
    };
  }
  const first = pick(rng, EN_FIRST);
  const last = pick(rng, EN_LAST);
  const phone =
    city.country === "US" || city.country === "CA"
      ? `+1 ${pick(rng, ["212", "415", "646", "416"])} 555 01${digits(rng, 2)}`
      : city.country === "GB"
        ? `+44 7700 900${digits(rng, 3)}`
        : `+${city.country === "SG" ? "65 8" : city.country === "AU" ? "61 4" : "49 15"}${digits(rng, 7)}`;
  return {
    name: `${first} ${last}`,
    firstName: first,
    lastName: last,
    email: `${first}.${last}${tag}@${domain}`.toLowerCase(),
    phone,
  };
}

/** A plausible local time of day (mostly 9:00–23:00 local), as an offset in ms from UTC midnight of `day`. */
function localTime(rng: Rng, city: City): number {
  const hour = 9 + Math.floor(rng.next() * 14);
  const minute = Math.floor(rng.next() * 60);
  const second = Math.floor(rng.next() * 60);
  return ((hour - city.utcOffset) * 3600 + minute * 60 + second) * 1000;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const money = (v: number): number => Math.round(v * 100) / 100;

/** One customer's traits and events (deterministic in seed and index). */
export function demoCustomer(i: number, opts: DemoOptions): DemoCustomer {
  const seed = opts.seed ?? 1;
  const rng = createRng(`${String(seed)}:${i}`);
  const nowMs = toMs(opts.now ?? DEMO_DEFAULTS.now);
  const historyDays = opts.historyDays ?? DEMO_DEFAULTS.historyDays;
  const bg = opts.bgnbd ?? DEMO_DEFAULTS.bgnbd;
  const gg = opts.gammaGamma ?? DEMO_DEFAULTS.gammaGamma;
  const id = `${opts.idPrefix ?? "c-"}${String(i + 1).padStart(5, "0")}`;
  const city = pickCity(rng);
  const events: DemoEvent[] = [];
  let k = 0;
  const mid = (): string => `demo-${String(seed)}-${i}-${k++}`;
  const track = (event: string, at: number, properties: Record<string, unknown>): void => {
    if (at > nowMs) return;
    events.push({ type: "track", userId: id, event, properties, timestamp: iso(at), messageId: mid() });
  };

  const prospect = rng.next() < (opts.prospectShare ?? DEMO_DEFAULTS.prospectShare);
  const firstDay = Math.floor(nowMs / DAY_MS) - 1 - Math.floor(rng.next() * historyDays);
  // Signed up a few days to a month before the first order (browsing before it is logged in).
  const signupAt = (firstDay - 4 - Math.floor(rng.next() * 30)) * DAY_MS + localTime(rng, city);
  const traits: Record<string, unknown> = {
    ...person(rng, city, i),
    city: city.name,
    country: city.country,
    timezone: city.timezone,
    locale: city.locale,
    currency: city.currency,
    signupAt: iso(Math.min(signupAt, nowMs)),
    acceptsMarketing: rng.next() < 0.85,
    // Generated people: the builder and the API show them as demo data.
    demo: true,
  };
  events.push({
    type: "identify",
    userId: id,
    traits,
    timestamp: iso(Math.min(signupAt, nowMs)),
    messageId: mid(),
  });

  const browse = (before: number, intensity: number): void => {
    const views = poisson(rng, 3 * intensity);
    for (let v = 0; v < views; v++) {
      track("product_viewed", before - Math.floor(rng.next() * 3 * DAY_MS), {
        productId: `p-${Math.floor(rng.next() * 500)}`,
      });
    }
    if (rng.next() < 0.25 * intensity)
      track("favourite", before - Math.floor(rng.next() * 2 * DAY_MS), {
        productId: `p-${Math.floor(rng.next() * 500)}`,
      });
  };

  if (prospect) {
    const n = poisson(rng, 2);
    for (let v = 0; v < n; v++) browse(signupAt + Math.floor(rng.next() * 60 * DAY_MS), 0.7);
  } else {
    const T = (nowMs - firstDay * DAY_MS) / DAY_MS - 1;
    const sim = simulateCustomer(rng, bg, Math.max(0, T), gg);
    const times = [0, ...sim.times];
    let complained = false;
    for (let j = 0; j < times.length; j++) {
      const day = firstDay + Math.floor(times[j]!);
      const at = day * DAY_MS + localTime(rng, city);
      const value = money(Math.max(1, (sim.values[j] ?? 100) * city.perCny));
      browse(at - 60_000, 1);
      track("add_to_cart", at - Math.floor(rng.next() * 3_600_000), {
        productId: `p-${Math.floor(rng.next() * 500)}`,
      });
      const orderId = `o-${id}-${j + 1}`;
      track("order_completed", at, {
        orderId,
        revenue: value,
        currency: city.currency,
        items: 1 + poisson(rng, 1),
      });
      if (rng.next() < 0.03) {
        track("order_completed", at + (2 + Math.floor(rng.next() * 10)) * DAY_MS, {
          orderId,
          revenue: -value,
          currency: city.currency,
          refund: true,
        });
      }
      let complaint = false;
      if (rng.next() < 0.05) {
        complaint = true;
        complained = true;
        track("complaint", at + (1 + rng.next() * 5) * DAY_MS, {
          orderId,
          topic: pick(rng, ["late_delivery", "damaged_item", "wrong_item", "customer_service", "price"]),
          channel: pick(rng, ["email", "phone", "chat", "wechat"]),
        });
      }
      if (rng.next() < 0.2) {
        const nps = rng.next() < 0.3;
        const base = complaint ? 0.35 : complained ? 0.6 : 0.8;
        const score = nps
          ? Math.max(0, Math.min(10, Math.round(base * 10 + (rng.next() - 0.5) * 6)))
          : Math.max(1, Math.min(5, Math.round(1 + base * 4 + (rng.next() - 0.5) * 2)));
        track("survey_response", at + (2 + rng.next() * 3) * DAY_MS, {
          score,
          scale: nps ? "nps" : "csat",
          ...(rng.next() < 0.3 ? { comment: complaint ? "送货太慢了" : "Great service" } : {}),
        });
      }
    }
    // Interest fades after the last order; alive customers keep browsing now and then.
    const lastAt = (firstDay + Math.floor(times.at(-1)!)) * DAY_MS;
    const alive = sim.deathAt === Infinity;
    const sessions = poisson(rng, alive ? 4 : 1);
    for (let v = 0; v < sessions; v++) {
      const span = alive ? nowMs - lastAt : Math.min(nowMs - lastAt, 30 * DAY_MS);
      browse(lastAt + Math.floor(rng.next() * span), alive ? gamma(rng, 2, 2) : 0.5);
    }
  }
  events.sort((x, y) => (x.timestamp < y.timestamp ? -1 : x.timestamp > y.timestamp ? 1 : 0));
  return { id, traits, events };
}

/** The customers one by one (for large bases: nothing is kept). */
export function* demoCustomers(opts: DemoOptions): Generator<DemoCustomer> {
  for (let i = 0; i < opts.customers; i++) yield demoCustomer(i, opts);
}

/** Every event of the demo base in timestamp order (ties in customer order), ready to write as NDJSON. */
export function generateDemo(opts: DemoOptions): DemoEvent[] {
  const all: DemoEvent[] = [];
  for (const c of demoCustomers(opts)) for (const e of c.events) all.push(e);
  const keyed = all.map((e, i) => ({ e, i }));
  keyed.sort((x, y) => (x.e.timestamp < y.e.timestamp ? -1 : x.e.timestamp > y.e.timestamp ? 1 : x.i - y.i));
  return keyed.map((x) => x.e);
}

/** Spec §2 NDJSON text. */
export function toNdjson(events: readonly DemoEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join("\n") + "\n";
}
