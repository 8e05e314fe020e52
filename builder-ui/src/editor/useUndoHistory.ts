/** Undo and redo for the editor: snapshots taken before each change, typing coalesced into one step. */
import { useCallback, useRef, useState } from "react";
import type { RefObject } from "react";
import { History } from "../graph/history";
import type { GraphSnap } from "./useDraftGraph";

export interface UndoHistory {
  /** Record the graph before a change; calls with the same key within `coalesceMs` make one step. */
  snapshot: (key?: string, coalesceMs?: number) => void;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
}

export function useUndoHistory(current: RefObject<GraphSnap>, restore: (s: GraphSnap) => void): UndoHistory {
  const history = useRef(new History<GraphSnap>());
  const lastPush = useRef<{ key: string; at: number }>({ key: "", at: 0 });
  const [can, setCan] = useState({ undo: false, redo: false });
  const sync = useCallback(
    () => setCan({ undo: history.current.canUndo, redo: history.current.canRedo }),
    [],
  );

  const snapshot = useCallback(
    (key = "", coalesceMs = 0): void => {
      const now = Date.now();
      if (key && lastPush.current.key === key && now - lastPush.current.at < coalesceMs) {
        lastPush.current.at = now;
        return;
      }
      lastPush.current = { key, at: now };
      const s = current.current;
      history.current.push({
        meta: s.meta,
        nodes: s.nodes.map((n) => ({ ...n, selected: false })),
        edges: s.edges,
      });
      sync();
    },
    [current, sync],
  );

  const apply = useCallback(
    (s: GraphSnap | undefined): void => {
      if (!s) return;
      restore(s);
      sync();
    },
    [restore, sync],
  );
  const undo = useCallback(() => apply(history.current.undo(current.current)), [apply, current]);
  const redo = useCallback(() => apply(history.current.redo(current.current)), [apply, current]);

  return { snapshot, undo, redo, canUndo: can.undo, canRedo: can.redo };
}
