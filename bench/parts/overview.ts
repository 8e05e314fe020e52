// The lifecycle overview on the demo: the demo's base (2,000 customers by default, as `rekindle start`
// loads it) replayed over 90 days, which stores a daily snapshot per virtual day; then `GET /api/overview`'s
// answer (engine/customer/overview/report.ts) over 30 and 90 days and one snapshot, timed in rounds (medians).
// The target: the overview page's data under 1.5 s on the demo.
import { builtinTemplates } from "../../cli/templates";
import { replayDemo } from "../../engine/customer/demo/replay";
import { lifecycleModel } from "../../engine/customer/engine-model";
import { overviewReport } from "../../engine/customer/overview/report";
import { takeSnapshot } from "../../engine/customer/overview/snapshot";
import { SqliteStore } from "../../engine/store/sqlite/store";
import { SEED_PLAYS } from "../../server/journey-library";

const CUSTOMERS = Number(process.env.BENCH_OVERVIEW_CUSTOMERS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const NOW = Date.parse("2026-06-01T08:30:00Z");
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const store = SqliteStore.open(":memory:");
const model = lifecycleModel();
let t = performance.now();
await replayDemo({
  store,
  model,
  templates: builtinTemplates(),
  journeys: SEED_PLAYS.map((p) => ({ id: p.id, doc: p.doc })),
  customers: CUSTOMERS,
  seed: "bench",
  now: NOW,
});
const replayMs = performance.now() - t;
const snapshotDays = new Set(
  (await store.listSnapshots({ from: 0, to: 1e6, dimensions: ["stage"] })).map((r) => r.day),
).size;

const ms30: number[] = [];
const ms90: number[] = [];
const snapMs: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  t = performance.now();
  await overviewReport(store, { now: NOW, days: 30, config: model.config });
  ms30.push(performance.now() - t);
  t = performance.now();
  await overviewReport(store, { now: NOW, days: 90, config: model.config });
  ms90.push(performance.now() - t);
  t = performance.now();
  await takeSnapshot(store, model, NOW, "Asia/Shanghai");
  snapMs.push(performance.now() - t);
}
await store.close();
process.stdout.write(
  JSON.stringify({
    overview_customers: CUSTOMERS,
    overview_snapshot_days: snapshotDays,
    overview_demo_replay_ms: Math.round(replayMs),
    overview_report_30d_ms: Math.round(median(ms30)),
    overview_report_90d_ms: Math.round(median(ms90)),
    overview_snapshot_ms: Math.round(median(snapMs)),
  }) + "\n",
);
