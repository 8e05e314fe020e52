import { DateTime } from "luxon";
import type { HelperOptions } from "handlebars";
import { parseDuration } from "../schema/duration";
import { TemplateError } from "./types";

/**
 * The `@data` every render passes to Handlebars (`{{@timezone}}` in a template, `options.data` in a
 * helper). `root` is set by Handlebars.
 */
export interface RenderData {
  language: "zh" | "en";
  intl: string;
  timezone: string;
  root?: Record<string, unknown>;
}

type Helper = (...args: unknown[]) => unknown;

function split(args: unknown[]): { params: unknown[]; options: HelperOptions } {
  const options = args[args.length - 1] as HelperOptions;
  return { params: args.slice(0, -1), options };
}

function dataOf(options: HelperOptions): RenderData {
  const data = options.data as RenderData | undefined;
  return data ?? { language: "en", intl: "en-US", timezone: "UTC" };
}

/** A Date from a Date, epoch milliseconds or an ISO string; `null` for anything else. */
function toDate(value: unknown): Date | null {
  let d: Date;
  if (value instanceof Date) d = value;
  else if (typeof value === "number") d = new Date(value);
  else if (typeof value === "string" && value !== "") d = new Date(value);
  else return null;
  return Number.isNaN(d.getTime()) ? null : d;
}

const DATE_STYLES = {
  short: DateTime.DATE_SHORT,
  medium: DateTime.DATE_MED,
  long: DateTime.DATE_FULL,
  full: DateTime.DATE_HUGE,
} as const;
const DATETIME_STYLES = {
  short: DateTime.DATETIME_SHORT,
  medium: DateTime.DATETIME_MED,
  long: DateTime.DATETIME_MED_WITH_WEEKDAY,
  full: DateTime.DATETIME_HUGE,
} as const;

/** Intl formatters are costly to build and cheap to use: one per locale, zone and style. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(intl: string, timezone: string, style: keyof typeof DATE_STYLES, time: boolean) {
  const key = `${intl}|${timezone}|${style}|${time ? 1 : 0}`;
  let f = dateFormats.get(key);
  if (!f) {
    const options = (time ? DATETIME_STYLES : DATE_STYLES)[style];
    f = new Intl.DateTimeFormat(intl, { ...options, timeZone: timezone });
    if (dateFormats.size >= 5_000) dateFormats.clear();
    dateFormats.set(key, f);
  }
  return f;
}

/**
 * `{{formatDate value [style="short|medium|long|full"] [time=true] [format="yyyy-MM-dd"]}}` — a date in the
 * customer's time zone and locale (`long` by default: "March 19, 2026", "2026年3月19日"). `value` is a
 * Date, epoch milliseconds or an ISO string; anything else renders as an empty string. `format` takes
 * luxon tokens.
 */
const formatDate: Helper = (...args) => {
  const options = args[args.length - 1] as HelperOptions;
  const data = dataOf(options);
  const hash = options.hash as Record<string, unknown>;
  const raw = args.length > 1 ? args[0] : undefined;
  // Formatting is pure in (value, locale, zone, style): the same date in the same locale is formatted
  // once. Only strings and numbers are memoised (a Date object could change under the key).
  const memo =
    typeof raw === "string" || typeof raw === "number"
      ? memoFor(
          memoFor(memoFor(formatted, data.intl), data.timezone),
          // The common case (no options) builds no key string: keys that are already strings hash once.
          hash.style === undefined && hash.time === undefined && hash.format === undefined
            ? ""
            : `${String(hash.style)}|${hash.time === true}|${typeof hash.format === "string" ? hash.format : ""}`,
        )
      : undefined;
  const hit = memo?.get(raw as string | number);
  if (hit !== undefined) return hit;
  const date = toDate(raw);
  if (!date) return "";
  let out: string;
  if (typeof hash.format === "string") {
    out = DateTime.fromJSDate(date).setZone(data.timezone).setLocale(data.intl).toFormat(hash.format);
  } else {
    const style = typeof hash.style === "string" && hash.style in DATE_STYLES ? hash.style : "long";
    out = dateFormat(data.intl, data.timezone, style as keyof typeof DATE_STYLES, hash.time === true).format(
      date,
    );
  }
  remember(memo, raw as string | number, out);
  return out;
};

type Memo = Map<string | number, string>;
/** Nested maps keyed by strings that already exist (intl tag, zone, duration), so no key is built per call. */
interface Nest<T> {
  size: number;
  get(key: string): T | undefined;
  set(key: string, value: T): unknown;
  clear(): void;
}
const formatted: Nest<Nest<Nest<Memo>>> = new Map();
const added: Nest<Memo> = new Map();
function memoFor<T extends Nest<unknown> | Memo>(store: Nest<T>, key: string): T {
  let m = store.get(key);
  if (!m) {
    if (store.size >= 1_000) store.clear();
    store.set(key, (m = new Map() as unknown as T));
  }
  return m;
}
function remember(memo: Memo | undefined, key: string | number, value: string): void {
  if (!memo) return;
  if (memo.size >= 10_000) memo.clear();
  memo.set(key, value);
}

/** `{{dateAdd now "72h"}}` — a date plus a duration in the journey format (`s m h d w`). Returns an ISO string. */
const dateAdd: Helper = (...args) => {
  const raw = args[0];
  const duration = args[1];
  const memo =
    (typeof raw === "string" || typeof raw === "number") && typeof duration === "string" && args.length > 2
      ? memoFor(added, duration)
      : undefined;
  const hit = memo?.get(raw as string | number);
  if (hit !== undefined) return hit;
  const date = args.length > 2 ? toDate(raw) : null;
  const ms = parseDuration(duration);
  if (!date || ms === null) return "";
  const out = new Date(date.getTime() + ms).toISOString();
  remember(memo, raw as string | number, out);
  return out;
};

const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(intl: string, currency: string, decimals: number | undefined): Intl.NumberFormat {
  const key = `${intl}|${currency}|${decimals ?? ""}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(intl, {
      style: "currency",
      currency,
      ...(decimals === undefined ? {} : { minimumFractionDigits: decimals, maximumFractionDigits: decimals }),
    });
    moneyFormats.set(key, f);
  }
  return f;
}

function asNumber(value: unknown): number | null {
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : NaN;
  return Number.isFinite(n) ? n : null;
}

/**
 * `{{money amount ["USD"] [decimals=0]}}` — an amount in the customer's locale. The currency is the
 * second parameter, else the customer's `currency` trait, else CNY for Chinese copy and USD for English.
 */
const money: Helper = (...args) => {
  const { params, options } = split(args);
  const data = dataOf(options);
  const amount = asNumber(params[0]);
  if (amount === null) return "";
  const customer = data.root?.customer as { traits?: { currency?: unknown } } | undefined;
  const candidate = params[1] ?? customer?.traits?.currency;
  const currency =
    typeof candidate === "string" && /^[A-Za-z]{3}$/.test(candidate)
      ? candidate.toUpperCase()
      : data.language === "zh"
        ? "CNY"
        : "USD";
  const hash = options.hash as Record<string, unknown>;
  const decimals = typeof hash.decimals === "number" ? Math.max(0, Math.min(4, hash.decimals)) : undefined;
  return moneyFormat(data.intl, currency, decimals).format(amount);
};

const numberFormats = new Map<string, Intl.NumberFormat>();
/** `{{number value}}` — digits grouped for the customer's locale. */
const number: Helper = (...args) => {
  const { params, options } = split(args);
  const n = asNumber(params[0]);
  if (n === null) return "";
  const intl = dataOf(options).intl;
  let f = numberFormats.get(intl);
  if (!f) numberFormats.set(intl, (f = new Intl.NumberFormat(intl)));
  return f.format(n);
};

/** `{{default customer.traits.name "朋友"}}` — the value, or the fallback when it is missing or empty. */
const defaultHelper: Helper = (...args) => {
  const { params } = split(args);
  const value = params[0];
  return value === undefined || value === null || value === "" ? params[1] : value;
};

const pluralRules = new Map<string, Intl.PluralRules>();
/**
 * `{{plural count "day" "days"}}` — the form for `count` under the locale's plural rules (`one` → the
 * first form, anything else → the second; the second defaults to the first plus "s"). Chinese has no
 * plural, so it always takes the second form: give the same word twice or a single form.
 */
const plural: Helper = (...args) => {
  const { params, options } = split(args);
  const n = asNumber(params[0]) ?? 0;
  const one = typeof params[1] === "string" ? params[1] : "";
  const other =
    typeof params[2] === "string" ? params[2] : dataOf(options).language === "zh" ? one : `${one}s`;
  const intl = dataOf(options).intl;
  let rules = pluralRules.get(intl);
  if (!rules) pluralRules.set(intl, (rules = new Intl.PluralRules(intl)));
  return rules.select(n) === "one" ? one : other;
};

/**
 * `{{couponCode}}` — the coupon issued to this run (`coupon` in the render context). Rendering fails with
 * `missing_coupon` when there is none: a coupon email without a code must not go out.
 */
const couponCode: Helper = (...args) => {
  const { options } = split(args);
  const coupon = dataOf(options).root?.coupon;
  if (typeof coupon !== "string" || coupon === "") {
    throw new TemplateError(
      "missing_coupon",
      "the template uses {{couponCode}} but no coupon was issued to this run",
    );
  }
  return coupon;
};

/** `{{#if (eq customer.stage "vip")}}` — strict equality. */
const eq: Helper = (...args) => {
  const { params } = split(args);
  return params[0] === params[1];
};

/** `{{safeUrl customer.traits.profileUrl}}` — the URL when it is http(s) or mailto, else `#`. */
const safeUrl: Helper = (...args) => {
  const { params } = split(args);
  const url = params[0];
  if (typeof url !== "string") return "#";
  return /^(https?:\/\/|mailto:)/i.test(url.trim()) ? url.trim() : "#";
};

export const HELPERS: Readonly<Record<string, Helper>> = {
  formatDate,
  dateAdd,
  money,
  number,
  default: defaultHelper,
  plural,
  couponCode,
  eq,
  safeUrl,
};

/** Helpers that read a variable implicitly, for the publish check. */
export const HELPER_IMPLIED_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  couponCode: ["coupon"],
};
