/**
 * The worker side of `simulateInWorker`: rebuilds what a simulation needs from plain data (templates,
 * action plug-ins, the customer model's fit), runs it within its budgets, and posts back the report or a
 * description of the error. Loaded through tsx by the boot script in `worker.ts`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { loadActionRegistry } from "../actions/load-plugins";
import { lifecycleModel } from "../customer/engine-model";
import { libraryRenderer } from "../templates/engine-renderer";
import { loadTemplateLibrary } from "../templates/load";
import { SimulationBudgetError } from "./budget";
import { simulate, SimulationInputError } from "./simulate";
import type { WorkerReply, WorkerSimulation } from "./worker";

function templates(spec: WorkerSimulation) {
  const lib = loadTemplateLibrary();
  for (const def of spec.templates) {
    try {
      lib.add(def);
    } catch {
      // The built-in library already has this name and version with other content: keep the caller's view
      // out of it rather than failing the whole simulation.
    }
  }
  return libraryRenderer(lib);
}

/** The live fit without the model's own emitted events: the stored ones are replayed instead. */
function silentModel(spec: WorkerSimulation) {
  if (!spec.model) return undefined;
  const m = lifecycleModel(spec.model.config, spec.model.snapshot);
  return {
    apply: (...a: Parameters<typeof m.apply>) => ({ state: m.apply(...a).state, emitted: [] }),
    fact: (...a: Parameters<typeof m.fact>) => m.fact(...a),
  };
}

export async function main(): Promise<void> {
  const spec = workerData as WorkerSimulation & { boot: unknown };
  const started = performance.now();
  let reply: WorkerReply;
  try {
    const model = silentModel(spec);
    const report = await simulate({
      journeys: spec.journeys,
      events: spec.events,
      ...(spec.until !== undefined ? { until: spec.until } : {}),
      templates: templates(spec),
      registry: await loadActionRegistry(),
      ...(model ? { model } : {}),
      limits: { budget: spec.budget, elapsedMs: () => performance.now() - started },
    });
    reply = { ok: report };
  } catch (e) {
    if (e instanceof SimulationBudgetError)
      reply = { budget: { kind: e.budget, limit: e.limit, simulatedTo: e.simulatedTo } };
    else if (e instanceof SimulationInputError) reply = { invalid: { journey: e.journey, issues: e.issues } };
    else reply = { error: (e as Error).message ?? String(e) };
  }
  parentPort!.postMessage(reply);
}
