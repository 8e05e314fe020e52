import { z } from "zod";

const quote = (v: unknown): string => JSON.stringify(v) ?? String(v);
/** ISO 8601 with a zone (`Z` or an offset): a timestamp without one is ambiguous, so it is an error. */
const ISO_WITH_ZONE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export const timestampSchema = z
  .string()
  .refine((t) => ISO_WITH_ZONE_RE.test(t) && !Number.isNaN(Date.parse(t)), {
    error: (iss) =>
      `bad timestamp ${quote(iss.input)}; use ISO 8601 with a zone, e.g. "2026-03-02T10:30:00Z"`,
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
  traits: z.record(z.string(), z.unknown()).default({}),
});
export const trackEventSchema = z.looseObject({
  type: z.literal("track"),
  ...common,
  event: z.string().min(1, { error: "a track call needs an event name" }).max(200),
  properties: z.record(z.string(), z.unknown()).default({}),
});

/** One event of the input (spec §2, a subset of the Segment tracking spec). */
export const inputEventSchema = z.discriminatedUnion("type", [identifyEventSchema, trackEventSchema], {
  error: (iss) =>
    `type must be "identify" or "track"; got ${quote((iss.input as { type?: unknown } | undefined)?.type ?? iss.input)}`,
});
export type IdentifyEvent = z.infer<typeof identifyEventSchema>;
export type TrackEvent = z.infer<typeof trackEventSchema>;
export type InputEvent = z.infer<typeof inputEventSchema>;
