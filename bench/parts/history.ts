import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureHistory, type HistoryCosts } from "../history";

// 10M steps is the figure; generating them takes minutes on a busy 2-core machine, so a quick
// run may ask for fewer (the figures say how many were stored).
const steps = Number(process.env.BENCH_HISTORY_STEPS ?? 10_000_000);
const customers = Number(process.env.BENCH_HISTORY_CUSTOMERS ?? 10_000);
const rounds = Number(process.env.BENCH_HISTORY_ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), "rekindle-bench-history-"));
try {
  // Rounds alternate between the two databases, so load from elsewhere on the machine hits both alike;
  // each figure is the median of its rounds.
  const emptyRuns: HistoryCosts[] = [];
  const fullRuns: HistoryCosts[] = [];
  let loadSeconds = 0;
  for (let r = 0; r < rounds; r++) {
    emptyRuns.push(await measureHistory(join(dir, "empty.db"), 0, customers, r));
    const f = await measureHistory(join(dir, "full.db"), r === 0 ? steps : 0, customers, r);
    if (r === 0) loadSeconds = f.loadSeconds;
    fullRuns.push(f);
  }
  const median = (runs: HistoryCosts[]): HistoryCosts => {
    const m = (k: keyof HistoryCosts) => runs.map((x) => x[k]).sort((a, b) => a - b)[runs.length >> 1]!;
    return {
      idleTickUs: m("idleTickUs"),
      idleClaimUs: m("idleClaimUs"),
      ingestEventsPerSec: m("ingestEventsPerSec"),
      stepsPerSec: m("stepsPerSec"),
      loadSeconds,
    };
  };
  const empty = median(emptyRuns);
  const full = median(fullRuns);
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  process.stdout.write(
    JSON.stringify({
      history_steps: steps,
      history_rounds: rounds,
      history_load_s: loadSeconds,
      history_empty_idle_tick_us: empty.idleTickUs,
      history_full_idle_tick_us: full.idleTickUs,
      history_empty_idle_claim_us: empty.idleClaimUs,
      history_full_idle_claim_us: full.idleClaimUs,
      history_empty_ingest_events_per_s: empty.ingestEventsPerSec,
      history_full_ingest_events_per_s: full.ingestEventsPerSec,
      history_empty_steps_per_s: empty.stepsPerSec,
      history_full_steps_per_s: full.stepsPerSec,
      history_ingest_full_vs_empty: ratio(full.ingestEventsPerSec, empty.ingestEventsPerSec),
      history_steps_full_vs_empty: ratio(full.stepsPerSec, empty.stepsPerSec),
      history_idle_claim_full_vs_empty: ratio(full.idleClaimUs, empty.idleClaimUs),
      history_idle_tick_full_vs_empty: ratio(full.idleTickUs, empty.idleTickUs),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
