/**
 * The journey editor and its live view, composed from hooks that each own one concern: the draft graph,
 * its undo history, saving and validation, the journey's lifecycle, and edits to the canvas.
 */
import { useCallback, useMemo, useState } from "react";
import type { Journey } from "../../../engine/schema";
import type { JourneyDetail, NodeStats } from "../../../engine/schema";
import { journeyToFlow } from "../graph/convert";
import { useI18n } from "../i18n/i18n";
import { useSession } from "../session";
import type { Catalog } from "./catalog";
import { EditorContext } from "./context";
import { DryRunDialog } from "./DryRunDialog";
import { EditorCanvas } from "./EditorCanvas";
import { EditorToolbar } from "./EditorToolbar";
import type { EditorDialog } from "./EditorToolbar";
import { HistoryDialog } from "./HistoryDialog";
import { InspectorAside } from "./InspectorAside";
import type { InspectorTab } from "./InspectorAside";
import { IssuePanel } from "./IssuePanel";
import { LivePanel } from "./LivePanel";
import { Palette } from "./Palette";
import { PublishDialog } from "./PublishDialog";
import { useCanvasCommands } from "./useCanvasCommands";
import { useArmRates } from "./useArmRates";
import { useCanvasView, useLiveStats } from "./useCanvasView";
import { useClipboard, useEditorShortcuts } from "./useClipboard";
import { useDraftGraph } from "./useDraftGraph";
import { useDraftSync } from "./useDraftSync";
import { useGraphEditing } from "./useGraphEditing";
import { publishGate, useLifecycle } from "./useLifecycle";
import { useToast } from "./useToast";
import { useUndoHistory } from "./useUndoHistory";

export function Editor({
  journey,
  doc,
  catalog,
  mode,
  reloadJourney,
}: {
  journey: JourneyDetail;
  doc: Journey;
  catalog: Catalog;
  mode: "edit" | "live";
  reloadJourney: () => void;
}) {
  const { t } = useI18n();
  const { allows } = useSession();
  const initial = useMemo(() => journeyToFlow(doc), [doc]);
  const graph = useDraftGraph(initial);
  const { meta, nodes, edges, setMeta } = graph;
  const { toast, showToast } = useToast();
  const life = useLifecycle(journey, showToast, reloadJourney);
  const readOnly = mode === "live" || !allows("saveDraft") || life.status === "archived";
  const { snapshot, undo, redo, canUndo, canRedo } = useUndoHistory(graph.current, graph.restore);
  const sync = useDraftSync({ journeyId: journey.id, doc, initial, graph, current: graph.current, readOnly });
  const stats = useLiveStats(journey.id, mode);
  const armRates = useArmRates(journey.id, life.liveVersion !== null && life.liveVersion !== undefined);
  const [dialog, setDialog] = useState<EditorDialog | null>(null);
  const [tab, setTab] = useState<InspectorTab>("step");
  const [dryCounts, setDryCounts] = useState<Record<string, NodeStats> | null>(null);
  const [issuesOpen, setIssuesOpen] = useState(false);

  const actions = catalog.nodeTypes.actions;
  const actionPorts = useCallback((a: string) => actions.find((x) => x.type === a)?.ports ?? [], [actions]);
  const showStepTab = useCallback(() => setTab("step"), []);
  const editing = useGraphEditing({ graph, snapshot, readOnly, actionPorts, showToast });
  const commands = useCanvasCommands({
    graph,
    snapshot,
    readOnly,
    actions,
    templates: catalog.templates,
    actionPorts,
    showStepTab,
  });
  const { copy, paste } = useClipboard({ graph, snapshot, showToast });
  useEditorShortcuts({ undo, redo, copy, paste }, readOnly);

  const { env, viewEdges } = useCanvasView({
    mode,
    edges,
    validation: sync.validation,
    counts: mode === "live" ? (stats?.nodes ?? null) : dryCounts,
    facts: catalog.facts,
    actions,
    templates: catalog.templates,
    actionPorts,
    armRates,
  });
  const { canPublish, publishHint } = publishGate(
    {
      readOnly,
      validation: sync.validation,
      validating: sync.validating,
      save: sync.save,
      empty: nodes.length === 0,
      unchangedSincePublish: life.publishedText !== null && life.publishedText === sync.lastSaved.current,
    },
    t,
  );

  return (
    <EditorContext.Provider value={env}>
      <div className={`editor editor-${mode}`} data-testid="editor" data-mode={mode}>
        <EditorToolbar
          journeyId={journey.id}
          name={meta.name}
          mode={mode}
          readOnly={readOnly}
          status={life.status}
          liveVersion={life.liveVersion}
          save={sync.save}
          saveError={sync.saveError}
          canUndo={canUndo}
          canRedo={canRedo}
          onUndo={undo}
          onRedo={redo}
          onLayout={commands.layout}
          onOpen={setDialog}
          canPublish={canPublish}
          publishHint={publishHint}
          onPauseResume={life.pauseResume}
        />
        <div className="editor-body">
          {mode === "edit" && (
            <Palette
              actions={actions}
              templates={catalog.templates}
              onAdd={(i) => commands.addNode(i)}
              disabled={readOnly}
            />
          )}
          <div className="canvas-col">
            {dryCounts && mode === "edit" && (
              <div className="overlay-banner">
                {t("dry.overlay")}
                <button className="btn btn-sm btn-ghost" onClick={() => setDryCounts(null)}>
                  {t("common.clear")}
                </button>
              </div>
            )}
            {mode === "live" && stats && <LivePanel stats={stats} journeyId={journey.id} />}
            <EditorCanvas
              nodes={nodes}
              edges={viewEdges}
              editing={editing}
              readOnly={readOnly}
              fitView={initial.nodes.length > 0}
              toast={toast}
              onDrop={commands.onDrop}
              onNodeDragStart={() => snapshot()}
              onPaneClick={showStepTab}
            />
            {mode === "edit" && (
              <IssuePanel
                validation={sync.validation}
                validating={sync.validating}
                open={issuesOpen}
                onToggle={() => setIssuesOpen((o) => !o)}
                onFocus={commands.focusNode}
                nodes={nodes}
              />
            )}
          </div>
          <InspectorAside
            tab={tab}
            onTab={setTab}
            journeyId={journey.id}
            mode={mode}
            readOnly={readOnly}
            meta={meta}
            onMetaChange={(m) => {
              snapshot("meta", 1200);
              setMeta(m);
            }}
            nodes={nodes}
            stats={stats}
            onNodeChange={editing.updateNodeData}
            onDelete={editing.deleteSelected}
          />
        </div>
        {dialog === "publish" && (
          <PublishDialog
            journeyId={journey.id}
            liveVersion={life.liveVersion}
            live={life.status === "live"}
            doc={sync.docNow()}
            catalog={catalog}
            onClose={() => setDialog(null)}
            onPublished={(version) => {
              setDialog(null);
              life.onPublished(version, sync.lastSaved.current);
            }}
            onInvalid={(issuesFromServer) => {
              setDialog(null);
              sync.setValidation({
                ok: false,
                issues: issuesFromServer,
                warnings: sync.validation?.warnings ?? [],
              });
              setIssuesOpen(true);
            }}
          />
        )}
        {dialog === "history" && (
          <HistoryDialog
            journeyId={journey.id}
            draft={sync.docNow()}
            onClose={() => setDialog(null)}
            catalog={catalog}
          />
        )}
        {dialog === "dryrun" && (
          <DryRunDialog
            journeyId={journey.id}
            doc={sync.docNow()}
            onClose={() => setDialog(null)}
            onShowOnCanvas={(c) => {
              setDryCounts(c);
              setDialog(null);
            }}
          />
        )}
        {readOnly && mode === "edit" && <div className="readonly-note">{t("editor.readOnly")}</div>}
      </div>
    </EditorContext.Provider>
  );
}
