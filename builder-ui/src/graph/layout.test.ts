import { describe, expect, it } from "vitest";
import type { JourneyEdge, JourneyNode } from "../../../engine/schema";
import { edgePort } from "../../../engine/schema";
import { autoLayout, overlaps } from "./layout";

/** Node boxes as the builder measures them in Chromium: a split with its arm rows is tallest. */
const SIZE: Record<string, { width: number; height: number }> = {
  trigger: { width: 240, height: 92 },
  condition: { width: 240, height: 110 },
  wait: { width: 240, height: 86 },
  split: { width: 240, height: 128 },
  action: { width: 240, height: 104 },
  exit: { width: 200, height: 64 },
};
const PORTS: Record<string, string[]> = {
  trigger: ["next"],
  condition: ["yes", "no"],
  wait: ["next", "timeout"],
  split: ["a", "b", "c"],
  action: ["next", "failed"],
  exit: [],
};

/** A seeded random journey of `count` nodes: a tree of branches that also rejoin (shared targets). */
function journey(count: number, seed: number): { nodes: JourneyNode[]; edges: JourneyEdge[] } {
  let s = seed;
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const types = ["condition", "wait", "split", "action", "action", "exit"];
  const nodes: JourneyNode[] = [
    { id: "n0", type: "trigger", position: { x: 0, y: 0 }, data: {} } as JourneyNode,
  ];
  const edges: JourneyEdge[] = [];
  const open: { id: string; port: string }[] = [{ id: "n0", port: "next" }];
  for (let i = 1; i < count; i++) {
    const type = types[Math.floor(rnd() * types.length)]!;
    const id = `n${i}`;
    nodes.push({ id, type, position: { x: 0, y: 0 }, data: {} } as JourneyNode);
    const from = open.splice(Math.floor(rnd() * open.length), 1)[0] ?? { id: nodes[i - 1]!.id, port: "next" };
    edges.push({ id: `e${i}`, source: from.id, sourceHandle: from.port, target: id });
    // Now and then a second way in: branches that meet again.
    if (i > 10 && rnd() < 0.15) {
      const other = nodes[Math.floor(rnd() * (i - 1))]!;
      const port = PORTS[other.type]![0];
      if (port && !edges.some((e) => e.source === other.id && edgePort(e) === port) && other.id !== id)
        edges.push({ id: `j${i}`, source: other.id, sourceHandle: port, target: id });
    }
    for (const p of PORTS[type]!) open.push({ id, port: p });
  }
  return { nodes, edges };
}

const boxes = (nodes: readonly JourneyNode[]) =>
  nodes.map((n) => ({ id: n.id, x: n.position.x, y: n.position.y, ...SIZE[n.type]! }));

describe("auto-layout never lies", () => {
  for (const seed of [1, 7, 42]) {
    it(`lays out a 200-node journey with no two node boxes overlapping (seed ${seed})`, () => {
      const { nodes, edges } = journey(200, seed);
      const order = (e: JourneyEdge): number => {
        const src = nodes.find((n) => n.id === e.source)!;
        return PORTS[src.type]!.indexOf(edgePort(e));
      };
      const out = autoLayout(nodes, edges, (n) => SIZE[n.type]!, order);
      const b = boxes(out);
      const hits: string[] = [];
      for (let i = 0; i < b.length; i++)
        for (let j = i + 1; j < b.length; j++)
          if (overlaps(b[i]!, b[j]!)) hits.push(`${b[i]!.id}×${b[j]!.id}`);
      expect(hits).toEqual([]);
      // Every edge runs downwards: its target starts below the bottom of its source, so no edge is drawn
      // back up underneath a node.
      const at = new Map(b.map((x) => [x.id, x]));
      for (const e of edges) {
        const s = at.get(e.source)!;
        expect(at.get(e.target)!.y, `${e.source}→${e.target}`).toBeGreaterThan(s.y + s.height);
      }
    });
  }
});
