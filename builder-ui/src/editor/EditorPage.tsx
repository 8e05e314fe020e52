/** The journey editor and its live view: canvas, palette, inspector, validation, publishing. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { DragEvent } from "react";
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
} from "@xyflow/react";
import type { Connection, EdgeChange, NodeChange, Edge, IsValidConnection } from "@xyflow/react";
import type { Journey, JourneyNode, ValidationIssue } from "../../../engine/schema";
import { edgePort } from "../../../engine/schema";
import { api } from "../api/client";
import type {
  ActionType,
  FactEntry,
  JourneyDetail,
  JourneyStats,
  NodeTypeCatalog,
  TemplateSummary,
  ValidateResult,
} from "../api/types";
import { useSession } from "../App";
import { ID_PREFIX, flowToJourney, freshId, journeyToFlow } from "../graph/convert";
import type { FlowEdge, FlowNode, JourneyMeta } from "../graph/convert";
import { factOptions } from "../graph/facts";
import { History } from "../graph/history";
import { autoLayout } from "../graph/layout";
import { connectionProblem, safePortsOf } from "../graph/rules";
import type { ConnectionProblem } from "../graph/rules";
import { useI18n } from "../i18n/i18n";
import { ErrorState, Loading, StatusBadge, errorText, useAsync, useInterval, Spinner } from "../ui/common";
import { href } from "../ui/router";
import { EditorContext, EMPTY_ISSUES } from "./context";
import type { EditorEnv } from "./context";
import { NODE_COMPONENTS } from "./nodes";
import { DRAG_MIME, Palette, actionItem, controlItems } from "./Palette";
import type { PaletteItem } from "./Palette";
import { NodeInspector } from "./inspector/NodeInspector";
import { SettingsPanel } from "./inspector/SettingsPanel";
import { IssuePanel } from "./IssuePanel";
import { PublishDialog } from "./PublishDialog";
import { HistoryDialog } from "./HistoryDialog";
import { DryRunDialog } from "./DryRunDialog";
import { LivePanel } from "./LivePanel";
import type { NodeStats } from "../api/types";

export interface Catalog {
  nodeTypes: NodeTypeCatalog;
  facts: FactEntry[];
  templates: TemplateSummary[];
}

export async function loadCatalog(): Promise<Catalog> {
  const [nodeTypes, facts, templates] = await Promise.all([
    api.nodeTypes(),
    api.facts().catch(() => [] as FactEntry[]),
    api.templates().catch(() => [] as TemplateSummary[]),
  ]);
  return { nodeTypes, facts, templates };
}

export function EditorPage({ id, mode }: { id: string; mode: "edit" | "live" }) {
  const { t } = useI18n();
  const journey = useAsync(() => api.journey(id), [id]);
  const catalog = useAsync(loadCatalog, []);
  const live = useAsync(async () => {
    if (mode !== "live" || !journey.data?.liveVersion) return null;
    return api.version(id, journey.data.liveVersion);
  }, [mode, id, journey.data?.liveVersion]);
  if (journey.error || catalog.error) {
    return (
      <div className="page">
        <ErrorState
          error={journey.error ?? catalog.error}
          onRetry={() => (journey.error ? journey.reload() : catalog.reload())}
        />
      </div>
    );
  }
  if (!journey.data || !catalog.data || (mode === "live" && live.loading))
    return <Loading label={t("editor.loading")} />;
  const doc = mode === "live" && live.data ? live.data.doc : journey.data.draft;
  return (
    <ReactFlowProvider>
      <Editor
        journey={journey.data}
        doc={doc}
        catalog={catalog.data}
        mode={mode}
        reloadJourney={journey.reload}
      />
    </ReactFlowProvider>
  );
}

type SaveState = "saved" | "saving" | "dirty" | "error";
interface Snap {
  meta: JourneyMeta;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

const nodeTypes = NODE_COMPONENTS;
const isTyping = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

function Editor({
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
  const { t, pick } = useI18n();
  const { can } = useSession();
  const rf = useReactFlow();
  const initial = useMemo(() => journeyToFlow(doc), [doc]);
  const [meta, setMeta] = useState<JourneyMeta>(initial.meta);
  const [nodes, setNodes] = useState<FlowNode[]>(initial.nodes);
  const [edges, setEdges] = useState<FlowEdge[]>(initial.edges);
  const [status, setStatus] = useState(journey.status);
  const [liveVersion, setLiveVersion] = useState(journey.liveVersion);
  const [save, setSave] = useState<SaveState>("saved");
  const [saveError, setSaveError] = useState<string | null>(null);
  const [validation, setValidation] = useState<ValidateResult | null>(null);
  const [validating, setValidating] = useState(false);
  const [dialog, setDialog] = useState<null | "publish" | "history" | "dryrun">(null);
  const [tab, setTab] = useState<"step" | "settings">("step");
  const [toast, setToast] = useState<string | null>(null);
  const [stats, setStats] = useState<JourneyStats | null>(null);
  const [dryCounts, setDryCounts] = useState<Record<string, NodeStats> | null>(null);
  const [issuesOpen, setIssuesOpen] = useState(false);
  const readOnly = mode === "live" || !can.edit || status === "archived";

  const history = useRef(new History<Snap>());
  const [, bump] = useState(0);
  const current = useRef<Snap>({ meta, nodes, edges });
  current.current = { meta, nodes, edges };
  const lastSaved = useRef(JSON.stringify(flowToJourney(initial)));
  const publishedText = useRef<string | null>(null);
  const lastPush = useRef<{ key: string; at: number }>({ key: "", at: 0 });

  const snapshot = useCallback((key = "", coalesceMs = 0): void => {
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
    bump((n) => n + 1);
  }, []);

  const restore = useCallback((s: Snap | undefined) => {
    if (!s) return;
    setMeta(s.meta);
    setNodes(s.nodes);
    setEdges(s.edges);
    bump((n) => n + 1);
  }, []);
  const undo = useCallback(() => restore(history.current.undo(current.current)), [restore]);
  const redo = useCallback(() => restore(history.current.redo(current.current)), [restore]);

  const actions: readonly ActionType[] = catalog.nodeTypes.actions;
  const actionPorts = useCallback((a: string) => actions.find((x) => x.type === a)?.ports ?? [], [actions]);
  const facts = useMemo(() => factOptions(catalog.facts), [catalog.facts]);

  // ---- validation and autosave ---------------------------------------------------------------
  const validate = useCallback(
    async (d: Journey) => {
      setValidating(true);
      try {
        const r = await api.validate(journey.id, d);
        setValidation(r);
      } catch (e) {
        setValidation({ ok: false, issues: [{ path: "", message: errorText(e, t) }], warnings: [] });
      } finally {
        setValidating(false);
      }
    },
    [journey.id, t],
  );

  const docNow = useCallback((): Journey => flowToJourney(current.current, doc), [doc]);

  const saveNow = useCallback(async (): Promise<boolean> => {
    const d = docNow();
    const text = JSON.stringify(d);
    if (text === lastSaved.current) {
      setSave("saved");
      return true;
    }
    setSave("saving");
    try {
      await api.saveDraft(journey.id, d);
      lastSaved.current = text;
      setSave(JSON.stringify(docNow()) === text ? "saved" : "dirty");
      setSaveError(null);
      void validate(d);
      return true;
    } catch (e) {
      setSave("error");
      setSaveError(errorText(e, t));
      return false;
    }
  }, [docNow, journey.id, t, validate]);

  useEffect(() => {
    void validate(flowToJourney(initial));
  }, [initial, validate]);

  useEffect(() => {
    if (readOnly) return;
    const text = JSON.stringify(flowToJourney({ meta, nodes, edges }, doc));
    if (text === lastSaved.current) return;
    setSave("dirty");
    const id = window.setTimeout(() => void saveNow(), 700);
    return () => window.clearTimeout(id);
  }, [meta, nodes, edges, readOnly, saveNow, doc]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent): void => {
      if (save === "dirty" || save === "saving") e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [save]);

  // ---- live stats ------------------------------------------------------------------------------
  const loadStats = useCallback(() => {
    if (mode !== "live") return;
    api.stats(journey.id).then(setStats, () => undefined);
  }, [journey.id, mode]);
  useEffect(loadStats, [loadStats]);
  useInterval(loadStats, mode === "live" ? 5000 : null);

  // ---- graph editing ---------------------------------------------------------------------------
  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const allowed = readOnly
        ? changes.filter((c) => c.type === "select" || c.type === "dimensions")
        : changes;
      if (allowed.some((c) => c.type === "remove")) snapshot();
      setNodes((ns) => applyNodeChanges(allowed, ns));
    },
    [readOnly, snapshot],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      const allowed = readOnly ? changes.filter((c) => c.type === "select") : changes;
      if (allowed.some((c) => c.type === "remove")) snapshot();
      setEdges((es) => applyEdgeChanges(allowed, es));
    },
    [readOnly, snapshot],
  );

  const lastProblem = useRef<ConnectionProblem | null>(null);
  const isValidConnection: IsValidConnection<FlowEdge> = useCallback(
    (c: Connection | Edge | FlowEdge) => {
      const s = current.current;
      const problem = connectionProblem(c, s.nodes, s.edges, actionPorts);
      lastProblem.current = problem;
      return problem === null;
    },
    [actionPorts],
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
    [actionPorts, snapshot],
  );
  const onConnectEnd = useCallback(() => {
    const p = lastProblem.current;
    if (p && p !== "missing") showToast(t(`conn.${p}`));
    lastProblem.current = null;
  }, [t]);

  const toastTimer = useRef<number | undefined>(undefined);
  function showToast(msg: string): void {
    setToast(msg);
    window.clearTimeout(toastTimer.current);
    toastTimer.current = window.setTimeout(() => setToast(null), 3500);
  }

  const palette = useMemo(
    () => [...controlItems(t), ...actions.map((a) => actionItem(a, catalog.templates, pick))],
    [t, actions, catalog.templates, pick],
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
      setTab("step");
    },
    [rf, snapshot],
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
    [snapshot, actionPorts],
  );

  const deleteSelected = useCallback(() => {
    const s = current.current;
    const ids = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
    if (ids.size === 0 && !s.edges.some((e) => e.selected)) return;
    snapshot();
    setNodes((ns) => ns.filter((n) => !ids.has(n.id)));
    setEdges((es) => es.filter((e) => !e.selected && !ids.has(e.source) && !ids.has(e.target)));
  }, [snapshot]);

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
  }, [t]);
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
        position: { x: n.position.x + 40, y: n.position.y + 40 },
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
    clipboard.current = { nodes: newNodes.map((n) => ({ ...n, selected: false })), edges: newEdges };
  }, [snapshot]);

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
    window.setTimeout(() => void rf.fitView({ padding: 0.2, duration: 300, maxZoom: 1 }), 50);
  }, [rf, snapshot, actionPorts]);

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

  // ---- derived view state -------------------------------------------------------------------------
  const issues = validation?.issues ?? [];
  const issuesByNode = useMemo(() => {
    const m = new Map<string, ValidationIssue[]>();
    for (const i of issues) if (i.nodeId) m.set(i.nodeId, [...(m.get(i.nodeId) ?? []), i]);
    return m;
  }, [issues]);
  const badEdges = useMemo(() => new Set(issues.flatMap((i) => (i.edgeId ? [i.edgeId] : []))), [issues]);
  const counts = mode === "live" ? (stats?.nodes ?? null) : dryCounts;
  const env: EditorEnv = useMemo(
    () => ({
      mode: mode === "live" ? "live" : "edit",
      facts,
      actions,
      templates: catalog.templates,
      issuesByNode: mode === "live" ? EMPTY_ISSUES : issuesByNode,
      counts,
      actionPorts,
    }),
    [mode, facts, actions, catalog.templates, issuesByNode, counts, actionPorts],
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

  const selectedNodes = nodes.filter((n) => n.selected);
  const selected = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  const focusNode = useCallback(
    (id: string) => {
      const n = current.current.nodes.find((x) => x.id === id);
      if (!n) return;
      setNodes((ns) => ns.map((x) => ({ ...x, selected: x.id === id })));
      setTab("step");
      void rf.setCenter(n.position.x + 120, n.position.y + 45, {
        zoom: Math.max(rf.getZoom(), 1),
        duration: 300,
      });
    },
    [rf],
  );

  // Publishing the draft that was just published would only mint an identical version.
  const unchangedSincePublish = publishedText.current !== null && publishedText.current === lastSaved.current;
  const canPublish =
    !readOnly &&
    validation?.ok === true &&
    save === "saved" &&
    !validating &&
    nodes.length > 0 &&
    !unchangedSincePublish;
  const publishHint = readOnly
    ? undefined
    : validation && !validation.ok
      ? t("editor.publishBlocked", { n: validation.issues.length })
      : save !== "saved"
        ? t("editor.publishWaitSave")
        : unchangedSincePublish
          ? t("editor.publishNoChanges")
          : undefined;

  const onPublished = (version: number): void => {
    publishedText.current = lastSaved.current;
    setDialog(null);
    setLiveVersion(version);
    setStatus((s) => (s === "draft" ? "live" : s));
    showToast(t("publish.done", { version }));
    reloadJourney();
  };

  const pauseResume = (): void => {
    const call = status === "paused" ? api.resume(journey.id) : api.pause(journey.id);
    call.then(
      (j) => {
        setStatus(j?.status ?? (status === "paused" ? "live" : "paused"));
        showToast(status === "paused" ? t("live.resumed") : t("live.paused"));
      },
      (e: unknown) => showToast(errorText(e, t)),
    );
  };

  const totalNodes = nodes.length;
  return (
    <EditorContext.Provider value={env}>
      <div className={`editor editor-${mode}`} data-testid="editor" data-mode={mode}>
        <div className="editor-bar">
          <a className="btn btn-ghost btn-sm" href={href({ name: "journeys" })}>
            ← {t("nav.journeys")}
          </a>
          <div className="editor-title">
            <span className="editor-name" title={meta.name}>
              {meta.name}
            </span>
            <StatusBadge status={status} />
            {liveVersion ? (
              <span className="version-tag">{t("editor.liveVersion", { version: liveVersion })}</span>
            ) : null}
            {mode === "edit" && !readOnly && <SaveIndicator state={save} error={saveError} />}
            {mode === "live" && <span className="version-tag live-tag">{t("live.viewing")}</span>}
          </div>
          <div className="editor-actions">
            {mode === "edit" && !readOnly && (
              <>
                <button
                  className="icon-btn"
                  onClick={undo}
                  disabled={!history.current.canUndo}
                  title={t("editor.undo")}
                  aria-label={t("editor.undo")}
                  data-testid="undo"
                >
                  ↶
                </button>
                <button
                  className="icon-btn"
                  onClick={redo}
                  disabled={!history.current.canRedo}
                  title={t("editor.redo")}
                  aria-label={t("editor.redo")}
                  data-testid="redo"
                >
                  ↷
                </button>
                <button className="btn btn-sm" onClick={layout} data-testid="auto-layout">
                  {t("editor.autoLayout")}
                </button>
              </>
            )}
            <button className="btn btn-sm" onClick={() => setDialog("history")} data-testid="open-history">
              {t("editor.history")}
            </button>
            <button className="btn btn-sm" onClick={() => setDialog("dryrun")} data-testid="open-dryrun">
              {t("editor.dryRun")}
            </button>
            {mode === "edit" ? (
              liveVersion ? (
                <a
                  className="btn btn-sm"
                  href={href({ name: "live", id: journey.id })}
                  data-testid="open-live"
                >
                  {t("editor.liveView")}
                </a>
              ) : null
            ) : (
              <a className="btn btn-sm" href={href({ name: "editor", id: journey.id })}>
                {t("live.editDraft")}
              </a>
            )}
            {mode === "live" && can.operate && (status === "live" || status === "paused") && (
              <button
                className={status === "paused" ? "btn btn-sm btn-primary" : "btn btn-sm btn-warn"}
                onClick={pauseResume}
                data-testid="pause-resume"
              >
                {status === "paused" ? t("live.resume") : t("live.pause")}
              </button>
            )}
            {mode === "edit" && can.edit && (
              <span title={publishHint}>
                <button
                  className="btn btn-sm btn-primary"
                  disabled={!canPublish}
                  onClick={() => setDialog("publish")}
                  data-testid="publish"
                >
                  {t("editor.publish")}
                </button>
              </span>
            )}
          </div>
        </div>
        <div className="editor-body">
          {mode === "edit" && (
            <Palette
              actions={actions}
              templates={catalog.templates}
              onAdd={(i) => addNode(i)}
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
                edges={viewEdges}
                nodeTypes={nodeTypes}
                onNodesChange={onNodesChange}
                onEdgesChange={onEdgesChange}
                onConnect={onConnect}
                onConnectEnd={onConnectEnd}
                isValidConnection={isValidConnection}
                onNodeDragStart={() => snapshot()}
                nodesDraggable={!readOnly}
                nodesConnectable={!readOnly}
                edgesReconnectable={false}
                deleteKeyCode={readOnly ? null : ["Backspace", "Delete"]}
                multiSelectionKeyCode={["Meta", "Control", "Shift"]}
                defaultEdgeOptions={{ type: "smoothstep" }}
                fitView={initial.nodes.length > 0}
                defaultViewport={{ x: 0, y: 0, zoom: 1 }}
                fitViewOptions={{ padding: 0.2, maxZoom: 1.1 }}
                minZoom={0.1}
                maxZoom={2}
                onlyRenderVisibleElements={totalNodes > 150}
                proOptions={{ hideAttribution: true }}
                snapToGrid
                snapGrid={[8, 8]}
                onPaneClick={() => setTab("step")}
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
            {mode === "edit" && (
              <IssuePanel
                validation={validation}
                validating={validating}
                open={issuesOpen}
                onToggle={() => setIssuesOpen((o) => !o)}
                onFocus={focusNode}
                nodes={nodes}
              />
            )}
          </div>
          <aside className="inspector" data-testid="inspector">
            <div className="tabs">
              <button className={tab === "step" ? "active" : ""} onClick={() => setTab("step")}>
                {t("insp.tabStep")}
              </button>
              <button
                className={tab === "settings" ? "active" : ""}
                onClick={() => setTab("settings")}
                data-testid="tab-settings"
              >
                {t("insp.tabSettings")}
              </button>
            </div>
            {tab === "settings" ? (
              <SettingsPanel
                meta={meta}
                readOnly={readOnly}
                onChange={(m) => {
                  snapshot("meta", 1200);
                  setMeta(m);
                }}
              />
            ) : selected ? (
              <>
                <NodeInspector
                  key={selected.id}
                  node={selected}
                  readOnly={readOnly}
                  onChange={(data, rename) => updateNodeData(selected.id, data, rename)}
                  onDelete={deleteSelected}
                />
                {mode === "live" && stats?.nodes[selected.id] && (
                  <div className="inspector-body">
                    <a
                      className="btn btn-sm"
                      href={href({
                        name: "runs",
                        query: new URLSearchParams({ journeyId: journey.id, nodeId: selected.id }),
                      })}
                    >
                      {t("live.stepsOfNode")}
                    </a>
                  </div>
                )}
              </>
            ) : (
              <div className="inspector-body insp-none">
                <p className="muted">
                  {selectedNodes.length > 1 ? t("insp.multi", { n: selectedNodes.length }) : t("insp.none")}
                </p>
                {!readOnly && (
                  <ul className="shortcuts">
                    <li>
                      <kbd>Ctrl</kbd>+<kbd>Z</kbd> {t("editor.undo")}
                    </li>
                    <li>
                      <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>Z</kbd> {t("editor.redo")}
                    </li>
                    <li>
                      <kbd>Ctrl</kbd>+<kbd>C</kbd> / <kbd>V</kbd> {t("editor.copyPaste")}
                    </li>
                    <li>
                      <kbd>Del</kbd> {t("editor.deleteKey")}
                    </li>
                  </ul>
                )}
              </div>
            )}
          </aside>
        </div>
        {dialog === "publish" && (
          <PublishDialog
            journeyId={journey.id}
            liveVersion={liveVersion}
            onClose={() => setDialog(null)}
            onPublished={onPublished}
            onInvalid={(issuesFromServer) => {
              setDialog(null);
              setValidation({ ok: false, issues: issuesFromServer, warnings: validation?.warnings ?? [] });
              setIssuesOpen(true);
            }}
          />
        )}
        {dialog === "history" && (
          <HistoryDialog
            journeyId={journey.id}
            draft={docNow()}
            onClose={() => setDialog(null)}
            catalog={catalog}
          />
        )}
        {dialog === "dryrun" && (
          <DryRunDialog
            journeyId={journey.id}
            doc={docNow()}
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

function SaveIndicator({ state, error }: { state: SaveState; error: string | null }) {
  const { t } = useI18n();
  return (
    <span
      className={`save-state save-${state}`}
      data-testid="save-state"
      data-state={state}
      title={error ?? undefined}
    >
      {state === "saving" && <Spinner small />}
      {state === "saved"
        ? t("editor.saved")
        : state === "saving"
          ? t("editor.saving")
          : state === "dirty"
            ? t("editor.unsaved")
            : t("editor.saveFailed")}
    </span>
  );
}
