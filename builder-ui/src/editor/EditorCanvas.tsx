/** The React Flow canvas of the editor and live view, with its empty state and toast. */
import type { DragEvent } from "react";
import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow } from "@xyflow/react";
import type { FlowEdge, FlowNode } from "../graph/convert";
import { useI18n } from "../i18n/i18n";
import { NODE_COMPONENTS } from "./nodes";
import type { GraphEditing } from "./useGraphEditing";

/** Above this many steps only the visible ones are rendered, to keep panning smooth. */
const VIRTUALIZE_ABOVE = 150;

export function EditorCanvas({
  nodes,
  edges,
  editing,
  readOnly,
  fitView,
  toast,
  onDrop,
  onNodeDragStart,
  onPaneClick,
}: {
  nodes: FlowNode[];
  edges: FlowEdge[];
  editing: Pick<
    GraphEditing,
    "onNodesChange" | "onEdgesChange" | "onConnect" | "onConnectEnd" | "isValidConnection"
  >;
  readOnly: boolean;
  fitView: boolean;
  toast: string | null;
  onDrop: (e: DragEvent) => void;
  onNodeDragStart: () => void;
  onPaneClick: () => void;
}) {
  const { t } = useI18n();
  return (
    <div
      className="canvas"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = "move";
      }}
      onDrop={onDrop}
      data-testid="canvas"
    >
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_COMPONENTS}
        onNodesChange={editing.onNodesChange}
        onEdgesChange={editing.onEdgesChange}
        onConnect={editing.onConnect}
        onConnectEnd={editing.onConnectEnd}
        isValidConnection={editing.isValidConnection}
        onNodeDragStart={onNodeDragStart}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={false}
        deleteKeyCode={readOnly ? null : ["Backspace", "Delete"]}
        multiSelectionKeyCode={["Meta", "Control", "Shift"]}
        defaultEdgeOptions={{ type: "smoothstep" }}
        fitView={fitView}
        defaultViewport={{ x: 0, y: 0, zoom: 1 }}
        fitViewOptions={{ padding: FIT_PADDING, maxZoom: 1.1 }}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements={nodes.length > VIRTUALIZE_ABOVE}
        proOptions={{ hideAttribution: true }}
        snapToGrid
        snapGrid={[8, 8]}
        onPaneClick={onPaneClick}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1} color="#d4d4d8" />
        <MiniMap
          pannable
          zoomable
          nodeStrokeWidth={3}
          nodeColor={minimapColor}
          maskColor="rgba(244,244,245,0.7)"
        />
        <Controls showInteractive={false} />
      </ReactFlow>
      {nodes.length === 0 && (
        <div className="canvas-empty">
          <div className="state-title">{t("editor.emptyTitle")}</div>
          <div className="state-text">{t("editor.emptyText")}</div>
        </div>
      )}
      {toast && (
        <div className="toast" role="status" data-testid="toast">
          {toast}
        </div>
      )}
    </div>
  );
}

/**
 * Room kept free when the graph is fitted to the canvas: the minimap sits in the bottom-right corner
 * (200 × 150 plus its margin) and the zoom controls bottom-left, so a fitted graph never lies under either.
 */
export const FIT_PADDING = { top: "32px", right: "240px", bottom: "40px", left: "64px" } as const;

function minimapColor(n: { type?: string }): string {
  switch (n.type) {
    case "trigger":
      return "#f97316";
    case "condition":
      return "#8b5cf6";
    case "wait":
      return "#0ea5e9";
    case "split":
      return "#14b8a6";
    case "exit":
      return "#71717a";
    case undefined:
    default:
      return "#22c55e";
  }
}
