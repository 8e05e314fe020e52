import type pg from "pg";
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
} from "../types";
import { DAY, FAR, entryRange, exactSpans, mergeAggregates, wholeDays } from "../results-days";
import { prepared, rows, transaction, type Statement } from "./connect";

/**
 * The results ledger's reads on PostgreSQL (its writes are in results-commit.ts): the embedded store's
 * queries (engine/store/sqlite/results.ts) with positional parameters — whole days from the daily counters,
 * the edge days entry by entry over spans of entry time (../results-days.ts), or every entry in `exact` mode.
 */

const dayOf = (col: string) => `((${col} - ((${col} % ${DAY}) + ${DAY}) % ${DAY}) / ${DAY})::int`;

// $1 journey, $2 version or null, $3 asOf, $4 asOf + 1 ms, $5 span starts, $6 span ends (, $7 node or null).
const SUMS = `count(*)::int AS entered,
  count(*) FILTER (WHERE window_end <= $3)::int AS matured,
  count(*) FILTER (WHERE converted_at < $4)::int AS converted,
  count(*) FILTER (WHERE window_end <= $3 AND converted_at < $4)::int AS "maturedConverted",
  coalesce(sum(CASE WHEN converted_at < $4 THEN revenue ELSE 0 END), 0)::float8 AS revenue,
  coalesce(sum(CASE WHEN converted_at < $4 THEN revenue * revenue ELSE 0 END), 0)::float8 AS "revenueSquares"`;
const SPANS = (table: string, lo: number) => `unnest($${lo}::bigint[], $${lo + 1}::bigint[]) AS s(lo, hi)
  JOIN ${table} r ON r.journey_id = $1 AND r.entered_at >= s.lo AND r.entered_at < s.hi
  WHERE ($2::bigint IS NULL OR r.version_id = $2)`;
// $1 journey, $2 version or null, $3 first day, $4 end day, $5 open days (, $6 node or null).
const DAYS = `journey_id = $1 AND day >= $3 AND day < $4 AND day <> ALL($5::int[])
  AND ($2::bigint IS NULL OR version_id = $2)`;
const COUNTED = `sum(entered)::float8 AS entered, sum(entered)::float8 AS matured,
  sum(converted)::float8 AS converted, sum(converted)::float8 AS "maturedConverted",
  sum(revenue)::float8 AS revenue, sum(revenue_squares)::float8 AS "revenueSquares"`;
const RANGE = `journey_id = $1 AND entered_at >= $3 AND entered_at < $4 AND ($2::bigint IS NULL OR version_id = $2)`;

type ArmRow = ResultSums & { nodeId: string; arm: string; reason: AssignmentReason; versionId: number };
type DayRow = { nodeId: string; arm: string; day: number; count: number };

const S = {
  openWindows: prepared(
    `SELECT run_id, journey_id, version_id, customer_id, entered_at, goal_event, window_end
     FROM result_entries
     WHERE customer_id = ANY($1::text[]) AND window_end > $2 AND converted_at IS NULL AND goal_event IS NOT NULL`,
  ),
  byVersion: prepared(
    `SELECT version_id AS "versionId", ${SUMS} FROM ${SPANS("result_entries", 5)} GROUP BY version_id`,
  ),
  byArm: prepared(
    `SELECT node_id AS "nodeId", arm, reason, version_id AS "versionId", ${SUMS}
     FROM ${SPANS("result_assignments", 5)} AND ($7::text IS NULL OR node_id = $7)
     GROUP BY node_id, arm, reason, version_id`,
  ),
  // $1 journey, $2 version, $3 span starts, $4 span ends.
  membersByDay: prepared(
    `SELECT node_id AS "nodeId", arm, ${dayOf("entered_at")} AS day, count(*)::int AS count
     FROM ${SPANS("result_assignments", 3)} GROUP BY node_id, arm, day`,
  ),
  // $1 journey, $2 version, $3 span starts, $4 span ends, $5 asOf + 1 ms.
  conversionsByDay: prepared(
    `SELECT node_id AS "nodeId", arm, ${dayOf("converted_at")} AS day, count(*)::int AS count
     FROM ${SPANS("result_assignments", 3)} AND converted_at < $5 GROUP BY node_id, arm, day`,
  ),
  // $1 journey, $2 first day, $3 end day, $4 asOf.
  openDays: prepared(
    `SELECT day FROM result_daily WHERE journey_id = $1 AND day >= $2 AND day < $3
     GROUP BY day HAVING max(window_end_max) > $4 ORDER BY day`,
  ),
  dailyByVersion: prepared(
    `SELECT version_id AS "versionId", ${COUNTED} FROM result_daily WHERE ${DAYS} AND node_id = ''
     GROUP BY version_id`,
  ),
  dailyByArm: prepared(
    `SELECT node_id AS "nodeId", arm, reason, version_id AS "versionId", ${COUNTED} FROM result_daily
     WHERE ${DAYS} AND node_id <> '' AND ($6::text IS NULL OR node_id = $6) GROUP BY node_id, arm, reason, version_id`,
  ),
  dailyMembers: prepared(
    `SELECT node_id AS "nodeId", arm, day, sum(entered)::float8 AS count FROM result_daily
     WHERE ${DAYS} AND node_id <> '' GROUP BY node_id, arm, day`,
  ),
  dailyConversions: prepared(
    `SELECT node_id AS "nodeId", arm, conv_day AS day, sum(converted)::float8 AS count
     FROM result_daily_conversions WHERE ${DAYS} GROUP BY node_id, arm, conv_day`,
  ),
  // Delivered and exited, on partial indexes that hold them. $1 journey, $2 version, $3 from, $4 until,
  // $5 asOf + 1 ms (or $1 journey, $2 asOf + 1 ms).
  deliveredAll: prepared(
    "SELECT count(*)::int AS n FROM outbox WHERE journey_id = $1 AND status = 'sent' AND delivered_at < $2",
  ),
  deliveredRange: prepared(
    `SELECT count(*)::int AS n FROM outbox o JOIN result_entries e ON e.run_id = o.run_id
     WHERE o.journey_id = $1 AND o.status = 'sent' AND o.delivered_at < $5
       AND e.entered_at >= $3 AND e.entered_at < $4 AND ($2::bigint IS NULL OR e.version_id = $2)`,
  ),
  exitedAll: prepared(
    "SELECT count(*)::int AS n FROM runs WHERE journey_id = $1 AND status = 'exited' AND ended_at < $2",
  ),
  exitedRange: prepared(
    `SELECT count(*)::int AS n FROM runs WHERE journey_id = $1 AND status = 'exited'
       AND ended_at < $5 AND entered_at >= $3 AND entered_at < $4 AND ($2::bigint IS NULL OR version_id = $2)`,
  ),
  // $1 journey, $2 version, $3 from, $4 until, $5 asOf + 1 ms, $6/$7 cursor, $8 limit.
  rows: prepared(
    `SELECT run_id, customer_id, version_id, entered_at, window_end,
       CASE WHEN converted_at < $5 THEN converted_at END AS converted_at,
       CASE WHEN converted_at < $5 THEN revenue ELSE 0 END AS revenue
     FROM result_entries WHERE ${RANGE} AND (entered_at, run_id) > ($6, $7)
     ORDER BY entered_at, run_id LIMIT $8`,
  ),
  armsOf: prepared("SELECT run_id, node_id, arm FROM result_assignments WHERE run_id = ANY($1::bigint[])"),
};

interface Params {
  journeyId: string;
  versionId: number | null;
  nodeId: string | null;
  from: number;
  until: number;
  asOf: number;
}
const paramsOf = (q: ResultQuery, nodeId: string | null = null): Params => ({
  journeyId: q.journeyId,
  versionId: q.versionId ?? null,
  nodeId,
  ...entryRange(q),
  asOf: q.asOf,
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

export async function openGoalWindows(
  pool: pg.Pool,
  customerIds: readonly string[],
  after: number,
): Promise<ResultEntryRow[]> {
  if (customerIds.length === 0) return [];
  const found = await rows<EntryRecord>(pool, S.openWindows, [customerIds, after]);
  return found.map((r) => ({
    runId: r.run_id,
    journeyId: r.journey_id,
    versionId: r.version_id,
    customerId: r.customer_id,
    enteredAt: r.entered_at,
    goalEvent: r.goal_event,
    windowEnd: r.window_end,
  }));
}

/** One snapshot (REPEATABLE READ): the report's parts agree with each other while commits go on. */
export function resultAggregates(
  pool: pg.Pool,
  q: ResultQuery,
  mode: ResultMode = "counters",
): Promise<ResultAggregates> {
  const p = paramsOf(q);
  const whole = q.from === undefined && q.to === undefined && q.versionId === undefined;
  return snapshot(pool, async (c) => {
    const n = async (s: Statement, values: unknown[]) => (await rows<{ n: number }>(c, s, values))[0]!.n;
    const range = [p.journeyId, p.versionId, p.from, p.until, q.asOf + 1];
    const all = [q.journeyId, q.asOf + 1];
    return {
      ...(await sums(c, p, mode, true)),
      delivered: whole ? await n(S.deliveredAll, all) : await n(S.deliveredRange, range),
      exited: whole ? await n(S.exitedAll, all) : await n(S.exitedRange, range),
    };
  });
}

export async function splitArmSums(
  pool: pg.Pool,
  q: SplitArmQuery,
  mode: ResultMode = "counters",
): Promise<SplitArmSums[]> {
  const p = paramsOf({ journeyId: q.journeyId, versionId: q.versionId, asOf: q.asOf }, q.nodeId);
  const agg = await snapshot(pool, (c) => sums(c, p, mode, false));
  return agg.byArm.map(({ nodeId: _n, versionId: _v, ...r }) => r);
}

function snapshot<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  return transaction(pool, async (c) => {
    await c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    return fn(c);
  });
}

/** Sums and (with `timeline`) day counts of the entries in p's range, added up from both halves. */
async function sums(
  c: pg.PoolClient,
  p: Params,
  mode: ResultMode,
  timeline: boolean,
): Promise<ResultAggregates> {
  const parts: ResultAggregates[] = [];
  let open: number[] = [];
  const { firstDay, endDay } = wholeDays(p.from, p.until);
  const none = () => Promise.resolve([]);
  if (mode === "counters" && firstDay < endDay) {
    open = (await rows<{ day: number }>(c, S.openDays, [p.journeyId, firstDay, endDay, p.asOf])).map(
      (r) => r.day,
    );
    const d = [p.journeyId, p.versionId, firstDay, endDay, open];
    parts.push({
      byVersion: timeline
        ? await rows<ResultSums & { versionId: number }>(c, S.dailyByVersion, d)
        : await none(),
      byArm: await rows<ArmRow>(c, S.dailyByArm, [...d, p.nodeId]),
      armMembersByDay: timeline ? await rows<DayRow>(c, S.dailyMembers, d) : await none(),
      armConversionsByDay: timeline ? await rows<DayRow>(c, S.dailyConversions, d) : await none(),
      delivered: 0,
      exited: 0,
    });
  }
  const spans =
    mode === "counters" ? exactSpans(p.from, p.until, open) : p.from < p.until ? [[p.from, p.until]] : [];
  if (spans.length > 0) {
    const los = spans.map((x) => x[0]);
    const his = spans.map((x) => x[1]);
    const e = [p.journeyId, p.versionId, p.asOf, p.asOf + 1, los, his];
    const t = [p.journeyId, p.versionId, los, his];
    parts.push({
      byVersion: timeline ? await rows<ResultSums & { versionId: number }>(c, S.byVersion, e) : await none(),
      byArm: await rows<ArmRow>(c, S.byArm, [...e, p.nodeId]),
      armMembersByDay: timeline ? await rows<DayRow>(c, S.membersByDay, t) : await none(),
      armConversionsByDay: timeline
        ? await rows<DayRow>(c, S.conversionsByDay, [...t, p.asOf + 1])
        : await none(),
      delivered: 0,
      exited: 0,
    });
  }
  return mergeAggregates(parts);
}

export async function resultRows(
  pool: pg.Pool,
  q: ResultQuery & { after?: { enteredAt: number; runId: number }; limit: number },
): Promise<ResultExportRow[]> {
  const found = await rows<{
    run_id: number;
    customer_id: string;
    version_id: number;
    entered_at: number;
    window_end: number;
    converted_at: number | null;
    revenue: number;
  }>(pool, S.rows, [
    q.journeyId,
    q.versionId ?? null,
    ...Object.values(entryRange(q)),
    q.asOf + 1,
    q.after?.enteredAt ?? -FAR,
    q.after?.runId ?? -FAR,
    q.limit,
  ]);
  const arms = new Map<number, Record<string, string>>();
  if (found.length > 0) {
    const all = await rows<{ run_id: number; node_id: string; arm: string }>(pool, S.armsOf, [
      found.map((r) => r.run_id),
    ]);
    for (const a of all) {
      const m = arms.get(a.run_id) ?? {};
      m[a.node_id] = a.arm;
      arms.set(a.run_id, m);
    }
  }
  return found.map((r) => ({
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
