import { z } from "zod";
import { checkInputLimits } from "./input-limits";

const quote = (v: unknown): string => JSON.stringify(v) ?? String(v);
/** ISO 8601 with a zone (`Z` or an offset): a timestamp without one is ambiguous, so it is an error. */
const ISO_WITH_ZONE_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;

/**
 * True for an ISO 8601 timestamp with a zone whose fields are a real calendar date and clock time.
 * `Date.parse` alone rolls "2026-02-30" over to March 2 and accepts hour 24, so each field is checked.
 */
export function isIsoWithZone(t: string): boolean {
  const m = ISO_WITH_ZONE_RE.exec(t);
  if (!m) return false;
  const [year, month, day, hour, minute, second = 0, offH = 0, offM = 0] = m
    .slice(1)
    .map((f) => (f === undefined ? undefined : Number(f)));
  if (year === undefined || month === undefined || day === undefined) return false;
  // Years outside 1970–2100 are typos or sentinels (0000, 1900, 9999); a 9999 order would keep a customer
  // "recent" forever.
  if (year < MIN_YEAR || year > MAX_YEAR) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    (hour ?? 99) <= 23 &&
    (minute ?? 99) <= 59 &&
    second <= 59 &&
    offH <= 23 &&
    offM <= 59 &&
    !Number.isNaN(Date.parse(t))
  );
}

export const MIN_YEAR = 1970;
export const MAX_YEAR = 2100;

export const timestampSchema = z.string().refine(isIsoWithZone, {
  error: (iss) =>
    `bad timestamp ${quote(iss.input)}; use ISO 8601 with a zone and a year from ${MIN_YEAR} to ${MAX_YEAR}, e.g. "2026-03-02T10:30:00Z"`,
});

/** Traits and properties: any JSON object within `INPUT_LIMITS` (depth, entries, string sizes, finite numbers). */
const freeForm = z
  .record(z.string(), z.unknown())
  .default({})
  .superRefine((value, ctx) => {
    const issue = checkInputLimits(value);
    if (issue) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  });

const common = {
  userId: z.union([z.string().min(1), z.number().transform(String)], {
    error: (iss) => `userId is required; got ${iss.input === undefined ? "nothing" : quote(iss.input)}`,
  }),
  timestamp: timestampSchema,
  messageId: z.string().min(1).max(200).optional(),
};

export const identifyEventSchema = z.looseObject({
  type: z.literal("identify"),
  ...common,
  traits: freeForm,
});
export const trackEventSchema = z.looseObject({
  type: z.literal("track"),
  ...common,
  event: z.string().min(1, { error: "a track call needs an event name" }).max(200),
  properties: freeForm,
});

/** One event of the input (spec §2, a subset of the Segment tracking spec). */
export const inputEventSchema = z.discriminatedUnion("type", [identifyEventSchema, trackEventSchema], {
  error: (iss) =>
    `type must be "identify" or "track"; got ${quote((iss.input as { type?: unknown } | undefined)?.type ?? iss.input)}`,
});
export type IdentifyEvent = z.infer<typeof identifyEventSchema>;
export type TrackEvent = z.infer<typeof trackEventSchema>;
export type InputEvent = z.infer<typeof inputEventSchema>;
