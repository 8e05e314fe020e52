/** Auto-layout with dagre: top-to-bottom, ports ordered left to right as the node draws them. */
import dagre from "@dagrejs/dagre";
import type { JourneyEdge, JourneyNode } from "../../../engine/schema";

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 84;
/** The least room between two nodes side by side (dagre's `nodesep`). */
const NODE_GAP = 48;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether two node boxes (top-left corner and size) share any area. */
export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export function autoLayout<N extends JourneyNode>(
  nodes: readonly N[],
  edges: readonly JourneyEdge[],
  size: (n: N) => { width: number; height: number } = () => ({ width: NODE_WIDTH, height: NODE_HEIGHT }),
  portIndex?: (e: JourneyEdge) => number,
): N[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "TB", nodesep: NODE_GAP, ranksep: 72, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  // A copy per node: dagre writes its results (x, y, rank) into the label object it is given.
  for (const n of nodes) {
    const { width, height } = size(n);
    g.setNode(n.id, { width, height });
  }
  const ids = new Set(nodes.map((n) => n.id));
  for (const e of edges) if (ids.has(e.source) && ids.has(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const pos = new Map<string, { x: number; y: number; width: number; height: number }>();
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number; width: number; height: number } | undefined;
    if (p) pos.set(n.id, { ...p });
  }
  // Dagre does not know ports: put the children of one node left to right in the order its ports are drawn
  // (yes before no, matched before timeout), so edges do not cross.
  if (portIndex) {
    const parents = new Map<string, number>();
    for (const e of edges) parents.set(e.target, (parents.get(e.target) ?? 0) + 1);
    const bySource = new Map<string, JourneyEdge[]>();
    for (const e of edges)
      if (ids.has(e.target)) bySource.set(e.source, [...(bySource.get(e.source) ?? []), e]);
    for (const list of bySource.values()) {
      const kids = list.filter((e) => parents.get(e.target) === 1 && pos.has(e.target));
      if (kids.length < 2) continue;
      const xs = kids.map((e) => pos.get(e.target)!.x).sort((a, b) => a - b);
      [...kids]
        .sort((a, b) => portIndex(a) - portIndex(b))
        .forEach((e, i) => {
          const p = pos.get(e.target)!;
          const dx = xs[i]! - p.x;
          if (dx !== 0) shiftSubtree(e.target, dx, pos, bySource, parents);
        });
    }
  }
  separateRanks(pos, NODE_GAP);
  return nodes.map((n) => {
    const p = pos.get(n.id);
    if (!p) return n;
    return { ...n, position: { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) } };
  });
}

/**
 * Moving subtrees into port order can leave two nodes of one rank on top of each other when the subtrees
 * differ in width: walk each rank (nodes dagre put at one height) left to right and push any node that
 * would touch its left neighbour to the right, so no two boxes overlap whatever the swaps did.
 */
function separateRanks(pos: Map<string, { x: number; y: number; width: number }>, gap: number): void {
  const ranks = new Map<number, { x: number; y: number; width: number }[]>();
  for (const p of pos.values()) ranks.set(p.y, [...(ranks.get(p.y) ?? []), p]);
  for (const rank of ranks.values()) {
    rank.sort((a, b) => a.x - b.x);
    for (let i = 1; i < rank.length; i++) {
      const left = rank[i - 1]!;
      const p = rank[i]!;
      const least = left.x + left.width / 2 + gap + p.width / 2;
      if (p.x < least) p.x = least;
    }
  }
}

/** Moves a node and the nodes only it leads to (a tree below it) sideways. */
function shiftSubtree(
  id: string,
  dx: number,
  pos: Map<string, { x: number }>,
  bySource: ReadonlyMap<string, readonly JourneyEdge[]>,
  parents: ReadonlyMap<string, number>,
  seen = new Set<string>(),
): void {
  if (seen.has(id)) return;
  seen.add(id);
  const p = pos.get(id);
  if (p) p.x += dx;
  for (const e of bySource.get(id) ?? [])
    if (parents.get(e.target) === 1) shiftSubtree(e.target, dx, pos, bySource, parents, seen);
}
