import { iso } from "../runtime/clock";

/**
 * What one simulation may spend. A journey can loop through a short wait for as long as the simulated span
 * lasts (a 1-second wait over 30 days is 2.6 million wake-ups per customer), so every simulation — a dry
 * run on the server, `rekindle simulate` on the command line — runs within all three budgets.
 */
export interface SimulationBudget {
  /** Runs advanced plus deliveries recorded, in all. */
  maxSteps: number;
  /** Wall-clock milliseconds of simulating (not simulated time). */
  maxMs: number;
  /** Bytes of the report's run log, runs and deliveries as JSON. */
  maxOutputBytes: number;
}

/** A server dry run: small enough to answer a browser, generous for a few thousand customers. */
export const DRY_RUN_BUDGET: Readonly<SimulationBudget> = {
  maxSteps: 500_000,
  maxMs: 30_000,
  maxOutputBytes: 32 * 1024 * 1024,
};

/** `rekindle simulate`: the same kind of bound, looser, and each one settable by a flag. */
export const CLI_SIMULATE_BUDGET: Readonly<SimulationBudget> = {
  maxSteps: 5_000_000,
  maxMs: 10 * 60_000,
  maxOutputBytes: 512 * 1024 * 1024,
};

export type BudgetKind = "steps" | "time" | "output";

const WHAT: Record<BudgetKind, (limit: number) => string> = {
  steps: (n) => `its step budget (${n.toLocaleString("en")} runs advanced and deliveries)`,
  time: (n) => `its time budget (${n.toLocaleString("en")} ms)`,
  output: (n) => `its output budget (${n.toLocaleString("en")} bytes of report)`,
};

/** A simulation stopped because it spent one of its budgets; `simulatedTo` is how far virtual time got. */
export class SimulationBudgetError extends Error {
  readonly code = "simulation_budget";
  constructor(
    readonly budget: BudgetKind,
    readonly limit: number,
    readonly simulatedTo: string | null,
  ) {
    super(
      `the simulation stopped: it spent ${WHAT[budget](limit)}` +
        (simulatedTo ? ` having simulated up to ${simulatedTo}` : "") +
        "; simulate a shorter span or fewer customers, or look for a loop through a short wait",
    );
    this.name = "SimulationBudgetError";
  }
}

/** A simulation its caller gave up on (a client that went away). */
export class SimulationCancelledError extends Error {
  readonly code = "simulation_cancelled";
  constructor(reason = "the simulation was cancelled") {
    super(reason);
    this.name = "SimulationCancelledError";
  }
}

/**
 * Counts what a simulation spends and throws `SimulationBudgetError` at the first budget exceeded. Wall
 * time comes from the caller (`elapsedMs`), so the engine itself never reads a clock.
 */
export class BudgetMeter {
  private steps = 0;
  private bytes = 0;

  constructor(
    readonly budget: Readonly<SimulationBudget>,
    private readonly elapsedMs: () => number,
    private readonly virtualNow: () => number = () => NaN,
    private readonly signal?: AbortSignal,
  ) {}

  /** Adds simulation work (runs advanced, deliveries) and checks every budget. */
  spend(steps: number): void {
    this.steps += steps;
    if (this.steps > this.budget.maxSteps) this.fail("steps", this.budget.maxSteps);
    this.check();
  }

  /** Adds report bytes. */
  output(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.budget.maxOutputBytes) this.fail("output", this.budget.maxOutputBytes);
  }

  check(): void {
    if (this.signal?.aborted) throw new SimulationCancelledError();
    if (this.elapsedMs() > this.budget.maxMs) this.fail("time", this.budget.maxMs);
  }

  private fail(kind: BudgetKind, limit: number): never {
    const t = this.virtualNow();
    throw new SimulationBudgetError(kind, limit, Number.isFinite(t) ? iso(t) : null);
  }
}

/** Budgets given in part (flags, options) on top of a default, each a positive whole number. */
export function budgetFrom(
  base: Readonly<SimulationBudget>,
  given: Partial<SimulationBudget> = {},
): SimulationBudget {
  const out = { ...base };
  for (const key of ["maxSteps", "maxMs", "maxOutputBytes"] as const) {
    const v = given[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`${key} must be a positive whole number`);
    out[key] = v;
  }
  return out;
}
