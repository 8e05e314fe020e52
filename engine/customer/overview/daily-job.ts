/**
 * The daily lifecycle snapshot as recurring work: a timer slot (kind `overview.snapshot`) the engine's
 * scheduler claims, like the nightly recompute, so the engine's clock is its only clock and a day is taken
 * once across restarts and workers. The default 03:30 runs after the nightly refresh (03:00) has moved
 * stages on; the demo replay registers the same kind, so its virtual days back-fill months of snapshots.
 */
import { cronProblem } from "../../schema/cron";
import { localZone } from "../../runtime/recurring/timers";
import type { Engine } from "../../runtime/engine";
import type { LifecycleModel } from "../engine-model";
import { takeSnapshot } from "./snapshot";
import type { SnapshotResult } from "./snapshot";

export const SNAPSHOT_KIND = "overview.snapshot";
export const SNAPSHOT_SCHEDULE = "30 3 * * *";

export interface DailySnapshotOptions {
  /** A cron expression (node-cron syntax). Default "30 3 * * *". */
  schedule?: string;
  /** IANA zone the schedule and the snapshot's date are read in (default: the process's zone). */
  timezone?: string;
  onDone?: (r: SnapshotResult) => void;
  onError?: (err: unknown) => void;
}

export class DailySnapshots {
  readonly schedule: string;
  readonly timezone: string;
  private unregister: (() => void) | null = null;
  private current: Promise<SnapshotResult> | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly model: LifecycleModel,
    private readonly opts: DailySnapshotOptions = {},
  ) {
    this.schedule = opts.schedule ?? SNAPSHOT_SCHEDULE;
    this.timezone = opts.timezone ?? localZone();
    if (cronProblem(this.schedule, this.timezone) !== null)
      throw new Error(`invalid cron schedule ${JSON.stringify(this.schedule)}`);
  }

  /** Stores the next slot for the engine's scheduler (resolves once it is stored). */
  async start(): Promise<void> {
    if (this.unregister) return;
    this.unregister = await this.engine.timers.every(
      SNAPSHOT_KIND,
      this.schedule,
      this.timezone,
      async () => {
        await this.runNow().catch(() => undefined);
      },
    );
  }

  /** Takes today's snapshot now, at the engine's time (or joins the one in progress). */
  runNow(): Promise<SnapshotResult> {
    this.current ??= takeSnapshot(this.engine.store, this.model, this.engine.clock.now(), this.timezone)
      .then(
        (r) => {
          this.opts.onDone?.(r);
          return r;
        },
        (err: unknown) => {
          this.opts.onError?.(err);
          throw err;
        },
      )
      .finally(() => {
        this.current = null;
      });
    return this.current;
  }

  /** Stops scheduling and waits for a snapshot in progress. */
  async stop(): Promise<void> {
    this.unregister?.();
    this.unregister = null;
    if (this.current) await this.current.catch(() => undefined);
  }
}
