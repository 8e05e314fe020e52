import { Dispatcher } from "./dispatcher";
import type { DispatcherOptions } from "./dispatcher";
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
 * The one loop that owns time in a live engine: sleeps until the next due run (capped), drains due runs in
 * batches while batches come back full (the outbox has its own loop, the Dispatcher), and wakes early when an earlier due time is
 * written. Waits are rows, never timers: a 72-hour wait is a due time in the store, not a setTimeout.
 */
export class Scheduler {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private sleepingUntil = Infinity;
  private readonly unsubscribe: () => void;
  private readonly batchSize: number;
  private readonly maxSleepMs: number;
  private readonly onError: (err: unknown) => void;
  readonly dispatcher: Dispatcher;

  constructor(
    private readonly engine: Engine,
    opts: SchedulerOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 500;
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

  /** Stops after the batch in hand is committed. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.dispatcher.stop();
    this.unsubscribe();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const advanced = await this.engine.tick(this.batchSize);
        if (advanced === this.batchSize) continue;
        const next = await this.engine.nextDueAt();
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
