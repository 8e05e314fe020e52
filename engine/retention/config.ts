/** How long stored history is kept, per kind, and where pruned rows go first. */
export interface RetentionConfig {
  /** Days of events kept (0: forever). Long by default: conditions may count events a year back. */
  eventsDays: number;
  /** Days of run-log steps of ended runs kept (0: forever). */
  stepsDays: number;
  /** Days a delivered or failed delivery keeps its full row (0: forever). */
  outboxDays: number;
  /** A directory to write pruned rows to (gzip NDJSON, one file per kind and UTC day) before deletion. */
  archiveDir?: string;
  /** Rows looked at per batch (one short transaction). */
  batchRows: number;
  /** Batches per kind per run, so one run stays short; the next run carries on. */
  maxBatches: number;
}

export const DEFAULT_RETENTION: Readonly<RetentionConfig> = {
  eventsDays: 730,
  stepsDays: 180,
  outboxDays: 90,
  batchRows: 1000,
  maxBatches: 20,
};

export class RetentionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetentionConfigError";
  }
}

const DAYS = {
  eventsDays: "REKINDLE_RETENTION_EVENTS_DAYS",
  stepsDays: "REKINDLE_RETENTION_STEPS_DAYS",
  outboxDays: "REKINDLE_RETENTION_OUTBOX_DAYS",
} as const;

/** The retention settings from `REKINDLE_RETENTION_*`, checked at start-up (a bad value names its variable). */
export function loadRetentionConfig(env: Record<string, string | undefined>): RetentionConfig {
  const out: RetentionConfig = { ...DEFAULT_RETENTION };
  for (const [key, name] of Object.entries(DAYS) as [keyof typeof DAYS, string][]) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 36_500)
      throw new RetentionConfigError(
        `${name} must be a whole number of days from 0 (keep forever) to 36500; got "${raw}"`,
      );
    out[key] = n;
  }
  const dir = env.REKINDLE_RETENTION_ARCHIVE_DIR?.trim();
  if (dir) out.archiveDir = dir;
  return out;
}
