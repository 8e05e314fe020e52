import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureLateness } from "../scheduler";

const dir = mkdtempSync(join(tmpdir(), "rekindle-bench-"));
const r = await measureLateness(join(dir, "late.db"), Number(process.env.BENCH_WAITS ?? 10_000));
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({
    lateness_waits: r.released,
    lateness_p50_ms: r.p50,
    lateness_p99_ms: r.p99,
    lateness_max_ms: r.max,
  }),
);
