import type pg from "pg";
import { DAY } from "../results-days";
import type { WriteSet } from "../types";
import { prepared, rows, run } from "./connect";

/**
 * The results ledger's writes on PostgreSQL, in the commit's transaction: entries, split arms and conversions,
 * each one `unnest` statement that also returns what it added to the daily counters (grouped by counter cell);
 * the counters are then added in one upsert per table, cells in key order, so concurrent commits lock the
 * same counter rows in the same order and cannot deadlock on them.
 */

/** The floored UTC day of a millisecond column. */
const dayOf = (col: string) => `((${col} - ((${col} % ${DAY}) + ${DAY}) % ${DAY}) / ${DAY})::int`;

/** One counter cell's increment: a daily cell (convDay null) or an arm's conversions on one day. */
interface Delta {
  journeyId: string;
  day: number;
  versionId: number;
  nodeId: string;
  arm: string;
  reason: string;
  convDay: number | null;
  entered: number;
  converted: number;
  revenue: number;
  revenueSquares: number;
  windowEndMax: number;
}

const DELTA = (rowsOf: string, node: string, arm: string, reason: string) =>
  `SELECT journey_id AS "journeyId", ${dayOf("entered_at")} AS day, version_id AS "versionId",
     ${node} AS "nodeId", ${arm} AS arm, ${reason} AS reason, NULL::int AS "convDay", 
     count(*) FILTER (WHERE counts_entry)::int AS entered, count(converted_at)::int AS converted,
     coalesce(sum(revenue) FILTER (WHERE converted_at IS NOT NULL), 0)::float8 AS revenue,
     coalesce(sum(revenue * revenue) FILTER (WHERE converted_at IS NOT NULL), 0)::float8 AS "revenueSquares",
     max(window_end) AS "windowEndMax"
   FROM ${rowsOf} GROUP BY 1, 2, 3, 4, 5, 6`;
const CONVERSION_DAYS = (rowsOf: string) =>
  `SELECT journey_id AS "journeyId", ${dayOf("entered_at")} AS day, version_id AS "versionId",
     node_id AS "nodeId", arm, '' AS reason, ${dayOf("converted_at")} AS "convDay", 0 AS entered,
     count(*)::int AS converted, 0::float8 AS revenue, 0::float8 AS "revenueSquares", 0::bigint AS "windowEndMax"
   FROM ${rowsOf} WHERE converted_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 7`;

const S = {
  entries: prepared(
    `WITH ins AS (
       INSERT INTO result_entries (journey_id, entered_at, run_id, version_id, customer_id, goal_event, window_end)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::bigint[])
       ON CONFLICT DO NOTHING
       RETURNING journey_id, entered_at, version_id, window_end, converted_at, revenue, true AS counts_entry)
     ${DELTA("ins", "''", "''", "''")}`,
  ),
  // Copies the entry's columns so the per-arm report never joins; the first visit of a split wins. An arm
  // taken after its entry converted counts the conversion at once.
  assignments: prepared(
    `WITH ins AS (
       INSERT INTO result_assignments
         (journey_id, entered_at, run_id, node_id, arm, reason, version_id, window_end, converted_at, revenue)
       SELECT e.journey_id, e.entered_at, e.run_id, u.node_id, u.arm, u.reason, e.version_id, e.window_end,
         e.converted_at, e.revenue
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(run_id, node_id, arm, reason, n)
       JOIN result_entries e ON e.run_id = u.run_id
       ORDER BY u.n
       ON CONFLICT DO NOTHING
       RETURNING journey_id, entered_at, version_id, node_id, arm, reason, window_end, converted_at, revenue,
         true AS counts_entry)
     ${DELTA("ins", "node_id", "arm", "reason")}
     UNION ALL ${CONVERSION_DAYS("ins")}`,
  ),
  conversions: prepared(
    `WITH u AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::float8[]) AS u(run_id, at, revenue)),
     e AS (UPDATE result_entries r SET converted_at = u.at, revenue = u.revenue FROM u
       WHERE r.run_id = u.run_id AND r.converted_at IS NULL
       RETURNING r.run_id, r.journey_id, r.entered_at, r.version_id, r.window_end, r.converted_at, r.revenue,
         false AS counts_entry),
     a AS (UPDATE result_assignments a SET converted_at = e.converted_at, revenue = e.revenue FROM e
       WHERE a.run_id = e.run_id AND a.converted_at IS NULL
       RETURNING a.journey_id, a.entered_at, a.version_id, a.node_id, a.arm, a.reason, a.window_end,
         a.converted_at, a.revenue, false AS counts_entry)
     ${DELTA("e", "''", "''", "''")}
     UNION ALL ${DELTA("a", "node_id", "arm", "reason")}
     UNION ALL ${CONVERSION_DAYS("a")}`,
  ),
  daily: prepared(
    `INSERT INTO result_daily
       (journey_id, day, version_id, node_id, arm, reason, entered, converted, revenue, revenue_squares, window_end_max)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[],
       $8::bigint[], $9::float8[], $10::float8[], $11::bigint[])
     ON CONFLICT (journey_id, day, version_id, node_id, arm, reason) DO UPDATE SET
       entered = result_daily.entered + excluded.entered, converted = result_daily.converted + excluded.converted,
       revenue = result_daily.revenue + excluded.revenue,
       revenue_squares = result_daily.revenue_squares + excluded.revenue_squares,
       window_end_max = greatest(result_daily.window_end_max, excluded.window_end_max)`,
  ),
  dailyConversions: prepared(
    `INSERT INTO result_daily_conversions (journey_id, day, version_id, node_id, arm, conv_day, converted)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::int[], $7::bigint[])
     ON CONFLICT (journey_id, day, version_id, node_id, arm, conv_day) DO UPDATE SET
       converted = result_daily_conversions.converted + excluded.converted`,
  ),
};

function firstPerKey<T>(list: readonly T[], key: (r: T) => string | number): T[] {
  const m = new Map<string | number, T>();
  for (const r of list) if (!m.has(key(r))) m.set(key(r), r);
  return [...m.values()];
}
const cols = <T>(list: readonly T[], ...fs: ((r: T) => unknown)[]): unknown[][] => fs.map((f) => list.map(f));

/** Called inside the commit's transaction, after runs are written (the embedded store's order). */
export async function applyResults(c: pg.PoolClient, w: WriteSet): Promise<void> {
  const deltas: Delta[] = [];
  if (w.resultEntries?.length)
    deltas.push(
      ...(await rows<Delta>(
        c,
        S.entries,
        cols(
          w.resultEntries,
          (e) => e.journeyId,
          (e) => e.enteredAt,
          (e) => e.runId,
          (e) => e.versionId,
          (e) => e.customerId,
          (e) => e.goalEvent,
          (e) => e.windowEnd,
        ),
      )),
    );
  if (w.assignments?.length)
    deltas.push(
      ...(await rows<Delta>(
        c,
        S.assignments,
        cols(
          w.assignments,
          (a) => a.runId,
          (a) => a.nodeId,
          (a) => a.arm,
          (a) => a.reason,
        ),
      )),
    );
  if (w.conversions?.length)
    deltas.push(
      ...(await rows<Delta>(
        c,
        S.conversions,
        cols(
          firstPerKey(w.conversions, (v) => v.runId),
          (v) => v.runId,
          (v) => v.at,
          (v) => v.revenue,
        ),
      )),
    );
  await addCounters(c, deltas);
}

/** Adds the deltas up per cell and upserts each table's cells in key order. */
async function addCounters(c: pg.PoolClient, deltas: readonly Delta[]): Promise<void> {
  const daily = new Map<string, Delta>();
  const conversions = new Map<string, Delta>();
  for (const d of deltas) {
    const m = d.convDay === null ? daily : conversions;
    const key = [d.journeyId, d.day, d.versionId, d.nodeId, d.arm, d.reason, d.convDay].join("\u0000");
    const had = m.get(key);
    if (!had) m.set(key, { ...d });
    else {
      had.entered += d.entered;
      had.converted += d.converted;
      had.revenue += d.revenue;
      had.revenueSquares += d.revenueSquares;
      had.windowEndMax = Math.max(had.windowEndMax, d.windowEndMax);
    }
  }
  const sorted = (m: Map<string, Delta>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
  if (daily.size > 0)
    await run(
      c,
      S.daily,
      cols(
        sorted(daily),
        (d) => d.journeyId,
        (d) => d.day,
        (d) => d.versionId,
        (d) => d.nodeId,
        (d) => d.arm,
        (d) => d.reason,
        (d) => d.entered,
        (d) => d.converted,
        (d) => d.revenue,
        (d) => d.revenueSquares,
        (d) => d.windowEndMax,
      ),
    );
  if (conversions.size > 0)
    await run(
      c,
      S.dailyConversions,
      cols(
        sorted(conversions),
        (d) => d.journeyId,
        (d) => d.day,
        (d) => d.versionId,
        (d) => d.nodeId,
        (d) => d.arm,
        (d) => d.convDay,
        (d) => d.converted,
      ),
    );
}
