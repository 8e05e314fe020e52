import type { ActionLogger } from "../actions/types";
import type { Journey } from "../schema/journey";
import { NotFoundError } from "../errors";
import type { Store } from "../store/types";
import { compileJourney } from "./compiled";
import type { CompiledJourney } from "./compiled";

/** A live journey whose stored version cannot be compiled, so it is not running. */
export interface UnrunnableJourney {
  journeyId: string;
  versionId: number;
  message: string;
}

export const compileErrorMessage = (e: unknown): string =>
  e instanceof RangeError
    ? "the journey is nested too deeply to compile"
    : e instanceof Error
      ? e.message
      : String(e);

/** The compiled journey versions runs are pinned to (cached: versions are immutable), and the live set. */
export class LiveJourneys {
  private readonly versions = new Map<number, Promise<CompiledJourney>>();
  private liveJourneys: CompiledJourney[] = [];
  private reloading: Promise<void> = Promise.resolve();
  private unrunnableJourneys: UnrunnableJourney[] = [];
  private readonly listeners = new Set<(live: readonly CompiledJourney[]) => void>();

  constructor(
    private readonly store: Store,
    private readonly log: ActionLogger,
  ) {}

  version(versionId: number): Promise<CompiledJourney> {
    let p = this.versions.get(versionId);
    if (!p) {
      p = this.store.getVersion(versionId).then((v) => {
        if (!v) throw new NotFoundError(`journey version ${versionId}`);
        return compileJourney(v.doc as Journey, {
          journeyId: v.journeyId,
          versionId: v.id,
          version: v.version,
          pins: v.pins,
        });
      });
      p.catch(() => this.versions.delete(versionId));
      this.versions.set(versionId, p);
    }
    return p;
  }

  /**
   * Compiles every live journey. One that cannot compile (stored before publishing compiled first, or by
   * hand) is skipped and reported rather than stopping the engine: the others keep running.
   */
  reload(): Promise<void> {
    // Reloads may overlap (a publish here and a notice from another process): they run one after the other,
    // so an older read never lands after a newer one.
    const next = this.reloading.then(() => this.load());
    this.reloading = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<void> {
    const rows = await this.store.listJourneys();
    const live: CompiledJourney[] = [];
    const unrunnable: UnrunnableJourney[] = [];
    for (const r of rows) {
      if (r.status !== "live" || r.liveVersionId === null) continue;
      try {
        live.push(await this.version(r.liveVersionId));
      } catch (e) {
        const problem = { journeyId: r.id, versionId: r.liveVersionId, message: compileErrorMessage(e) };
        this.log.error(problem, "a live journey cannot be compiled; it is not running");
        unrunnable.push(problem);
      }
    }
    this.liveJourneys = live;
    this.unrunnableJourneys = unrunnable;
    for (const l of this.listeners) l(live);
  }

  onChanged(listener: (live: readonly CompiledJourney[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  live(): readonly CompiledJourney[] {
    return this.liveJourneys;
  }

  unrunnable(): readonly UnrunnableJourney[] {
    return this.unrunnableJourneys;
  }
}
