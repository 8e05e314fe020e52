/** Time helpers: instants are epoch milliseconds, days are whole UTC days since 1970-01-01. */
export const DAY_MS = 86_400_000;

export type Instant = string | number | Date;

/** Epoch milliseconds of an ISO string, a number of milliseconds or a Date; throws on garbage. */
export function toMs(t: Instant): number {
  const ms = typeof t === "number" ? t : typeof t === "string" ? Date.parse(t) : t.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`bad time ${JSON.stringify(t)}`);
  return ms;
}

export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
