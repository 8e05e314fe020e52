import type { StepOutcome, StepReason } from "../../schema/run-log";
import type { StepRow } from "../../store/types";

/** A reason in an action's or provider's own words (a failed send's error), logged as it came. */
export type ReportedReason = string & { readonly reported: true };
export const reported = (text: string): ReportedReason => text as ReportedReason;

/** One run-log line as an executor states it; applying it adds the run's identity and sequence number. */
export interface LogEntry extends Omit<
  StepRow,
  "runId" | "journeyId" | "versionId" | "customerId" | "seq" | "outcome" | "reason"
> {
  outcome: StepOutcome;
  reason: StepReason | ReportedReason | null;
}
