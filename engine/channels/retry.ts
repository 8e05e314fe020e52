import { setTimeout as delay } from "node:timers/promises";

export interface RetryPolicy {
  /** Attempts made inside one `send` before handing back `retry` to the outbox. */
  maxAttempts: number;
  /** First backoff ceiling; doubles each attempt (full jitter picks a delay in [0, ceiling)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A wait longer than this (e.g. a long Retry-After) is not slept in process: `send` returns `retry`. */
  maxInlineWaitMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxInlineWaitMs: 30_000,
  timeoutMs: 10_000,
};

/** What a retrying send needs of time and chance (not the engine's Clock): injected so tests run retry schedules in milliseconds. */
export interface RetryTiming {
  now: () => Date;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** In [0, 1). */
  random: () => number;
}

export const systemRetryTiming: RetryTiming = {
  now: () => new Date(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
  random: Math.random,
};

/** Exponential backoff with full jitter: a delay in [0, min(max, base·2^(attempt-1))). `attempt` starts at 1. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; `null` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
