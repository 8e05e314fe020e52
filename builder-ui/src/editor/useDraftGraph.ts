/** The graph being edited (settings, steps, connections) and a ref to its latest value for event handlers. */
import { useRef, useState } from "react";
import type { Dispatch, RefObject, SetStateAction } from "react";
import type { FlowEdge, FlowNode, JourneyMeta } from "../graph/convert";

export interface GraphSnap {
  meta: JourneyMeta;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export interface DraftGraph extends GraphSnap {
  setMeta: Dispatch<SetStateAction<JourneyMeta>>;
  setNodes: Dispatch<SetStateAction<FlowNode[]>>;
  setEdges: Dispatch<SetStateAction<FlowEdge[]>>;
  /** The graph as of the last render: handlers registered once still see today's graph. */
  current: RefObject<GraphSnap>;
  restore: (s: GraphSnap) => void;
}

export function useDraftGraph(initial: GraphSnap): DraftGraph {
  const [meta, setMeta] = useState<JourneyMeta>(initial.meta);
  const [nodes, setNodes] = useState<FlowNode[]>(initial.nodes);
  const [edges, setEdges] = useState<FlowEdge[]>(initial.edges);
  const current = useRef<GraphSnap>({ meta, nodes, edges });
  current.current = { meta, nodes, edges };
  const restore = useRef((s: GraphSnap): void => {
    setMeta(s.meta);
    setNodes(s.nodes);
    setEdges(s.edges);
  }).current;
  return { meta, nodes, edges, setMeta, setNodes, setEdges, current, restore };
}
