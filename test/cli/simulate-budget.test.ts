import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const LOOP = join(root, "test/fixtures/loop-1s.json");
const dir = mkdtempSync(join(tmpdir(), "rk-sim-budget-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const events = join(dir, "ping.ndjson");
writeFileSync(events, '{"type":"track","userId":"u1","event":"ping","timestamp":"2026-01-01T00:00:00Z"}\n');

function rekindle(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The guard only keeps a regression from hanging the suite: a simulation without budgets never ends.
    execFile(
      process.execPath,
      [join(root, "bin/rekindle.js"), ...args],
      { cwd: root, timeout: 90_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

// A journey looping through a 1-second wait, simulated over 30 days: 2.6 million wake-ups.
describe.concurrent("rekindle simulate of a 1-second loop over 30 days", () => {
  it("ends at its step budget with a message naming it, exit 1, no report", async ({ expect }) => {
    const r = await rekindle(
      "simulate",
      "--journey",
      LOOP,
      "--events",
      events,
      "--until",
      "2026-01-31T00:00:00Z",
      "--max-steps",
      "1000",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /stopped: it spent its step budget \(1,000 runs advanced and deliveries\) having simulated up to 2026-01-01T/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  }, 120_000);

  it("ends at its time budget", async ({ expect }) => {
    const r = await rekindle(
      "simulate",
      "--journey",
      LOOP,
      "--events",
      events,
      "--until",
      "2026-01-31T00:00:00Z",
      "--max-seconds",
      "2",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stopped: it spent its time budget \(2,000 ms\)/);
  }, 120_000);
});
