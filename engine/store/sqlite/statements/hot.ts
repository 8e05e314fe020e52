/**
 * The statements on the engine's hot path: run per claim, per tick, per event or per delivery. Each must
 * stay on an index whatever the size of the stored history; `hot-plans.test.ts` runs `EXPLAIN QUERY PLAN`
 * on every one and fails on a table scan. `from` names the statement set (`statements/*.ts`, or the
 * `results.ts` / `timers.ts` classes).
 */
export const HOT_STATEMENTS = [
  // Claims and due scans: the scheduler and dispatcher run them at least once a second.
  { from: "runs", name: "claimRuns", why: "the scheduler's claim of due runs" },
  { from: "runs", name: "nextDue", why: "when the scheduler next wakes" },
  { from: "outbox", name: "claimOutbox", why: "the dispatcher's claim of due deliveries" },
  { from: "outbox", name: "nextOutboxDue", why: "when the dispatcher next wakes" },
  { from: "timers", name: "claim", why: "the claim of due recurring work" },
  { from: "timers", name: "next", why: "when recurring work is next due" },
  // Ingestion look-ups, per event group.
  { from: "events", name: "knownMessageIds", why: "de-duplication of events" },
  { from: "customers", name: "customersByIds", why: "profiles of a group's customers" },
  { from: "runs", name: "activeRuns", why: "open runs of a group's customers (waits, goals, exits)" },
  { from: "runs", name: "entries", why: "re-entry rules of triggered journeys" },
  { from: "consent", name: "suppressed", why: "a customer's unsubscribed channels" },
  // Advancing and delivering, per run or per delivery.
  { from: "runs", name: "getRun", why: "a delivery's run" },
  { from: "runs", name: "updateRun", why: "a run's transition" },
  { from: "runs", name: "releaseRun", why: "a run handed back" },
  { from: "events", name: "countEvents", why: "eventCount conditions and goal/exit look-backs" },
  { from: "outbox", name: "countDeliveries", why: "frequency caps" },
  { from: "outbox", name: "getOutbox", why: "a delivery by idempotency key" },
  { from: "outbox", name: "updateOutbox", why: "a delivery's result" },
  { from: "journeys", name: "getVersion", why: "a run's journey version" },
  { from: "coupons", name: "issuedTo", why: "a coupon already issued to a key" },
  { from: "coupons", name: "takeFree", why: "the next free coupon code" },
  // Goal matching and the results counters, written in the commit that causes them.
  { from: "results", name: "openWindows", why: "goal windows open for a group's customers" },
  { from: "results", name: "insertAssignment", why: "a split arm's entry" },
  { from: "results", name: "convertEntry", why: "a conversion" },
  { from: "results", name: "convertAssignments", why: "a conversion's arms" },
  { from: "results", name: "countAssignment", why: "a split member's daily counter" },
  { from: "results", name: "countAssignmentConversion", why: "a converted split member's timeline counter" },
  { from: "results", name: "countConversion", why: "a conversion's daily counters" },
  { from: "results", name: "countArmConversions", why: "a conversion's timeline counters" },
  // The results report: whole days from the counters, edge days from the ledger's primary key, and the
  // delivered and exited counts from partial indexes that hold them, whatever the journey's size.
  { from: "results", name: "openDays", why: "which days of a report still have open goal windows" },
  { from: "results", name: "dailyByVersion", why: "a report's whole days per version" },
  { from: "results", name: "dailyByArm", why: "a report's whole days per arm" },
  { from: "results", name: "dailyMembers", why: "a report's timeline of members" },
  { from: "results", name: "dailyConversions", why: "a report's timeline of conversions" },
  { from: "results", name: "byVersion", why: "a report's edge days per version" },
  { from: "results", name: "byArm", why: "a report's edge days per arm" },
  { from: "results", name: "membersByDay", why: "a report's edge days' members" },
  { from: "results", name: "conversionsByDay", why: "a report's edge days' conversions" },
  { from: "results", name: "deliveredAll", why: "a report's delivered count" },
  { from: "results", name: "deliveredRange", why: "a report's delivered count over a range or version" },
  { from: "results", name: "exitedAll", why: "a report's exited count" },
  { from: "results", name: "exitedRange", why: "a report's exited count over a range or version" },
] as const;

export type HotStatement = (typeof HOT_STATEMENTS)[number];

/**
 * Tables whose size is the configuration's, not the history's: one row per journey. Reading all of them
 * (e.g. the paused journeys a claim leaves out) costs the same with ten or ten million stored steps.
 */
const CONFIGURATION_TABLES = new Set(["journeys"]);

/** A plan line that reads a whole table of history (or a whole index of one): what the plan test refuses. */
export function isTableScan(line: string): boolean {
  const m = /^SCAN (\S+)/.exec(line);
  if (!m) return false;
  // json_each over the statement's own argument list is a virtual table, and a subquery's rows are the
  // ones an index already found (under a LIMIT): neither is stored history.
  if (line.includes("VIRTUAL TABLE") || m[1]!.startsWith("(subquery-")) return false;
  return !CONFIGURATION_TABLES.has(m[1]!);
}
