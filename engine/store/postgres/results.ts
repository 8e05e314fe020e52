import type pg from "pg";
import type {
  AssignmentReason,
  ResultAggregates,
  ResultEntryRow,
  ResultExportRow,
  ResultQuery,
  ResultSums,
  SplitArmQuery,
  SplitArmSums,
} from "../types";
import { prepared, rows, transaction } from "./connect";

/**
 * The results ledger's reads on PostgreSQL (its writes are in commit.ts): the embedded store's queries
 * (engine/store/sqlite/results.ts) with positional parameters. Parameters: $1 journey, $2 version or null,
 * $3 from, $4 until, $5 asOf, $6 asOf + 1 ms.
 */

const DAY = 86_400_000;
const FAR = Number.MAX_SAFE_INTEGER;

const SUMS = `count(*)::int AS entered,
  count(*) FILTER (WHERE window_end <= $5)::int AS matured,
  count(*) FILTER (WHERE converted_at < $6)::int AS converted,
  count(*) FILTER (WHERE window_end <= $5 AND converted_at < $6)::int AS "maturedConverted",
  coalesce(sum(CASE WHEN converted_at < $6 THEN revenue ELSE 0 END), 0)::float8 AS revenue,
  coalesce(sum(CASE WHEN converted_at < $6 THEN revenue * revenue ELSE 0 END), 0)::float8 AS "revenueSquares"`;
const RANGE = `journey_id = $1 AND entered_at >= $3 AND entered_at < $4 AND ($2::bigint IS NULL OR version_id = $2)`;

const S = {
  openWindows: prepared(
    `SELECT run_id, journey_id, version_id, customer_id, entered_at, goal_event, window_end
     FROM result_entries
     WHERE customer_id = ANY($1::text[]) AND window_end > $2 AND converted_at IS NULL AND goal_event IS NOT NULL`,
  ),
  byVersion: prepared(
    `SELECT version_id AS "versionId", ${SUMS} FROM result_entries WHERE ${RANGE} GROUP BY version_id ORDER BY version_id`,
  ),
  byArm: prepared(
    `SELECT node_id AS "nodeId", arm, reason, version_id AS "versionId", ${SUMS}
     FROM result_assignments WHERE ${RANGE} GROUP BY node_id, arm, reason, version_id ORDER BY 1, 2, 3, 4`,
  ),
  // $1 journey, $2 version, $3 node, $5 asOf, $6 asOf + 1 ms ($4 unused but typed, to keep SUMS' numbering).
  splitArms: prepared(
    `SELECT arm, reason, ${SUMS} FROM result_assignments
     WHERE journey_id = $1 AND entered_at < $6 AND version_id = $2 AND node_id = $3 AND $4::bigint IS NULL
     GROUP BY arm, reason ORDER BY arm, reason`,
  ),
  membersByDay: prepared(
    `SELECT node_id AS "nodeId", arm, (entered_at / ${DAY})::int AS day, count(*)::int AS count
     FROM result_assignments WHERE ${RANGE} AND $5::bigint IS NOT NULL AND $6::bigint IS NOT NULL
     GROUP BY node_id, arm, day ORDER BY 1, 2, 3`,
  ),
  conversionsByDay: prepared(
    `SELECT node_id AS "nodeId", arm, (converted_at / ${DAY})::int AS day, count(*)::int AS count
     FROM result_assignments WHERE ${RANGE} AND converted_at < $6 AND $5::bigint IS NOT NULL
     GROUP BY node_id, arm, day ORDER BY 1, 2, 3`,
  ),
  deliveredAll: prepared(
    "SELECT count(*)::int AS n FROM outbox WHERE journey_id = $1 AND status = 'sent' AND delivered_at < $2",
  ),
  deliveredRange: prepared(
    `SELECT count(*)::int AS n FROM result_entries e JOIN outbox o ON o.run_id = e.run_id
     WHERE e.journey_id = $1 AND e.entered_at >= $3 AND e.entered_at < $4
       AND ($2::bigint IS NULL OR e.version_id = $2) AND o.status = 'sent' AND o.delivered_at < $6
       AND $5::bigint IS NOT NULL`,
  ),
  exitedAll: prepared(
    "SELECT count(*)::int AS n FROM runs WHERE journey_id = $1 AND status = 'exited' AND ended_at < $2",
  ),
  exitedRange: prepared(
    `SELECT count(*)::int AS n FROM runs WHERE journey_id = $1 AND status = 'exited'
       AND ended_at < $6 AND entered_at >= $3 AND entered_at < $4 AND ($2::bigint IS NULL OR version_id = $2)
       AND $5::bigint IS NOT NULL`,
  ),
  rows: prepared(
    `SELECT run_id, customer_id, version_id, entered_at, window_end,
       CASE WHEN converted_at < $6 THEN converted_at END AS converted_at,
       CASE WHEN converted_at < $6 THEN revenue ELSE 0 END AS revenue
     FROM result_entries WHERE ${RANGE} AND (entered_at, run_id) > ($7, $8) AND $5::bigint IS NOT NULL
     ORDER BY entered_at, run_id LIMIT $9`,
  ),
  armsOf: prepared("SELECT run_id, node_id, arm FROM result_assignments WHERE run_id = ANY($1::bigint[])"),
};

const params = (q: ResultQuery): unknown[] => [
  q.journeyId,
  q.versionId ?? null,
  q.from ?? -FAR,
  Math.min(q.to ?? FAR, q.asOf + 1),
  q.asOf,
  q.asOf + 1,
];

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
export function resultAggregates(pool: pg.Pool, q: ResultQuery): Promise<ResultAggregates> {
  const p = params(q);
  const whole = q.from === undefined && q.to === undefined && q.versionId === undefined;
  return transaction(pool, async (c) => {
    await c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const count = async (all: typeof S.deliveredAll, range: typeof S.deliveredAll) =>
      (whole
        ? await rows<{ n: number }>(c, all, [q.journeyId, q.asOf + 1])
        : await rows<{ n: number }>(c, range, p))[0]!.n;
    return {
      byVersion: await rows<ResultSums & { versionId: number }>(c, S.byVersion, p),
      byArm: await rows<
        ResultSums & { nodeId: string; arm: string; reason: AssignmentReason; versionId: number }
      >(c, S.byArm, p),
      armMembersByDay: await rows<{ nodeId: string; arm: string; day: number; count: number }>(
        c,
        S.membersByDay,
        p,
      ),
      armConversionsByDay: await rows<{ nodeId: string; arm: string; day: number; count: number }>(
        c,
        S.conversionsByDay,
        p,
      ),
      delivered: await count(S.deliveredAll, S.deliveredRange),
      exited: await count(S.exitedAll, S.exitedRange),
    };
  });
}

export function splitArmSums(pool: pg.Pool, q: SplitArmQuery): Promise<SplitArmSums[]> {
  return rows<SplitArmSums>(pool, S.splitArms, [
    q.journeyId,
    q.versionId,
    q.nodeId,
    null,
    q.asOf,
    q.asOf + 1,
  ]);
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
  }>(pool, S.rows, [...params(q), q.after?.enteredAt ?? -FAR, q.after?.runId ?? -FAR, q.limit]);
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
