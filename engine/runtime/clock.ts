/** All engine time comes from a Clock, so tests and simulations can skip 72 hours in milliseconds. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: for simulation and tests. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    if (ms < this.current) throw new Error(`a manual clock cannot go back (from ${this.current} to ${ms})`);
    this.current = ms;
  }
  advance(ms: number): void {
    this.set(this.current + ms);
  }
}

export const iso = (ms: number): string => new Date(ms).toISOString();
