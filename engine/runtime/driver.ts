import type { ManualClock } from "./clock";
import type { Engine } from "./engine";

export interface DriverOptions {
  /** Runs advanced per transaction. */
  batchSize?: number;
  /** Deliveries per dispatch and sends at once, when the driver also delivers the outbox (virtual time). */
  dispatchLimit?: number;
  dispatchConcurrency?: number;
  /** Called with the work each drain round did (a simulation's step budget), before the next round. */
  onWork?: (steps: number) => void | Promise<void>;
}

/**
 * The one loop that moves an engine through time by its due rows: runs (waits, retries, deferrals) and timer
 * slots (recurring work). The live `Scheduler` sleeps on the real clock between `nextDue` times and calls
 * `tickOnce` and `fireTimers`; simulation, the demo replay and tests call `runUntil` with a manual clock,
 * which jumps from one due time to the next and drains each instant, outbox included; benchmarks time
 * `advanceDue` and `deliverDue` apart. No other code loops over `tick` or `dispatch` (the crash tests' workers
 * call them one by one, to die between them).
 */
export class Driver {
  readonly batchSize: number;
  private readonly dispatchLimit: number;
  private readonly dispatchConcurrency: number;
  private readonly onWork: DriverOptions["onWork"];

  constructor(
    readonly engine: Engine,
    opts: DriverOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 1000;
    this.dispatchLimit = opts.dispatchLimit ?? 1000;
    this.dispatchConcurrency = opts.dispatchConcurrency ?? 64;
    this.onWork = opts.onWork;
  }

  /** Advances one batch of due runs; returns how many. */
  tickOnce(): Promise<number> {
    return this.engine.tick(this.batchSize);
  }

  /**
   * Advances due runs at the current instant until none is left, delivering nothing (benchmarks time the
   * journey steps and the outbox apart); returns how many runs advanced.
   */
  async advanceDue(): Promise<number> {
    let n = 0;
    for (let d = await this.engine.tick(this.batchSize); d > 0; d = await this.engine.tick(this.batchSize))
      n += d;
    return n;
  }

  /** Delivers the due outbox rows until none is left, `dispatchConcurrency` at a time; returns how many. */
  async deliverDue(): Promise<number> {
    let n = 0;
    const send = (): Promise<number> => this.engine.dispatch(this.dispatchLimit, this.dispatchConcurrency);
    for (let d = await send(); d > 0; d = await send()) n += d;
    return n;
  }

  /** Fires the timer slots due now: awaited in order, or left running beside the loop (`detached`). */
  fireTimers(detached = false): Promise<number> {
    return this.engine.timers.fireDue({ detached });
  }

  /** The next instant a run or a timer slot is due, or null. */
  async nextDue(): Promise<number | null> {
    const [run, slot] = await Promise.all([this.engine.nextDueAt(), this.engine.timers.nextAt()]);
    if (run === null) return slot;
    return slot === null ? run : Math.min(run, slot);
  }

  /** Ticks and delivers at the current instant until nothing is left to do. */
  async drain(): Promise<void> {
    for (;;) {
      const advanced = await this.engine.tick(this.batchSize);
      const dispatched = await this.engine.dispatch(this.dispatchLimit, this.dispatchConcurrency);
      await this.onWork?.(advanced + dispatched);
      if (advanced === 0 && dispatched === 0) return;
    }
  }

  /**
   * Virtual time: everything due up to and including `until`, in time order. At each due instant the clock
   * is set there, runs are drained, then the timer slots due fire (waits first, then schedules at the same
   * instant), then what they started is drained. The clock is left at the last due instant (not `until`).
   */
  async runUntil(clock: ManualClock, until: number, beforeEach?: () => void): Promise<void> {
    for (;;) {
      const next = await this.nextDue();
      if (next === null || next > until) return;
      beforeEach?.();
      if (next > clock.now()) clock.set(next);
      await this.drain();
      await this.fireTimers();
      await this.drain();
    }
  }
}
