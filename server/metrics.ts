import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type Database from "better-sqlite3";

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
  private lastStepId: number;

  constructor(private readonly db: Database.Database) {
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
    });
    this.lateness = new Histogram({
      name: "rekindle_step_lateness_seconds",
      help: "How late a due step ran (run log at - due time)",
      labelNames: ["node_type"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
      registers: [this.registry],
    });
    const readSteps = (): void => this.readSteps();
    new Gauge({
      name: "rekindle_deliveries",
      help: "Outbox deliveries by status",
      labelNames: ["status"],
      registers: [this.registry],
      collect() {
        readSteps();
        this.reset();
        for (const r of db
          .prepare<[], { status: string; n: number }>(
            "SELECT status, count(*) AS n FROM outbox GROUP BY status",
          )
          .all())
          this.set({ status: r.status }, r.n);
      },
    });
    new Gauge({
      name: "rekindle_runs",
      help: "Journey runs by status",
      labelNames: ["status"],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const r of db
          .prepare<[], { status: string; n: number }>(
            "SELECT status, count(*) AS n FROM runs GROUP BY status",
          )
          .all())
          this.set({ status: r.status }, r.n);
      },
    });
    new Gauge({
      name: "rekindle_customers",
      help: "Known customers",
      registers: [this.registry],
      collect() {
        this.set(db.prepare<[], { n: number }>("SELECT count(*) AS n FROM customers").get()?.n ?? 0);
      },
    });
    this.lastStepId = db.prepare<[], { m: number | null }>("SELECT max(id) AS m FROM steps").get()?.m ?? 0;
  }

  /** Folds run-log rows written since the last read into the step counter and the lateness histogram. */
  readSteps(): void {
    const stmt = this.db.prepare<
      [number],
      { id: number; node_type: string; outcome: string; at: number; due_at: number | null }
    >("SELECT id, node_type, outcome, at, due_at FROM steps WHERE id > ? ORDER BY id LIMIT 20000");
    for (;;) {
      const rows = stmt.all(this.lastStepId);
      for (const r of rows) {
        this.steps.inc({ node_type: r.node_type, outcome: r.outcome });
        if (r.due_at !== null)
          this.lateness.observe({ node_type: r.node_type }, Math.max(0, r.at - r.due_at) / 1000);
      }
      if (rows.length > 0) this.lastStepId = rows[rows.length - 1]!.id;
      if (rows.length < 20000) break;
    }
  }
}
