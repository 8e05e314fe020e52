/** Pure checks for local times and time zones, usable in the browser as well as in Node. */
export const HHMM_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseHHMM(text: string): { hour: number; minute: number } | null {
  const m = HHMM_RE.exec(text);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

const zoneCache = new Map<string, boolean>();

/** True for an IANA time zone name the runtime knows (e.g. "Asia/Shanghai", "UTC"). */
export function isTimeZone(name: unknown): name is string {
  if (typeof name !== "string" || name === "") return false;
  let ok = zoneCache.get(name);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: name });
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(name, ok);
  }
  return ok;
}

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
