import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceFiles, withoutComments } from "../support/source-files";

// One driver moves an engine through time (engine/runtime/driver.ts): the scheduler, simulation, the demo
// replay and the benchmarks all go through it, so no product or benchmark code calls `engine.tick` or
// `engine.dispatch` itself. (The crash tests' workers do, one call at a time, to die between them.)
const ROOT = join(import.meta.dirname, "..", "..");
const SCANNED = ["engine", "server", "cli", "bench", "examples"];
const ALLOWED = new Set(["engine/runtime/driver.ts", "engine/runtime/engine.ts"]);
const CALL = /\.(tick|dispatch)\(/;

describe("one driver", () => {
  it("finds a tick loop in a sample, and none outside the driver", () => {
    expect(CALL.test("while ((await engine.tick(1000)) > 0);")).toBe(true);
    expect(CALL.test("await driver.advanceDue();")).toBe(false);
    const offenders: string[] = [];
    for (const top of SCANNED) {
      for (const file of sourceFiles(join(ROOT, top))) {
        const rel = relative(ROOT, file);
        if (/\.test\.tsx?$/.test(rel) || ALLOWED.has(rel)) continue;
        if (CALL.test(withoutComments(readFileSync(file, "utf8")))) offenders.push(rel);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("sends never sleep: a retry is an outbox row due later, not a timer inside the channel or action", () => {
    const SLEEP = /setTimeout|setInterval|timers\/promises|\bsleep\(/;
    expect(SLEEP.test("await clock.sleep(wait, signal);")).toBe(true);
    const offenders: string[] = [];
    for (const top of ["engine/channels", "engine/actions"]) {
      for (const file of sourceFiles(join(ROOT, top))) {
        const rel = relative(ROOT, file);
        if (/\.test\.tsx?$/.test(rel)) continue;
        if (SLEEP.test(withoutComments(readFileSync(file, "utf8")))) offenders.push(rel);
      }
    }
    expect(offenders).toEqual([]);
  });
});
