import { Engine } from "json-rules-engine";
import type { EventCountParams, TopLevelCondition } from "../schema/conditions";
import { compileCondition } from "./compile";
import type { FactContext } from "./facts";
import { ownProperty, resolvePath } from "./facts";
import { evaluateReference } from "./reference";

/** A typical win-back condition: counts, computed state, traits, a nested any/not. 6 leaves. */
export const BENCH_CONDITION: TopLevelCondition = {
  all: [
    { fact: "eventCount", params: { event: "order_completed", since: "entry" }, operator: "equal", value: 0 },
    { fact: "customer", path: "$.daysSinceLastOrder", operator: "greaterThanInclusive", value: 30 },
    {
      fact: "traits",
      path: "$.city",
      operator: "in",
      value: ["Shanghai", "Beijing", "Shenzhen", "Hangzhou"],
    },
    {
      any: [
        { fact: "customer", path: "$.rfm.m", operator: "greaterThan", value: 3 },
        { fact: "traits", path: "$.tags", operator: "contains", value: "vip" },
      ],
    },
    { not: { fact: "journey", path: "$.branch", operator: "equal", value: "holdout" } },
  ],
};

function benchContexts(n: number): FactContext[] {
  const cities = ["Shanghai", "Beijing", "Chengdu", "Hangzhou", "Wuhan"];
  return Array.from({ length: n }, (_, i) => ({
    customer: {
      id: `c-${i}`,
      traits: {
        city: cities[i % cities.length],
        tags: i % 3 === 0 ? ["vip"] : ["beta"],
        email: `c${i}@example.com`,
      },
      daysSinceLastOrder: (i * 7) % 90,
      ordersCount: i % 5,
      rfm: { r: i % 5, f: (i >> 1) % 5, m: (i >> 2) % 5 },
    },
    event: { name: "churn_signal", properties: {}, timestamp: "2026-03-02T10:30:00Z" },
    journey: {
      enteredAt: "2026-03-01T08:00:00Z",
      hoursInJourney: 72,
      branch: i % 10 === 0 ? "holdout" : "a",
    },
    eventCount: (p: EventCountParams) => (p.event === "order_completed" ? i % 2 : 0),
  }));
}

function rate(iterations: number, startNs: bigint): number {
  const seconds = Number(process.hrtime.bigint() - startNs) / 1e9;
  return Math.round(iterations / seconds);
}

function measureSync(durationMs: number, batch: number, body: (i: number) => number): number {
  let sink = 0;
  // warm up (lets V8 optimise the closures)
  for (let i = 0; i < batch; i++) sink += body(i);
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  let n = 0;
  do {
    for (let i = 0; i < batch; i++) sink += body(n + i);
    n += batch;
  } while (process.hrtime.bigint() < deadline);
  const r = rate(n, start);
  if (sink === -1) console.log(sink); // keep `sink` alive
  return r;
}

async function measureAsync(durationMs: number, body: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await body(i);
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  let n = 0;
  do {
    for (let i = 0; i < 20; i++) await body(n + i);
    n += 20;
  } while (process.hrtime.bigint() < deadline);
  return rate(n, start);
}

export interface ConditionBenchResult {
  /** Leaves in the benchmarked condition. */
  leaves: number;
  /** `compiled.test(ctx)` (short-circuits, no allocation), evaluations/s. */
  compiledTest: number;
  /** `compiled.evaluate(ctx)` (every leaf, with the explanation), evaluations/s. */
  compiledEvaluate: number;
  /** `evaluateReference` (a fresh json-rules-engine Engine per evaluation, as the reference runs), evaluations/s. */
  jreFreshEngine: number;
  /** json-rules-engine with one Engine reused sequentially and the dot-path resolver (its best case), evaluations/s. */
  jreReusedEngine: number;
  /** compiledEvaluate / jreReusedEngine. */
  speedup: number;
}

/**
 * Evaluations per second of the compiled evaluator vs json-rules-engine on `condition` (default
 * `BENCH_CONDITION`), each measured for about `durationMs`. Compare ratios from one run, not absolute numbers.
 */
export async function benchConditions(
  options: { durationMs?: number; condition?: TopLevelCondition } = {},
): Promise<ConditionBenchResult> {
  const durationMs = options.durationMs ?? 1000;
  const condition = options.condition ?? BENCH_CONDITION;
  const contexts = benchContexts(64);
  const ctxAt = (i: number): FactContext => contexts[i & 63] as FactContext;
  const compiled = compileCondition(condition);

  const compiledTest = measureSync(durationMs, 10_000, (i) => (compiled.test(ctxAt(i)) ? 1 : 0));
  const compiledEvaluate = measureSync(durationMs, 10_000, (i) => compiled.evaluate(ctxAt(i)).explain.length);
  const jreFreshEngine = await measureAsync(durationMs, (i) => evaluateReference(condition, ctxAt(i)));

  const engine = new Engine([], {
    allowUndefinedFacts: true,
    pathResolver: (value: object, path: string): unknown => resolvePath(value, path),
  });
  engine.addRule({ conditions: condition, event: { type: "match" } });
  const jreReusedEngine = await measureAsync(durationMs, (i) => {
    const ctx = ctxAt(i);
    return engine.run({
      customer: ctx.customer,
      traits: ownProperty(ctx.customer, "traits"),
      event: ctx.event,
      journey: ctx.journey,
      eventCount: (params: EventCountParams) => ctx.eventCount(params),
    });
  });

  return {
    leaves: compiled.leafCount,
    compiledTest,
    compiledEvaluate,
    jreFreshEngine,
    jreReusedEngine,
    speedup: Math.round((compiledEvaluate / jreReusedEngine) * 10) / 10,
  };
}
