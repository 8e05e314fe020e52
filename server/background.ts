import {
  AudienceSchedules,
  hasRetention,
  localZone,
  DailySnapshots,
  NightlyRecompute,
  runRetention,
  Scheduler,
} from "../engine/index";
import type { RetentionConfig } from "../engine/index";
import type { ServerContext } from "./context";

export interface EngineWork {
  scheduler: Scheduler;
  /** Stops the loops after the batch in hand and waits for recurring work in progress. */
  stop(): Promise<void>;
}

/**
 * The engine's own work, which an engine worker (`--role worker` or `all`) runs and an API server does not:
 * the scheduler (due runs and the outbox), audience slots, the nightly recompute, session housekeeping and
 * retention. Recurring work is timer slots claimed from the store, so on PostgreSQL each slot runs once
 * across all workers.
 */
export async function startEngineWork(
  ctx: ServerContext,
  opts: { maxSleepMs: number; retention: RetentionConfig; deliveryTimeoutMs: number },
): Promise<EngineWork> {
  const { log } = ctx;
  const scheduler = new Scheduler(ctx.engine, {
    maxSleepMs: opts.maxSleepMs,
    onError: (err) => log.error({ err }, "scheduler error"),
    dispatcher: { timeoutMs: opts.deliveryTimeoutMs },
  });
  const audience = new AudienceSchedules(ctx.engine, (err, where) =>
    log.error({ err, ...where }, "audience trigger failed"),
  );
  // Nightly: refit the base (stored, so the next start has it at once) and refresh every profile's stage
  // and signals as time passed, emitting stage changes and churn signals into journeys.
  const nightly = new NightlyRecompute(ctx.engine, ctx.model, {
    onDone: (r) =>
      log.info({ customers: r.customers, emitted: r.emitted, ms: r.totalMs }, "nightly recompute done"),
    onError: (err) => log.error({ err }, "nightly recompute failed"),
  });
  await nightly.start();
  // The overview's daily snapshot (after the nightly refresh has moved stages on).
  const snapshots = new DailySnapshots(ctx.engine, ctx.model, {
    onError: (err) => log.error({ err }, "daily snapshot failed"),
  });
  await snapshots.start();
  // Housekeeping is a timer slot too: the scheduler, on the engine's clock, is the only owner of time.
  const stopHousekeeping = await ctx.engine.timers.every(
    "server.sessions",
    "17 * * * *",
    localZone(),
    async () => {
      await ctx.srv.purgeSessions(ctx.engine.clock.now());
    },
  );
  // Retention of events, run-log steps and deliveries: small batches every five minutes, so the cost of
  // every hot query stays that of recent history (engine/retention).
  const stopPruning = await ctx.engine.timers.every(
    "server.retention",
    "*/5 * * * *",
    localZone(),
    async () => {
      if (!hasRetention(ctx.store)) return;
      try {
        const pruned = await runRetention(ctx.store, ctx.engine.clock.now(), opts.retention);
        if (pruned.events.deleted + pruned.steps.deleted + pruned.outbox.deleted + pruned.outbox.slimmed > 0)
          log.info({ pruned }, "retention");
      } catch (err) {
        log.error({ err }, "retention failed");
      }
    },
  );
  scheduler.start();
  return {
    scheduler,
    async stop() {
      stopHousekeeping();
      stopPruning();
      await nightly.stop();
      await snapshots.stop();
      audience.stop();
      await scheduler.stop();
    },
  };
}
