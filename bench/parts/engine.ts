// Engine steps/s beside the raw SQLite floor, alternating rounds so load from elsewhere hits both alike.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureEngine } from "../engine";
import { measureFloor } from "../floor";

const customers = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const floors: number[] = [];
const engines: Record<string, number>[] = [];
for (let i = 0; i < rounds; i++) {
  const dir = mkdtempSync(join(tmpdir(), "rekindle-bench-"));
  const engine = await measureEngine(join(dir, "engine.db"), customers);
  engines.push(engine);
  floors.push((await measureFloor(join(dir, "floor.db"), engine.steps!)).stepsPerSec);
  rmSync(dir, { recursive: true, force: true });
}
const pick = (k: string): number => median(engines.map((e) => e[k]!));
const steps = pick("stepsPerSec");
const floor = median(floors);
process.stdout.write(
  JSON.stringify({
    engine_customers: customers,
    engine_steps: engines[0]!.steps,
    engine_steps_per_sec: Math.round(steps),
    floor_steps_per_sec: Math.round(floor),
    engine_floor_ratio: Number((steps / floor).toFixed(3)),
    engine_ingest_events_per_sec: Math.round(pick("ingestEventsPerSec")),
    engine_dispatch_per_sec: Math.round(pick("dispatchPerSec")),
    engine_end_to_end_steps_per_sec: Math.round(pick("endToEndStepsPerSec")),
  }),
);
