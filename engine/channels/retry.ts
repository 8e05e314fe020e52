import { systemClock, type Clock } from "../runtime/clock";

/**
 * How an HTTP send classifies a failure as retryable and how long its outbox row waits before the next
 * attempt. Each send is one attempt: the wait is the row's due time, owned by the scheduler, never a sleep.
 */
export interface RetryPolicy {
  /**
   * Attempts a delivery gets in all (over its outbox rows' due times) before a retryable failure becomes
   * final. Capped by the outbox's own budget (`MAX_ATTEMPTS` in engine/runtime/transitions/outbox.ts, 8).
   */
  maxAttempts: number;
  /** First backoff ceiling; doubles each attempt (full jitter picks a delay in [0, ceiling)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 10_000,
};

/** What a send needs of time and chance: the engine's clock plus jitter, injected so tests pin both. */
export interface RetryTiming extends Clock {
  /** In [0, 1). */
  random: () => number;
}

export const systemRetryTiming: RetryTiming = { ...systemClock, random: Math.random };

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
