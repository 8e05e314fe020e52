/**
 * Journey document ↔ React Flow state. The document's nodes and edges already use React Flow's shape
 * (spec §1), so conversion only separates the graph from the rest of the document and strips what React
 * Flow adds at run time (selection, measurements) before saving. A document saved unchanged comes back
 * identical.
 */
import type { Journey, JourneyEdge, JourneyNode, JourneySettings } from "../../../engine/schema";

/** A node as React Flow holds it: the document's node plus runtime fields. */
export type FlowNode = JourneyNode & {
  selected?: boolean;
  dragging?: boolean;
  measured?: { width?: number; height?: number };
};
export type FlowEdge = JourneyEdge & { selected?: boolean };

/** Everything in the document except the graph. */
export interface JourneyMeta {
  schemaVersion: 1;
  name: string;
  settings: JourneySettings;
  [extra: string]: unknown;
}

export interface FlowState {
  meta: JourneyMeta;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

const NODE_RUNTIME = [
  "selected",
  "dragging",
  "measured",
  "resizing",
  "positionAbsolute",
  "internals",
] as const;
const EDGE_RUNTIME = ["selected", "animated"] as const;

function clone<T>(v: T): T {
  return structuredClone(v);
}

export function journeyToFlow(doc: Journey): FlowState {
  const { nodes, edges, ...meta } = clone(doc);
  return { meta: meta, nodes: nodes, edges: edges };
}

function stripNode(n: FlowNode, original?: JourneyNode): JourneyNode {
  const out: Record<string, unknown> = { ...n };
  for (const k of NODE_RUNTIME) if (!(original && k in original)) delete out[k];
  return out as JourneyNode;
}
function stripEdge(e: FlowEdge, original?: JourneyEdge): JourneyEdge {
  const out: Record<string, unknown> = { ...e };
  for (const k of EDGE_RUNTIME) if (!(original && k in original)) delete out[k];
  return out as JourneyEdge;
}

/** The document to save. `original` keeps fields the document itself carried under a runtime name. */
export function flowToJourney(state: FlowState, original?: Journey): Journey {
  const origNodes = new Map((original?.nodes ?? []).map((n) => [n.id, n]));
  const origEdges = new Map((original?.edges ?? []).map((e) => [e.id, e]));
  return clone({
    ...state.meta,
    nodes: state.nodes.map((n) => stripNode(n, origNodes.get(n.id))),
    edges: state.edges.map((e) => stripEdge(e, origEdges.get(e.id))),
  });
}

/** A fresh id not used by any of `taken`, with a readable prefix per node type. */
export function freshId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let i = 1; ; i++) {
    const id = `${prefix}${i}`;
    if (!used.has(id)) return id;
  }
}

export const ID_PREFIX: Record<string, string> = {
  trigger: "t",
  condition: "c",
  wait: "w",
  split: "s",
  action: "a",
  exit: "x",
};

export function blankJourney(name: string, timezone = "Asia/Shanghai"): Journey {
  return {
    schemaVersion: 1,
    name,
    settings: { timezone, reentry: { mode: "once" } },
    nodes: [],
    edges: [],
  };
}
