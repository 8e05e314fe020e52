/** Durations per the journey format: a whole number and one unit. A day is exactly 24 hours. */
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION_RE = /^(\d+)([smhdw])$/;

export type Duration = `${number}${keyof typeof UNIT_MS}`;

/** Milliseconds for a duration string, or `null` when the string is not a duration. */
export function parseDuration(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const m = DURATION_RE.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const ms = n * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return Number.isSafeInteger(ms) ? ms : null;
}

export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new Error(`"${text}" is not a duration`);
  return ms;
}

export function formatDuration(ms: number): Duration {
  for (const unit of ["w", "d", "h", "m"] as const) {
    if (ms % UNIT_MS[unit] === 0 && ms >= UNIT_MS[unit]) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
