/** Copy, paste and duplicate of selected steps, and the editor's keyboard shortcuts. */
import { useCallback, useEffect, useRef } from "react";
import { ID_PREFIX, freshId } from "../graph/convert";
import type { FlowEdge, FlowNode } from "../graph/convert";
import { useI18n } from "../i18n/i18n";
import type { DraftGraph } from "./useDraftGraph";
import type { UndoHistory } from "./useUndoHistory";

const PASTE_OFFSET = 40;

export function useClipboard({
  graph,
  snapshot,
  showToast,
}: {
  graph: Pick<DraftGraph, "setNodes" | "setEdges" | "current">;
  snapshot: UndoHistory["snapshot"];
  showToast: (msg: string) => void;
}): { copy: () => void; paste: () => void } {
  const { t } = useI18n();
  const { setNodes, setEdges, current } = graph;
  const clipboard = useRef<{ nodes: FlowNode[]; edges: FlowEdge[] } | null>(null);

  const copy = useCallback(() => {
    const s = current.current;
    const sel = s.nodes.filter((n) => n.selected);
    if (sel.length === 0) return;
    const ids = new Set(sel.map((n) => n.id));
    clipboard.current = {
      nodes: structuredClone(sel),
      edges: structuredClone(s.edges.filter((e) => ids.has(e.source) && ids.has(e.target))),
    };
    showToast(t("editor.copied", { n: sel.length }));
  }, [t, current, showToast]);

  const paste = useCallback(() => {
    const clip = clipboard.current;
    if (!clip) return;
    const s = current.current;
    snapshot();
    const taken = new Set(s.nodes.map((n) => n.id));
    const map = new Map<string, string>();
    const newNodes = clip.nodes.map((n) => {
      const id = freshId(ID_PREFIX[n.type] ?? "n", taken);
      taken.add(id);
      map.set(n.id, id);
      return {
        ...structuredClone(n),
        id,
        position: { x: n.position.x + PASTE_OFFSET, y: n.position.y + PASTE_OFFSET },
        selected: true,
      };
    });
    const takenE = new Set(s.edges.map((e) => e.id));
    const newEdges = clip.edges.map((e) => {
      const id = freshId("e", takenE);
      takenE.add(id);
      return { ...e, id, source: map.get(e.source)!, target: map.get(e.target)!, selected: false };
    });
    setNodes((ns) => [...ns.map((n) => ({ ...n, selected: false })), ...newNodes]);
    setEdges((es) => [...es, ...newEdges]);
    // The next paste lands further along rather than on top of this one.
    clipboard.current = { nodes: newNodes.map((n) => ({ ...n, selected: false })), edges: newEdges };
  }, [snapshot, current, setNodes, setEdges]);

  return { copy, paste };
}

const isTyping = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

/** Ctrl/Cmd + Z, Shift+Z or Y, C, V and D, ignored while typing in a field or when read-only. */
export function useEditorShortcuts(
  { undo, redo, copy, paste }: { undo: () => void; redo: () => void; copy: () => void; paste: () => void },
  readOnly: boolean,
): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e.target) || readOnly) return;
      const mod = e.metaKey || e.ctrlKey;
      const k = e.key.toLowerCase();
      if (mod && k === "z" && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if (mod && ((k === "z" && e.shiftKey) || k === "y")) {
        e.preventDefault();
        redo();
      } else if (mod && k === "c") copy();
      else if (mod && k === "v") {
        e.preventDefault();
        paste();
      } else if (mod && k === "d") {
        e.preventDefault();
        copy();
        paste();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo, copy, paste, readOnly]);
}
