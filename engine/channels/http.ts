import { backoffDelay, parseRetryAfter, type RetryTiming, type RetryPolicy } from "./retry";
import type { SendOptions, SendResult } from "./types";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpRequestSpec {
  url: string;
  method?: "POST" | "PUT";
  /** The exact bytes sent (and signed). */
  body: string;
  headers?: Record<string, string>;
  /** Extra headers computed per attempt, e.g. a signature over a fresh timestamp. */
  perAttempt?: (now: Date) => Record<string, string>;
}

/** What the provider answered: status and body (JSON when it says so, else text), capped in size. */
export interface HttpResponseRecord {
  status: number;
  body: unknown;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_RESPONSE_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString("utf8").slice(0, MAX_RESPONSE_BYTES);
}

function parseBody(text: string, contentType: string | null): unknown {
  if (contentType?.includes("json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function describe(err: unknown): string {
  const e = err as { cause?: { code?: unknown; message?: unknown }; message?: unknown };
  const code = e.cause?.code;
  if (typeof code === "string") return code;
  if (typeof e.cause?.message === "string") return e.cause.message;
  return typeof e.message === "string" ? e.message : String(err);
}

/** HTTP status codes worth retrying: timeouts, too-early, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * One attempt: POSTs with the idempotency key as `Idempotency-Key` and a timeout. A 2xx is `sent`; other 4xx
 * (and redirects, which are not followed) are `failed` at once. 5xx, 408/425/429, timeouts and network
 * errors are `retry` after `Retry-After` when the receiver gave one, else exponential backoff with full
 * jitter by attempt number: the outbox row is due again then, and the scheduler's dispatcher sends the next
 * attempt with the same key. The attempt that reaches `maxAttempts` makes a retryable failure final.
 */
export async function deliverHttp(
  spec: HttpRequestSpec,
  options: SendOptions,
  policy: RetryPolicy,
  clock: RetryTiming,
  fetchImpl: FetchLike = fetch,
): Promise<{ result: SendResult; response?: HttpResponseRecord }> {
  const attempt = options.attempt ?? 1;
  const aborted = {
    status: "retry",
    afterMs: 0,
    reason: "aborted before the provider answered",
    attempts: attempt,
  } as const;
  if (options.signal.aborted) return { result: aborted };
  const timeout = AbortSignal.timeout(policy.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  let reason: string;
  let retryAfterMs: number | null = null;
  let record: HttpResponseRecord | undefined;
  try {
    const res = await fetchImpl(spec.url, {
      method: spec.method ?? "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Rekindle/1",
        ...spec.headers,
        ...spec.perAttempt?.(new Date(clock.now())),
        "idempotency-key": options.idempotencyKey,
      },
      body: spec.body,
      signal,
      redirect: "manual",
    });
    record = {
      status: res.status,
      body: parseBody(await readCapped(res), res.headers.get("content-type")),
    };
    if (res.status >= 200 && res.status < 300) {
      return { result: { status: "sent", response: record, attempts: attempt }, response: record };
    }
    if (!isRetryableStatus(res.status)) {
      const detail =
        typeof record.body === "string" ? record.body.slice(0, 200) : JSON.stringify(record.body);
      const why = res.status >= 300 && res.status < 400 ? "redirects are not followed" : detail;
      const result = {
        status: "failed",
        reason: `HTTP ${res.status}: ${why}`,
        response: record,
        attempts: attempt,
      } as const;
      return { result, response: record };
    }
    reason = `HTTP ${res.status}`;
    retryAfterMs = parseRetryAfter(res.headers.get("retry-after"), new Date(clock.now()));
  } catch (err) {
    if (options.signal.aborted) return { result: aborted };
    reason = timeout.aborted ? `timed out after ${policy.timeoutMs} ms` : `network error: ${describe(err)}`;
  }
  const withResponse = record ? { response: record } : {};
  if (attempt >= policy.maxAttempts) {
    const result = {
      status: "failed",
      reason: `gave up after ${attempt} attempts: ${reason}`,
      ...withResponse,
      attempts: attempt,
    } as const;
    return { result, ...withResponse };
  }
  const afterMs = retryAfterMs ?? backoffDelay(attempt, policy, clock.random);
  return {
    result: { status: "retry", afterMs, reason, ...withResponse, attempts: attempt },
    ...withResponse,
  };
}
