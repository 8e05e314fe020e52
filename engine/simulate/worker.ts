import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { BaseSnapshot } from "../customer/engine-model";
import type { CustomerConfig } from "../customer/config";
import type { InputEvent } from "../schema/events";
import type { ValidationIssue } from "../schema/issues";
import type { TemplateDefinition } from "../templates/types";
import {
  SimulationBudgetError,
  SimulationCancelledError,
  type BudgetKind,
  type SimulationBudget,
} from "./budget";
import type { SimulationReport } from "./report";
import { SimulationInputError } from "./simulate";

/** A simulation as plain data, so it can cross to a worker thread. */
export interface WorkerSimulation {
  journeys: { source: string; doc: unknown }[];
  events: readonly InputEvent[];
  until?: number;
  budget: SimulationBudget;
  /** Templates beyond the built-in library (every version the caller's library holds). */
  templates: TemplateDefinition[];
  /** The lifecycle model's configuration and fit; its own emitted events are dropped (stored ones replay). */
  model?: { config: CustomerConfig; snapshot: BaseSnapshot };
}

export type WorkerReply =
  | { ok: SimulationReport }
  | { budget: { kind: BudgetKind; limit: number; simulatedTo: string | null } }
  | { invalid: { journey: string; issues: ValidationIssue[] } }
  | { error: string };

const require = createRequire(import.meta.url);
/** Heap of one simulation's worker: a runaway one fails alone instead of taking the server's memory. */
const WORKER_HEAP_MB = 512;
/** Past its time budget a worker has this long to stop by itself before it is terminated. */
const GRACE_MS = 5_000;

/**
 * Runs a simulation in its own worker thread, so a long one never blocks the caller's event loop. It
 * stops at the first budget spent (`SimulationBudgetError`), and `signal` (a client that went away)
 * terminates it at once (`SimulationCancelledError`).
 */
export function simulateInWorker(
  spec: WorkerSimulation,
  options: { signal?: AbortSignal } = {},
): Promise<SimulationReport> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new SimulationCancelledError());
    const worker = new Worker(new URL("./worker-boot.mjs", import.meta.url), {
      workerData: { ...spec, boot: { entry: pathToFileURL(require.resolve("./worker-entry.ts")).href } },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(backstop);
      options.signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = (): void => finish(() => reject(new SimulationCancelledError()));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const backstop = setTimeout(
      () => finish(() => reject(new SimulationBudgetError("time", spec.budget.maxMs, null))),
      spec.budget.maxMs + GRACE_MS,
    );
    worker.on("message", (reply: WorkerReply) =>
      finish(() => {
        if ("ok" in reply) resolve(reply.ok);
        else if ("budget" in reply)
          reject(new SimulationBudgetError(reply.budget.kind, reply.budget.limit, reply.budget.simulatedTo));
        else if ("invalid" in reply)
          reject(new SimulationInputError(reply.invalid.journey, reply.invalid.issues));
        else reject(new Error(`the simulation failed: ${reply.error}`));
      }),
    );
    worker.on("error", (e) => finish(() => reject(new Error(`the simulation failed: ${e.message}`))));
    worker.on("exit", (code) =>
      finish(() =>
        reject(new Error(`the simulation's worker stopped (exit code ${code}) without an answer`)),
      ),
    );
  });
}
