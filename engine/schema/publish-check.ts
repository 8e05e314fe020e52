import { z } from "zod";

/**
 * What the publish dialog shows before a journey goes live (`GET /api/journeys/:id/publish-check`), and the
 * two actions beside it: running an audience trigger now and a test send of one message step. One schema per
 * shape: the server validates and documents with them, the builder types its calls from them.
 */

/**
 * How a trigger's audience was measured. Only an audience trigger has an audience now; for the others the
 * number is a stated proxy:
 * - `matching_now`: customers whose stored profile matches the audience trigger's conditions now;
 * - `event_senders`: distinct customers who sent the trigger's event (matching its `where`) in the last
 *   `sinceDays` days — how many would have entered recently, not who will;
 * - `at_stage_now`: customers at the stage now (the trigger enters those who change to it later);
 * - `manual`: no audience: customers enter by hand or through the API.
 */
export const AUDIENCE_MEASURES = ["matching_now", "event_senders", "at_stage_now", "manual"] as const;
export type AudienceMeasure = (typeof AUDIENCE_MEASURES)[number];

export const triggerCheckSchema = z.object({
  nodeId: z.string(),
  kind: z.enum(["event", "audience", "stage", "manual"]),
  measure: z.enum(AUDIENCE_MEASURES),
  /** The measured number (see `measure`); null for a manual trigger or a trigger that does not parse. */
  customers: z.number().int().nonnegative().nullable(),
  /** Customers (or events, for `event_senders`) examined; less than `total` when the scan hit its cap. */
  scanned: z.number().int().nonnegative(),
  /** Customers stored (or events found, for `event_senders`). */
  total: z.number().int().nonnegative(),
  /** True when `customers` was scaled up from a capped scan rather than counted in full. */
  estimated: z.boolean(),
  event: z.string().optional(),
  stage: z.string().optional(),
  sinceDays: z.number().optional(),
  schedule: z.string().optional(),
  /** The zone the schedule runs in: the trigger's, else the journey's, else UTC. */
  timezone: z.string().optional(),
  /** An audience trigger's next fire times (ISO instants), earliest first. */
  nextFires: z.array(z.string()),
  /** A few matching customer ids (audience triggers), for the dry run's audience preview. */
  sample: z.array(z.string()),
});
export type TriggerCheck = z.infer<typeof triggerCheckSchema>;

/** A live journey that enters customers on the same trigger: a customer may get both journeys' messages. */
export const triggerOverlapSchema = z.object({
  /** The draft's trigger node. */
  nodeId: z.string(),
  journeyId: z.string(),
  journeyName: z.string(),
  version: z.number().int(),
  kind: z.enum(["event", "audience", "stage"]),
  /** What they share: the event name, the stage, or (audience) the other journey's schedule. */
  key: z.string(),
  /** Audience triggers: customers matching both audiences now; null when not measured. */
  sharedCustomers: z.number().int().nonnegative().nullable(),
});
export type TriggerOverlap = z.infer<typeof triggerOverlapSchema>;

export const journeyDiffSchema = z.object({
  nodes: z.object({
    added: z.array(z.string()),
    removed: z.array(z.string()),
    changed: z.array(z.string()),
    moved: z.array(z.string()),
  }),
  edges: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
  settings: z.object({ changed: z.array(z.string()) }),
});

export const publishCheckSchema = z.object({
  journeyId: z.string(),
  /** The live version the draft would replace, or null for a first publish. */
  liveVersion: z.number().int().nullable(),
  /** The journey's `settings.timezone`, else UTC: the zone the dialog shows times in. */
  timezone: z.string(),
  asOf: z.string(),
  /** False when the draft does not validate (publishing would refuse it); the rest is measured anyway. */
  valid: z.boolean(),
  triggers: z.array(triggerCheckSchema),
  overlaps: z.array(triggerOverlapSchema),
  /** The draft against the live version; null for a first publish. */
  diff: journeyDiffSchema.nullable(),
});
export type PublishCheck = z.infer<typeof publishCheckSchema>;

export const audienceRunQueuedSchema = z.object({
  nodeId: z.string(),
  /** When the queued slot is due: now; the scheduler fires it as soon as it claims it. */
  dueAt: z.string(),
});
export type AudienceRunQueued = z.infer<typeof audienceRunQueuedSchema>;

export const testSendBodySchema = z
  .object({
    /** The message step of the draft to send. */
    nodeId: z.string().min(1),
    /** Render for this stored customer (and send to their address unless `to` is given). */
    customerId: z.string().min(1).max(200).optional(),
    /** Send here instead of the customer's address (an email address, a phone number, …). */
    to: z.string().trim().min(3).max(320).optional(),
    /** Chosen by the client per click: the send's idempotency key, so a repeated request can be dropped. */
    requestId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  })
  .refine((b) => b.customerId !== undefined || b.to !== undefined, {
    message: "send customerId, to, or both",
    path: ["to"],
  });
export type TestSendRequest = z.infer<typeof testSendBodySchema>;

export const testSendResultSchema = z.object({
  status: z.enum(["sent", "failed", "retry"]),
  channel: z.string(),
  to: z.string(),
  /** The customer the message was rendered for; a sample profile when only `to` was given. */
  customerId: z.string(),
  template: z.string().nullable(),
  subject: z.string().optional(),
  provider: z.string().optional(),
  /** Why it was not sent. */
  reason: z.string().optional(),
});
export type TestSendResult = z.infer<typeof testSendResultSchema>;
