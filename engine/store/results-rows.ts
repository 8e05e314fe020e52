// The results ledger's rows and aggregates (spec §4).

/** A run's entry as the results report counts it: its goal window is [enteredAt, windowEnd). */
export interface ResultEntryRow {
  runId: number;
  journeyId: string;
  versionId: number;
  customerId: string;
  enteredAt: number;
  /** The goal event; null when the version has no goal (then `windowEnd` is `enteredAt`). */
  goalEvent: string | null;
  windowEnd: number;
}

/** Why a run took a split's arm: the public hash, or a promoted winner (`promoteWinner`). */
export type AssignmentReason = "hash" | "winner";

/** A run passing a split (first visit only: a customer is counted once per entry). */
export interface AssignmentRow {
  runId: number;
  nodeId: string;
  arm: string;
  reason: AssignmentReason;
}

/** The first goal event inside a run's window, with its `properties.revenue` (0 when absent). */
export interface ConversionRow {
  runId: number;
  at: number;
  revenue: number;
}

/** Which entries a results query covers: entry time in [from, to), before `asOf`, optionally one version. */
export interface ResultQuery {
  journeyId: string;
  versionId?: number;
  from?: number;
  to?: number;
  asOf: number;
}

/** How a store reads the ledger's sums: from its daily counters and the edge days, or entry by entry. */
export type ResultMode = "counters" | "exact";

/** Sums over entries; `matured*` count windows closed by `asOf`; conversions are those before `asOf`. */
export interface ResultSums {
  entered: number;
  matured: number;
  converted: number;
  maturedConverted: number;
  revenue: number;
  /** Sum of squared per-entry revenue, for revenue-per-customer intervals. */
  revenueSquares: number;
}

export interface ResultAggregates {
  byVersion: (ResultSums & { versionId: number })[];
  byArm: (ResultSums & { nodeId: string; arm: string; reason: AssignmentReason; versionId: number })[];
  /** Arm members by UTC entry day and conversions by UTC conversion day (day = ms / 86,400,000, floored). */
  armMembersByDay: { nodeId: string; arm: string; day: number; count: number }[];
  armConversionsByDay: { nodeId: string; arm: string; day: number; count: number }[];
  /** Sent deliveries of the covered runs before `asOf`, and runs they cover that ended `exited`. */
  delivered: number;
  exited: number;
}

/** One split's ledger sums in one journey version, per arm and assignment reason (for `promoteWinner`). */
export interface SplitArmQuery {
  journeyId: string;
  versionId: number;
  nodeId: string;
  /** Entries and conversions after this moment are not counted; matured means the window closed by then. */
  asOf: number;
}
export type SplitArmSums = ResultSums & { arm: string; reason: AssignmentReason };

/** One entry for an analyst's export: its arms and whether and when it converted. */
export interface ResultExportRow {
  runId: number;
  customerId: string;
  versionId: number;
  enteredAt: number;
  windowEnd: number;
  convertedAt: number | null;
  revenue: number;
  /** nodeId → arm */
  arms: Record<string, string>;
}
