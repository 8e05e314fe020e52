import { compileCondition } from "../conditions/compile";
import type { CompiledCondition } from "../conditions/compile";
import { NotFoundError } from "../errors";
import { nextCronTimes } from "../schema/cron";
import { diffJourneys } from "../schema/diff";
import {
  audienceTriggerSchema,
  eventTriggerSchema,
  manualTriggerSchema,
  stageTriggerSchema,
} from "../schema/journey";
import type { PublishCheck, TriggerCheck, TriggerOverlap } from "../schema/publish-check";
import type { CustomerRow } from "../store/types";
import type { EngineCore } from "./core";
import { factsFor } from "./facts";
import { validate } from "./journey-commands";

/**
 * Before publishing: how many customers each trigger of the draft reaches now, when an audience trigger fires
 * next, which live journeys share a trigger with it (a customer may get both journeys' offers), and what
 * changed against the live version. Reads only; bounded by `scanLimit` customers and `eventLimit` events.
 */
export interface PublishCheckOptions {
  /** Customers examined for audience and stage counts; beyond it the count is scaled up (`estimated`). */
  scanLimit?: number;
  /** Events examined for an event trigger's recent senders. */
  eventLimit?: number;
  /** How far back "recently" reaches for event triggers. */
  sinceDays?: number;
  /** How many next fire times to list. */
  fires?: number;
  /** How many matching customer ids to return per audience trigger. */
  sample?: number;
}

const DAY = 86_400_000;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A trigger of the draft as far as it parses (a draft may be invalid elsewhere). */
type DraftTrigger =
  | { nodeId: string; kind: "event"; event: string; where: CompiledCondition | null }
  | {
      nodeId: string;
      kind: "audience";
      schedule: string;
      timezone: string;
      condition: CompiledCondition;
    }
  | { nodeId: string; kind: "stage"; stage: string }
  | { nodeId: string; kind: "manual" }
  | { nodeId: string; kind: "unknown" };

function compiles(cond: unknown): CompiledCondition | null {
  try {
    return compileCondition(cond as Parameters<typeof compileCondition>[0]);
  } catch {
    return null;
  }
}

function draftTriggers(doc: Obj, journeyZone: string): DraftTrigger[] {
  const nodes = Array.isArray(doc.nodes) ? (doc.nodes as unknown[]) : [];
  const out: DraftTrigger[] = [];
  for (const n of nodes) {
    if (!isObj(n) || n.type !== "trigger" || typeof n.id !== "string") continue;
    const nodeId = n.id;
    const ev = eventTriggerSchema.safeParse(n.data);
    const au = audienceTriggerSchema.safeParse(n.data);
    const st = stageTriggerSchema.safeParse(n.data);
    if (ev.success) {
      const where = ev.data.where === undefined ? null : compiles(ev.data.where);
      if (ev.data.where !== undefined && where === null) out.push({ nodeId, kind: "unknown" });
      else out.push({ nodeId, kind: "event", event: ev.data.event, where });
    } else if (au.success) {
      const condition = compiles(au.data.conditions);
      out.push(
        condition
          ? {
              nodeId,
              kind: "audience",
              schedule: au.data.schedule,
              timezone: au.data.timezone ?? journeyZone,
              condition,
            }
          : { nodeId, kind: "unknown" },
      );
    } else if (st.success) out.push({ nodeId, kind: "stage", stage: st.data.to });
    else if (manualTriggerSchema.safeParse(n.data).success) out.push({ nodeId, kind: "manual" });
    else out.push({ nodeId, kind: "unknown" });
  }
  return out;
}

/** One audience being counted during the customer scan: the draft's or a live journey's. */
interface Counter {
  condition: CompiledCondition;
  matches: Set<string>;
}

export async function publishCheck(
  core: EngineCore,
  journeyId: string,
  opts: PublishCheckOptions = {},
): Promise<PublishCheck> {
  const { store, deps } = core;
  const now = core.clock.now();
  const row = await store.getJourney(journeyId);
  if (!row) throw new NotFoundError(`journey ${journeyId}`);
  const doc: Obj = isObj(row.draft) ? row.draft : {};
  const settings = isObj(doc.settings) ? doc.settings : {};
  const timezone = typeof settings.timezone === "string" ? settings.timezone : "UTC";
  const live = row.liveVersionId === null ? undefined : await store.getVersion(row.liveVersionId);
  const triggers = draftTriggers(doc, timezone);
  const others = core.journeys.live().filter((j) => j.journeyId !== journeyId);

  // One pass over the customers counts every audience at once: the draft's, the live journeys' audience
  // triggers (for their overlap with the draft's) and the stages.
  const scanLimit = opts.scanLimit ?? 100_000;
  const draftAudiences = new Map<string, Counter>();
  const liveAudiences = new Map<string, Counter>();
  for (const t of triggers)
    if (t.kind === "audience") draftAudiences.set(t.nodeId, { condition: t.condition, matches: new Set() });
  if (draftAudiences.size > 0)
    for (const j of others)
      for (const t of j.audienceTriggers) {
        const cond = j.nodes.get(t.id)?.condition;
        if (cond) liveAudiences.set(`${j.journeyId}/${t.id}`, { condition: cond, matches: new Set() });
      }
  const stages = new Set(triggers.flatMap((t) => (t.kind === "stage" ? [t.stage] : [])));
  const atStage = new Map<string, number>();
  const total = await store.countCustomers();
  let scanned = 0;
  if (draftAudiences.size + stages.size > 0) {
    const counters = [...draftAudiences.values(), ...liveAudiences.values()];
    let after: string | null = null;
    while (scanned < scanLimit) {
      const page: CustomerRow[] = await store.scanCustomers(after, Math.min(1000, scanLimit - scanned));
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      scanned += page.length;
      for (const c of page) {
        const fact = deps.model.fact(c, now);
        const stage = fact.stage;
        if (typeof stage === "string" && stages.has(stage)) atStage.set(stage, (atStage.get(stage) ?? 0) + 1);
        for (const k of counters)
          if (k.condition.test(await factsFor(k.condition, store, fact, null, undefined, now)))
            k.matches.add(c.id);
      }
    }
  }
  const scale = (n: number): number =>
    scanned >= total || scanned === 0 ? n : Math.round((n * total) / scanned);
  const estimated = scanned < total;

  const sinceDays = opts.sinceDays ?? 7;
  const checks: TriggerCheck[] = [];
  for (const t of triggers) {
    const base = { nodeId: t.nodeId, nextFires: [] as string[], sample: [] as string[], estimated: false };
    switch (t.kind) {
      case "audience": {
        const matches = draftAudiences.get(t.nodeId)!.matches;
        checks.push({
          ...base,
          kind: "audience",
          measure: "matching_now",
          customers: scale(matches.size),
          scanned,
          total,
          estimated,
          schedule: t.schedule,
          timezone: t.timezone,
          nextFires: nextCronTimes(t.schedule, t.timezone, new Date(now), opts.fires ?? 5).map((d) =>
            d.toISOString(),
          ),
          sample: [...matches].slice(0, opts.sample ?? 10),
        });
        break;
      }
      case "event": {
        const limit = opts.eventLimit ?? 200_000;
        const events = await store.eventsNamed(t.event, now - sinceDays * DAY, now + 1, limit);
        const senders = new Set<string>();
        for (const e of events) {
          const event = {
            name: e.name,
            properties: e.properties,
            timestamp: new Date(e.timestamp).toISOString(),
          };
          if (t.where) {
            const facts = await factsFor(t.where, store, { id: e.customerId }, null, event, now);
            if (!t.where.test(facts)) continue;
          }
          senders.add(e.customerId);
        }
        checks.push({
          ...base,
          kind: "event",
          measure: "event_senders",
          customers: senders.size,
          scanned: events.length,
          total: events.length,
          // A capped read saw only the newest events: the count is a floor, not scaled.
          estimated: events.length >= limit,
          event: t.event,
          sinceDays,
        });
        break;
      }
      case "stage":
        checks.push({
          ...base,
          kind: "stage",
          measure: "at_stage_now",
          customers: scale(atStage.get(t.stage) ?? 0),
          scanned,
          total,
          estimated,
          stage: t.stage,
        });
        break;
      case "manual":
        checks.push({
          ...base,
          kind: "manual",
          measure: "manual",
          customers: null,
          scanned: 0,
          total,
        });
        break;
      case "unknown":
        // A trigger that does not parse is the issue panel's to report; there is nothing to measure.
        break;
    }
  }

  const overlaps: TriggerOverlap[] = [];
  for (const t of triggers) {
    for (const j of others) {
      const at = { nodeId: t.nodeId, journeyId: j.journeyId, journeyName: j.name, version: j.version };
      if (t.kind === "event" && j.eventTriggers.has(t.event))
        overlaps.push({ ...at, kind: "event", key: t.event, sharedCustomers: null });
      if (t.kind === "stage" && j.stageTriggers.has(t.stage))
        overlaps.push({ ...at, kind: "stage", key: t.stage, sharedCustomers: null });
      if (t.kind === "audience")
        for (const other of j.audienceTriggers) {
          const mine = draftAudiences.get(t.nodeId)!.matches;
          const theirs = liveAudiences.get(`${j.journeyId}/${other.id}`)?.matches ?? new Set<string>();
          let shared = 0;
          for (const id of mine) if (theirs.has(id)) shared++;
          const schedule = other.data.kind === "audience" ? other.data.schedule : "";
          overlaps.push({ ...at, kind: "audience", key: schedule, sharedCustomers: scale(shared) });
        }
    }
  }

  return {
    journeyId,
    liveVersion: live?.version ?? null,
    timezone,
    asOf: new Date(now).toISOString(),
    valid: validate(core, doc, "publish").ok,
    triggers: checks,
    overlaps,
    diff: live ? diffJourneys(live.doc, doc) : null,
  };
}
