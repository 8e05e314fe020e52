/**
 * The run log's vocabulary: every step outcome the engine writes and every reason it chooses itself. Closed
 * lists, so the builder's filters and labels are generated from them and a new outcome cannot appear in the
 * log without appearing here (`test/engine/run-log-vocabulary.test.ts` checks the engine's sources).
 */

export const STEP_OUTCOMES = [
  /** A customer entered the journey through a trigger. */
  "entered",
  /** A condition was evaluated; the port says which way. */
  "evaluated",
  /** A split assigned its branch. */
  "split",
  /** The run parked in a wait. */
  "waiting",
  /** A timed wait (or its timeout) fell due. */
  "released",
  /** A run parked by a deferral or an action's retry fell due and goes on at the same node. */
  "resumed",
  /** A wait-for-event wait met its event. */
  "matched",
  /** An internal action ran and its effect was committed with the step. */
  "executed",
  /** An external action became an outbox row. */
  "queued",
  /** A queued delivery the run waited on was sent. */
  "delivered",
  /** A message waits out quiet hours. */
  "deferred",
  /** An internal action asked to be tried again later. */
  "retry",
  /** Ops put a failed run back on the node where it failed. */
  "retried",
  /** A message was not sent (no address, unsubscribed, frequency cap); the run goes on. */
  "skipped",
  /** A step failed; the run leaves through `failed` or ends failed. */
  "failed",
  /** A conversion goal was met: the run ends converted. */
  "converted",
  /** An exit event ended the run. */
  "exited",
  /** The run reached an exit node or a node with nothing connected. */
  "completed",
] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

/**
 * Reasons the engine itself gives. An action's own `fail`/`retry` reason and a delivery's error are logged
 * as the action reported them (they are the provider's words), so the reason column is open beyond these.
 */
export const STEP_REASONS = [
  /** A wait-for-event wait timed out. */
  "timeout",
  /** A run took more steps than a cycle without a wait allows. */
  "step_limit",
  /** The run's node is missing from its journey version. */
  "missing_node",
  /** The journey's conversion goal. */
  "goal",
  /** One of the journey's exit events. */
  "exit_event",
  /** The customer has no address for the channel. */
  "no_address",
  /** The customer unsubscribed from the channel. */
  "unsubscribed",
  /** Inside the journey's quiet hours. */
  "quiet_hours",
  /** The frequency cap was reached. */
  "capped",
  /** The action type is not registered. */
  "unknown_action",
  /** The node's parameters do not match the action's config schema. */
  "bad_config",
  /** The message template could not be rendered. */
  "render_error",
  /** Done by an operator. */
  "ops",
  /** A split sent a new entry to the arm `promoteWinner` promoted (spec §4), not the hash's arm. */
  "winner",
] as const;
export type StepReason = (typeof STEP_REASONS)[number];

export const isStepOutcome = (s: string): s is StepOutcome =>
  (STEP_OUTCOMES as readonly string[]).includes(s);
export const isStepReason = (s: string): s is StepReason => (STEP_REASONS as readonly string[]).includes(s);
