import { describe, expect, it } from "vitest";
import { BENCH_CONDITION, benchConditions } from "./bench";
import { compileCondition } from "./compile";

describe("benchConditions (smoke: no timing assertions)", () => {
  it("measures every variant", async () => {
    const r = await benchConditions({ durationMs: 20 });
    expect(r.leaves).toBe(compileCondition(BENCH_CONDITION).leafCount);
    for (const v of [r.compiledTest, r.compiledEvaluate, r.jreFreshEngine, r.jreReusedEngine]) {
      expect(v).toBeGreaterThan(0);
    }
  });
});
