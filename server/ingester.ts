import { setImmediate as yieldLoop } from "node:timers/promises";
import type { Engine, IngestStatus } from "../engine/index";
import type { InputEvent } from "../engine/schema/events";

interface Pending {
  events: InputEvent[];
  resolve: (s: IngestStatus[]) => void;
  reject: (e: unknown) => void;
}

export interface IngesterOptions {
  /** Most events one engine transaction takes (several requests are committed together up to this). */
  maxGroup?: number;
}

/** Awaited before each group commit: how ingestion yields to work it already queued (see backpressure.ts). */
export type IngestGate = () => Promise<void>;

/**
 * Group commit for ingestion. Requests queue their (already validated) events; one loop hands the queue to
 * `engine.ingest` in transactions of up to `maxGroup` events, yielding to the event loop between them, so
 * concurrent single-event calls share a commit and a large batch does not block other requests for long.
 * A request's events are never split across transactions (a request is all-or-nothing); when a shared
 * transaction fails, each request in it is retried alone, so one bad request cannot fail the others.
 */
export class Ingester {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private readonly maxGroup: number;
  private stopped = false;
  private gate: IngestGate | null = null;

  constructor(
    private readonly engine: Engine,
    opts: IngesterOptions = {},
  ) {
    this.maxGroup = opts.maxGroup ?? 2000;
  }

  /** Sets what each group commit waits for first (one gate; the engine work of this process sets it). */
  setGate(gate: IngestGate | null): void {
    this.gate = gate;
  }

  get chunkSize(): number {
    return this.maxGroup;
  }

  /** Events waiting for their commit; the routes shed load above `maxQueuedEvents`. */
  get queuedEvents(): number {
    let n = 0;
    for (const p of this.queue) n += p.events.length;
    return n;
  }

  readonly maxQueuedEvents: number = 100_000;

  submit(events: InputEvent[]): Promise<IngestStatus[]> {
    if (events.length === 0) return Promise.resolve([]);
    if (this.stopped) return Promise.reject(new Error("the server is shutting down"));
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.running ??= this.pump().finally(() => {
        this.running = null;
      });
    });
  }

  private async pump(): Promise<void> {
    // Let the requests that arrived in the same tick join the first group.
    await yieldLoop();
    while (this.queue.length > 0) {
      const group: Pending[] = [];
      let n = 0;
      while (this.queue.length > 0) {
        const next = this.queue[0]!;
        if (group.length > 0 && n + next.events.length > this.maxGroup) break;
        group.push(this.queue.shift()!);
        n += next.events.length;
      }
      await this.gate?.();
      await this.commit(group);
      await yieldLoop();
    }
  }

  private async commit(group: Pending[]): Promise<void> {
    if (group.length === 1) {
      const p = group[0]!;
      try {
        p.resolve(await this.engine.ingest(p.events));
      } catch (e) {
        p.reject(e);
      }
      return;
    }
    let statuses: IngestStatus[];
    try {
      statuses = await this.engine.ingest(group.flatMap((p) => p.events));
    } catch {
      for (const p of group) await this.commit([p]);
      return;
    }
    let i = 0;
    for (const p of group) {
      p.resolve(statuses.slice(i, i + p.events.length));
      i += p.events.length;
    }
  }

  /** Stops taking events and waits for the queue to drain. */
  async drain(): Promise<void> {
    this.stopped = true;
    while (this.running) await this.running;
  }
}
