import type { OutboxRow } from "../store/types";
import type { Engine } from "./engine";
import { laneOf } from "./receiver";

export { receiverOf } from "./receiver";

/** Bounds of the pause before claiming new rows while every due row seemed a full lane's (see rowsArrived). */
const MIN_BLOCKED_PAUSE_MS = 5;
const MAX_BLOCKED_PAUSE_MS = 200;
/** The least time between two claims while sends are in flight (see run). */
const CLAIM_GAP_MS = 5;

export interface DispatcherOptions {
  /** Sends in flight at once, over all receivers: the most a crash can repeat. */
  concurrency?: number;
  /** Sends in flight at once to one receiver (a webhook host, a channel's provider). */
  perReceiver?: number;
  /** The longest one send may take before it is abandoned and retried later with the same key. */
  timeoutMs?: number;
  /** Per-receiver timeouts, by receiver key (`host:example.com`, `channel:email`, `action:acme/points`). */
  receiverTimeoutMs?: Record<string, number>;
  /**
   * The claim skips receivers at their limit, so this is rare: a row queued before the outbox stored its
   * receiver, whose lane turns out full, goes back to the outbox due again this much later.
   */
  busyDeferMs?: number;
  /** The longest the loop sleeps without looking at the outbox. */
  maxSleepMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * The outbox's own loop, beside the scheduler: the scheduler wakes it but never waits on it. Each claimed
 * delivery is sent in its receiver's lane (bounded concurrency and timeout) and its result committed as soon
 * as it returns, so one endpoint that never answers slows only its own deliveries, and a crash repeats at
 * most the `concurrency` sends in flight. The claim is told the lanes in use and takes only rows with a free
 * slot, so a busy receiver's deliveries are never claimed just to be handed back with a delay (which made
 * them wait whole seconds under load). Retries are outbox rows with a due time, never sleeps.
 */
export class Dispatcher {
  readonly concurrency: number;
  private readonly perReceiver: number;
  private readonly timeoutMs: number;
  private readonly receiverTimeoutMs: Record<string, number>;
  private readonly busyDeferMs: number;
  private readonly maxSleepMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly lanes = new Map<string, number>();
  private readonly sends = new Set<Promise<void>>();
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  /** The last claim left due rows behind full lanes: new rows alone then wake the loop only after a pause. */
  private blocked = false;
  private rowsTimer: NodeJS.Timeout | null = null;
  private blockedPauseMs = MIN_BLOCKED_PAUSE_MS;
  private lastClaimAt = -Infinity;
  private lag = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly engine: Engine,
    opts: DispatcherOptions = {},
  ) {
    // Measured in bench/flow.ts: at 16 and 8 one busy receiver's deliveries fell behind a saturating load
    // (a 10 s wait released 4.5-10.5 s late); at 64 and 32 they kept up (p99 0.27-0.51 s).
    this.concurrency = opts.concurrency ?? 64;
    this.perReceiver = Math.min(opts.perReceiver ?? 32, this.concurrency);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.receiverTimeoutMs = opts.receiverTimeoutMs ?? {};
    this.busyDeferMs = opts.busyDeferMs ?? 1000;
    this.maxSleepMs = opts.maxSleepMs ?? 1000;
    this.onError = opts.onError ?? (() => undefined);
    // New outbox rows are committed with a due time of now: any commit that schedules work may bring some.
    this.unsubscribe = engine.onDue(() => this.rowsArrived());
  }

  /** How late (ms past due) the oldest row of the last claim was: 0 once a claim finds nothing due. */
  get lagMs(): number {
    return this.lag;
  }

  /** Sends in flight right now. */
  get inFlight(): number {
    return this.sends.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * New rows were committed. While the last claim found only full lanes' rows due, the claim that looks for
   * the new ones waits a pause of at least five times that claim's cost, so a backlog behind one busy
   * receiver costs at most a fifth of the loop's time however fast rows arrive; other receivers' new rows
   * wait that pause (a few ms, at most MAX_BLOCKED_PAUSE_MS) at worst.
   */
  private rowsArrived(): void {
    if (!this.blocked) return this.wake();
    if (this.rowsTimer) return;
    this.rowsTimer = setTimeout(() => {
      this.rowsTimer = null;
      this.wake();
    }, this.blockedPauseMs);
    this.rowsTimer.unref();
  }

  /** Looks at the outbox now instead of at the end of the current sleep. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops claiming, and waits for the sends in flight to finish and be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.rowsTimer) clearTimeout(this.rowsTimer);
    this.wake();
    await this.loop;
    this.unsubscribe();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        // Under load every finished send and every ingested batch wakes the loop: claims at most every
        // CLAIM_GAP_MS while sends are in flight take several rows each instead of one (a claim costs about
        // as much for one row as for thirty); an idle outbox still claims at once.
        const gap = this.lastClaimAt + CLAIM_GAP_MS - performance.now();
        if (this.sends.size > 0 && gap > 0) await new Promise((r) => setTimeout(r, gap));
        this.woken = false;
        const free = this.concurrency - this.sends.size;
        const lanes = { perReceiver: this.perReceiver, busy: Object.fromEntries(this.lanes) };
        const started = (this.lastClaimAt = performance.now());
        const rows = await this.engine.claimDeliveries(free, this.longestTimeout(), lanes);
        const took = performance.now() - started;
        const now = this.engine.clock.now();
        if (rows.length > 0)
          this.lag = Math.max(0, now - Math.min(...rows.map((r) => r.nextAttemptAt ?? now)));
        else if (!this.blocked) this.lag = 0;
        const busy: OutboxRow[] = [];
        for (const row of rows) {
          const lane = laneOf(row);
          if ((this.lanes.get(lane) ?? 0) >= this.perReceiver) busy.push(row);
          else this.send(row, lane);
        }
        await this.engine.deferDeliveries(busy, this.engine.clock.now() + this.busyDeferMs);
        // Fewer rows than slots while a lane is full: what is left due may all be that lane's, and a claim
        // then walks its whole backlog to find nothing. Only a freed slot wakes the loop at once after that.
        this.blocked = rows.length < free && [...this.lanes.values()].some((n) => n >= this.perReceiver);
        this.blockedPauseMs = Math.min(MAX_BLOCKED_PAUSE_MS, Math.max(MIN_BLOCKED_PAUSE_MS, took * 5));
        if (rows.length > 0 && rows.length === free && busy.length < rows.length) continue;
        await this.sleep(await this.sleepFor(free - rows.length + busy.length));
      } catch (err) {
        this.onError(err);
        await this.sleep(this.maxSleepMs);
      }
    }
    await Promise.all(this.sends);
  }

  private async sleepFor(freeAfterClaim: number): Promise<number> {
    if (freeAfterClaim <= 0) return this.maxSleepMs; // a finishing send wakes the loop
    const next = await this.engine.nextDeliveryAt();
    const now = this.engine.clock.now();
    if (next === null || next <= now) return this.maxSleepMs;
    return Math.min(this.maxSleepMs, next - now);
  }

  private send(row: OutboxRow, lane: string): void {
    this.lanes.set(lane, (this.lanes.get(lane) ?? 0) + 1);
    const timeoutMs = this.receiverTimeoutMs[lane] ?? this.timeoutMs;
    // The slot stays taken until the result is committed: that is what bounds a crash's repeats.
    const done = this.engine
      .sendDelivery(row, timeoutMs)
      .then((result) => this.engine.recordDelivery(row, result))
      .catch((err: unknown) => this.onError(err))
      .finally(() => {
        const left = (this.lanes.get(lane) ?? 1) - 1;
        if (left === 0) this.lanes.delete(lane);
        else this.lanes.set(lane, left);
        this.sends.delete(done);
        this.wake();
      });
    this.sends.add(done);
  }

  private longestTimeout(): number {
    return Math.max(this.timeoutMs, ...Object.values(this.receiverTimeoutMs));
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
