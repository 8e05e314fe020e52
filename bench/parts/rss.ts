import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measureWaitingRss } from "../scheduler";

const dir = mkdtempSync(join(tmpdir(), "rekindle-bench-"));
const r = await measureWaitingRss(join(dir, "rss.db"), Number(process.env.BENCH_WAITING ?? 1_000_000));
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ waiting_runs: r.runs, waiting_peak_rss_mb: Math.round(r.peakRssMb) }));
