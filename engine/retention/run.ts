import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { RetentionBatch, RetentionKind } from "../store/sqlite/retention";
import type { RetentionConfig } from "./config";

const DAY = 86_400_000;
const KINDS: readonly RetentionKind[] = ["events", "steps", "outbox"];

/** A store that can prune in bounded batches (the embedded store does; see `store/sqlite/retention.ts`). */
export interface RetentionPort {
  batch(
    kind: RetentionKind,
    before: number,
    scan: number,
    archive?: (rows: Record<string, unknown>[]) => void,
  ): RetentionBatch;
}

export const hasRetention = (store: unknown): store is { retention: RetentionPort } =>
  typeof (store as { retention?: { batch?: unknown } } | null)?.retention?.batch === "function";

export type RetentionSummary = Record<RetentionKind, { examined: number; deleted: number; slimmed: number }>;

/**
 * Appends rows to `<dir>/<kind>-<YYYY-MM-DD>.ndjson.gz` as one gzip member per batch (a file of several
 * members reads as one stream with `zcat` or `gunzip -c`). Synchronous, so it runs inside the batch's
 * transaction: a write that fails deletes nothing.
 */
export function gzipArchive(dir: string, kind: RetentionKind, now: number) {
  return (rows: Record<string, unknown>[]): void => {
    mkdirSync(dir, { recursive: true });
    const day = new Date(now).toISOString().slice(0, 10);
    const text = rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
    appendFileSync(join(dir, `${kind}-${day}.ndjson.gz`), gzipSync(text));
  };
}

/**
 * One run of retention at `now` (the scheduler's time): for each kind with a retention period, up to
 * `maxBatches` batches of `batchRows` rows, stopping early when a pass reaches the end of the table, and
 * yielding to the event loop between batches.
 */
export async function runRetention(
  store: { retention: RetentionPort },
  now: number,
  config: RetentionConfig,
): Promise<RetentionSummary> {
  const days: Record<RetentionKind, number> = {
    events: config.eventsDays,
    steps: config.stepsDays,
    outbox: config.outboxDays,
  };
  const summary = {} as RetentionSummary;
  for (const kind of KINDS) {
    const total = { examined: 0, deleted: 0, slimmed: 0 };
    summary[kind] = total;
    if (days[kind] <= 0) continue;
    const before = now - days[kind] * DAY;
    const archive = config.archiveDir ? gzipArchive(config.archiveDir, kind, now) : undefined;
    for (let i = 0; i < config.maxBatches; i++) {
      const b = store.retention.batch(kind, before, config.batchRows, archive);
      total.examined += b.examined;
      total.deleted += b.deleted;
      total.slimmed += b.slimmed;
      if (b.wrapped) break;
      // Between batches, let requests and the scheduler in: each batch is one short transaction.
      await new Promise((r) => setImmediate(r));
    }
  }
  return summary;
}
