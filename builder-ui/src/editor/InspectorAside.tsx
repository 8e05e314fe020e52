/** The editor's right-hand column: the selected step's inspector, or the journey's settings. */
import type { JourneyStats } from "../../../engine/schema";
import type { FlowNode, JourneyMeta } from "../graph/convert";
import { useI18n } from "../i18n/i18n";
import { href } from "../ui/router";
import { NodeInspector } from "./inspector/NodeInspector";
import { SettingsPanel } from "./inspector/SettingsPanel";

export type InspectorTab = "step" | "settings";

export function InspectorAside({
  tab,
  onTab,
  journeyId,
  mode,
  readOnly,
  meta,
  onMetaChange,
  nodes,
  stats,
  onNodeChange,
  onDelete,
}: {
  tab: InspectorTab;
  onTab: (tab: InspectorTab) => void;
  journeyId: string;
  mode: "edit" | "live";
  readOnly: boolean;
  meta: JourneyMeta;
  onMetaChange: (meta: JourneyMeta) => void;
  nodes: FlowNode[];
  stats: JourneyStats | null;
  onNodeChange: (id: string, data: Record<string, unknown>, renamePort?: [string, string]) => void;
  onDelete: () => void;
}) {
  const { t } = useI18n();
  const selectedNodes = nodes.filter((n) => n.selected);
  const selected = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  return (
    <aside className="inspector" data-testid="inspector">
      <div className="tabs">
        <button className={tab === "step" ? "active" : ""} onClick={() => onTab("step")}>
          {t("insp.tabStep")}
        </button>
        <button
          className={tab === "settings" ? "active" : ""}
          onClick={() => onTab("settings")}
          data-testid="tab-settings"
        >
          {t("insp.tabSettings")}
        </button>
      </div>
      {tab === "settings" ? (
        <SettingsPanel meta={meta} readOnly={readOnly} onChange={onMetaChange} />
      ) : selected ? (
        <>
          <NodeInspector
            key={selected.id}
            node={selected}
            readOnly={readOnly}
            onChange={(data, rename) => onNodeChange(selected.id, data, rename)}
            onDelete={onDelete}
          />
          {mode === "live" && stats?.nodes[selected.id] && (
            <div className="inspector-body">
              <a
                className="btn btn-sm"
                href={href({
                  name: "runs",
                  query: new URLSearchParams({ journeyId, nodeId: selected.id }),
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
          {!readOnly && <ShortcutList />}
        </div>
      )}
    </aside>
  );
}

function ShortcutList() {
  const { t } = useI18n();
  return (
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
  );
}
