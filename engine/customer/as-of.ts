/**
 * The instant a historical computation is "as of". A date alone (`1997-09-30`) means the end of that UTC day,
 * so the orders of the day itself count as before it; a timestamp with a time is taken as written.
 */
import { parseDay } from "./model/orders-file";
import { DAY_MS } from "./time";

export function parseAsOf(text: string): number {
  const s = text.trim();
  const day = /^\d{4}-?\d{2}-?\d{2}$/.test(s) ? parseDay(s) : undefined;
  if (day !== undefined) return (day + 1) * DAY_MS - 1;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) {
    const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s.replace(" ", "T")}Z`;
    const ms = Date.parse(withZone);
    if (Number.isFinite(ms)) return ms;
  }
  throw new RangeError(
    `bad as-of date ${JSON.stringify(text)}; use YYYY-MM-DD (the end of that UTC day) or an ISO 8601 timestamp`,
  );
}
