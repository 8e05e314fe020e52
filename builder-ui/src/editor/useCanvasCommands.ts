/** Commands that place steps on the visible canvas: add from the palette, drop, auto-layout, focus a step. */
import { useCallback, useMemo } from "react";
import type { DragEvent } from "react";
import { useReactFlow } from "@xyflow/react";
import { edgePort } from "../../../engine/schema";
import type { ActionType, TemplateSummary } from "../../../engine/schema";
import { ID_PREFIX, freshId } from "../graph/convert";
import type { FlowEdge, FlowNode } from "../graph/convert";
import { autoLayout } from "../graph/layout";
import { FIT_PADDING } from "./EditorCanvas";
import { safePortsOf } from "../graph/rules";
import { useI18n } from "../i18n/i18n";
import { DRAG_MIME, actionItem, controlItems } from "./Palette";
import type { PaletteItem } from "./Palette";
import type { DraftGraph } from "./useDraftGraph";
import type { UndoHistory } from "./useUndoHistory";

export interface CanvasCommands {
  addNode: (item: PaletteItem, position?: { x: number; y: number }) => void;
  onDrop: (e: DragEvent) => void;
  layout: () => void;
  focusNode: (id: string) => void;
}

export function useCanvasCommands({
  graph,
  snapshot,
  readOnly,
  actions,
  templates,
  actionPorts,
  showStepTab,
}: {
  graph: Pick<DraftGraph, "setNodes" | "setEdges" | "current">;
  snapshot: UndoHistory["snapshot"];
  readOnly: boolean;
  actions: readonly ActionType[];
  templates: readonly TemplateSummary[];
  actionPorts: (action: string) => readonly string[];
  /** Brings the inspector's step tab forward for the step just added or focused. */
  showStepTab: () => void;
}): CanvasCommands {
  const { t, pick } = useI18n();
  const rf = useReactFlow<FlowNode, FlowEdge>();
  const { setNodes, setEdges, current } = graph;

  const palette = useMemo(
    () => [...controlItems(t), ...actions.map((a) => actionItem(a, templates, pick))],
    [t, actions, templates, pick],
  );

  const addNode = useCallback(
    (item: PaletteItem, position?: { x: number; y: number }) => {
      const s = current.current;
      snapshot();
      const id = freshId(
        ID_PREFIX[item.type] ?? "n",
        s.nodes.map((n) => n.id),
      );
      let pos = position;
      if (!pos) {
        // Added by click: the middle of the visible canvas, fanned out so repeated adds do not stack.
        const el = document.querySelector(".canvas");
        const r = el?.getBoundingClientRect();
        pos = rf.screenToFlowPosition({
          x: (r?.left ?? 0) + (r?.width ?? 800) / 2,
          y: (r?.top ?? 0) + (r?.height ?? 600) / 2,
        });
        pos = { x: pos.x - 120 + (s.nodes.length % 5) * 16, y: pos.y - 40 + (s.nodes.length % 5) * 16 };
      }
      const node = {
        id,
        type: item.type,
        position: { x: Math.round(pos.x), y: Math.round(pos.y) },
        data: structuredClone(item.data),
        selected: true,
      } as FlowNode;
      setNodes((ns) => [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), node]);
      setEdges((es) => es.map((e) => (e.selected ? { ...e, selected: false } : e)));
      showStepTab();
    },
    [rf, snapshot, current, setNodes, setEdges, showStepTab],
  );

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      if (readOnly) return;
      const key = e.dataTransfer.getData(DRAG_MIME);
      const item = palette.find((p) => p.key === key);
      if (!item) return;
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addNode(item, { x: p.x - 120, y: p.y - 30 });
    },
    [palette, rf, addNode, readOnly],
  );

  const layout = useCallback(() => {
    snapshot();
    const byId = new Map(current.current.nodes.map((n) => [n.id, n]));
    const portIndex = (e: FlowEdge): number => {
      const src = byId.get(e.source);
      return src ? safePortsOf(src, actionPorts).indexOf(edgePort(e)) : 0;
    };
    setNodes((ns) =>
      autoLayout(
        ns,
        current.current.edges,
        (n) => ({ width: n.measured?.width ?? 240, height: n.measured?.height ?? 90 }),
        portIndex,
      ),
    );
    window.setTimeout(() => void rf.fitView({ padding: FIT_PADDING, duration: 300, maxZoom: 1 }), 50);
  }, [rf, snapshot, actionPorts, current, setNodes]);

  const focusNode = useCallback(
    (id: string) => {
      const n = current.current.nodes.find((x) => x.id === id);
      if (!n) return;
      setNodes((ns) => ns.map((x) => ({ ...x, selected: x.id === id })));
      showStepTab();
      void rf.setCenter(n.position.x + 120, n.position.y + 45, {
        zoom: Math.max(rf.getZoom(), 1),
        duration: 300,
      });
    },
    [rf, current, setNodes, showStepTab],
  );

  return { addNode, onDrop, layout, focusNode };
}
