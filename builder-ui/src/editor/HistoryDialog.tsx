/** Version history with a visual diff: the newer graph, added and changed steps marked, removed ones ghosted. */
import { useMemo, useState } from "react";
import { ReactFlow, ReactFlowProvider, Background, BackgroundVariant, Controls } from "@xyflow/react";
import { diffJourneys } from "../../../engine/schema";
import type { Journey } from "../../../engine/schema";
import { api } from "../api/client";
import type { FlowEdge, FlowNode } from "../graph/convert";
import { factOptions } from "../graph/facts";
import { useI18n } from "../i18n/i18n";
import { Empty, ErrorState, Loading, Modal, useAsync } from "../ui/common";
import { EditorContext, EMPTY_ISSUES } from "./context";
import type { DiffStatus, EditorEnv } from "./context";
import type { Catalog } from "./catalog";
import { NODE_COMPONENTS } from "./nodes";
import { DiffChips } from "./DiffChips";

const DRAFT = "draft";

export function HistoryDialog({
  journeyId,
  draft,
  onClose,
  catalog,
}: {
  journeyId: string;
  draft: Journey;
  onClose: () => void;
  catalog: Catalog;
}) {
  const { t, formatDate } = useI18n();
  const versions = useAsync(() => api.versions(journeyId), [journeyId]);
  const list = useMemo(
    () => [...(versions.data ?? [])].sort((a, b) => b.version - a.version),
    [versions.data],
  );
  const [after, setAfter] = useState<string>(DRAFT);
  const [before, setBefore] = useState<string>("");
  const beforeV = before || (list[0] ? String(list[0].version) : "");
  // The draft as the dialog opened (the editor builds a new object each render; the modal blocks edits).
  const [openedDraft] = useState(draft);
  const docs = useAsync(async () => {
    const load = async (v: string): Promise<Journey | null> =>
      v === DRAFT ? openedDraft : v ? (await api.version(journeyId, Number(v))).doc : null;
    return { before: await load(beforeV), after: await load(after) };
  }, [journeyId, beforeV, after, openedDraft]);

  return (
    <Modal title={t("history.title")} onClose={onClose} wide testId="history-dialog">
      {versions.loading ? (
        <Loading />
      ) : versions.error ? (
        <ErrorState error={versions.error} onRetry={versions.reload} />
      ) : list.length === 0 ? (
        <Empty title={t("history.empty")} text={t("history.emptyText")} />
      ) : (
        <div className="history">
          <div className="history-list">
            <div className="field-label">{t("history.versions")}</div>
            <ul>
              {list.map((v) => (
                <li key={v.version} className={String(v.version) === beforeV ? "active" : ""}>
                  <button onClick={() => setBefore(String(v.version))}>
                    <b>v{v.version}</b>
                    <span className="muted small">{formatDate(v.publishedAt)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
          <div className="history-main">
            <div className="history-pick">
              <label>
                {t("history.compare")}
                <select value={beforeV} onChange={(e) => setBefore(e.target.value)}>
                  {list.map((v) => (
                    <option key={v.version} value={v.version}>
                      v{v.version}
                    </option>
                  ))}
                </select>
              </label>
              <span>→</span>
              <label>
                <select value={after} onChange={(e) => setAfter(e.target.value)}>
                  <option value={DRAFT}>{t("history.draft")}</option>
                  {list.map((v) => (
                    <option key={v.version} value={v.version}>
                      v{v.version}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {docs.loading ? (
              <Loading />
            ) : docs.error ? (
              <ErrorState error={docs.error} />
            ) : docs.data?.before && docs.data.after ? (
              <DiffView before={docs.data.before} after={docs.data.after} catalog={catalog} />
            ) : null}
          </div>
        </div>
      )}
    </Modal>
  );
}

function DiffView({ before, after, catalog }: { before: Journey; after: Journey; catalog: Catalog }) {
  const diff = useMemo(() => diffJourneys(before, after), [before, after]);
  const { nodes, edges, status } = useMemo(() => {
    const status = new Map<string, DiffStatus>();
    for (const n of after.nodes)
      status.set(
        n.id,
        diff.nodes.added.includes(n.id) ? "added" : diff.nodes.changed.includes(n.id) ? "changed" : "same",
      );
    const removed = before.nodes.filter((n) => diff.nodes.removed.includes(n.id));
    for (const n of removed) status.set(n.id, "removed");
    const nodes = [...after.nodes, ...removed].map((n) => ({
      ...n,
      draggable: false,
      connectable: false,
    })) as FlowNode[];
    const addedE = new Set(diff.edges.added);
    const edges: FlowEdge[] = [
      ...after.edges.map((e) => ({ ...e, className: addedE.has(e.id) ? "edge-added" : "" })),
      ...before.edges
        .filter((e) => diff.edges.removed.includes(e.id))
        .map((e) => ({ ...e, id: `removed-${e.id}`, className: "edge-removed" })),
    ];
    return { nodes, edges, status };
  }, [before, after, diff]);
  const env: EditorEnv = useMemo(
    () => ({
      mode: "diff",
      facts: factOptions(catalog.facts),
      actions: catalog.nodeTypes.actions,
      templates: catalog.templates,
      issuesByNode: EMPTY_ISSUES,
      counts: null,
      diff: status,
      actionPorts: (a: string) => catalog.nodeTypes.actions.find((x) => x.type === a)?.ports ?? [],
    }),
    [catalog, status],
  );
  return (
    <>
      <DiffChips diff={diff} />
      <div className="diff-canvas">
        <EditorContext.Provider value={env}>
          <ReactFlowProvider>
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={NODE_COMPONENTS}
              nodesDraggable={false}
              nodesConnectable={false}
              elementsSelectable={false}
              fitView
              proOptions={{ hideAttribution: true }}
              defaultEdgeOptions={{ type: "smoothstep" }}
            >
              <Background variant={BackgroundVariant.Dots} gap={16} size={1} color="#d4d4d8" />
              <Controls showInteractive={false} />
            </ReactFlow>
          </ReactFlowProvider>
        </EditorContext.Provider>
      </div>
    </>
  );
}
