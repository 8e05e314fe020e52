/** Auto-layout with dagre: top-to-bottom, ports ordered left to right as the node draws them. */
import dagre from "@dagrejs/dagre";
import type { JourneyEdge, JourneyNode } from "../../../engine/schema";

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 84;

export function autoLayout<N extends JourneyNode>(
  nodes: readonly N[],
  edges: readonly JourneyEdge[],
  size: (n: N) => { width: number; height: number } = () => ({ width: NODE_WIDTH, height: NODE_HEIGHT }),
): N[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "TB", nodesep: 48, ranksep: 72, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, size(n));
  const ids = new Set(nodes.map((n) => n.id));
  for (const e of edges) if (ids.has(e.source) && ids.has(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return nodes.map((n) => {
    const p = g.node(n.id) as { x: number; y: number; width: number; height: number } | undefined;
    if (!p) return n;
    return { ...n, position: { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) } };
  });
}
