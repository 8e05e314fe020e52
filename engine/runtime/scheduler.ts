import { Dispatcher } from "./dispatcher";
import type { DispatcherOptions } from "./dispatcher";
import { Driver } from "./driver";
import type { Engine } from "./engine";

export interface SchedulerOptions {
  batchSize?: number;
  /** The longest the loop sleeps without looking at the store (it also wakes when earlier work is written). */
  maxSleepMs?: number;
  onError?: (err: unknown) => void;
  /** The outbox's own loop, which this one starts and stops but never waits on. */
  dispatcher?: DispatcherOptions;
}

/**
 * The one loop that owns time in a live engine: the `Driver` on the real clock. It sleeps until the next due
 * run or timer slot (capped), drains due runs in batches while batches come back full, fires due timer slots
 * (audience triggers, the nightly recompute, housekeeping) beside itself, and wakes early when an earlier due
 * time is written. Waits are rows, never timers: a 72-hour wait is a due time in the store, not a setTimeout.
 * The outbox has its own loop, the Dispatcher.
 */
export class Scheduler {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private sleepingUntil = Infinity;
  private readonly unsubscribe: () => void;
  private readonly driver: Driver;
  private readonly maxSleepMs: number;
  private readonly onError: (err: unknown) => void;
  readonly dispatcher: Dispatcher;

  constructor(
    private readonly engine: Engine,
    opts: SchedulerOptions = {},
  ) {
    this.driver = new Driver(engine, { batchSize: opts.batchSize ?? 500 });
    this.maxSleepMs = opts.maxSleepMs ?? 1000;
    this.onError = opts.onError ?? (() => undefined);
    this.dispatcher = new Dispatcher(engine, { onError: this.onError, ...opts.dispatcher });
    this.unsubscribe = engine.onDue((at) => {
      if (at < this.sleepingUntil) this.wake?.();
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.dispatcher.start();
    this.loop = this.run();
  }

  /** Stops after the batch in hand is committed, and waits for timer slots in progress. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.engine.timers.settle();
    await this.dispatcher.stop();
    this.unsubscribe();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const advanced = await this.driver.tickOnce();
        if (advanced === this.driver.batchSize) continue;
        // Recurring work can take minutes (a recompute over the base): it runs beside this loop.
        await this.driver.fireTimers(true);
        const next = await this.driver.nextDue();
        const now = this.engine.clock.now();
        const sleep = next === null ? this.maxSleepMs : Math.max(0, Math.min(this.maxSleepMs, next - now));
        if (sleep > 0) await this.sleep(sleep, now + sleep);
      } catch (err) {
        this.onError(err);
        await this.sleep(this.maxSleepMs, Infinity);
      }
    }
  }

  private sleep(ms: number, until: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepingUntil = until;
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        this.sleepingUntil = Infinity;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
