// The status vocabularies every layer shares (store rows, API responses, the builder's filters and badges).

/** Where a run stands: the first three are active, the others final. */
export const RUN_STATUSES = [
  "ready",
  "waiting",
  "acting",
  "completed",
  "exited",
  "converted",
  "failed",
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ACTIVE_STATUSES: readonly RunStatus[] = ["ready", "waiting", "acting"];

/** How an ended run ended (its final status). */
export const RUN_OUTCOMES = ["completed", "exited", "converted", "failed"] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export const JOURNEY_STATUSES = ["draft", "live", "paused", "archived"] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

export const OUTBOX_STATUSES = ["pending", "sending", "sent", "failed", "retry"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
