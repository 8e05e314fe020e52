import type { OutboxRow, RunContext, RunOutcome } from "../../store/types";
import type { LogEntry } from "./log-entry";

/**
 * What a step decided for its run, as a value: executors (nodes, actions, ingestion, delivery results, ops)
 * return one and `applyTransition` (apply.ts) is the only code that writes a run's status and due time.
 */
export type Transition =
  /** Leave the current node through `port` now, in the same advance. */
  | { to: "port"; port: string; log?: LogEntry; deliver?: OutboxRow }
  /** Park until `dueAt`; when due, leave through `port` (a wait) or come back to the node (`port` null). */
  | {
      to: "wait";
      dueAt: number;
      port: string | null;
      log: LogEntry;
      /** A wait-for-event wait: the event that ends it early, and its window. */
      event?: { name: string; since: number; until: number };
      /** The action visit to resume without checking quiet hours again. */
      deferred?: NonNullable<RunContext["deferred"]>;
    }
  /** Wait for a queued delivery's result (no due time: recording the result moves the run). */
  | { to: "await"; log: LogEntry; deliver: OutboxRow }
  /** Due now, leaving through `port` (a delivery's result, a matched event); `event` becomes the event fact. */
  | { to: "ready"; port: string; log: LogEntry; event?: RunContext["event"] }
  /** A due waiting run is released and goes on at once (in this advance). */
  | { to: "release"; log: LogEntry }
  /** Ops put a failed run back on its node: due now, or waiting for its requeued delivery. */
  | { to: "retry"; awaitingDelivery: boolean; log: LogEntry }
  /** The run ends. */
  | { to: "end"; outcome: RunOutcome; log?: LogEntry };

/** Transitions after which the advance loop stops: the run waits, acts or has ended. */
export const stops = (t: Transition): boolean => t.to === "wait" || t.to === "await" || t.to === "end";
