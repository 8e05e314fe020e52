/**
 * How soon another engine worker takes over a killed one's work: `REKINDLE_RUN_LEASE_MS` (a claimed batch of
 * runs, default 60 s) and `REKINDLE_DELIVERY_TIMEOUT_MS` (one delivery's send, whose lease is twice that;
 * default 30 s). Shorter means a faster takeover after a crash; a batch or send must finish within it.
 */
export interface TakeoverSettings {
  runLeaseMs: number;
  deliveryTimeoutMs: number;
}

export class TakeoverSettingsError extends Error {
  override readonly name = "TakeoverSettingsError";
}

function ms(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 500 || n > 86_400_000)
    throw new TakeoverSettingsError(
      `${name} must be a whole number of milliseconds from 500 to 86400000 (got "${raw}")`,
    );
  return n;
}

export function loadTakeoverSettings(env: NodeJS.ProcessEnv): TakeoverSettings {
  return {
    runLeaseMs: ms(env, "REKINDLE_RUN_LEASE_MS", 60_000),
    deliveryTimeoutMs: ms(env, "REKINDLE_DELIVERY_TIMEOUT_MS", 30_000),
  };
}
