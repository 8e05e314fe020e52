/** Edits to the graph's steps and connections, each one undoable, none allowed when the editor is read-only. */
import { useCallback, useRef } from "react";
import { applyEdgeChanges, applyNodeChanges } from "@xyflow/react";
import type {
  Connection,
  Edge,
  EdgeChange,
  FinalConnectionState,
  IsValidConnection,
  NodeChange,
} from "@xyflow/react";
import type { JourneyNode } from "../../../engine/schema";
import { edgePort } from "../../../engine/schema";
import { freshId } from "../graph/convert";
import type { FlowEdge, FlowNode } from "../graph/convert";
import { connectionProblem, safePortsOf } from "../graph/rules";
import type { ConnectionProblem } from "../graph/rules";
import { useI18n } from "../i18n/i18n";
import type { DraftGraph } from "./useDraftGraph";
import type { UndoHistory } from "./useUndoHistory";

export interface GraphEditing {
  onNodesChange: (changes: NodeChange<FlowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<FlowEdge>[]) => void;
  isValidConnection: IsValidConnection<FlowEdge>;
  onConnect: (c: Connection) => void;
  onConnectEnd: (e: MouseEvent | TouchEvent, state: FinalConnectionState) => void;
  /** Replace a step's settings; `renamePort` carries its connections over when a port is renamed. */
  updateNodeData: (id: string, data: Record<string, unknown>, renamePort?: [string, string]) => void;
  deleteSelected: () => void;
}

export function useGraphEditing({
  graph,
  snapshot,
  readOnly,
  actionPorts,
  showToast,
}: {
  graph: Pick<DraftGraph, "setNodes" | "setEdges" | "current">;
  snapshot: UndoHistory["snapshot"];
  readOnly: boolean;
  actionPorts: (action: string) => readonly string[];
  showToast: (msg: string) => void;
}): GraphEditing {
  const { t } = useI18n();
  const { setNodes, setEdges, current } = graph;

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const allowed = readOnly
        ? changes.filter((c) => c.type === "select" || c.type === "dimensions")
        : changes;
      if (allowed.some((c) => c.type === "remove")) snapshot();
      setNodes((ns) => applyNodeChanges(allowed, ns));
    },
    [readOnly, snapshot, setNodes],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      const allowed = readOnly ? changes.filter((c) => c.type === "select") : changes;
      if (allowed.some((c) => c.type === "remove")) snapshot();
      setEdges((es) => applyEdgeChanges(allowed, es));
    },
    [readOnly, snapshot, setEdges],
  );

  // React Flow asks whether a connection is valid while dragging; the reason is shown once it is dropped.
  const lastProblem = useRef<ConnectionProblem | null>(null);
  const isValidConnection: IsValidConnection<FlowEdge> = useCallback(
    (c: Connection | Edge | FlowEdge) => {
      const s = current.current;
      const problem = connectionProblem(c, s.nodes, s.edges, actionPorts);
      lastProblem.current = problem;
      return problem === null;
    },
    [actionPorts, current],
  );
  const onConnect = useCallback(
    (c: Connection) => {
      const s = current.current;
      if (connectionProblem(c, s.nodes, s.edges, actionPorts) !== null) return;
      snapshot();
      const id = freshId(
        "e",
        s.edges.map((e) => e.id),
      );
      const edge: FlowEdge = { id, source: c.source, target: c.target };
      if (c.sourceHandle && c.sourceHandle !== "next") edge.sourceHandle = c.sourceHandle;
      setEdges((es) => [...es, edge]);
    },
    [actionPorts, snapshot, current, setEdges],
  );
  const onConnectEnd = useCallback(
    (e: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      let p = lastProblem.current;
      lastProblem.current = null;
      // Dropped on a step's body rather than on its entry handle: connect to the step all the same (a miss of
      // a few pixels is no reason to drop the drag without a word), or say why it cannot be connected.
      const target = state.isValid ? null : stepUnder(e);
      if (target && state.fromNode && state.fromHandle?.type === "source" && target !== state.fromNode.id) {
        const c: Connection = {
          source: state.fromNode.id,
          sourceHandle: state.fromHandle.id ?? null,
          target,
          targetHandle: null,
        };
        const s = current.current;
        p = connectionProblem(c, s.nodes, s.edges, actionPorts);
        if (p === null) {
          onConnect(c);
          return;
        }
      }
      if (p && p !== "missing") showToast(t(`conn.${p}`));
    },
    [t, showToast, current, actionPorts, onConnect],
  );

  const updateNodeData = useCallback(
    (id: string, data: Record<string, unknown>, renamePort?: [string, string]) => {
      snapshot(`data:${id}`, 1200);
      setNodes((ns) => ns.map((n) => (n.id === id ? ({ ...n, data } as FlowNode) : n)));
      setEdges((es) => {
        let out = es;
        if (renamePort)
          out = out.map((e) =>
            e.source === id && edgePort(e) === renamePort[0] ? { ...e, sourceHandle: renamePort[1] } : e,
          );
        const node = current.current.nodes.find((n) => n.id === id);
        if (!node) return out;
        const ports = safePortsOf({ ...node, data } as JourneyNode, actionPorts);
        if (renamePort) return out;
        return out.filter((e) => e.source !== id || ports.includes(edgePort(e)));
      });
    },
    [snapshot, actionPorts, current, setNodes, setEdges],
  );

  const deleteSelected = useCallback(() => {
    const s = current.current;
    const ids = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
    if (ids.size === 0 && !s.edges.some((e) => e.selected)) return;
    snapshot();
    setNodes((ns) => ns.filter((n) => !ids.has(n.id)));
    setEdges((es) => es.filter((e) => !e.selected && !ids.has(e.source) && !ids.has(e.target)));
  }, [snapshot, current, setNodes, setEdges]);

  return {
    onNodesChange,
    onEdgesChange,
    isValidConnection,
    onConnect,
    onConnectEnd,
    updateNodeData,
    deleteSelected,
  };
}

/** The id of the step drawn where a drag ended, if any. */
function stepUnder(e: MouseEvent | TouchEvent): string | null {
  const point = "changedTouches" in e ? e.changedTouches[0] : e;
  if (!point) return null;
  const el = document.elementFromPoint(point.clientX, point.clientY);
  return el?.closest<HTMLElement>(".react-flow__node")?.dataset.id ?? null;
}
