// Filters and answers of the store's read queries (run log, customer search, signal responses).

export interface StepQuery {
  journeyId?: string;
  versionId?: number;
  nodeId?: string;
  customerId?: string;
  runId?: number;
  outcome?: string;
  reason?: string;
  /** Only failed steps (true) or only the others (false). */
  failed?: boolean;
  from?: number;
  to?: number;
  /** Cursor: steps with an id greater than this. */
  after?: number;
  limit?: number;
}

/** A signal event and the first message delivered to its customer at or after it (null when none yet). */
export interface SignalResponseRow {
  seq: number;
  customerId: string;
  /** The signal's timestamp. */
  at: number;
  /** `properties.reason` of the signal, when it has one. */
  reason: string | null;
  /** The journey whose delivery came first, and when it was delivered. */
  journeyId: string | null;
  deliveredAt: number | null;
}

/** Run-log steps of one journey counted by node, outcome, port and reason (the read side's per-node stats). */
export interface StepCountRow {
  nodeId: string;
  outcome: string;
  port: string | null;
  reason: string | null;
  count: number;
}

/** A page of the customer list, searched by id, email, name or phone. */
export interface CustomerSearch {
  q?: string | undefined;
  /** Cursor: customers with an id greater than this. */
  after?: string | undefined;
  limit: number;
}
