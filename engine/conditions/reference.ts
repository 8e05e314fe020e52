import { Engine } from "json-rules-engine";
import type { EventCountParams, FactName, Operator, TopLevelCondition } from "../schema/conditions";
import type { ConditionEvaluation, ExplainLeaf } from "./compile";
import type { FactContext } from "./facts";
import { ownProperty, resolvePath } from "./facts";

/**
 * The reference: the same condition run through real json-rules-engine 7.3.1, with a fresh Engine per
 * evaluation (its run status lives on the Engine, so a shared one is unsafe under concurrency),
 * `allowUndefinedFacts: true` and the `$.a.b` path resolver of facts.ts. Slow (~tens of k/s); for tests,
 * benchmarks and checking the compiled evaluator. Rejects where json-rules-engine rejects (a throwing
 * operator), where the compiled evaluator gives `false` for that leaf instead.
 *
 * The explanation is read back from the rule result json-rules-engine annotates (`factResult`,
 * `valueResult`, `result` per leaf), in document order; a leaf it did not evaluate has `result: false`
 * and `value: undefined`.
 */
export async function evaluateReference(
  cond: TopLevelCondition,
  ctx: FactContext,
): Promise<ConditionEvaluation> {
  const engine = new Engine([], {
    allowUndefinedFacts: true,
    pathResolver: (value: object, path: string): unknown => resolvePath(value, path),
  });
  engine.addRule({ conditions: cond, event: { type: "match" } });
  engine.addFact("eventCount", (params: Record<string, unknown>) =>
    ctx.eventCount(params as unknown as EventCountParams),
  );
  const { results, failureResults } = await engine.run({
    customer: ctx.customer,
    traits: ownProperty(ctx.customer, "traits"),
    event: ctx.event,
    journey: ctx.journey,
  });
  const ruleResult = results[0] ?? failureResults[0];
  const explain: ExplainLeaf[] = [];
  if (ruleResult) collectLeaves(ruleResult.conditions, explain);
  return { result: results.length === 1, explain };
}

function collectLeaves(node: unknown, out: ExplainLeaf[]): void {
  if (node === null || typeof node !== "object") return;
  const c = node as Record<string, unknown>;
  const own = (k: string): boolean => Object.prototype.hasOwnProperty.call(c, k);
  if (own("any") || own("all")) {
    const list = (own("any") ? c.any : c.all) as unknown[];
    for (const child of list) collectLeaves(child, out);
    return;
  }
  if (own("not")) {
    collectLeaves(c.not, out);
    return;
  }
  out.push({
    fact: c.fact as FactName,
    path: typeof c.path === "string" && c.path !== "" ? c.path : undefined,
    params: (c.params ?? undefined) as Record<string, unknown> | undefined,
    value: c.factResult,
    operator: c.operator as Operator,
    expected: own("valueResult") ? c.valueResult : c.value,
    result: c.result === true,
  });
}
