import { IANAZone } from "luxon";
import type { TemplateLocale } from "./types";

/**
 * Chinese-speaking time zones. A customer with no language preference whose time zone is one of these
 * gets Chinese copy.
 */
const CHINESE_ZONES = new Set([
  "Asia/Shanghai",
  "Asia/Chongqing",
  "Asia/Chungking",
  "Asia/Harbin",
  "Asia/Urumqi",
  "Asia/Kashgar",
  "Asia/Hong_Kong",
  "Asia/Macau",
  "Asia/Macao",
  "Asia/Taipei",
  "PRC",
  "ROC",
  "Hongkong",
]);

export interface ResolvedLocale {
  /** The template language. */
  language: TemplateLocale;
  /** A BCP 47 tag for Intl formatting (keeps a region such as `en-GB` when the customer gave one). */
  intl: string;
  /** IANA time zone used for dates. */
  timezone: string;
}

const languages = new Map<string, { language: TemplateLocale; intl: string } | null>();

function languageOf(tag: unknown): { language: TemplateLocale; intl: string } | null {
  if (typeof tag !== "string" || tag.trim() === "") return null;
  const cached = languages.get(tag);
  if (cached !== undefined) return cached;
  const result = parseLanguage(tag);
  if (languages.size >= 2_000) languages.clear();
  languages.set(tag, result);
  return result;
}

function parseLanguage(tag: string): { language: TemplateLocale; intl: string } | null {
  const normalised = tag.trim().replace(/_/g, "-");
  const primary = normalised.split("-")[0]?.toLowerCase();
  if (primary !== "zh" && primary !== "en") return null;
  let intl: string;
  try {
    intl = Intl.getCanonicalLocales(normalised)[0] ?? primary;
  } catch {
    intl = primary;
  }
  if (intl === "zh") intl = "zh-CN";
  if (intl === "en") intl = "en-US";
  return { language: primary, intl };
}

const zoneValidity = new Map<string, boolean>();

/** Whether a string is an IANA zone name. Cached: luxon's check builds an Intl formatter each time. */
export function isValidTimezone(zone: unknown): zone is string {
  if (typeof zone !== "string" || zone === "") return false;
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zoneValidity.size >= 2_000) zoneValidity.clear();
    zoneValidity.set(zone, valid);
  }
  return valid;
}

function traitsOf(customer: Record<string, unknown>): Record<string, unknown> {
  const traits = customer.traits;
  return traits !== null && typeof traits === "object" ? (traits as Record<string, unknown>) : {};
}

/**
 * The locale rule:
 * 1. an explicit `locale` (the render context's) when it is Chinese or English;
 * 2. else the customer's `traits.locale`, then `traits.language` (`zh`, `zh-CN`, `zh_TW`, `en-GB`… — the
 *    primary subtag decides);
 * 3. else Chinese when the customer's time zone is a Chinese-speaking one (Asia/Shanghai, Asia/Hong_Kong,
 *    Asia/Taipei, …);
 * 4. else English.
 * When the template lacks the chosen language, the library falls back to English, then to any locale it has.
 *
 * The time zone is the explicit `timezone`, else the customer's `timezone` trait, else UTC (invalid names
 * are ignored).
 */
export function resolveLocale(
  customer: Record<string, unknown>,
  explicit?: { locale?: string | undefined; timezone?: string | undefined },
): ResolvedLocale {
  const traits = traitsOf(customer);
  const timezone = isValidTimezone(explicit?.timezone)
    ? explicit.timezone
    : isValidTimezone(traits.timezone)
      ? traits.timezone
      : "UTC";
  const chosen = languageOf(explicit?.locale) ?? languageOf(traits.locale) ?? languageOf(traits.language);
  if (chosen) return { language: chosen.language, intl: chosen.intl, timezone };
  if (CHINESE_ZONES.has(timezone)) return { language: "zh", intl: "zh-CN", timezone };
  return { language: "en", intl: "en-US", timezone };
}

/** The Intl tag to use when a template is rendered in a language other than the customer's preference. */
export function intlFor(language: TemplateLocale, preferred: ResolvedLocale): string {
  return preferred.language === language ? preferred.intl : language === "zh" ? "zh-CN" : "en-US";
}
