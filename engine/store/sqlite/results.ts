// Over 300 lines: the results ledger's SQL in one place (entries, daily counters, aggregates, exports), the
// embedded twin of postgres/results.ts.
import type Database from "better-sqlite3";
import type {
  AssignmentReason,
  ResultAggregates,
  ResultEntryRow,
  ResultExportRow,
  ResultMode,
  ResultQuery,
  ResultSums,
  SplitArmQuery,
  SplitArmSums,
  WriteSet,
} from "../types";
import { FAR, entryRange, exactSpans, mergeAggregates, wholeDays } from "../results-days";
import { DailyCounters, sqlDayOf } from "./results-counters";

/**
 * The results ledger's SQL (tables in migrations 0003 and 0005). Writes happen inside the store's commit
 * transaction, counters included (results-counters.ts). A report reads whole days from the daily counters and
 * only its edge days (partial days at from/to, days whose goal windows are still open at asOf) entry by entry,
 * in one pass over each table's (journey, entry time) spans (../results-days.ts); `exact` mode reads every
 * entry instead, which the counters must always agree with (results-counters.test.ts).
 */

// Entries in the spans (@spans: [[from, until], …]) of @journeyId entered at or before @asOf; conversions at
// or before @asOf (< @asOfEnd = asOf + 1 ms); an entry is matured when its window closed by @asOf.
const SUMS = `count(*) AS entered,
  coalesce(sum(window_end <= @asOf), 0) AS matured,
  coalesce(sum(converted_at < @asOfEnd), 0) AS converted,
  coalesce(sum(window_end <= @asOf AND converted_at < @asOfEnd), 0) AS maturedConverted,
  coalesce(sum(CASE WHEN converted_at < @asOfEnd THEN revenue ELSE 0 END), 0) AS revenue,
  coalesce(sum(CASE WHEN converted_at < @asOfEnd THEN revenue * revenue ELSE 0 END), 0) AS revenueSquares`;
// CROSS JOIN keeps the spans outside, so each span is one range search of the primary key.
const SPANS = (table: string) => `json_each(@spans) AS s CROSS JOIN ${table}
  WHERE journey_id = @journeyId AND entered_at >= json_extract(s.value, '$[0]')
    AND entered_at < json_extract(s.value, '$[1]') AND (@versionId IS NULL OR version_id = @versionId)`;
const RANGE = `journey_id = @journeyId AND entered_at >= @from AND entered_at < @until
  AND (@versionId IS NULL OR version_id = @versionId)`;
const NODE = "(@nodeId IS NULL OR node_id = @nodeId)";
// Whole days [@firstDay, @endDay) but those in @openDays; every entry of these days is matured.
const DAYS = `journey_id = @journeyId AND day >= @firstDay AND day < @endDay
  AND day NOT IN (SELECT value FROM json_each(@openDays)) AND (@versionId IS NULL OR version_id = @versionId)`;
const COUNTED = `sum(entered) AS entered, sum(entered) AS matured, sum(converted) AS converted,
  sum(converted) AS maturedConverted, sum(revenue) AS revenue, sum(revenue_squares) AS revenueSquares`;

interface Params {
  journeyId: string;
  versionId: number | null;
  nodeId: string | null;
  from: number;
  until: number;
  asOf: number;
  asOfEnd: number;
}
const params = (q: ResultQuery, nodeId: string | null = null): Params => ({
  journeyId: q.journeyId,
  versionId: q.versionId ?? null,
  nodeId,
  ...entryRange(q),
  asOf: q.asOf,
  asOfEnd: q.asOf + 1,
});
type ArmRow = ResultSums & { nodeId: string; arm: string; reason: AssignmentReason; versionId: number };
type DayRow = { nodeId: string; arm: string; day: number; count: number };

interface EntryRecord {
  run_id: number;
  journey_id: string;
  version_id: number;
  customer_id: string;
  entered_at: number;
  goal_event: string | null;
  window_end: number;
}

export class ResultsSql {
  private readonly s;

  /** A statement's SQL by name, for the hot-path plan test. */
  sql(name: string): string | undefined {
    return (
      (this.s as Record<string, Database.Statement | undefined>)[name]?.source ?? this.counters.sql(name)
    );
  }

  private readonly counters: DailyCounters;

  constructor(private readonly db: Database.Database) {
    this.counters = new DailyCounters(db);
    const p = <T = unknown>(sql: string) => db.prepare<unknown[], T>(sql);
    this.s = {
      insertEntry: p(
        "INSERT OR IGNORE INTO result_entries (journey_id, entered_at, run_id, version_id, customer_id, goal_event, window_end) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      // Copies the entry's columns so the per-arm report never joins; the first visit of a split wins.
      insertAssignment: p(
        `INSERT OR IGNORE INTO result_assignments
           (journey_id, entered_at, run_id, node_id, arm, reason, version_id, window_end, converted_at, revenue)
         SELECT journey_id, entered_at, run_id, ?, ?, ?, version_id, window_end, converted_at, revenue
         FROM result_entries WHERE run_id = ?`,
      ),
      convertEntry: p(
        "UPDATE result_entries SET converted_at = ?, revenue = ? WHERE run_id = ? AND converted_at IS NULL",
      ),
      convertAssignments: p(
        "UPDATE result_assignments SET converted_at = ?, revenue = ? WHERE run_id = ? AND converted_at IS NULL",
      ),
      openWindows: p<EntryRecord>(
        `SELECT run_id, journey_id, version_id, customer_id, entered_at, goal_event, window_end
         FROM result_entries INDEXED BY result_entries_open
         WHERE customer_id IN (SELECT value FROM json_each(?)) AND window_end > ?
           AND converted_at IS NULL AND goal_event IS NOT NULL`,
      ),
      // The per-entry reads, over spans of entry time.
      byVersion: p<ResultSums & { versionId: number }>(
        `SELECT version_id AS versionId, ${SUMS} FROM ${SPANS("result_entries")} GROUP BY version_id`,
      ),
      byArm: p<ArmRow>(
        `SELECT node_id AS nodeId, arm, reason, version_id AS versionId, ${SUMS}
         FROM ${SPANS("result_assignments")} AND ${NODE} GROUP BY node_id, arm, reason, version_id`,
      ),
      membersByDay: p<DayRow>(
        `SELECT node_id AS nodeId, arm, ${sqlDayOf("entered_at")} AS day, count(*) AS count
         FROM ${SPANS("result_assignments")} GROUP BY node_id, arm, day`,
      ),
      conversionsByDay: p<DayRow>(
        `SELECT node_id AS nodeId, arm, ${sqlDayOf("converted_at")} AS day, count(*) AS count
         FROM ${SPANS("result_assignments")} AND converted_at < @asOfEnd GROUP BY node_id, arm, day`,
      ),
      // The counters' reads, over whole days.
      openDays: p<{ day: number }>(
        `SELECT day FROM result_daily WHERE journey_id = @journeyId AND day >= @firstDay AND day < @endDay
         GROUP BY day HAVING max(window_end_max) > @asOf ORDER BY day`,
      ),
      dailyByVersion: p<ResultSums & { versionId: number }>(
        `SELECT version_id AS versionId, ${COUNTED} FROM result_daily WHERE ${DAYS} AND node_id = ''
         GROUP BY version_id`,
      ),
      dailyByArm: p<ArmRow>(
        `SELECT node_id AS nodeId, arm, reason, version_id AS versionId, ${COUNTED}
         FROM result_daily WHERE ${DAYS} AND node_id <> '' AND ${NODE} GROUP BY node_id, arm, reason, version_id`,
      ),
      dailyMembers: p<DayRow>(
        `SELECT node_id AS nodeId, arm, day, sum(entered) AS count FROM result_daily
         WHERE ${DAYS} AND node_id <> '' GROUP BY node_id, arm, day`,
      ),
      dailyConversions: p<DayRow>(
        `SELECT node_id AS nodeId, arm, conv_day AS day, sum(converted) AS count FROM result_daily_conversions
         WHERE ${DAYS} GROUP BY node_id, arm, conv_day`,
      ),
      // Without a time range or version the journey's own columns answer (on partial indexes that hold them);
      // with one, the covered runs.
      deliveredAll: p<{ n: number }>(
        `SELECT count(*) AS n FROM outbox INDEXED BY outbox_journey_sent
         WHERE journey_id = ? AND status = 'sent' AND delivered_at < ?`,
      ),
      deliveredRange: p<{ n: number }>(
        `SELECT count(*) AS n FROM outbox o INDEXED BY outbox_journey_sent
         JOIN result_entries e INDEXED BY result_entries_run ON e.run_id = o.run_id
         WHERE o.journey_id = @journeyId AND o.status = 'sent' AND o.delivered_at < @asOfEnd
           AND e.entered_at >= @from AND e.entered_at < @until AND (@versionId IS NULL OR e.version_id = @versionId)`,
      ),
      exitedAll: p<{ n: number }>(
        `SELECT count(*) AS n FROM runs INDEXED BY runs_journey_exited
         WHERE journey_id = ? AND status = 'exited' AND ended_at < ?`,
      ),
      exitedRange: p<{ n: number }>(
        `SELECT count(*) AS n FROM runs INDEXED BY runs_journey_exited
         WHERE journey_id = @journeyId AND status = 'exited' AND ended_at < @asOfEnd
           AND entered_at >= @from AND entered_at < @until AND (@versionId IS NULL OR version_id = @versionId)`,
      ),
      rows: p<{
        run_id: number;
        customer_id: string;
        version_id: number;
        entered_at: number;
        window_end: number;
        converted_at: number | null;
        revenue: number;
      }>(
        `SELECT run_id, customer_id, version_id, entered_at, window_end,
           CASE WHEN converted_at < @asOfEnd THEN converted_at END AS converted_at,
           CASE WHEN converted_at < @asOfEnd THEN revenue ELSE 0 END AS revenue
         FROM result_entries WHERE ${RANGE} AND (entered_at, run_id) > (@afterAt, @afterRun)
         ORDER BY entered_at, run_id LIMIT @limit`,
      ),
      armsOf: p<{ run_id: number; node_id: string; arm: string }>(
        "SELECT run_id, node_id, arm FROM result_assignments WHERE run_id IN (SELECT value FROM json_each(?))",
      ),
    };
  }

  /** Called inside the store's commit transaction, after runs are written. */
  apply(w: WriteSet): void {
    const s = this.s;
    for (const e of w.resultEntries ?? [])
      if (
        s.insertEntry.run(
          e.journeyId,
          e.enteredAt,
          e.runId,
          e.versionId,
          e.customerId,
          e.goalEvent,
          e.windowEnd,
        ).changes > 0
      )
        this.counters.entered(e.journeyId, e.enteredAt, e.versionId, e.windowEnd);
    for (const a of w.assignments ?? [])
      if (s.insertAssignment.run(a.nodeId, a.arm, a.reason, a.runId).changes > 0)
        this.counters.assigned(a.runId, a.nodeId);
    for (const c of w.conversions ?? []) {
      if (s.convertEntry.run(c.at, c.revenue, c.runId).changes > 0) {
        s.convertAssignments.run(c.at, c.revenue, c.runId);
        this.counters.converted(c.runId);
      }
    }
  }

  openGoalWindows(customerIds: readonly string[], after: number): ResultEntryRow[] {
    if (customerIds.length === 0) return [];
    return this.s.openWindows.all(JSON.stringify(customerIds), after).map((r) => ({
      runId: r.run_id,
      journeyId: r.journey_id,
      versionId: r.version_id,
      customerId: r.customer_id,
      enteredAt: r.entered_at,
      goalEvent: r.goal_event,
      windowEnd: r.window_end,
    }));
  }

  /** The report's sums (spec §4): whole days from the counters, the rest entry by entry; `exact` reads all. */
  aggregates(q: ResultQuery, mode: ResultMode = "counters"): ResultAggregates {
    const p = params(q);
    const whole = q.from === undefined && q.to === undefined && q.versionId === undefined;
    return this.db.transaction(() => ({
      ...this.sums(p, mode, true),
      delivered: whole
        ? this.s.deliveredAll.get(q.journeyId, q.asOf + 1)!.n
        : this.s.deliveredRange.get(p)!.n,
      exited: whole ? this.s.exitedAll.get(q.journeyId, q.asOf + 1)!.n : this.s.exitedRange.get(p)!.n,
    }))();
  }

  splitArms(q: SplitArmQuery, mode: ResultMode = "counters"): SplitArmSums[] {
    const p = params({ journeyId: q.journeyId, versionId: q.versionId, asOf: q.asOf }, q.nodeId);
    return this.db
      .transaction(() => this.sums(p, mode, false))()
      .byArm.map(({ nodeId: _n, versionId: _v, ...r }) => r);
  }

  /** Sums and (with `timeline`) day counts of the entries in p's range, added up from both halves. */
  private sums(p: Params, mode: ResultMode, timeline: boolean): ResultAggregates {
    const s = this.s;
    const parts: ResultAggregates[] = [];
    let open: number[] = [];
    const { firstDay, endDay } = wholeDays(p.from, p.until);
    if (mode === "counters" && firstDay < endDay) {
      const days = { ...p, firstDay, endDay };
      open = s.openDays.all(days).map((r) => r.day);
      const d = { ...days, openDays: JSON.stringify(open) };
      parts.push({
        byVersion: timeline ? s.dailyByVersion.all(d) : [],
        byArm: s.dailyByArm.all(d),
        armMembersByDay: timeline ? s.dailyMembers.all(d) : [],
        armConversionsByDay: timeline ? s.dailyConversions.all(d) : [],
        delivered: 0,
        exited: 0,
      });
    }
    const spans =
      mode === "counters" ? exactSpans(p.from, p.until, open) : p.from < p.until ? [[p.from, p.until]] : [];
    if (spans.length > 0) {
      const e = { ...p, spans: JSON.stringify(spans) };
      parts.push({
        byVersion: timeline ? s.byVersion.all(e) : [],
        byArm: s.byArm.all(e),
        armMembersByDay: timeline ? s.membersByDay.all(e) : [],
        armConversionsByDay: timeline ? s.conversionsByDay.all(e) : [],
        delivered: 0,
        exited: 0,
      });
    }
    return mergeAggregates(parts);
  }

  rows(q: ResultQuery & { after?: { enteredAt: number; runId: number }; limit: number }): ResultExportRow[] {
    const { nodeId: _n, ...p } = params(q);
    const rows = this.s.rows.all({
      ...p,
      afterAt: q.after?.enteredAt ?? -FAR,
      afterRun: q.after?.runId ?? -FAR,
      limit: q.limit,
    });
    const arms = new Map<number, Record<string, string>>();
    if (rows.length > 0) {
      for (const a of this.s.armsOf.all(JSON.stringify(rows.map((r) => r.run_id)))) {
        const m = arms.get(a.run_id) ?? {};
        m[a.node_id] = a.arm;
        arms.set(a.run_id, m);
      }
    }
    return rows.map((r) => ({
      runId: r.run_id,
      customerId: r.customer_id,
      versionId: r.version_id,
      enteredAt: r.entered_at,
      windowEnd: r.window_end,
      convertedAt: r.converted_at,
      revenue: r.revenue,
      arms: arms.get(r.run_id) ?? {},
    }));
  }
}
