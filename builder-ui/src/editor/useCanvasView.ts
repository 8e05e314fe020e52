/** What the canvas draws beyond the graph itself: issues per step, counts on edges, the nodes' context. */
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ValidationIssue } from "../../../engine/schema";
import { edgePort } from "../../../engine/schema";
import { api } from "../api/client";
import type {
  ActionType,
  JourneyStats,
  NodeStats,
  TemplateSummary,
  ValidateResult,
} from "../../../engine/schema";
import type { FlowEdge } from "../graph/convert";
import { factOptions } from "../graph/facts";
import type { FactEntry } from "../../../engine/schema";
import { useInterval } from "../ui/common";
import { EMPTY_ISSUES } from "./context";
import type { EditorEnv } from "./context";
import type { ArmRates } from "./useArmRates";

const LIVE_REFRESH_MS = 5000;

/** Per-node counts of the live journey, refreshed while the live view is open. */
export function useLiveStats(journeyId: string, mode: "edit" | "live"): JourneyStats | null {
  const [stats, setStats] = useState<JourneyStats | null>(null);
  const loadStats = useCallback(() => {
    if (mode !== "live") return;
    api.stats(journeyId).then(setStats, () => undefined);
  }, [journeyId, mode]);
  useEffect(loadStats, [loadStats]);
  useInterval(loadStats, mode === "live" ? LIVE_REFRESH_MS : null);
  return stats;
}

export function useCanvasView({
  mode,
  edges,
  validation,
  counts,
  facts: factEntries,
  actions,
  templates,
  actionPorts,
  armRates,
}: {
  mode: "edit" | "live";
  edges: FlowEdge[];
  validation: ValidateResult | null;
  /** Live stats in the live view, a dry run's counts in the editor, or none. */
  counts: Readonly<Record<string, NodeStats>> | null;
  facts: readonly FactEntry[];
  actions: readonly ActionType[];
  templates: readonly TemplateSummary[];
  actionPorts: (action: string) => readonly string[];
  armRates: ArmRates | null;
}): { env: EditorEnv; viewEdges: FlowEdge[] } {
  const facts = useMemo(() => factOptions(factEntries), [factEntries]);
  const issues = useMemo(() => validation?.issues ?? [], [validation]);
  const issuesByNode = useMemo(() => {
    const m = new Map<string, ValidationIssue[]>();
    for (const i of issues) if (i.nodeId) m.set(i.nodeId, [...(m.get(i.nodeId) ?? []), i]);
    return m;
  }, [issues]);
  const badEdges = useMemo(() => new Set(issues.flatMap((i) => (i.edgeId ? [i.edgeId] : []))), [issues]);

  const env: EditorEnv = useMemo(
    () => ({
      mode: mode === "live" ? "live" : "edit",
      facts,
      actions,
      templates,
      issuesByNode: mode === "live" ? EMPTY_ISSUES : issuesByNode,
      counts,
      actionPorts,
      armRates,
    }),
    [mode, facts, actions, templates, issuesByNode, counts, actionPorts, armRates],
  );

  const viewEdges = useMemo(
    () =>
      edges.map((e) => {
        const port = edgePort(e);
        const n = counts?.[e.source]?.ports?.[port];
        const bad = badEdges.has(e.id);
        const label = n !== undefined ? String(n) : undefined;
        return {
          ...e,
          className: [bad ? "edge-error" : "", `edge-port-${port}`].join(" "),
          ...(label ? { label, labelBgPadding: [6, 2] as [number, number], labelBgBorderRadius: 8 } : {}),
          ...(mode === "live" && (counts?.[e.source]?.waiting ?? 0) > 0 ? { animated: true } : {}),
        };
      }),
    [edges, badEdges, counts, mode],
  );

  return { env, viewEdges };
}
