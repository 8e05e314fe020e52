/**
 * Connection rules enforced while the user drags an edge: the same rules the validator applies on save
 * (spec §1), checked early so an invalid edge cannot be drawn at all.
 */
import { edgePort, portsOf } from "../../../engine/schema";
import type { JourneyEdge, JourneyNode } from "../../../engine/schema";

export interface Connection {
  source: string | null;
  target: string | null;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export type ConnectionProblem =
  "missing" | "self" | "noPort" | "portUsed" | "intoTrigger" | "fromExit" | "cycleWithoutWait";

export type ActionPorts = (action: string) => readonly string[];

/** Ports of a node, tolerating half-filled data while the user is still editing it. */
export function safePortsOf(node: JourneyNode, actionPorts: ActionPorts = () => []): string[] {
  try {
    const ports = portsOf(node, actionPorts);
    return ports.filter((p): p is string => typeof p === "string" && p !== "");
  } catch {
    return [];
  }
}

/**
 * Why this connection may not be drawn, or null when it may. `ignoreEdgeId` lets an edge being
 * reconnected not block its own port.
 */
export function connectionProblem(
  conn: Connection,
  nodes: readonly JourneyNode[],
  edges: readonly JourneyEdge[],
  actionPorts: ActionPorts = () => [],
  ignoreEdgeId?: string,
): ConnectionProblem | null {
  if (!conn.source || !conn.target) return "missing";
  if (conn.source === conn.target) return "self";
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const source = byId.get(conn.source);
  const target = byId.get(conn.target);
  if (!source || !target) return "missing";
  if (source.type === "exit") return "fromExit";
  if (target.type === "trigger") return "intoTrigger";
  const port = edgePort({ sourceHandle: conn.sourceHandle });
  if (!safePortsOf(source, actionPorts).includes(port)) return "noPort";
  const live = edges.filter((e) => e.id !== ignoreEdgeId);
  if (live.some((e) => e.source === conn.source && edgePort(e) === port)) return "portUsed";
  if (createsCycleWithoutWait(conn.source, conn.target, byId, live)) return "cycleWithoutWait";
  return null;
}

/**
 * Adding source → target closes a cycle without a wait when neither end is a wait and the target already
 * reaches the source through nodes that are not waits.
 */
export function createsCycleWithoutWait(
  source: string,
  target: string,
  byId: ReadonlyMap<string, JourneyNode>,
  edges: readonly JourneyEdge[],
): boolean {
  const isWait = (id: string): boolean => byId.get(id)?.type === "wait";
  if (isWait(source) || isWait(target)) return false;
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (isWait(e.source) || isWait(e.target)) continue;
    const list = next.get(e.source);
    if (list) list.push(e.target);
    else next.set(e.source, [e.target]);
  }
  const seen = new Set<string>();
  const stack = [target];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === source) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const t of next.get(id) ?? []) stack.push(t);
  }
  return false;
}

/** Ports of a node that have no edge yet. */
export function freePorts(
  node: JourneyNode,
  edges: readonly JourneyEdge[],
  actionPorts: ActionPorts = () => [],
): string[] {
  const used = new Set(edges.filter((e) => e.source === node.id).map((e) => edgePort(e)));
  return safePortsOf(node, actionPorts).filter((p) => !used.has(p));
}
