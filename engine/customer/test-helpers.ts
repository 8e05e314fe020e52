/** Small builders for the hand-made histories in the tests. */
import { DEFAULT_CONFIG } from "./config";
import type { CustomerConfig } from "./config";
import { applyEvent, emptyProfile } from "./profile";
import type { CustomerModel } from "./model/predict";
import { DAY_MS } from "./time";
import type { CustomerEvent, CustomerProfile, InternalEvent } from "./types";

export const NOW = Date.parse("2026-03-01T12:00:00Z");
/** An instant `d` days before NOW (fractions allowed). */
export const ago = (d: number): string => new Date(NOW - d * DAY_MS).toISOString();
export const order = (daysAgo: number, revenue = 100): CustomerEvent => ({
  name: "order_completed",
  properties: { revenue },
  timestamp: ago(daysAgo),
});
export const ev = (
  name: string,
  daysAgo: number,
  properties: Record<string, unknown> = {},
): CustomerEvent => ({
  name,
  properties,
  timestamp: ago(daysAgo),
});

/** Folds events with applyEvent, each applied at `now` (default NOW); collects what was emitted. */
export function fold(
  events: readonly CustomerEvent[],
  opts: { now?: number; config?: CustomerConfig; model?: CustomerModel; from?: CustomerProfile } = {},
): { profile: CustomerProfile; emitted: InternalEvent[] } {
  let profile = opts.from ?? emptyProfile();
  const emitted: InternalEvent[] = [];
  for (const e of events) {
    const r = applyEvent(profile, e, opts.config ?? DEFAULT_CONFIG, opts.now ?? NOW, opts.model);
    profile = r.profile;
    emitted.push(...r.emitted);
  }
  return { profile, emitted };
}
