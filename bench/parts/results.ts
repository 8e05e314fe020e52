// The results report (spec §4) of a journey with 1M entries and 10M stored events, beside its floor: a bare
// indexed GROUP BY over the same split rows, in the same process and database. Rounds alternate so load from
// elsewhere hits both alike; the figures are medians. The report reads whole days from the daily counters and
// only the days whose goal windows are still open entry by entry (engine/store/results-days.ts), so it is
// expected well under the floor; a report over one version and a 30-day entry range is timed beside it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultRegistry } from "../../engine/actions/builtins";
import { lifecycleModel } from "../../engine/customer/engine-model";
import { computeResults } from "../../engine/results";
import { ManualClock } from "../../engine/runtime/clock";
import { Engine } from "../../engine/runtime/engine";
import type { Journey } from "../../engine/schema/journey";
import { loadResultsBench, resultsFloor } from "../../engine/store/sqlite/bench-load";
import { SqliteStore } from "../../engine/store/sqlite/store";

const ENTRIES = Number(process.env.BENCH_RESULTS_ENTRIES ?? 1_000_000);
const EVENTS_PER_ENTRY = Number(process.env.BENCH_RESULTS_EVENTS_PER_ENTRY ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DAY = 86_400_000;
const T0 = Date.parse("2026-01-01T00:00:00Z");

const at = { x: 0, y: 0 };
const DOC: Journey = {
  schemaVersion: 1,
  name: "Bench: dormant wake-up",
  settings: { goal: { event: "order_completed", within: "14d" }, reentry: { mode: "once" } },
  nodes: [
    { id: "t1", type: "trigger", position: at, data: { kind: "event", event: "churn_signal" } },
    { id: "h1", type: "split", position: at, data: { kind: "holdout", percent: 50 } },
    {
      id: "s1",
      type: "split",
      position: at,
      data: {
        kind: "random",
        branches: [
          { id: "email", weight: 1 },
          { id: "sms", weight: 1 },
        ],
      },
    },
    { id: "a1", type: "action", position: at, data: { action: "add_tag", params: { tag: "x" } } },
  ],
  edges: [
    { id: "e1", source: "t1", target: "h1" },
    { id: "e2", source: "h1", sourceHandle: "continue", target: "s1" },
    { id: "e3", source: "s1", sourceHandle: "email", target: "a1" },
  ],
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const v = f();
  return [v, performance.now() - t];
};

const dir = mkdtempSync(join(tmpdir(), "rekindle-bench-results-"));
try {
  const store = SqliteStore.open(join(dir, "results.db"), { checkpoint: "inline" });
  const engine = await Engine.open({
    model: lifecycleModel(),
    store,
    clock: new ManualClock(T0),
    registry: defaultRegistry(),
  });
  await engine.createJourney(DOC, "bench");
  await engine.publish("bench");
  const versionId = (await store.listVersions("bench"))[0]!.id;

  const [counts, loadMs] = time(() =>
    loadResultsBench(store, {
      journeyId: "bench",
      versionId,
      entries: ENTRIES,
      eventsPerEntry: EVENTS_PER_ENTRY,
      start: T0,
      spanMs: 90 * DAY,
      windowMs: 14 * DAY,
      goalEvent: "order_completed",
      splits: [
        { nodeId: "h1", arms: ["holdout", "continue"] },
        { nodeId: "s1", arms: ["email", "sms"] },
      ],
    }),
  );
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  store.db.exec("ANALYZE");

  const asOf = T0 + 100 * DAY;
  const report = await computeResults(store, "bench", { asOf }); // warm the page cache for both
  resultsFloor(store, "bench");
  if (report.totals.entered !== ENTRIES) throw new Error(`report saw ${report.totals.entered} entries`);

  const ranged = { asOf, version: 1, from: T0 + 30 * DAY + 3_600_000, to: T0 + 60 * DAY + 3_600_000 };
  const exact = await store.resultAggregates({ journeyId: "bench", asOf }, "exact");
  const counted = await store.resultAggregates({ journeyId: "bench", asOf });
  if (JSON.stringify(exact) !== JSON.stringify(counted))
    throw new Error("the counters disagree with the ledger");

  const reportMs: number[] = [];
  const rangedMs: number[] = [];
  const floorMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    await computeResults(store, "bench", { asOf });
    reportMs.push(performance.now() - t);
    t = performance.now();
    await computeResults(store, "bench", ranged);
    rangedMs.push(performance.now() - t);
    floorMs.push(time(() => resultsFloor(store, "bench"))[1]);
  }
  await engine.close();
  const r = median(reportMs);
  const f = median(floorMs);
  process.stdout.write(
    JSON.stringify({
      results_entries: counts.resultEntries,
      results_stored_events: counts.events,
      results_assignment_rows: counts.resultAssignments,
      results_load_ms: Math.round(loadMs),
      results_report_ms: Math.round(r),
      results_floor_group_by_ms: Math.round(f),
      results_report_over_floor: Math.round((r / f) * 100) / 100,
      results_report_range_version_ms: Math.round(median(rangedMs)),
      results_report_ms_rounds: reportMs.map(Math.round),
    }) + "\n",
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
