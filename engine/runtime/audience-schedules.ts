import { nextCronTime } from "../schema/cron";
import type { TimerRow } from "../store/types";
import type { CompiledJourney } from "./compiled";
import type { Engine } from "./engine";
import { AUDIENCE_NOW_KIND } from "./entry-commands";

/** The timer kind of audience slots; keys are `journeyId/nodeId`. */
export const AUDIENCE_KIND = "audience";

interface Schedule {
  journeyId: string;
  nodeId: string;
  schedule: string;
  timezone: string;
}

/**
 * Live journeys' audience triggers as timer slots: each trigger's next cron fire time (in the trigger's time
 * zone, else the journey's) is a row the scheduler claims when due, so a slot enters its audience once, at
 * the engine's clock, across restarts. Planned again whenever the live set changes; a slot whose journey is
 * no longer live, or whose schedule changed, is passed over. Calendar schedules only: waits never use it.
 */
export class AudienceSchedules {
  private schedules = new Map<string, Schedule>();
  private readonly unsubscribe: () => void;
  private readonly unregister: () => void;
  private readonly unregisterNow: () => void;
  /** Planning after a change of the live set, so `ready` can wait for it. */
  private planning: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: Engine,
    private readonly onError: (err: unknown, where: { journeyId: string; nodeId: string }) => void = () =>
      undefined,
  ) {
    this.unregister = engine.timers.register(AUDIENCE_KIND, {
      next: (key, after) => {
        const s = this.schedules.get(key);
        return s ? nextCronTime(s.schedule, s.timezone, new Date(after)).getTime() : null;
      },
      fire: (slot) => this.fire(slot),
    });
    // "Run now" slots (entry-commands.ts `queueAudienceRun`): one-off, never followed by another.
    this.unregisterNow = engine.timers.register(AUDIENCE_NOW_KIND, {
      next: () => null,
      fire: (slot) => this.fireNow(slot),
    });
    this.unsubscribe = engine.onLiveChanged((live) => this.rebuild(live));
    this.rebuild(engine.live());
  }

  /** Resolves when the slots of the current live set are stored. */
  ready(): Promise<void> {
    return this.planning;
  }

  private rebuild(live: readonly CompiledJourney[]): void {
    const schedules = new Map<string, Schedule>();
    for (const cj of live) {
      for (const trigger of cj.audienceTriggers) {
        if (trigger.data.kind !== "audience") continue;
        const timezone = trigger.data.timezone ?? cj.settings.timezone ?? "UTC";
        schedules.set(`${cj.journeyId}/${trigger.id}`, {
          journeyId: cj.journeyId,
          nodeId: trigger.id,
          schedule: trigger.data.schedule,
          timezone,
        });
      }
    }
    this.schedules = schedules;
    // A fire time equal to now is still to come: plan from just before it.
    const after = this.engine.clock.now() - 1;
    const keys = [...schedules.keys()];
    this.planning = this.planning
      .then(async () => {
        for (const key of keys) await this.engine.timers.plan(AUDIENCE_KIND, key, after);
      })
      .catch((err: unknown) => this.onError(err, { journeyId: "", nodeId: "" }));
  }

  private async fire(slot: TimerRow): Promise<void> {
    const s = this.schedules.get(slot.key);
    // Paused, archived or republished with another schedule since the slot was planned: not a slot any more.
    if (!s || nextCronTime(s.schedule, s.timezone, new Date(slot.slot - 1)).getTime() !== slot.slot) return;
    try {
      await this.engine.fireAudience(s.journeyId, s.nodeId);
    } catch (err) {
      this.onError(err, { journeyId: s.journeyId, nodeId: s.nodeId });
    }
  }

  private async fireNow(slot: TimerRow): Promise<void> {
    const [journeyId, nodeId] = JSON.parse(slot.key) as [string, string];
    const where = { journeyId, nodeId };
    // Paused or archived since it was asked for: fireAudience refuses a journey that is not live.
    if (!this.engine.live().some((j) => j.journeyId === where.journeyId)) return;
    try {
      await this.engine.fireAudience(where.journeyId, where.nodeId);
    } catch (err) {
      this.onError(err, where);
    }
  }

  stop(): void {
    this.unsubscribe();
    this.unregister();
    this.unregisterNow();
    this.schedules.clear();
  }
}
