import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Queries } from "../engine/index";

/**
 * Prometheus metrics. Steps and lateness are read from the run log (the engine writes it; the server tails
 * it at scrape time by id, so nothing is lost between scrapes); deliveries by status and runs by status are
 * gauges read at scrape time; ingestion and HTTP are counted where they happen.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly ingested: Counter<"type" | "status">;
  readonly http: Histogram<"method" | "route" | "status">;
  private readonly steps: Counter<"node_type" | "outcome">;
  private readonly lateness: Histogram<"node_type">;
  private reading: Promise<void> | undefined;

  /** Starts tailing the run log at its current end. */
  static async open(read: Queries): Promise<Metrics> {
    return new Metrics(read, await read.lastStepId());
  }

  private constructor(
    private readonly read: Queries,
    private lastStepId: number,
  ) {
    const readSteps = (): Promise<void> => this.readSteps();
    collectDefaultMetrics({ register: this.registry, prefix: "rekindle_" });
    this.ingested = new Counter({
      name: "rekindle_ingested_events_total",
      help: "Events received through /v1, by type and outcome (accepted, duplicate, rejected)",
      labelNames: ["type", "status"],
      registers: [this.registry],
    });
    this.http = new Histogram({
      name: "rekindle_http_request_duration_seconds",
      help: "HTTP request duration",
      labelNames: ["method", "route", "status"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.steps = new Counter({
      name: "rekindle_steps_total",
      help: "Journey steps written to the run log since the server started, by node type and outcome",
      labelNames: ["node_type", "outcome"],
      registers: [this.registry],
      collect: readSteps,
    });
    this.lateness = new Histogram({
      name: "rekindle_step_lateness_seconds",
      help: "How late a due step ran (run log at - due time)",
      labelNames: ["node_type"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
      registers: [this.registry],
      collect: readSteps,
    });
    new Gauge({
      name: "rekindle_deliveries",
      help: "Outbox deliveries by status",
      labelNames: ["status"],
      registers: [this.registry],
      async collect() {
        const rows = await read.deliveriesByStatus();
        this.reset();
        for (const r of rows) this.set({ status: r.status }, r.count);
      },
    });
    new Gauge({
      name: "rekindle_runs",
      help: "Journey runs by status",
      labelNames: ["status"],
      registers: [this.registry],
      async collect() {
        const rows = await read.runsByStatus();
        this.reset();
        for (const r of rows) this.set({ status: r.status }, r.count);
      },
    });
    new Gauge({
      name: "rekindle_customers",
      help: "Known customers",
      registers: [this.registry],
      async collect() {
        this.set(await read.countCustomers());
      },
    });
  }

  /**
   * Folds run-log rows written since the last read into the step counter and the lateness histogram. Both
   * metrics collect through here; one read serves them when a scrape asks twice at once.
   */
  readSteps(): Promise<void> {
    this.reading ??= this.foldNewSteps().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async foldNewSteps(): Promise<void> {
    for (;;) {
      const rows = await this.read.runLog({ after: this.lastStepId, limit: 20000 });
      for (const r of rows) {
        this.steps.inc({ node_type: r.nodeType, outcome: r.outcome });
        if (r.dueAt !== null)
          this.lateness.observe({ node_type: r.nodeType }, Math.max(0, r.at - r.dueAt) / 1000);
      }
      if (rows.length > 0) this.lastStepId = rows[rows.length - 1]!.id;
      if (rows.length < 20000) break;
    }
  }
}
