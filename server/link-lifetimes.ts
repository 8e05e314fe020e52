import { UNSUBSCRIBE_LINK_DAYS } from "../engine/index";

/** How long links sent to customers work, in days. */
export interface LinkLifetimes {
  unsubscribeDays: number;
  surveyDays: number;
}

export const SURVEY_LINK_DAYS = 30;

/**
 * `REKINDLE_UNSUBSCRIBE_LINK_DAYS` (default 90: laws ask for at least 30 after sending) and
 * `REKINDLE_SURVEY_LINK_DAYS` (default 30), validated at start-up with a clear error.
 */
export function linkLifetimes(env: Record<string, string | undefined> = process.env): LinkLifetimes {
  const read = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const days = Number(raw);
    if (!Number.isInteger(days) || days < min || days > 3650) {
      throw new Error(`${name}: expected a whole number of days from ${min} to 3650, got "${raw}"`);
    }
    return days;
  };
  return {
    unsubscribeDays: read("REKINDLE_UNSUBSCRIBE_LINK_DAYS", UNSUBSCRIBE_LINK_DAYS, 30),
    surveyDays: read("REKINDLE_SURVEY_LINK_DAYS", SURVEY_LINK_DAYS, 1),
  };
}
