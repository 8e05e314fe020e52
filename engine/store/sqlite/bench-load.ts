import { REBUILD_COUNTERS } from "./results-counters";
import type { SqliteStore } from "./store";

/**
 * Bulk loading for the results benchmark (bench/parts/results.ts): a journey's history at the scale the
 * product promises — `entries` runs with their results ledger rows, a delivery each, and `eventsPerEntry`
 * stored events per customer — written in one transaction by INSERT … SELECT over a counter, so ten million
 * events take seconds, not a JavaScript round trip per row; the daily counters are then counted from the ledger
 * as migration 0005 back-fills them. Not for production data: it bypasses the engine.
 */
export interface ResultsBenchShape {
  journeyId: string;
  versionId: number;
  entries: number;
  eventsPerEntry: number;
  /** Entries are spread evenly over [start, start + spanMs). */
  start: number;
  spanMs: number;
  /** The goal window (ms) and the goal event's name. */
  windowMs: number;
  goalEvent: string;
  /** Split nodes, each with its arms; an entry's arm is chosen by its index. */
  splits: { nodeId: string; arms: string[] }[];
}

/** Rows written per table. */
export interface ResultsBenchCounts {
  runs: number;
  resultEntries: number;
  resultAssignments: number;
  outbox: number;
  events: number;
}

// Numbers bind as doubles, so parameters are cast to integers where they make ids or timestamps.
// n(i) counts 0 … @count-1; everything else is derived from i so the shapes are reproducible.
const COUNTER =
  "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < CAST(@count AS INTEGER))";
// Entry i: customer c<i>, entered at start + i·step; a quarter of the entries (and more in later arms)
// convert 1–48 h after entry with a revenue of 50–250.
const ENTERED = "(CAST(@start AS INTEGER) + i * CAST(@step AS INTEGER))";
const CONVERTS = "((i * 7919) % 100 < 22 + (i % CAST(@arms AS INTEGER)) * 6)";
const CONVERTED_AT = `CASE WHEN ${CONVERTS} THEN ${ENTERED} + 3600000 * (1 + (i * 31) % 48) END`;
const REVENUE = `CASE WHEN ${CONVERTS} THEN 50 + (i * 13) % 200 ELSE 0 END`;

export function loadResultsBench(store: SqliteStore, shape: ResultsBenchShape): ResultsBenchCounts {
  const db = store.db;
  const step = Math.max(1, Math.floor(shape.spanMs / shape.entries));
  const base = {
    count: shape.entries,
    start: shape.start,
    step,
    journey: shape.journeyId,
    version: shape.versionId,
    arms: Math.max(1, shape.splits[0]?.arms.length ?? 1),
  };
  const counts: ResultsBenchCounts = {
    runs: 0,
    resultEntries: 0,
    resultAssignments: 0,
    outbox: 0,
    events: 0,
  };
  db.transaction(() => {
    counts.runs += db
      .prepare(
        `${COUNTER} INSERT INTO runs (id, journey_id, version_id, customer_id, status, node_id, visits, ctx, entered_at, ended_at, outcome, step_seq)
         SELECT 1000000000 + i, @journey, @version, 'c' || i,
           CASE WHEN ${CONVERTS} THEN 'converted' WHEN i % 10 = 0 THEN 'exited' ELSE 'completed' END,
           'x1', '{}', '{}', ${ENTERED}, ${ENTERED} + 3600000,
           CASE WHEN ${CONVERTS} THEN 'converted' WHEN i % 10 = 0 THEN 'exited' ELSE 'completed' END, 3
         FROM n`,
      )
      .run(base).changes;
    counts.resultEntries += db
      .prepare(
        `${COUNTER} INSERT INTO result_entries (journey_id, entered_at, run_id, version_id, customer_id, goal_event, window_end, converted_at, revenue)
         SELECT @journey, ${ENTERED}, 1000000000 + i, @version, 'c' || i, @goal, ${ENTERED} + CAST(@window AS INTEGER), ${CONVERTED_AT}, ${REVENUE}
         FROM n`,
      )
      .run({ ...base, goal: shape.goalEvent, window: shape.windowMs }).changes;
    for (const split of shape.splits) {
      counts.resultAssignments += db
        .prepare(
          `${COUNTER} INSERT INTO result_assignments (journey_id, entered_at, run_id, node_id, arm, reason, version_id, window_end, converted_at, revenue)
           SELECT @journey, ${ENTERED}, 1000000000 + i, @node, json_extract(@armList, '$[' || (i % CAST(@armCount AS INTEGER)) || ']'),
             'hash', @version, ${ENTERED} + CAST(@window AS INTEGER), ${CONVERTED_AT}, ${REVENUE}
           FROM n`,
        )
        .run({
          ...base,
          node: split.nodeId,
          armList: JSON.stringify(split.arms),
          armCount: split.arms.length,
          window: shape.windowMs,
        }).changes;
    }
    counts.outbox += db
      .prepare(
        `${COUNTER} INSERT INTO outbox (idempotency_key, run_id, journey_id, version_id, node_id, visit, customer_id, action, channel, template, payload, status, attempts, created_at, delivered_at)
         SELECT 'bench:' || i, 1000000000 + i, @journey, @version, 'a1', 1, 'c' || i, 'email', 'email', 'wake-up', '{}', 'sent', 1,
           ${ENTERED}, ${ENTERED} + 60000
         FROM n`,
      )
      .run(base).changes;
    // Events in index order (customer, name, time), so the events index grows at its end.
    counts.events += db
      .prepare(
        `${COUNTER} INSERT INTO events (customer_id, type, name, properties, ts, received_at)
         SELECT 'c' || (i / CAST(@per AS INTEGER)), 'track',
           CASE WHEN i % CAST(@per AS INTEGER) = 0 THEN 'churn_signal' WHEN i % CAST(@per AS INTEGER) = 1 THEN @goal ELSE 'page_viewed' END,
           CASE WHEN i % CAST(@per AS INTEGER) = 1 THEN '{"revenue":120}' ELSE '{}' END,
           CAST(@start AS INTEGER) + (i / CAST(@per AS INTEGER)) * CAST(@step AS INTEGER) + (i % CAST(@per AS INTEGER)) * 60000, CAST(@start AS INTEGER) + (i / CAST(@per AS INTEGER)) * CAST(@step AS INTEGER) + (i % CAST(@per AS INTEGER)) * 60000
         FROM n`,
      )
      .run({
        count: shape.entries * shape.eventsPerEntry,
        per: shape.eventsPerEntry,
        start: shape.start,
        step,
        goal: shape.goalEvent,
      }).changes;
    for (const sql of REBUILD_COUNTERS) db.exec(sql);
  })();
  return counts;
}

/**
 * The floor for a results report: one bare GROUP BY over the same journey's split rows on their primary key —
 * what any per-arm count must at least read.
 */
export function resultsFloor(store: SqliteStore, journeyId: string): { groups: number; members: number } {
  const rows = store.db
    .prepare<[string], { n: number; c: number }>(
      "SELECT count(*) AS n, sum(converted_at IS NOT NULL) AS c FROM result_assignments WHERE journey_id = ? GROUP BY node_id, arm",
    )
    .all(journeyId);
  return { groups: rows.length, members: rows.reduce((s, r) => s + r.n, 0) };
}
