// Cell values of an imported file: instants, money amounts, and numbers that are not ids.
import { isIsoWithZone, MAX_YEAR, MIN_YEAR } from "../schema/events";

const ISO_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return new Date(ms).getUTCDate() === d ? inRange(ms) : undefined;
}

/** Instants outside the years events take (1970–2100) are typos or sentinels such as 9999-12-31. */
function inRange(ms: number): number | undefined {
  const year = new Date(ms).getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR ? ms : undefined;
}

/**
 * An instant from a date cell: ISO 8601 with a zone; `YYYYMMDD`, `YYYY-MM-DD` or `YYYY/MM/DD` with an
 * optional `HH:MM[:SS]` (read as UTC); US `M/D/YYYY [H:MM[:SS]]`; or epoch seconds / milliseconds.
 */
export function parseInstant(v: unknown): number | undefined {
  if (typeof v === "number") {
    if (!Number.isFinite(v) || v <= 0) return undefined;
    return inRange(v > 1e11 ? v : v * 1000);
  }
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (ISO_ZONE.test(s)) {
    // isIsoWithZone checks each field: Date.parse alone rolls 2026-02-30 over to March 2.
    const ms = Date.parse(s);
    return Number.isNaN(ms) || !isIsoWithZone(s) ? undefined : inRange(ms);
  }
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return utc(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(s);
  if (m) return utc(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) return utc(+m[3]!, +m[1]!, +m[2]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (/^\d{9,13}$/.test(s)) return parseInstant(Number(s));
  return undefined;
}

/** A money amount: a number, or a numeric string with an optional currency sign and thousands commas. */
export function parseAmount(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string") return undefined;
  let s = v.trim().replace(/^([-+]?)[$€£¥]\s*/, "$1");
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Numeric-looking cells become numbers (not ids with leading zeros); other values are kept. */
export function coerce(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const s = v.trim();
  return /^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(s) ? Number(s) : s;
}

export const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === "string" && v.trim() === "");
