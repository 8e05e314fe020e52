import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureHistory } from "../history";

// 10M steps is the figure; generating them takes minutes on a busy 2-core machine, so a quick
// run may ask for fewer (the figures say how many were stored).
const steps = Number(process.env.BENCH_HISTORY_STEPS ?? 10_000_000);
const customers = Number(process.env.BENCH_HISTORY_CUSTOMERS ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), "rekindle-bench-history-"));
try {
  const empty = await measureHistory(join(dir, "empty.db"), 0, customers);
  const full = await measureHistory(join(dir, "full.db"), steps, customers);
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  process.stdout.write(
    JSON.stringify({
      history_steps: steps,
      history_load_s: full.loadSeconds,
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
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
