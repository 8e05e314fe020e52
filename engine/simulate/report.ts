import type { ResultsReport } from "../schema/results";

/** The simulation report of spec §3. Fields beyond the spec's are additions, never renames. */
export interface NodeCounts {
  entered: number;
  executed?: number;
  ports?: Record<string, number>;
  skipped?: Record<string, number>;
  deferred?: number;
  failed?: number;
  waiting?: number;
}

export interface SimulationReport {
  journeys: { name: string; counts: Record<string, NodeCounts> }[];
  runs: {
    journey: string;
    customerId: string;
    enteredAt: string;
    endedAt: string | null;
    outcome: "completed" | "exited" | "converted" | "waiting" | "failed";
  }[];
  deliveries: {
    journey: string;
    customerId: string;
    nodeId: string;
    action: string;
    template: string | null;
    at: string;
    rendered: Record<string, unknown> | null;
  }[];
  steps: {
    journey: string;
    customerId: string;
    nodeId: string;
    type: string;
    at: string;
    port: string | null;
    explain: unknown[];
    outcome: string;
    reason: string | null;
    visit: number;
    /** What else the step recorded: wait deadlines, lateness, errors, idempotency keys. */
    detail: Record<string, unknown> | null;
  }[];
  warnings: { journey: string; nodeId?: string; path: string; message: string }[];
  /** Spec §4: each journey's results report as of the end of the simulation, in `--journey` order. */
  results: ResultsReport[];
}
