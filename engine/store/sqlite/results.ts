import type Database from "better-sqlite3";
import type {
  AssignmentReason,
  ResultAggregates,
  ResultEntryRow,
  ResultExportRow,
  ResultQuery,
  ResultSums,
  SplitArmQuery,
  SplitArmSums,
  WriteSet,
} from "../types";

/**
 * The results ledger's SQL (tables in migration 0003). Writes happen inside the store's commit transaction;
 * reads are one pass over each table's (journey, entry time) range, so a report costs about as much as a
 * bare GROUP BY over the journey's entries (measured in bench/parts/results.ts).
 */

const DAY = 86_400_000;
const FAR = Number.MAX_SAFE_INTEGER;

// Entries in [@from, @to) entered at or before @asOf; conversions at or before @asOf (< @asOfEnd = asOf + 1 ms);
// an entry is matured when its window closed by @asOf.
const SUMS = `count(*) AS entered,
  coalesce(sum(window_end <= @asOf), 0) AS matured,
  coalesce(sum(converted_at < @asOfEnd), 0) AS converted,
  coalesce(sum(window_end <= @asOf AND converted_at < @asOfEnd), 0) AS maturedConverted,
  coalesce(sum(CASE WHEN converted_at < @asOfEnd THEN revenue ELSE 0 END), 0) AS revenue,
  coalesce(sum(CASE WHEN converted_at < @asOfEnd THEN revenue * revenue ELSE 0 END), 0) AS revenueSquares`;
const RANGE = `journey_id = @journeyId AND entered_at >= @from AND entered_at < @until
  AND (@versionId IS NULL OR version_id = @versionId)`;

interface Params {
  journeyId: string;
  versionId: number | null;
  from: number;
  until: number;
  asOf: number;
  asOfEnd: number;
}
const params = (q: ResultQuery): Params => ({
  journeyId: q.journeyId,
  versionId: q.versionId ?? null,
  from: q.from ?? -FAR,
  until: Math.min(q.to ?? FAR, q.asOf + 1),
  asOf: q.asOf,
  asOfEnd: q.asOf + 1,
});

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
    return (this.s as Record<string, Database.Statement | undefined>)[name]?.source;
  }

  constructor(private readonly db: Database.Database) {
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
      byVersion: p<ResultSums & { versionId: number }>(
        `SELECT version_id AS versionId, ${SUMS} FROM result_entries WHERE ${RANGE} GROUP BY version_id`,
      ),
      byArm: p<ResultSums & { nodeId: string; arm: string; reason: AssignmentReason; versionId: number }>(
        `SELECT node_id AS nodeId, arm, reason, version_id AS versionId, ${SUMS}
         FROM result_assignments WHERE ${RANGE} GROUP BY node_id, arm, reason, version_id`,
      ),
      splitArms: p<SplitArmSums>(
        `SELECT arm, reason, ${SUMS} FROM result_assignments
         WHERE journey_id = @journeyId AND entered_at < @asOfEnd AND version_id = @versionId AND node_id = @nodeId
         GROUP BY arm, reason`,
      ),
      membersByDay: p<{ nodeId: string; arm: string; day: number; count: number }>(
        `SELECT node_id AS nodeId, arm, entered_at / ${DAY} AS day, count(*) AS count
         FROM result_assignments WHERE ${RANGE} GROUP BY node_id, arm, day`,
      ),
      conversionsByDay: p<{ nodeId: string; arm: string; day: number; count: number }>(
        `SELECT node_id AS nodeId, arm, converted_at / ${DAY} AS day, count(*) AS count
         FROM result_assignments WHERE ${RANGE} AND converted_at < @asOfEnd GROUP BY node_id, arm, day`,
      ),
      // Without a time range or version the journey's own columns answer; with one, the covered runs.
      deliveredAll: p<{ n: number }>(
        "SELECT count(*) AS n FROM outbox WHERE journey_id = ? AND status = 'sent' AND delivered_at < ?",
      ),
      deliveredRange: p<{ n: number }>(
        `SELECT count(*) AS n FROM result_entries e JOIN outbox o ON o.run_id = e.run_id
         WHERE e.journey_id = @journeyId AND e.entered_at >= @from AND e.entered_at < @until
           AND (@versionId IS NULL OR e.version_id = @versionId) AND o.status = 'sent' AND o.delivered_at < @asOfEnd`,
      ),
      exitedAll: p<{ n: number }>(
        "SELECT count(*) AS n FROM runs WHERE journey_id = ? AND status = 'exited' AND ended_at < ?",
      ),
      exitedRange: p<{ n: number }>(
        `SELECT count(*) AS n FROM runs WHERE journey_id = @journeyId AND status = 'exited'
           AND ended_at < @asOfEnd AND entered_at >= @from AND entered_at < @until
           AND (@versionId IS NULL OR version_id = @versionId)`,
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
      s.insertEntry.run(
        e.journeyId,
        e.enteredAt,
        e.runId,
        e.versionId,
        e.customerId,
        e.goalEvent,
        e.windowEnd,
      );
    for (const a of w.assignments ?? []) s.insertAssignment.run(a.nodeId, a.arm, a.reason, a.runId);
    for (const c of w.conversions ?? []) {
      if (s.convertEntry.run(c.at, c.revenue, c.runId).changes > 0)
        s.convertAssignments.run(c.at, c.revenue, c.runId);
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

  aggregates(q: ResultQuery): ResultAggregates {
    const p = params(q);
    const whole = q.from === undefined && q.to === undefined && q.versionId === undefined;
    return this.db.transaction(() => ({
      byVersion: this.s.byVersion.all(p),
      byArm: this.s.byArm.all(p),
      armMembersByDay: this.s.membersByDay.all(p),
      armConversionsByDay: this.s.conversionsByDay.all(p),
      delivered: whole
        ? this.s.deliveredAll.get(q.journeyId, q.asOf + 1)!.n
        : this.s.deliveredRange.get(p)!.n,
      exited: whole ? this.s.exitedAll.get(q.journeyId, q.asOf + 1)!.n : this.s.exitedRange.get(p)!.n,
    }))();
  }

  splitArms(q: SplitArmQuery): SplitArmSums[] {
    return this.s.splitArms.all({ ...q, asOfEnd: q.asOf + 1 });
  }

  rows(q: ResultQuery & { after?: { enteredAt: number; runId: number }; limit: number }): ResultExportRow[] {
    const rows = this.s.rows.all({
      ...params(q),
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
