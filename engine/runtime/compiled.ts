import { compileCondition } from "../conditions/compile";
import type { CompiledCondition } from "../conditions/compile";
import type { TopLevelCondition } from "../schema/conditions";
import { durationMs } from "../schema/duration";
import type { Journey, JourneyNode, JourneySettings, Reentry, TriggerNode } from "../schema/journey";
import { edgePort } from "../schema/ports";

export interface CompiledNode {
  node: JourneyNode;
  /** port → target node id */
  out: Map<string, string>;
  /** A condition node's conditions, or a trigger's / event wait's `where`. */
  condition?: CompiledCondition;
}

/** A published journey version, ready to run: edges indexed, conditions compiled, durations in ms. */
export interface CompiledJourney {
  journeyId: string;
  versionId: number;
  version: number;
  name: string;
  doc: Journey;
  settings: JourneySettings;
  nodes: Map<string, CompiledNode>;
  eventTriggers: Map<string, TriggerNode[]>;
  stageTriggers: Map<string, TriggerNode[]>;
  audienceTriggers: TriggerNode[];
  manualTriggers: TriggerNode[];
  exitOn: Map<string, (CompiledCondition | null)[]>;
  goal: { event: string; withinMs: number; where: CompiledCondition | null } | null;
  reentry: Reentry;
  frequencyCap: { max: number; perMs: number } | null;
  quietHours: { start: string; end: string } | null;
  /** Template versions pinned at publish time. */
  pins: Record<string, unknown>;
}

const compileWhere = (where: TopLevelCondition | undefined): CompiledCondition | null =>
  where ? compileCondition(where) : null;

export function compileJourney(
  journey: Journey,
  ids: { journeyId: string; versionId: number; version: number; pins?: Record<string, unknown> },
): CompiledJourney {
  const nodes = new Map<string, CompiledNode>();
  const eventTriggers = new Map<string, TriggerNode[]>();
  const stageTriggers = new Map<string, TriggerNode[]>();
  const audienceTriggers: TriggerNode[] = [];
  const manualTriggers: TriggerNode[] = [];
  const push = (m: Map<string, TriggerNode[]>, k: string, n: TriggerNode): void => {
    const l = m.get(k);
    if (l) l.push(n);
    else m.set(k, [n]);
  };
  for (const node of journey.nodes) {
    const compiled: CompiledNode = { node, out: new Map() };
    if (node.type === "condition") compiled.condition = compileCondition(node.data.conditions);
    if (node.type === "trigger") {
      const d = node.data;
      switch (d.kind) {
        case "event":
          push(eventTriggers, d.event, node);
          if (d.where) compiled.condition = compileCondition(d.where);
          break;
        case "stage":
          push(stageTriggers, d.to, node);
          break;
        case "audience":
          audienceTriggers.push(node);
          compiled.condition = compileCondition(d.conditions);
          break;
        case "manual":
          manualTriggers.push(node);
          break;
      }
    }
    if (node.type === "wait" && node.data.kind === "event" && node.data.where) {
      compiled.condition = compileCondition(node.data.where);
    }
    nodes.set(node.id, compiled);
  }
  for (const edge of journey.edges) nodes.get(edge.source)?.out.set(edgePort(edge), edge.target);

  const s = journey.settings;
  const exitOn = new Map<string, (CompiledCondition | null)[]>();
  for (const e of s.exitOn ?? []) {
    const l = exitOn.get(e.event) ?? [];
    l.push(compileWhere(e.where));
    exitOn.set(e.event, l);
  }
  return {
    journeyId: ids.journeyId,
    versionId: ids.versionId,
    version: ids.version,
    name: journey.name,
    doc: journey,
    settings: s,
    nodes,
    eventTriggers,
    stageTriggers,
    audienceTriggers,
    manualTriggers,
    exitOn,
    goal: s.goal
      ? { event: s.goal.event, withinMs: durationMs(s.goal.within), where: compileWhere(s.goal.where) }
      : null,
    reentry: s.reentry ?? { mode: "once" },
    frequencyCap: s.frequencyCap ? { max: s.frequencyCap.max, perMs: durationMs(s.frequencyCap.per) } : null,
    quietHours: s.quietHours ?? null,
    pins: ids.pins ?? {},
  };
}
