import { nextCronTime } from "../../schema/cron";
import type { TimerRow } from "../../store/types";
import type { EngineCore } from "../core";

/** How one kind of recurring work computes its slots and does its work. */
export interface TimerKind {
  /** The first slot of `key` strictly after `after`, or null when the key has no more (a journey paused). */
  next(key: string, after: number): number | null;
  /** Does the slot's work. Throwing reports the error; the slot is done all the same, like a missed cron. */
  fire(slot: TimerRow): Promise<void>;
}

/** Long enough for the longest recurring job (the nightly recompute over a large base) to finish. */
const LEASE_MS = 60 * 60_000;

/** The process's own time zone, the default of calendar jobs (node-cron's default too). */
export const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Recurring work as rows with due times (the `timers` table): audience slots, the nightly recompute,
 * housekeeping. Kinds register how they compute slots and what they do; the scheduler (or a virtual-time
 * driver) claims due slots through `fireDue`, so the injected clock is the only clock, and a slot, unique by
 * (kind, key, slot) in the store, fires once across restarts and workers.
 */
export class Timers {
  private readonly kinds = new Map<string, TimerKind>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly core: EngineCore,
    private readonly onError: (err: unknown, slot: TimerRow) => void = () => undefined,
  ) {}

  /** Registers a kind (replacing one of the same name); returns its unregistration. */
  register(kind: string, handler: TimerKind): () => void {
    this.kinds.set(kind, handler);
    return () => {
      if (this.kinds.get(kind) === handler) this.kinds.delete(kind);
    };
  }

  /**
   * A calendar job: `run` at every fire time of a cron `schedule` in `timezone` (one key). Returns its
   * unregistration; the pending slot stays stored and fires when the job is registered again.
   */
  async every(
    kind: string,
    schedule: string,
    timezone: string,
    run: () => Promise<void>,
  ): Promise<() => void> {
    const off = this.register(kind, {
      next: (_key, after) => nextCronTime(schedule, timezone, new Date(after)).getTime(),
      fire: run,
    });
    await this.plan(kind, "default", this.core.clock.now() - 1);
    return off;
  }

  /**
   * Stores the key's next slot after `after` and the one after it (a slot already stored is left as it is):
   * when the first was fired already (a restart or a resume at that very instant), the second is pending.
   */
  async plan(kind: string, key: string, after: number): Promise<void> {
    const handler = this.kinds.get(kind);
    const first = handler?.next(key, after) ?? null;
    if (first === null) return;
    const second = handler?.next(key, first) ?? null;
    const slots = second === null ? [first] : [first, second];
    await this.core.committer.transition(() =>
      Promise.resolve({
        extra: { timers: slots.map((slot) => ({ kind, key, slot, dueAt: slot, doneAt: null })) },
      }),
    );
  }

  /**
   * Claims the slots due now whose kinds are registered and fires them, earliest first: awaited one by one
   * (virtual time), or started and left running (`detached`, the live scheduler). Returns how many started.
   */
  async fireDue(opts: { detached?: boolean; limit?: number } = {}): Promise<number> {
    if (this.kinds.size === 0) return 0;
    const now = this.core.clock.now();
    const due = await this.core.store.claimDueTimers(now, opts.limit ?? 100, now + LEASE_MS);
    let started = 0;
    for (const slot of due) {
      const id = `${slot.kind}\u0000${slot.key}\u0000${slot.slot}`;
      // A kind this process does not run stays leased for another (or the next start) to take.
      if (!this.kinds.has(slot.kind) || this.inFlight.has(id)) continue;
      const done = this.fire(slot).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, done);
      started++;
      if (!opts.detached) await done;
    }
    return started;
  }

  /** The earliest time a slot not yet done can be claimed, or null (always null while no kind is registered). */
  nextAt(): Promise<number | null> {
    return this.kinds.size === 0 ? Promise.resolve(null) : this.core.store.nextTimerAt();
  }

  /** Waits for the slots fired detached to finish. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  private async fire(slot: TimerRow): Promise<void> {
    const kind = this.kinds.get(slot.kind);
    if (!kind) return;
    try {
      await kind.fire(slot);
    } catch (err) {
      this.onError(err, slot);
    }
    const now = this.core.clock.now();
    // After downtime only the pending slot fires (late); the next is the first one after now, not each missed one.
    const next = this.kinds.get(slot.kind)?.next(slot.key, Math.max(slot.slot, now - 1)) ?? null;
    await this.core.committer.transition(() =>
      Promise.resolve({
        extra: {
          timersDone: [{ kind: slot.kind, key: slot.key, slot: slot.slot, doneAt: now }],
          ...(next !== null
            ? { timers: [{ kind: slot.kind, key: slot.key, slot: next, dueAt: next, doneAt: null }] }
            : {}),
        },
      }),
    );
  }
}
