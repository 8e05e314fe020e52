import type Database from "better-sqlite3";
import { DAY, dayOf } from "../results-days";

/**
 * The results ledger's daily counters (migration 0005), kept in the commit that writes the ledger rows they
 * count: per journey, UTC entry day, version, split node, arm and reason (node, arm and reason '' for the whole
 * journey) the entries, conversions, revenue and squared revenue, and the latest goal-window end among them
 * (which tells a report whether the day's windows have all closed); per arm and entry day, conversions by
 * conversion day for the timeline. Reads are in results.ts (see ../results-days.ts for why this is exact).
 */

/** SQL for the floored UTC day of a millisecond column (SQLite's `/` truncates towards zero). */
export const sqlDayOf = (col: string): string =>
  `((${col} - ((${col} % ${DAY}) + ${DAY}) % ${DAY}) / ${DAY})`;

const DAILY_COLUMNS =
  "journey_id, day, version_id, node_id, arm, reason, entered, converted, revenue, revenue_squares, window_end_max";
const ADD_DAILY = `ON CONFLICT DO UPDATE SET entered = entered + excluded.entered,
  converted = converted + excluded.converted, revenue = revenue + excluded.revenue,
  revenue_squares = revenue_squares + excluded.revenue_squares,
  window_end_max = max(window_end_max, excluded.window_end_max)`;
const ADD_CONVERSIONS = "ON CONFLICT DO UPDATE SET converted = converted + excluded.converted";
// A ledger row's contribution to its cell (converted rows add their revenue; others add 0).
const CONTRIBUTION = `1, converted_at IS NOT NULL, CASE WHEN converted_at IS NOT NULL THEN revenue ELSE 0 END,
  CASE WHEN converted_at IS NOT NULL THEN revenue * revenue ELSE 0 END, window_end`;

/**
 * Rebuilds every counter from the ledger rows (the migration's back-fill, and the bench's bulk load).
 * The same statements as migration 0005's back-fill, which cannot import them.
 */
export const REBUILD_COUNTERS = [
  "DELETE FROM result_daily",
  "DELETE FROM result_daily_conversions",
  `INSERT INTO result_daily (${DAILY_COLUMNS})
   SELECT journey_id, ${sqlDayOf("entered_at")}, version_id, '', '', '', count(*), count(converted_at),
     coalesce(sum(CASE WHEN converted_at IS NOT NULL THEN revenue END), 0),
     coalesce(sum(CASE WHEN converted_at IS NOT NULL THEN revenue * revenue END), 0), max(window_end)
   FROM result_entries GROUP BY 1, 2, 3`,
  `INSERT INTO result_daily (${DAILY_COLUMNS})
   SELECT journey_id, ${sqlDayOf("entered_at")}, version_id, node_id, arm, reason, count(*), count(converted_at),
     coalesce(sum(CASE WHEN converted_at IS NOT NULL THEN revenue END), 0),
     coalesce(sum(CASE WHEN converted_at IS NOT NULL THEN revenue * revenue END), 0), max(window_end)
   FROM result_assignments GROUP BY 1, 2, 3, 4, 5, 6`,
  `INSERT INTO result_daily_conversions (journey_id, day, version_id, node_id, arm, conv_day, converted)
   SELECT journey_id, ${sqlDayOf("entered_at")}, version_id, node_id, arm, ${sqlDayOf("converted_at")}, count(*)
   FROM result_assignments WHERE converted_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6`,
];

export class DailyCounters {
  private readonly s;

  sql(name: string): string | undefined {
    return (this.s as Record<string, Database.Statement | undefined>)[name]?.source;
  }

  constructor(db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      // A new entry: its day's whole-journey cell.
      countEntry: p(
        `INSERT INTO result_daily (${DAILY_COLUMNS})
         VALUES (@journeyId, @day, @versionId, '', '', '', 1, 0, 0, 0, @windowEnd) ${ADD_DAILY}`,
      ),
      // A new split member (maybe converted already, when its goal event came before it reached the split).
      countAssignment: p(
        `INSERT INTO result_daily (${DAILY_COLUMNS})
         SELECT journey_id, ${sqlDayOf("entered_at")}, version_id, node_id, arm, reason, ${CONTRIBUTION}
         FROM result_assignments WHERE run_id = @runId AND node_id = @nodeId ${ADD_DAILY}`,
      ),
      countAssignmentConversion: p(
        `INSERT INTO result_daily_conversions (journey_id, day, version_id, node_id, arm, conv_day, converted)
         SELECT journey_id, ${sqlDayOf("entered_at")}, version_id, node_id, arm, ${sqlDayOf("converted_at")}, 1
         FROM result_assignments WHERE run_id = @runId AND node_id = @nodeId AND converted_at IS NOT NULL
         ${ADD_CONVERSIONS}`,
      ),
      // A new conversion of an entry: its whole-journey cell and every arm it took.
      countConversion: p(
        `INSERT INTO result_daily (${DAILY_COLUMNS})
         SELECT journey_id, ${sqlDayOf("entered_at")}, version_id, '', '', '', 0, 1, revenue, revenue * revenue, window_end
         FROM result_entries WHERE run_id = @runId
         UNION ALL
         SELECT journey_id, ${sqlDayOf("entered_at")}, version_id, node_id, arm, reason, 0, 1, revenue, revenue * revenue, window_end
         FROM result_assignments WHERE run_id = @runId ${ADD_DAILY}`,
      ),
      countArmConversions: p(
        `INSERT INTO result_daily_conversions (journey_id, day, version_id, node_id, arm, conv_day, converted)
         SELECT journey_id, ${sqlDayOf("entered_at")}, version_id, node_id, arm, ${sqlDayOf("converted_at")}, 1
         FROM result_assignments WHERE run_id = @runId ${ADD_CONVERSIONS}`,
      ),
    };
  }

  entered(journeyId: string, enteredAt: number, versionId: number, windowEnd: number): void {
    this.s.countEntry.run({ journeyId, day: dayOf(enteredAt), versionId, windowEnd });
  }

  assigned(runId: number, nodeId: string): void {
    this.s.countAssignment.run({ runId, nodeId });
    this.s.countAssignmentConversion.run({ runId, nodeId });
  }

  converted(runId: number): void {
    this.s.countConversion.run({ runId });
    this.s.countArmConversions.run({ runId });
  }
}
