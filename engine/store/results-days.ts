import type { AssignmentReason, ResultAggregates, ResultSums } from "./results-rows";

/**
 * How a results query is answered fast (spec §4) by both stores: the daily counters (`result_daily`,
 * `result_daily_conversions`, kept at commit time) answer every whole UTC entry day inside the query's range
 * whose goal windows all closed by `asOf` — then every entry of the day is matured and every conversion it
 * will ever have happened before `asOf`, so the counters' sums are exactly the per-entry sums. The rest — the
 * partial days at `from` and `to`/`asOf`, and the days with a window still open at `asOf` — are read entry by
 * entry from the ledger. Both halves are added up here, so a report costs the counters of its days plus the
 * recent edge, however many entries the journey has. No SQL here: the stores run the statements.
 */

export const DAY = 86_400_000;
/** The UTC day of a time, floored (a day is [day·DAY, (day+1)·DAY)). */
export const dayOf = (ms: number): number => Math.floor(ms / DAY);

/** The widest time a query can name; entry times are far inside it. */
export const FAR = Number.MAX_SAFE_INTEGER;

/** The entry-time range [from, until) a query covers: entries after `asOf` are not seen yet. */
export function entryRange(q: { from?: number; to?: number; asOf: number }): { from: number; until: number } {
  return { from: q.from ?? -FAR, until: Math.min(q.to ?? FAR, q.asOf + 1) };
}

/** The whole days [firstDay, endDay) inside [from, until); empty when firstDay >= endDay. */
export function wholeDays(from: number, until: number): { firstDay: number; endDay: number } {
  return { firstDay: Math.ceil(from / DAY), endDay: Math.floor(until / DAY) };
}

/**
 * The entry-time spans [from, until) to read entry by entry: the partial days at both ends and the whole days
 * the counters cannot answer (`openDays`, ascending, each inside [firstDay, endDay)), adjacent days merged.
 */
export function exactSpans(from: number, until: number, openDays: readonly number[]): [number, number][] {
  if (from >= until) return [];
  const { firstDay, endDay } = wholeDays(from, until);
  if (firstDay >= endDay) return [[from, until]];
  const spans: [number, number][] = [];
  const add = (lo: number, hi: number) => {
    if (lo >= hi) return;
    const last = spans[spans.length - 1];
    if (last && last[1] === lo) last[1] = hi;
    else spans.push([lo, hi]);
  };
  add(from, firstDay * DAY);
  for (const d of openDays) add(d * DAY, (d + 1) * DAY);
  add(endDay * DAY, until);
  return spans;
}

type ArmSums = ResultSums & { nodeId: string; arm: string; reason: AssignmentReason; versionId: number };
type DayCount = { nodeId: string; arm: string; day: number; count: number };

/** Every part's rows and counts added up by key, rows in key order (so both halves give one stable answer). */
export function mergeAggregates(parts: readonly ResultAggregates[]): ResultAggregates {
  const byVersion = new Map<number, ResultSums & { versionId: number }>();
  const byArm = new Map<string, ArmSums>();
  const members = new Map<string, DayCount>();
  const conversions = new Map<string, DayCount>();
  let delivered = 0;
  let exited = 0;
  const sumInto = <T extends ResultSums>(m: Map<string | number, T>, key: string | number, r: T) => {
    const had = m.get(key);
    if (!had) m.set(key, { ...r });
    else {
      had.entered += r.entered;
      had.matured += r.matured;
      had.converted += r.converted;
      had.maturedConverted += r.maturedConverted;
      had.revenue += r.revenue;
      had.revenueSquares += r.revenueSquares;
    }
  };
  const countInto = (m: Map<string, DayCount>, r: DayCount) => {
    const key = `${r.nodeId}\u0000${r.arm}\u0000${r.day}`;
    const had = m.get(key);
    if (had) had.count += r.count;
    else m.set(key, { nodeId: r.nodeId, arm: r.arm, day: r.day, count: r.count });
  };
  for (const p of parts) {
    for (const r of p.byVersion) sumInto(byVersion as Map<string | number, typeof r>, r.versionId, r);
    for (const r of p.byArm)
      sumInto(
        byArm as Map<string | number, ArmSums>,
        `${r.nodeId}\u0000${r.arm}\u0000${r.reason}\u0000${r.versionId}`,
        r,
      );
    for (const r of p.armMembersByDay) countInto(members, r);
    for (const r of p.armConversionsByDay) countInto(conversions, r);
    delivered += p.delivered;
    exited += p.exited;
  }
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const byKeys =
    <T>(...keys: ((x: T) => string | number)[]) =>
    (a: T, b: T) => {
      for (const k of keys) {
        const c = cmp(k(a), k(b));
        if (c !== 0) return c;
      }
      return 0;
    };
  const dayOrder = byKeys<DayCount>(
    (r) => r.nodeId,
    (r) => r.arm,
    (r) => r.day,
  );
  return {
    byVersion: [...byVersion.values()].sort((a, b) => a.versionId - b.versionId),
    byArm: [...byArm.values()].sort(
      byKeys<ArmSums>(
        (r) => r.nodeId,
        (r) => r.arm,
        (r) => r.reason,
        (r) => r.versionId,
      ),
    ),
    armMembersByDay: [...members.values()].sort(dayOrder),
    armConversionsByDay: [...conversions.values()].sort(dayOrder),
    delivered,
    exited,
  };
}

/** The counter cell a ledger row adds to: whole-journey totals have node, arm and reason ''. */
export interface DailyKey {
  journeyId: string;
  day: number;
  versionId: number;
  nodeId: string;
  arm: string;
  reason: string;
}
