import { DateTime } from "luxon";
import { parseHHMM, isTimeZone, WEEKDAYS } from "../schema/time";
import type { Weekday } from "../schema/time";

/** The customer's zone (spec "Local time"): the `timezone` trait, else the journey's, else UTC. */
export function customerZone(traits: Record<string, unknown>, journeyZone: string | undefined): string {
  const t = traits.timezone;
  if (isTimeZone(t)) return t;
  return journeyZone ?? "UTC";
}

const minuteOfDay = (hhmm: string): number => {
  const t = parseHHMM(hhmm)!;
  return t.hour * 60 + t.minute;
};

/**
 * When `now` falls inside the quiet window (local time, start inclusive, end exclusive, wrapping midnight when
 * start > end), the instant the window ends; otherwise null.
 */
export function quietHoursEnd(
  now: number,
  zone: string,
  window: { start: string; end: string },
): number | null {
  const local = DateTime.fromMillis(now, { zone });
  const m = local.hour * 60 + local.minute;
  const start = minuteOfDay(window.start);
  const end = minuteOfDay(window.end);
  const inside = start < end ? m >= start && m < end : m >= start || m < end;
  if (!inside) return null;
  const endTime = parseHHMM(window.end)!;
  let candidate = local.set({ hour: endTime.hour, minute: endTime.minute, second: 0, millisecond: 0 });
  if (candidate.toMillis() <= now) candidate = candidate.plus({ days: 1 });
  return candidate.toMillis();
}

/** The next instant at or after `now` whose local time is `time` on one of `days` (every day when absent). */
export function nextLocalTime(now: number, zone: string, time: string, days?: readonly Weekday[]): number {
  const t = parseHHMM(time)!;
  const local = DateTime.fromMillis(now, { zone });
  for (let i = 0; i <= 7; i++) {
    const day = local.plus({ days: i }).set({ hour: t.hour, minute: t.minute, second: 0, millisecond: 0 });
    const weekday = WEEKDAYS[day.weekday - 1]!;
    if (day.toMillis() >= now && (!days || days.includes(weekday))) return day.toMillis();
  }
  throw new Error(`no local time ${time} on ${days?.join(",") ?? "any day"} within a week`);
}
