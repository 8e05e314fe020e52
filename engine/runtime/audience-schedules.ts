import cron from "node-cron";
import type { ScheduledTask } from "node-cron";
import type { CompiledJourney } from "./compiled";
import type { Engine } from "./engine";

/**
 * Fires live journeys' audience triggers on their cron schedules (node-cron, in the trigger's time zone,
 * else the journey's). Rebuilt whenever the live set changes. Calendar schedules only: waits never use it.
 */
export class AudienceSchedules {
  private tasks: ScheduledTask[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    private readonly engine: Engine,
    private readonly onError: (err: unknown, where: { journeyId: string; nodeId: string }) => void = () =>
      undefined,
  ) {
    this.unsubscribe = engine.onLiveChanged((live) => this.rebuild(live));
    this.rebuild(engine.live());
  }

  private rebuild(live: readonly CompiledJourney[]): void {
    for (const t of this.tasks) void t.stop();
    this.tasks = [];
    for (const cj of live) {
      for (const trigger of cj.audienceTriggers) {
        if (trigger.data.kind !== "audience") continue;
        const where = { journeyId: cj.journeyId, nodeId: trigger.id };
        const timezone = trigger.data.timezone ?? cj.settings.timezone ?? "UTC";
        const task = cron.schedule(
          trigger.data.schedule,
          async () => {
            try {
              await this.engine.fireAudience(cj.journeyId, trigger.id);
            } catch (err) {
              this.onError(err, where);
            }
          },
          { timezone, name: `${cj.journeyId}/${trigger.id}`, noOverlap: true },
        );
        this.tasks.push(task);
      }
    }
  }

  stop(): void {
    this.unsubscribe();
    for (const t of this.tasks) void t.stop();
    this.tasks = [];
  }
}
