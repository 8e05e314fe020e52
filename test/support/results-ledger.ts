/**
 * Randomised results ledgers (seeded) for the daily counters' property test: entries over three weeks with
 * goal windows of several lengths (and none), split arms taken before and after conversions, conversions at
 * the window's edges, repeated visits and conversions that must count once, written through `commit` in
 * batches like the engine's. `checkCounters` asks a store the same queries both ways (counters and edge days,
 * and every entry) and expects the same answer, whatever the range, version and `asOf` (past ones included).
 */
import { expect } from "vitest";
import type { ResultQuery, Store, WriteSet } from "../../engine/store/types";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);

/** mulberry32: a small seeded generator, so a failing seed can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Ledger {
  journeyId: string;
  versionIds: number[];
  /** Interesting moments: window ends, conversion times, day boundaries. */
  moments: number[];
  start: number;
}

/** Writes one random ledger for journey `j<seed>` and returns what its queries should probe. */
export async function writeLedger(store: Store, seed: number): Promise<Ledger> {
  const r = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const journeyId = `j${seed}`;
  const start = T0 + int(0, 5) * DAY + pick([0, 1, int(0, DAY - 1)]);
  const versions = [1, 2, 3].slice(0, int(1, 3)).map((k) => ({
    id: seed * 10 + k,
    // 0: a version without a goal (its windows close at entry).
    within: pick([0, HOUR, 36 * HOUR, 3 * DAY, 14 * DAY]),
  }));
  const batches: WriteSet[] = Array.from({ length: 6 }, () => ({
    resultEntries: [],
    assignments: [],
    conversions: [],
  }));
  const moments: number[] = [];
  const n = int(30, 160);
  for (let i = 0; i < n; i++) {
    const v = pick(versions);
    const day = start + int(0, 20) * DAY;
    const enteredAt = pick([
      day - (day % DAY), // exactly midnight
      day - (day % DAY) - 1, // the last millisecond of a day
      day + int(0, DAY - 1),
      day + int(0, DAY - 1),
    ]);
    const runId = seed * 100_000 + i;
    const windowEnd = enteredAt + v.within;
    const b = int(0, 3);
    batches[b]!.resultEntries!.push({
      runId,
      journeyId,
      versionId: v.id,
      customerId: `c${i}`,
      enteredAt,
      goalEvent: v.within > 0 ? "order" : null,
      windowEnd,
    });
    moments.push(enteredAt, windowEnd, windowEnd - 1);
    const later = () => int(b, 5);
    if (r() < 0.8) {
      const arm = pick(["a", "b", "c"]);
      const reason = r() < 0.1 ? ("winner" as const) : ("hash" as const);
      const at = later();
      batches[at]!.assignments!.push({ runId, nodeId: "s1", arm, reason });
      // A second visit of the split keeps the first arm.
      if (r() < 0.1)
        batches[int(at, 5)]!.assignments!.push({ runId, nodeId: "s1", arm: "z", reason: "hash" });
    }
    if (r() < 0.5)
      batches[later()]!.assignments!.push({
        runId,
        nodeId: "h1",
        arm: pick(["holdout", "continue"]),
        reason: "hash",
      });
    if (v.within > 0 && r() < 0.45) {
      const at = pick([enteredAt, windowEnd - 1, enteredAt + int(0, v.within - 1)]);
      const revenue = pick([0, int(1, 800) / 4]);
      const c = later();
      batches[c]!.conversions!.push({ runId, at, revenue });
      moments.push(at, at - 1);
      // A second goal event converts nothing more.
      if (r() < 0.1) batches[int(c, 5)]!.conversions!.push({ runId, at: windowEnd - 1, revenue: 1 });
    }
  }
  for (const w of batches) await store.commit(w);
  return { journeyId, versionIds: versions.map((v) => v.id), moments, start };
}

/** Random queries over a ledger: ranges on and off day boundaries, one version or all, `asOf` past and present. */
export function queriesFor(l: Ledger, seed: number, count: number): ResultQuery[] {
  const r = seeded(seed ^ 0x5bd1e995);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const time = () =>
    pick([
      pick(l.moments),
      l.start + Math.floor(r() * 40 * DAY),
      l.start - (l.start % DAY) + Math.floor(r() * 40) * DAY, // midnight
    ]);
  const out: ResultQuery[] = [{ journeyId: l.journeyId, asOf: l.start + 400 * DAY }];
  for (let i = 0; i < count; i++) {
    const asOf = pick([time(), time(), l.start + 400 * DAY, l.start - DAY]);
    const q: ResultQuery = { journeyId: l.journeyId, asOf };
    if (r() < 0.5) q.from = time();
    if (r() < 0.5) q.to = Math.max(q.from ?? -Infinity, time());
    if (r() < 0.4) q.versionId = pick(l.versionIds);
    out.push(q);
  }
  return out;
}

/** The counters' answers equal the entry-by-entry answers for every query (and every split's arm sums). */
export async function checkCounters(store: Store, l: Ledger, seed: number, count: number): Promise<number> {
  let nonEmpty = 0;
  for (const q of queriesFor(l, seed, count)) {
    const counted = await store.resultAggregates(q, "counters");
    const exact = await store.resultAggregates(q, "exact");
    expect(counted, JSON.stringify(q)).toEqual(exact);
    if (exact.byVersion.length > 0) nonEmpty++;
    for (const versionId of l.versionIds)
      for (const nodeId of ["s1", "h1"]) {
        const s = { journeyId: l.journeyId, versionId, nodeId, asOf: q.asOf };
        expect(await store.splitArmSums(s, "counters"), JSON.stringify(s)).toEqual(
          await store.splitArmSums(s, "exact"),
        );
      }
  }
  return nonEmpty;
}
