import { defaultRegistry } from "../actions/builtins";
import { ActionRegistry } from "../actions/registry";
import type { ActionDefinition } from "../actions/types";
import { durationMs } from "../schema/duration";
import type { InputEvent } from "../schema/events";
import type { ValidationIssue } from "../schema/issues";
import type { Journey } from "../schema/journey";
import { SqliteStore } from "../store/sqlite/store";
import { ManualClock, iso } from "../runtime/clock";
import type { CustomerStateModel } from "../runtime/customer-state-model";
import { AudienceSchedules } from "../runtime/audience-schedules";
import { Driver } from "../runtime/driver";
import { Engine } from "../runtime/engine";
import { JourneyValidationError } from "../errors";
import type { TemplateRenderer } from "../runtime/template-renderer";
import { BudgetMeter, type SimulationBudget } from "./budget";
import { computeResults } from "../results/report";
import type { NodeCounts, SimulationReport } from "./report";
import { lifecycleModel } from "../customer/engine-model";

/** A journey given to the simulator that does not validate: `journey` names its source (file or id). */
export class SimulationInputError extends JourneyValidationError {
  constructor(
    readonly journey: string,
    issues: ValidationIssue[],
  ) {
    super(issues);
    this.message = `journey ${journey} is invalid`;
    this.name = "SimulationInputError";
  }
}

export interface SimulationInput {
  journeys: { source: string; doc: unknown }[];
  events: readonly InputEvent[];
  until?: number;
  templates?: TemplateRenderer;
  registry?: ActionRegistry;
  model?: CustomerStateModel;
  /** Step, time and output budgets (`budget.ts`), with the caller's wall clock and a way to cancel. */
  limits?: { budget: SimulationBudget; elapsedMs: () => number; signal?: AbortSignal };
}

const DAY = 86_400_000;

/**
 * Simulation sends nothing (spec §3): every external effect (messages, webhooks, custom senders) is recorded
 * as delivered instead of executed, even when the caller hands in a live registry. Internal actions only
 * return data, so they still run.
 */
function recordingRegistry(registry: ActionRegistry): ActionRegistry {
  const defs = registry.list().map((d) =>
    d.effect === "external"
      ? {
          ...d,
          execute: () => Promise.resolve({ status: "done" as const, response: { provider: "simulation" } }),
        }
      : d,
  );
  return new ActionRegistry(defs as unknown as ActionDefinition<never>[]);
}

/** How long a journey can hold a customer in one wait: the default horizon after the last event. */
function longestWait(j: Journey): number {
  let ms = 0;
  for (const n of j.nodes) {
    if (n.type !== "wait") continue;
    const d = n.data;
    ms = Math.max(
      ms,
      d.kind === "duration" ? durationMs(d.duration) : d.kind === "event" ? durationMs(d.timeout) : 7 * DAY,
    );
  }
  if (j.settings.quietHours) ms += DAY;
  return ms;
}

/**
 * Runs journeys over events in virtual time on a private in-memory database: the clock starts at the first
 * event, waits fire at their exact times between events, and nothing is sent (deliveries are recorded).
 */
export async function simulate(rawInput: SimulationInput): Promise<SimulationReport> {
  // Spec §2: events apply in timestamp order, and in input order where timestamps are equal (a stable sort).
  const input = {
    ...rawInput,
    events: rawInput.events
      .map((e, i) => ({ e, i, ts: Date.parse(e.timestamp) }))
      .sort((a, b) => a.ts - b.ts || a.i - b.i)
      .map((x) => x.e),
  };
  const first = input.events[0];
  const start = first ? Date.parse(first.timestamp) : (input.until ?? 0);
  const clock = new ManualClock(start);
  const registry = recordingRegistry(input.registry ?? defaultRegistry());
  const store = SqliteStore.open(":memory:");
  const engine = await Engine.open({
    model: lifecycleModel(),
    store,
    clock,
    registry,
    lenientTemplates: true,
    ...(input.templates ? { templates: input.templates } : {}),
    ...(input.model ? { model: input.model } : {}),
  });
  const meter = input.limits
    ? new BudgetMeter(input.limits.budget, input.limits.elapsedMs, () => clock.now(), input.limits.signal)
    : undefined;
  try {
    const warnings: SimulationReport["warnings"] = [];
    const names = new Map<string, string>();
    let horizon = 0;
    for (const [i, j] of input.journeys.entries()) {
      const result = engine.validate(j.doc, "simulate");
      if (!result.ok) throw new SimulationInputError(j.source, result.issues);
      const id = `j${i + 1}`;
      for (const w of result.warnings) warnings.push({ journey: result.journey.name, ...w });
      await engine.createJourney(result.journey, id);
      await engine.publish(id);
      names.set(id, result.journey.name);
      horizon = Math.max(horizon, longestWait(result.journey));
    }
    const last =
      input.events.length > 0 ? Date.parse(input.events[input.events.length - 1]!.timestamp) : start;
    const until = input.until ?? last + horizon;
    // Audience triggers fire at their cron slots, as timer rows the driver claims in virtual time.
    const audience = new AudienceSchedules(engine);
    await audience.ready();
    const driver = new Driver(engine, { onWork: (steps) => meter?.spend(steps) });
    const drain = (): Promise<void> => driver.drain();
    /** Everything due up to and including `t`, in time order: waits first, then schedules at the same instant. */
    const runUntil = (t: number): Promise<void> => driver.runUntil(clock, t, () => meter?.check());

    let i = 0;
    const events = input.events;
    while (i < events.length) {
      const ts = Date.parse(events[i]!.timestamp);
      if (ts > until) break;
      await runUntil(ts);
      if (ts > clock.now()) clock.set(ts);
      let j = i;
      while (j < events.length && Date.parse(events[j]!.timestamp) === ts) j++;
      await engine.ingest(events.slice(i, j));
      await drain();
      i = j;
    }
    await runUntil(until);
    if (until > clock.now()) clock.set(until);

    const report = await buildReport(store, names, warnings, meter);
    for (const id of names.keys())
      report.results.push(await computeResults(store, id, { asOf: clock.now() }));
    return report;
  } finally {
    await engine.close();
  }
}

async function buildReport(
  store: SqliteStore,
  names: Map<string, string>,
  warnings: SimulationReport["warnings"],
  meter?: BudgetMeter,
): Promise<SimulationReport> {
  const nameOf = (id: string): string => names.get(id) ?? id;
  const counts = new Map<string, Record<string, NodeCounts>>();
  for (const id of names.keys()) counts.set(id, {});
  const steps: SimulationReport["steps"] = [];
  const seenVisits = new Set<string>();
  for (let after = 0; ;) {
    const page = await store.listSteps({ after, limit: 5000 });
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    for (const s of page) {
      const c = counts.get(s.journeyId)!;
      const n = (c[s.nodeId] ??= { entered: 0 });
      const visitKey = `${s.runId}:${s.nodeId}:${s.visit}`;
      if (!seenVisits.has(visitKey)) {
        seenVisits.add(visitKey);
        n.entered++;
      }
      if (s.port !== null) (n.ports ??= {})[s.port] = ((n.ports ??= {})[s.port] ?? 0) + 1;
      if (s.outcome === "executed" || s.outcome === "queued") n.executed = (n.executed ?? 0) + 1;
      if (s.outcome === "skipped" && s.reason)
        (n.skipped ??= {})[s.reason] = ((n.skipped ??= {})[s.reason] ?? 0) + 1;
      if (s.outcome === "deferred") n.deferred = (n.deferred ?? 0) + 1;
      if (s.outcome === "failed") n.failed = (n.failed ?? 0) + 1;
      const step: SimulationReport["steps"][number] = {
        journey: nameOf(s.journeyId),
        customerId: s.customerId,
        nodeId: s.nodeId,
        type: s.nodeType,
        at: iso(s.at),
        port: s.port,
        explain: Array.isArray(s.detail?.explain) ? (s.detail.explain as unknown[]) : [],
        outcome: s.outcome,
        reason: s.reason,
        visit: s.visit,
        detail:
          s.detail && "explain" in s.detail
            ? (({ explain: _e, ...rest }) => (Object.keys(rest).length ? rest : null))(s.detail)
            : s.detail,
      };
      meter?.output(JSON.stringify(step).length);
      steps.push(step);
    }
  }
  const runs: SimulationReport["runs"] = [];
  for (const id of names.keys()) {
    for (const r of await store.listRuns({ journeyId: id, limit: Number.MAX_SAFE_INTEGER })) {
      const outcome = r.outcome ?? "waiting";
      if (outcome === "waiting") {
        const n = (counts.get(id)![r.nodeId] ??= { entered: 0 });
        n.waiting = (n.waiting ?? 0) + 1;
      }
      runs.push({
        journey: nameOf(id),
        customerId: r.customerId,
        enteredAt: iso(r.enteredAt),
        endedAt: r.endedAt === null ? null : iso(r.endedAt),
        outcome,
      });
    }
  }
  const deliveries: SimulationReport["deliveries"] = (
    await store.listOutbox({ status: "sent", limit: Number.MAX_SAFE_INTEGER })
  )
    .sort((a, b) => (a.deliveredAt ?? 0) - (b.deliveredAt ?? 0) || (a.id ?? 0) - (b.id ?? 0))
    .map((o) => ({
      journey: nameOf(o.journeyId),
      customerId: o.customerId,
      nodeId: o.nodeId,
      action: o.action,
      template: o.template,
      at: iso(o.deliveredAt ?? o.createdAt),
      rendered: (o.payload.rendered as Record<string, unknown> | null) ?? null,
    }));
  return {
    journeys: [...names.entries()].map(([id, name]) => ({ name, counts: counts.get(id)! })),
    runs,
    deliveries,
    steps,
    warnings,
    results: [],
  };
}
